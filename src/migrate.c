/* migrate.c: see migrate.h. */
#include "compat.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "migrate.h"

#define MIGRATE_LOCK "qre_migrate"
#define MIGRATE_LOCK_WAIT_S 60

int
sql_split(const char *sql, size_t len,
    int (*each)(const char *stmt, size_t len, void *arg), void *arg)
{
	size_t start = 0, i = 0;
	int rc;

	while (i < len) {
		char c = sql[i];

		if (c == '\'' || c == '"' || c == '`') {
			for (i++; i < len && sql[i] != c; i++)
				if (sql[i] == '\\' && c != '`')
					i++;
			if (i >= len)
				return -1;
			i++;
		} else if (c == '-' && i + 1 < len && sql[i + 1] == '-') {
			while (i < len && sql[i] != '\n')
				i++;
		} else if (c == '#') {
			while (i < len && sql[i] != '\n')
				i++;
		} else if (c == '/' && i + 1 < len && sql[i + 1] == '*') {
			for (i += 2; i + 1 < len &&
			    !(sql[i] == '*' && sql[i + 1] == '/'); i++)
				;
			if (i + 1 >= len)
				return -1;
			i += 2;
		} else if (c == ';') {
			size_t s = start, e = i;
			int blank = 1;

			/* Skip statements that are only comments and space. */
			for (size_t k = s; k < e; k++)
				if (!isspace((unsigned char)sql[k])) {
					blank = 0;
					break;
				}
			if (!blank && (rc = each(sql + s, e - s, arg)) != 0)
				return rc;
			start = ++i;
		} else
			i++;
	}
	for (size_t k = start; k < len; k++)
		if (!isspace((unsigned char)sql[k]))
			return each(sql + start, len - start, arg);
	return 0;
}

/* A statement made only of comments has nothing to run. */
static int
only_comments(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		if (isspace((unsigned char)s[i]))
			i++;
		else if ((s[i] == '-' && i + 1 < len && s[i + 1] == '-') ||
		    s[i] == '#')
			while (i < len && s[i] != '\n')
				i++;
		else
			return 0;
	}
	return 1;
}

struct apply_ctx {
	struct db *db;
	char *err;
	size_t errsz;
};

static int
apply_stmt(const char *stmt, size_t len, void *arg)
{
	struct apply_ctx *ctx = arg;

	if (only_comments(stmt, len))
		return 0;
	if (db_exec_uncached(ctx->db, stmt, len) != DB_OK) {
		snprintf(ctx->err, ctx->errsz, "%s", db_error(ctx->db));
		return 1;
	}
	return 0;
}

/* "NNN_name.sql" with NNN all digits. */
static int
migration_version(const char *name, long *version)
{
	const char *us = strchr(name, '_');
	size_t n = strlen(name);
	char *end;

	if (us == NULL || us == name || n < 5 ||
	    strcmp(name + n - 4, ".sql") != 0)
		return -1;
	for (const char *p = name; p < us; p++)
		if (!isdigit((unsigned char)*p))
			return -1;
	*version = strtol(name, &end, 10);
	return 0;
}

static int
cmp_names(const void *a, const void *b)
{
	long va = 0, vb = 0;

	migration_version(*(char *const *)a, &va);
	migration_version(*(char *const *)b, &vb);
	return va < vb ? -1 : va > vb;
}

static char *
read_file(const char *path, size_t *len, char *err, size_t errsz)
{
	FILE *fp;
	char *buf = NULL;
	size_t n;

	if ((fp = fopen(path, "r")) == NULL) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if ((buf = malloc(MIGRATE_FILE_MAX + 1)) == NULL) {
		snprintf(err, errsz, "out of memory");
		goto fail;
	}
	n = fread(buf, 1, MIGRATE_FILE_MAX + 1, fp);
	if (ferror(fp) || n > MIGRATE_FILE_MAX) {
		snprintf(err, errsz, "%s: %s", path, ferror(fp) ?
		    "read error" : "file too large");
		free(buf);
		buf = NULL;
		goto fail;
	}
	buf[n] = '\0';
	*len = n;
fail:
	fclose(fp);
	return buf;
}

