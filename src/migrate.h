/*
 * migrate.h: numbered SQL migrations (schema/NNN_name.sql), applied in
 * order, each recorded in schema_migrations so that running again does
 * nothing.  A database-level lock keeps two runs from interleaving.
 */
#ifndef QRE_MIGRATE_H
#define QRE_MIGRATE_H

#include <stddef.h>

struct db;

#define MIGRATE_MAX_FILES 512
#define MIGRATE_FILE_MAX (1024 * 1024)	/* one migration file, bytes */

/*
 * Split sql into statements at ';' outside quotes and comments.  Calls
 * each(stmt, len, arg) for every non-empty statement; stops and returns
 * its non-zero result.  Returns -1 for an unterminated quote or comment.
 */
int sql_split(const char *sql, size_t len,
    int (*each)(const char *stmt, size_t len, void *arg), void *arg);

/*
 * Apply what is missing from dir.  Reports each applied file through
 * say (may be NULL).  Returns how many were applied, or -1 with err set.
 */
int migrate_run(struct db *db, const char *dir,
    void (*say)(const char *file), char *err, size_t errsz);

#endif
