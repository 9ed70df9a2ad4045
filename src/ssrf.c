/* ssrf.c: see ssrf.h. */
#include <ctype.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "compat.h"
#include "log.h"
#include "ssrf.h"

struct net {
	int family;
	unsigned char addr[16];
	int bits;
};

/*
 * Never public: RFC 6890 special-purpose ranges and then some, each with
 * the kind a refusal names (first match wins, so specific ranges first).
 */
struct range {
	const char *cidr;
	const char *kind;
};
static const struct range forbidden_v4[] = {
	{ "0.0.0.0/8", "an unspecified" },
	{ "10.0.0.0/8", "a private" },
	{ "100.64.0.0/10", "a shared (carrier-grade NAT)" },
	{ "127.0.0.0/8", "a loopback" },
	{ "169.254.0.0/16", "a link-local" },
	{ "172.16.0.0/12", "a private" },
	{ "192.0.0.0/24", "a reserved" },
	{ "192.0.2.0/24", "a documentation" },
	{ "192.88.99.0/24", "a reserved" },
	{ "192.168.0.0/16", "a private" },
	{ "198.18.0.0/15", "a reserved" },
	{ "198.51.100.0/24", "a documentation" },
	{ "203.0.113.0/24", "a documentation" },
	{ "224.0.0.0/4", "a multicast" },
	{ "240.0.0.0/4", "a reserved" },
};
static const struct range forbidden_v6[] = {
	{ "::/128", "an unspecified" },
	{ "::1/128", "a loopback" },
	{ "::/96", "a reserved" },		/* IPv4-compatible */
	{ "64:ff9b::/96", "a NAT64" },
	{ "64:ff9b:1::/48", "a NAT64" },
	{ "100::/64", "a reserved" },
	{ "2001::/23", "a reserved" },
	{ "2001:db8::/32", "a documentation" },
	{ "2002::/16", "a 6to4" },
	{ "fc00::/7", "a private" },		/* unique local */
	{ "fe80::/10", "a link-local" },
	{ "fec0::/10", "a site-local" },
	{ "ff00::/8", "a multicast" },
};

/* What a refused name gets: the same whatever DNS said (see ssrf.h). */
#define SSRF_WHY_NAME "url: the host name does not resolve, or resolves " \
	"to an address that webhooks may not reach (private, loopback, " \
	"link-local, multicast or reserved)"

static int
parse_net(const char *s, size_t len, struct net *n)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash, *end;
	long bits;

	while (len > 0 && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if ((slash = strchr(buf, '/')) == NULL)
		return -1;
	*slash++ = '\0';
	n->family = strchr(buf, ':') ? AF_INET6 : AF_INET;
	memset(n->addr, 0, sizeof(n->addr));
	if (inet_pton(n->family, buf, n->addr) != 1)
		return -1;
	bits = strtol(slash, &end, 10);
	if (*end != '\0' || bits < 0 || bits > (n->family == AF_INET ? 32 : 128))
		return -1;
	n->bits = (int)bits;
	return 0;
}

static int
in_net(int family, const unsigned char *a, const struct net *n)
{
	int full = n->bits / 8, rest = n->bits % 8;

	if (family != n->family || memcmp(a, n->addr, (size_t)full) != 0)
		return 0;
	if (rest == 0)
		return 1;
	return ((a[full] ^ n->addr[full]) & (0xFF << (8 - rest)) & 0xFF) == 0;
}

static const char *
in_ranges(int family, const unsigned char *a, const struct range *list,
    size_t n)
{
	struct net net;

	for (size_t i = 0; i < n; i++)
		if (parse_net(list[i].cidr, strlen(list[i].cidr), &net) == 0 &&
		    in_net(family, a, &net))
			return list[i].kind;
	return NULL;
}

static int
in_allowlist(int family, const unsigned char *a, const char *cidrs)
{
	const char *p = cidrs;
	struct net net;

	while (p != NULL && *p != '\0') {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);

		if (parse_net(p, len, &net) == 0 && in_net(family, a, &net))
			return 1;
		p = comma ? comma + 1 : NULL;
	}
	return 0;
}

const char *
ssrf_range(const char *addr, const char *allow_cidrs)
{
	unsigned char a[16] = { 0 };
	int family = strchr(addr, ':') ? AF_INET6 : AF_INET;

	if (inet_pton(family, addr, a) != 1)
		return "an invalid";
	if (in_allowlist(family, a, allow_cidrs))
		return NULL;
	/* ::ffff:a.b.c.d reaches a.b.c.d: judge it as that. */
	if (family == AF_INET6 && memcmp(a, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) == 0) {
		memmove(a, a + 12, 4);
		memset(a + 4, 0, 12);
		family = AF_INET;
		if (in_allowlist(family, a, allow_cidrs))
			return NULL;
	}
	return family == AF_INET ?
	    in_ranges(family, a, forbidden_v4, QRE_NELEM(forbidden_v4)) :
	    in_ranges(family, a, forbidden_v6, QRE_NELEM(forbidden_v6));
}

int
ssrf_forbidden(const char *addr, const char *allow_cidrs)
{
	return ssrf_range(addr, allow_cidrs) != NULL;
}