static enum db_rc
applied(struct db *db, long version, int *found)
{
	static const char sql[] =
	    "SELECT version FROM schema_migrations WHERE version = ?";
	struct db_arg args[] = { DBA_I64(version) };
	long long v;
	struct db_col cols[] = { DBC_I64(&v) };

	return db_query_row(db, sql, args, 1, cols, 1, found);
}

static enum db_rc
record(struct db *db, long version, const char *name)
{
	static const char sql[] = "INSERT INTO schema_migrations "
	    "(version, name, applied_at) VALUES (?, ?, UTC_TIMESTAMP(3))";
	struct db_arg args[] = { DBA_I64(version), DBA_STR(name) };

	return db_exec(db, sql, args, QRE_NELEM(args), NULL, NULL);
}

int
migrate_run(struct db *db, const char *dir, void (*say)(const char *file),
    char *err, size_t errsz)
{
	static const char create_sql[] = "CREATE TABLE IF NOT EXISTS "
	    "schema_migrations (version INT UNSIGNED NOT NULL PRIMARY KEY, "
	    "name VARCHAR(255) NOT NULL, applied_at DATETIME(3) NOT NULL) "
	    "ENGINE=InnoDB";
	char *names[MIGRATE_MAX_FILES];
	size_t nnames = 0;
	int count = -1;
	struct dirent *de;
	DIR *d = NULL;

	if (db_lock_get(db, MIGRATE_LOCK, MIGRATE_LOCK_WAIT_S) != 1) {
		snprintf(err, errsz, "could not take the migration lock: %s",
		    db_error(db));
		return -1;
	}
	if (db_exec_uncached(db, create_sql, strlen(create_sql)) != DB_OK) {
		snprintf(err, errsz, "schema_migrations: %s", db_error(db));
		goto fail;
	}
	if ((d = opendir(dir)) == NULL) {
		snprintf(err, errsz, "%s: %s", dir, strerror(errno));
		goto fail;
	}
	while ((de = readdir(d)) != NULL) {
		long v;

		if (migration_version(de->d_name, &v) == -1)
			continue;
		if (nnames == MIGRATE_MAX_FILES) {
			snprintf(err, errsz, "%s: more than %d migrations", dir,
			    MIGRATE_MAX_FILES);
			goto fail;
		}
		if ((names[nnames] = strdup(de->d_name)) == NULL) {
			snprintf(err, errsz, "out of memory");
			goto fail;
		}
		nnames++;
	}
	qsort(names, nnames, sizeof(names[0]), cmp_names);
	count = 0;
	for (size_t i = 0; i < nnames; i++) {
		struct apply_ctx ctx = { db, err, errsz };
		char path[QRE_CONFIG_STR_MAX + 256];
		size_t len;
		char *sql;
		long v = 0;
		int found, rc;

		migration_version(names[i], &v);
		if (applied(db, v, &found) != DB_OK) {
			snprintf(err, errsz, "schema_migrations: %s", db_error(db));
			count = -1;
			goto fail;
		}
		if (found)
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
		    names[i]) >= sizeof(path)) {
			snprintf(err, errsz, "%s: path too long", names[i]);
			count = -1;
			goto fail;
		}
		if ((sql = read_file(path, &len, err, errsz)) == NULL) {
			count = -1;
			goto fail;
		}
		rc = sql_split(sql, len, apply_stmt, &ctx);
		free(sql);
		if (rc == -1)
			snprintf(err, errsz, "%s: unterminated quote or comment",
			    names[i]);
		if (rc == 0 && record(db, v, names[i]) != DB_OK) {
			snprintf(err, errsz, "schema_migrations: %s", db_error(db));
			rc = 1;
		}
		if (rc != 0) {
			/* Name the file: DDL is not transactional in MySQL. */
			char why[512];

			strlcpy(why, err, sizeof(why));
			snprintf(err, errsz, "%s: %s", names[i], why);
			count = -1;
			goto fail;
		}
		if (say != NULL)
			say(names[i]);
		count++;
	}
fail:
	if (d != NULL)
		closedir(d);
	for (size_t i = 0; i < nnames; i++)
		free(names[i]);
	db_lock_release(db, MIGRATE_LOCK);
	return count;
}
