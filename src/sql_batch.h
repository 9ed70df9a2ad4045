/*
 * sql_batch.h: multi-row INSERTs as prepared statements.  A statement's
 * text fixes its row count, so each batch kind has four: 256, 32, 8
 * and 1 rows; n rows go as 256s, then 32s, 8s and singles, which keeps
 * the statement cache small and the round trips few.
 */
#ifndef QRE_SQL_BATCH_H
#define QRE_SQL_BATCH_H

#include <stddef.h>

#include "db.h"

#define SQL_BATCH_KINDS 4
#define SQL_BATCH_MAX_ROWS 256

struct sql_batch {
	char *sql[SQL_BATCH_KINDS];	/* built once, stable addresses */
	size_t rows[SQL_BATCH_KINDS];
	size_t ncols;			/* parameters per row */
};

/* "head (?, ?, ...), (...) tail" for each row count; -1 when out of memory. */
int sql_batch_init(struct sql_batch *, const char *head, size_t ncols,
    const char *tail);
void sql_batch_free(struct sql_batch *);
/* Run args (nrows * ncols of them) in chunks; adds affected rows up. */
enum db_rc sql_batch_exec(struct db *, const struct sql_batch *,
    const struct db_arg *args, size_t nrows, unsigned long long *affected);

#endif
