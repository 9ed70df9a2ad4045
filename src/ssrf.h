/*
 * ssrf.h: where a webhook may be sent.  Only http(s) URLs without user
 * info; the host is resolved and every address it has must be public
 * (not loopback, private, link-local, CGNAT, multicast, reserved or
 * unspecified, for IPv4 and IPv6, IPv4-mapped included) unless its range
 * is in the operator's webhook_allow_cidrs.  The address checked is the
 * one connected to: a name is pinned to it (CURLOPT_RESOLVE), so a DNS
 * answer that changes between check and connect cannot reach anything
 * else; an address literal (IPv4, or IPv6 in brackets) is connected to
 * as it is, with nothing to resolve and nothing to pin.
 *
 * What a refusal says is shown to the API's caller, so for a name it
 * never says what the name resolves to (that would answer DNS questions
 * about the operator's network); the detail goes to the log.  For an
 * address the caller typed it names the kind of range ("a private
 * address").
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
	int literal;			/* host is an address (inet_pton) */
	char addr[INET6_ADDRSTRLEN];	/* the checked address to connect to */
	/*
	 * "host:port:addr" for CURLOPT_RESOLVE, or "" for a literal: curl
	 * cannot parse an entry whose host is an IPv6 address, and needs
	 * none, as it resolves no literal.
	 */
	char resolve[SSRF_RESOLVE_MAX];
};

/*
 * The URL's shape only (no DNS): 0, or -1 with why.  A host in brackets
 * must be an IPv6 address (no zone id).
 */
int ssrf_parse(const char *url, struct ssrf_target *t, char *why, size_t whysz);
/*
 * Parse, resolve and check; 0, or -1 with why, which is fit for the
 * caller of the API (see above).
 */
int ssrf_check(const char *url, const char *allow_cidrs, struct ssrf_target *t,
    char *why, size_t whysz);
/*
 * What kind of forbidden range addr (a numeric address) is in under
 * allow_cidrs, with its article: "a private", "a loopback", ...; NULL
 * when webhooks may reach it.  Garbage is "an invalid".
 */
const char *ssrf_range(const char *addr, const char *allow_cidrs);
/* 1 when addr (a numeric address) is forbidden under allow_cidrs. */
int ssrf_forbidden(const char *addr, const char *allow_cidrs);

#endif
