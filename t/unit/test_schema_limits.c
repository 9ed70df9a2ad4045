/*
 * test_schema_limits.c: the columns of the migrations in schema/ hold what the input
 * limits let through, and the fetch buffers hold what the columns can
 * give back.  A limit raised in a header without its column (or a column
 * narrowed in a migration) fails here instead of storing rows that can
 * never be read again.
 */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "compat.h"
#include "scan.h"
#include "store_codes.h"
#include "store_tokens.h"
#include "store_webhooks.h"
#include "tap.h"
#include "webhook_sign.h"

#define SCHEMA_MAX (256 * 1024)
#define TEXT_BYTES 65535LL		/* TEXT holds this many bytes */
#define MEDIUMTEXT_BYTES 16777215LL

/*
 * A column's capacity: chars (VARCHAR/CHAR in a multi-byte charset
 * count characters) and bytes.  utf8mb4 takes up to 4 bytes a character.
 */
struct capacity {
	long long chars, bytes;
	int found;
};

static char schema[SCHEMA_MAX];
static size_t schema_len;

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Every migration, in order, one after the other. */
static int
load_schema(void)
{
	const char *srcdir = getenv("srcdir");
	char dir[1024], path[1300];
	char *names[64];
	size_t n = 0;
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/schema", srcdir ? srcdir : ".");
	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL && n < QRE_NELEM(names))
		if (strstr(de->d_name, ".sql") != NULL)
			names[n++] = strdup(de->d_name);
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_names);
	for (size_t i = 0; i < n; i++) {
		FILE *f;
		size_t got;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		free(names[i]);
		if ((f = fopen(path, "r")) == NULL)
			return -1;
		got = fread(schema + schema_len, 1,
		    sizeof(schema) - 1 - schema_len, f);
		schema_len += got;
		fclose(f);
	}
	schema[schema_len] = '\0';
	return n > 0 ? 0 : -1;
}

/*
 * The last definition of table.column: inside "CREATE TABLE table (" up
 * to its closing ") ENGINE", or in "ALTER TABLE table ... column TYPE".
 */
static struct capacity
column(const char *table, const char *col)
{
	struct capacity cap = { 0, 0, 0 };
	char create[128], alter[128];
	const char *p = schema;

	snprintf(create, sizeof(create), "CREATE TABLE %s (", table);
	snprintf(alter, sizeof(alter), "ALTER TABLE %s ", table);
	while (p != NULL && *p != '\0') {
		const char *c = strstr(p, create), *a = strstr(p, alter);
		const char *start = c != NULL && (a == NULL || c < a) ? c : a;
		const char *end, *q;

		if (start == NULL)
			break;
		end = strstr(start, ";");
		if (end == NULL)
			end = start + strlen(start);
		for (q = start; q < end && (q = strstr(q, col)) != NULL &&
		    q < end; q++) {
			const char *t = q + strlen(col);
			long long n = 0;

			/* A whole word followed by its type. */
			if (!isspace((unsigned char)q[-1]) ||
			    !isspace((unsigned char)*t))
				continue;
			while (isspace((unsigned char)*t))
				t++;
			if (strncasecmp(t, "VARCHAR(", 8) == 0 ||
			    strncasecmp(t, "CHAR(", 5) == 0) {
				n = strtoll(strchr(t, '(') + 1, NULL, 10);
				cap.chars = n;
				/* An ascii column is a byte a character. */
				cap.bytes = strncasecmp(strchr(t, ')') + 1,
				    " CHARACTER SET ascii", 20) == 0 ? n : n * 4;
			} else if (strncasecmp(t, "MEDIUMTEXT", 10) == 0) {
				cap.chars = MEDIUMTEXT_BYTES / 4;
				cap.bytes = MEDIUMTEXT_BYTES;
			} else if (strncasecmp(t, "TEXT", 4) == 0) {
				cap.chars = TEXT_BYTES / 4;
				cap.bytes = TEXT_BYTES;
			} else
				continue;
			cap.found = 1;
			break;
		}
		p = end;
	}
	return cap;
}

/* The column takes every value the limits let through. */
static void
holds(const char *table, const char *col, long long max_chars,
    long long max_bytes)
{
	struct capacity cap = column(table, col);

	if (!ok(cap.found, "%s.%s is in the schema", table, col))
		return;
	ok(cap.bytes >= max_bytes, "%s.%s holds %lld bytes (has %lld)", table,
	    col, max_bytes, cap.bytes);
	ok(cap.chars >= max_chars, "%s.%s holds %lld characters (has %lld)",
	    table, col, max_chars, cap.chars);
}

/* The fetch buffer (bufsz with its NUL) takes every value the column can hold
 * that the limits let through: the limit in bytes fits the buffer. */
static void
fits(const char *what, size_t bufsz, long long max_bytes)
{
	ok((long long)bufsz >= max_bytes + 1, "%s buffer (%zu) holds %lld "
	    "bytes and a NUL", what, bufsz, max_bytes);
}

int
main(void)
{
	struct code c;
	struct scan s;
	struct webhook w;

	if (!ok(load_schema() == 0, "the migrations read"))
		return done_testing();

	holds("codes", "name", CODE_NAME_MAX, CODE_NAME_BYTES);
	holds("codes", "data", CODE_DATA_BYTES, CODE_DATA_BYTES);
	holds("codes", "target", CODE_TARGET_BYTES, CODE_TARGET_BYTES);
	holds("tokens", "name", TOKEN_NAME_MAX, TOKEN_NAME_MAX * 4);
	holds("webhooks", "url", WEBHOOK_URL_MAX, WEBHOOK_URL_MAX);
	holds("webhooks", "secret", WEBHOOK_SECRET_MAX, WEBHOOK_SECRET_MAX);
	holds("scans", "city", SCAN_CITY_MAX, SCAN_CITY_MAX);
	holds("scans", "referrer", SCAN_REFERRER_MAX, SCAN_REFERRER_MAX);
	holds("deliveries", "last_error", DELIVERY_ERROR_MAX,
	    DELIVERY_ERROR_MAX);

	fits("code name", sizeof(c.name), CODE_NAME_BYTES);
	fits("code data", sizeof(c.data), CODE_DATA_BYTES);
	fits("code target", sizeof(c.target), CODE_TARGET_BYTES);
	fits("webhook url", sizeof(w.url), WEBHOOK_URL_MAX);
	fits("scan city", sizeof(s.city), SCAN_CITY_MAX);
	fits("scan referrer", sizeof(s.referrer), SCAN_REFERRER_MAX);
	/* A static code encodes its destination. */
	ok(CODE_TARGET_BYTES <= CODE_DATA_BYTES, "a destination fits the data");
	return done_testing();
}
