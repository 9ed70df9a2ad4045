/*
 * config.h: qre.conf, "key = value" lines.  The struct is generated from
 * config_keys.h.  Nothing else in qre reads the environment or the file.
 */
#ifndef QRE_CONFIG_H
#define QRE_CONFIG_H

#include <stddef.h>

#include "config_keys.h"

#ifndef QRE_SYSCONFDIR
#define QRE_SYSCONFDIR "/usr/local/etc"
#endif
#ifndef QRE_DATADIR
#define QRE_DATADIR "/usr/local/share/qre"
#endif
#define QRE_CONFIG_DEFAULT_PATH QRE_SYSCONFDIR "/qre.conf"

#define QRE_CONFIG_STR_MAX 1024	/* longest text value (paths, URLs) */
#define QRE_CONFIG_LINE_MAX 4096	/* longest line in the file */

#define QRE_CFG_FIELD_STR(n)	char n[QRE_CONFIG_STR_MAX];
#define QRE_CFG_FIELD_URL(n)	char n[QRE_CONFIG_STR_MAX];
#define QRE_CFG_FIELD_CIDRS(n)	char n[QRE_CONFIG_STR_MAX];
#define QRE_CFG_FIELD_LISTEN(n)	char n[QRE_CONFIG_STR_MAX];
#define QRE_CFG_FIELD_INT(n)	long n;
#define QRE_CFG_FIELD_MODE(n)	long n;
#define QRE_CFG_FIELD_LEVEL(n)	int n;

struct qre_config {
#define QRE_CFG_FIELD(name, type, def, min, max, doc) QRE_CFG_FIELD_##type(name)
	QRE_CONFIG_KEYS(QRE_CFG_FIELD)
#undef QRE_CFG_FIELD
	char path[QRE_CONFIG_STR_MAX];	/* the file it came from */
};

enum config_type { CFG_STR, CFG_URL, CFG_CIDRS, CFG_LISTEN, CFG_INT, CFG_MODE,
	CFG_LEVEL };

struct config_key {
	const char *name;
	enum config_type type;
	const char *def;
	long min, max;
	size_t offset;
	const char *doc;
};

extern const struct config_key config_keys[];
extern const size_t config_nkeys;

/* Fill cfg with every default. */
void config_defaults(struct qre_config *cfg);
/*
 * Load path over the defaults.  On error returns -1 and writes
 * "FILE:LINE: KEY: reason" into err.
 */
int config_load(const char *path, struct qre_config *cfg, char *err, size_t errsz);
/* Parse one key's value into cfg; -1 with the reason in err. */
int config_set(struct qre_config *cfg, const char *key, const char *value,
    char *err, size_t errsz);

#endif
