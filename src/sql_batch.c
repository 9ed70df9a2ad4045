/* sql_batch.c: see sql_batch.h. */
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "sql_batch.h"

static const size_t batch_rows[SQL_BATCH_KINDS] = { SQL_BATCH_MAX_ROWS, 32, 8, 1 };

int
sql_batch_init(struct sql_batch *b, const char *head, size_t ncols,
    const char *tail)
{
	memset(b, 0, sizeof(*b));
	b->ncols = ncols;
	if (ncols == 0 || ncols * SQL_BATCH_MAX_ROWS > DB_MAX_ARGS)
		return -1;
	for (size_t k = 0; k < SQL_BATCH_KINDS; k++) {
		size_t rowlen = 2 + 3 * ncols + 1;	/* "(?, ?)," */
		size_t cap = strlen(head) + strlen(tail) + batch_rows[k] * rowlen + 2;
		char *p;

		if ((p = b->sql[k] = malloc(cap)) == NULL) {
			sql_batch_free(b);
			return -1;
		}
		b->rows[k] = batch_rows[k];
		memcpy(p, head, strlen(head));
		p += strlen(head);
		for (size_t r = 0; r < batch_rows[k]; r++) {
			*p++ = r ? ',' : ' ';
			*p++ = '(';
			for (size_t c = 0; c < ncols; c++) {
				if (c) {
					*p++ = ',';
					*p++ = ' ';
				}
				*p++ = '?';
			}
			*p++ = ')';
		}
		*p++ = ' ';
		memcpy(p, tail, strlen(tail) + 1);
	}
	return 0;
}

void
sql_batch_free(struct sql_batch *b)
{
	for (size_t k = 0; k < SQL_BATCH_KINDS; k++) {
		free(b->sql[k]);
		b->sql[k] = NULL;
	}
}

enum db_rc
sql_batch_exec(struct db *db, const struct sql_batch *b,
    const struct db_arg *args, size_t nrows, unsigned long long *affected)
{
	size_t done = 0;

	for (size_t k = 0; k < SQL_BATCH_KINDS; k++) {
		while (nrows - done >= b->rows[k]) {
			unsigned long long n = 0;
			enum db_rc rc;

			rc = db_exec(db, b->sql[k], args + done * b->ncols,
			    b->rows[k] * b->ncols, &n, NULL);
			if (rc != DB_OK)
				return rc;
			if (affected != NULL)
				*affected += n;
			done += b->rows[k];
		}
	}
	return DB_OK;
}
