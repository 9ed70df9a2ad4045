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
#include "ssrf.h"

struct net {
	int family;
	unsigned char addr[16];
	int bits;
};

/* Never public: RFC 6890 special-purpose ranges and then some. */
static const char *const forbidden_v4[] = {
	"0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8",
	"169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24",
	"192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15",
	"198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
};
static const char *const forbidden_v6[] = {
	"::/96" /* unspecified, loopback, IPv4-compatible */, "64:ff9b::/96", "64:ff9b:1::/48", "100::/64",
	"2001::/23", "2001:db8::/32", "2002::/16", "fc00::/7", "fe80::/10",
	"fec0::/10", "ff00::/8",
};

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

static int
in_list(int family, const unsigned char *a, const char *const *list, size_t n)
{
	struct net net;

	for (size_t i = 0; i < n; i++)
		if (parse_net(list[i], strlen(list[i]), &net) == 0 &&
		    in_net(family, a, &net))
			return 1;
	return 0;
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

int
ssrf_forbidden(const char *addr, const char *allow_cidrs)
{
	unsigned char a[16] = { 0 };
	int family = strchr(addr, ':') ? AF_INET6 : AF_INET;

	if (inet_pton(family, addr, a) != 1)
		return 1;
	if (in_allowlist(family, a, allow_cidrs))
		return 0;
	/* ::ffff:a.b.c.d reaches a.b.c.d: judge it as that. */
	if (family == AF_INET6 && memcmp(a, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) == 0) {
		memmove(a, a + 12, 4);
		memset(a + 4, 0, 12);
		family = AF_INET;
		if (in_allowlist(family, a, allow_cidrs))
			return 0;
	}
	return family == AF_INET ?
	    in_list(family, a, forbidden_v4, QRE_NELEM(forbidden_v4)) :
	    in_list(family, a, forbidden_v6, QRE_NELEM(forbidden_v6));
}

int
ssrf_parse(const char *url, struct ssrf_target *t, char *why, size_t whysz)
{
	const char *p, *host, *hend, *aend;
	size_t hlen;

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

int
ssrf_check(const char *url, const char *allow_cidrs, struct ssrf_target *t,
    char *why, size_t whysz)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res = NULL, *ai;
	char addr[INET6_ADDRSTRLEN];
	int rc, n;

	if (ssrf_parse(url, t, why, whysz) == -1)
		return -1;
	if ((rc = getaddrinfo(t->host, NULL, &hints, &res)) != 0) {
		snprintf(why, whysz, "url: cannot resolve %s: %s", t->host,
		    gai_strerror(rc));
		return -1;
	}
	/* Every address must pass: a name must not mix public and private. */
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		const void *a = ai->ai_family == AF_INET ?
		    (const void *)&((struct sockaddr_in *)ai->ai_addr)->sin_addr :
		    (const void *)&((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr;

		if (inet_ntop(ai->ai_family, a, addr, sizeof(addr)) == NULL)
			continue;
		if (ssrf_forbidden(addr, allow_cidrs)) {
			snprintf(why, whysz, "url: %s resolves to %s, a private, "
			    "loopback, link-local, multicast or reserved address "
			    "that webhooks may not reach", t->host, addr);
			freeaddrinfo(res);
			return -1;
		}
		if (t->addr[0] == '\0')
			strlcpy(t->addr, addr, sizeof(t->addr));
	}
	freeaddrinfo(res);
	if (t->addr[0] == '\0') {
		snprintf(why, whysz, "url: %s has no address", t->host);
		return -1;
	}
	n = snprintf(t->resolve, sizeof(t->resolve), strchr(t->addr, ':') ?
	    "%s:%d:[%s]" : "%s:%d:%s", t->host, t->port, t->addr);
	if (n < 0 || (size_t)n >= sizeof(t->resolve)) {
		snprintf(why, whysz, "url: host name too long");
		return -1;
	}
	return 0;
}
