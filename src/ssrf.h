/*
 * ssrf.h: where a webhook may be sent.  Only http(s) URLs without user
 * info; the host is resolved and every address it has must be public
 * (not loopback, private, link-local, CGNAT, multicast, reserved or
 * unspecified, for IPv4 and IPv6, IPv4-mapped included) unless its range
 * is in the operator's webhook_allow_cidrs.  The address checked is the
 * one connected to (CURLOPT_RESOLVE pins it), so a DNS answer that
 * changes between check and connect cannot reach anything else.
 */
#ifndef QRE_SSRF_H
#define QRE_SSRF_H

#include <arpa/inet.h>
#include <stddef.h>

#define SSRF_HOST_MAX 253
#define SSRF_RESOLVE_MAX (SSRF_HOST_MAX + INET6_ADDRSTRLEN + 16)

struct ssrf_target {
	int https;
	char host[SSRF_HOST_MAX + 1];	/* without brackets */
	int port;
	char addr[INET6_ADDRSTRLEN];	/* the checked address to connect to */
	char resolve[SSRF_RESOLVE_MAX];	/* "host:port:addr" for CURLOPT_RESOLVE */
};

/* The URL's shape only (no DNS): 0, or -1 with why. */
int ssrf_parse(const char *url, struct ssrf_target *t, char *why, size_t whysz);
/* Parse, resolve and check; 0, or -1 with why (for a 422 or a log). */
int ssrf_check(const char *url, const char *allow_cidrs, struct ssrf_target *t,
    char *why, size_t whysz);
/* 1 when addr (a numeric address) is forbidden under allow_cidrs. */
int ssrf_forbidden(const char *addr, const char *allow_cidrs);

#endif
