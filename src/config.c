/* config.c: see config.h. */
#include "compat.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "log.h"

const struct config_key config_keys[] = {
#define QRE_CFG_ROW(name, type, def, min, max, doc)			\
	{ #name, CFG_##type, def, min, max, offsetof(struct qre_config, name), doc },
	QRE_CONFIG_KEYS(QRE_CFG_ROW)
#undef QRE_CFG_ROW
};
const size_t config_nkeys = QRE_NELEM(config_keys);

static int
parse_long(const char *s, int base, long *out)
{
	char *end;
	long v;

	if (*s == '\0' || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtol(s, &end, base);
	if (errno != 0 || *end != '\0')
		return -1;
	*out = v;
	return 0;
}

/* One CIDR: an IPv4 or IPv6 address, "/", a prefix length that fits. */
static int
cidr_valid(const char *s, size_t len)
{
	char addr[INET6_ADDRSTRLEN + 8];
	unsigned char buf[sizeof(struct in6_addr)];
	const char *slash;
	long bits;
	int v6;

	slash = memchr(s, '/', len);
	if (slash == NULL || (size_t)(slash - s) >= sizeof(addr))
		return 0;
	memcpy(addr, s, (size_t)(slash - s));
	addr[slash - s] = '\0';
	v6 = strchr(addr, ':') != NULL;
	if (inet_pton(v6 ? AF_INET6 : AF_INET, addr, buf) != 1)
		return 0;
	{
		char num[8];
		size_t n = len - (size_t)(slash - s) - 1;

		if (n == 0 || n >= sizeof(num))
			return 0;
		memcpy(num, slash + 1, n);
		num[n] = '\0';
		if (parse_long(num, 10, &bits) == -1)
			return 0;
	}
	return bits >= 0 && bits <= (v6 ? 128 : 32);
}

/* An absolute path, or IPv4-address:port (what FCGX_OpenSocket can do). */
static int
listen_valid(const char *s)
{
	const char *colon = strrchr(s, ':');
	unsigned char buf[sizeof(struct in_addr)];
	char host[INET_ADDRSTRLEN];
	long port;

	if (s[0] == '/')
		return 1;
	if (colon == NULL || (size_t)(colon - s) >= sizeof(host) ||
	    parse_long(colon + 1, 10, &port) == -1 || port < 1 || port > 65535)
		return 0;
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	return host[0] == '\0' || inet_pton(AF_INET, host, buf) == 1;
}

static int
cidr_list_valid(const char *s)
{
	if (*s == '\0')
		return 1;
	for (;;) {
		const char *comma = strchr(s, ',');
		size_t len = comma ? (size_t)(comma - s) : strlen(s);

		while (len > 0 && isspace((unsigned char)*s)) {
			s++;
			len--;
		}
		while (len > 0 && isspace((unsigned char)s[len - 1]))
			len--;
		if (!cidr_valid(s, len))
			return 0;	/* also an empty item: "a,,b" or "a," */
		if (comma == NULL)
			return 1;
		s = comma + 1;
	}
}

int
config_set(struct qre_config *cfg, const char *key, const char *value,
    char *err, size_t errsz)
{
	const struct config_key *k = NULL;
	char *field;
	long v;

	for (size_t i = 0; i < config_nkeys; i++)
		if (strcmp(config_keys[i].name, key) == 0)
			k = &config_keys[i];
	if (k == NULL) {
		snprintf(err, errsz, "unknown key");
		return -1;
	}
	field = (char *)cfg + k->offset;
	switch (k->type) {
	case CFG_URL:
		if (strncmp(value, "http://", 7) != 0 &&
		    strncmp(value, "https://", 8) != 0) {
			snprintf(err, errsz, "'%s' is not an http(s) URL", value);
			return -1;
		}
		if (value[strlen(value) - 1] == '/') {
			snprintf(err, errsz, "'%s' must not end with '/'", value);
			return -1;
		}
		/* FALLTHROUGH */
	case CFG_LISTEN:
		if (k->type == CFG_LISTEN && !listen_valid(value)) {
			snprintf(err, errsz, "'%s' is neither an absolute socket "
			    "path nor IPv4-address:port", value);
			return -1;
		}
		/* FALLTHROUGH */
	case CFG_CIDRS:
		if (k->type == CFG_CIDRS && !cidr_list_valid(value)) {
			snprintf(err, errsz, "'%s' is not a comma-separated "
			    "list of CIDRs such as 127.0.0.0/8", value);
			return -1;
		}
		/* FALLTHROUGH */
	case CFG_STR:
		if (strlcpy(field, value, QRE_CONFIG_STR_MAX) >= QRE_CONFIG_STR_MAX) {
			snprintf(err, errsz, "value longer than %d bytes",
			    QRE_CONFIG_STR_MAX - 1);
			return -1;
		}
		return 0;
	case CFG_INT:
	case CFG_MODE:
		if (parse_long(value, k->type == CFG_MODE ? 8 : 10, &v) == -1) {
			snprintf(err, errsz, "'%s' is not a%s number", value,
			    k->type == CFG_MODE ? "n octal" : "");
			return -1;
		}
		if (v < k->min || v > k->max) {
			snprintf(err, errsz, k->type == CFG_MODE ?
			    "%lo is outside %lo..%lo" : "%ld is outside %ld..%ld",
			    v, k->min, k->max);
			return -1;
		}
		memcpy(field, &v, sizeof(v));
		return 0;
	case CFG_LEVEL: {
		enum log_level lvl;
		int iv;

		if (log_level_parse(value, &lvl) == -1) {
			snprintf(err, errsz, "'%s' is not one of error, warn, "
			    "info, debug", value);
			return -1;
		}
		iv = (int)lvl;
		memcpy(field, &iv, sizeof(iv));
		return 0;
	}
	}
	snprintf(err, errsz, "unhandled type");
	return -1;
}

void
config_defaults(struct qre_config *cfg)
{
	char err[256];

	memset(cfg, 0, sizeof(*cfg));
	for (size_t i = 0; i < config_nkeys; i++)
		if (config_set(cfg, config_keys[i].name, config_keys[i].def,
		    err, sizeof(err)) == -1)
			fatal("built-in default of %s: %s", config_keys[i].name, err);
}

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

int
config_load(const char *path, struct qre_config *cfg, char *err, size_t errsz)
{
	char line[QRE_CONFIG_LINE_MAX], why[512];
	FILE *fp;
	int lineno = 0, rc = -1;

	config_defaults(cfg);
	if (strlcpy(cfg->path, path, sizeof(cfg->path)) >= sizeof(cfg->path)) {
		snprintf(err, errsz, "%s: path too long", path);
		return -1;
	}
	if ((fp = fopen(path, "r")) == NULL) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		char *key, *value, *eq;
		size_t vlen;

		lineno++;
		if (strchr(line, '\n') == NULL && !feof(fp)) {
			snprintf(err, errsz, "%s:%d: line longer than %d bytes",
			    path, lineno, QRE_CONFIG_LINE_MAX - 1);
			goto fail;
		}
		key = trim(line);
		if (*key == '\0' || *key == '#')
			continue;
		if ((eq = strchr(key, '=')) == NULL) {
			snprintf(err, errsz, "%s:%d: expected 'key = value'",
			    path, lineno);
			goto fail;
		}
		*eq = '\0';
		key = trim(key);
		value = trim(eq + 1);
		/* Quotes keep leading/trailing spaces, e.g. in passwords. */
		vlen = strlen(value);
		if (vlen >= 2 && value[0] == '"' && value[vlen - 1] == '"') {
			value[vlen - 1] = '\0';
			value++;
		}
		if (config_set(cfg, key, value, why, sizeof(why)) == -1) {
			snprintf(err, errsz, "%s:%d: %s: %s", path, lineno, key, why);
			goto fail;
		}
	}
	if (ferror(fp)) {
		snprintf(err, errsz, "%s: read error", path);
		goto fail;
	}
	rc = 0;
fail:
	fclose(fp);
	return rc;
}