int
ssrf_parse(const char *url, struct ssrf_target *t, char *why, size_t whysz)
{
	const char *p, *host, *hend, *aend;
	size_t hlen;
	int bracketed = 0;

	memset(t, 0, sizeof(*t));
	if (strncasecmp(url, "https://", 8) == 0) {
		t->https = 1;
		p = url + 8;
	} else if (strncasecmp(url, "http://", 7) == 0)
		p = url + 7;
	else {
		snprintf(why, whysz, "url must start with http:// or https://");
		return -1;
	}
	aend = p + strcspn(p, "/?#");
	if (memchr(p, '@', (size_t)(aend - p)) != NULL) {
		snprintf(why, whysz, "url must not contain user information");
		return -1;
	}
	for (const char *q = url; *q != '\0'; q++)
		if ((unsigned char)*q <= 0x20 || *q == 0x7F) {
			snprintf(why, whysz, "url must not contain spaces or "
			    "control characters");
			return -1;
		}
	if (*p == '[') {
		bracketed = 1;
		host = p + 1;
		if ((hend = memchr(host, ']', (size_t)(aend - host))) == NULL) {
			snprintf(why, whysz, "url has an unclosed [ in its host");
			return -1;
		}
		p = hend + 1;
	} else {
		host = p;
		hend = memchr(p, ':', (size_t)(aend - p));
		if (hend == NULL)
			hend = aend;
		p = hend;
	}
	hlen = (size_t)(hend - host);
	if (hlen == 0 || hlen > SSRF_HOST_MAX) {
		snprintf(why, whysz, "url must have a host");
		return -1;
	}
	memcpy(t->host, host, hlen);
	t->host[hlen] = '\0';
	if (bracketed) {
		unsigned char a6[16];

		if (inet_pton(AF_INET6, t->host, a6) != 1) {
			snprintf(why, whysz, "url: a host in [ ] must be an IPv6 "
			    "address");
			return -1;
		}
		t->literal = 1;
	} else {
		unsigned char a4[4];

		t->literal = inet_pton(AF_INET, t->host, a4) == 1;
	}
	t->port = t->https ? 443 : 80;
	if (p < aend && *p == ':') {
		char *end;
		long port = strtol(p + 1, &end, 10);

		if (end != aend || port < 1 || port > 65535) {
			snprintf(why, whysz, "url has a bad port");
			return -1;
		}
		t->port = (int)port;
	} else if (p != aend) {
		snprintf(why, whysz, "url has a malformed host");
		return -1;
	}
	return 0;
}

/* A literal: the address itself, checked with no DNS. */
static int
check_literal(struct ssrf_target *t, const char *allow_cidrs, char *why,
    size_t whysz)
{
	const char *kind;

	if ((kind = ssrf_range(t->host, allow_cidrs)) != NULL) {
		/* The caller typed this address: naming its kind tells nothing. */
		snprintf(why, whysz, "url: %s is %s address, which webhooks may "
		    "not reach", t->host, kind);
		return -1;
	}
	if (strlcpy(t->addr, t->host, sizeof(t->addr)) >= sizeof(t->addr)) {
		snprintf(why, whysz, "url has a malformed host");
		return -1;
	}
	t->resolve[0] = '\0';
	return 0;
}

int
ssrf_check(const char *url, const char *allow_cidrs, struct ssrf_target *t,
    char *why, size_t whysz)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res = NULL, *ai;
	char addr[INET6_ADDRSTRLEN];
	const char *kind;
	int rc, n;

	if (ssrf_parse(url, t, why, whysz) == -1)
		return -1;
	if (t->literal)
		return check_literal(t, allow_cidrs, why, whysz);
	if ((rc = getaddrinfo(t->host, NULL, &hints, &res)) != 0) {
		log_info("ssrf: cannot resolve %s: %s", t->host, gai_strerror(rc));
		snprintf(why, whysz, "%s", SSRF_WHY_NAME);
		return -1;
	}
	/* Every address must pass: a name must not mix public and private. */
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		const void *a = ai->ai_family == AF_INET ?
		    (const void *)&((struct sockaddr_in *)ai->ai_addr)->sin_addr :
		    (const void *)&((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr;

		if (inet_ntop(ai->ai_family, a, addr, sizeof(addr)) == NULL)
			continue;
		if ((kind = ssrf_range(addr, allow_cidrs)) != NULL) {
			log_info("ssrf: %s resolves to %s, %s address: refused",
			    t->host, addr, kind);
			snprintf(why, whysz, "%s", SSRF_WHY_NAME);
			freeaddrinfo(res);
			return -1;
		}
		if (t->addr[0] == '\0')
			strlcpy(t->addr, addr, sizeof(t->addr));
	}
	freeaddrinfo(res);
	if (t->addr[0] == '\0') {
		log_info("ssrf: %s has no usable address", t->host);
		snprintf(why, whysz, "%s", SSRF_WHY_NAME);
		return -1;
	}
	/* A name has no ':', so curl can parse the entry. */
	n = snprintf(t->resolve, sizeof(t->resolve), strchr(t->addr, ':') ?
	    "%s:%d:[%s]" : "%s:%d:%s", t->host, t->port, t->addr);
	if (n < 0 || (size_t)n >= sizeof(t->resolve)) {
		snprintf(why, whysz, "url: host name too long");
		return -1;
	}
	return 0;
}
