/*
 * db.h: a worker's one MariaDB/MySQL connection and its prepared
 * statements.  Every statement goes through db_query(): prepared once per
 * connection (cached by the address of its SQL text), parameters bound
 * from a small argument array, results fetched into caller buffers.
 *
 * A connection that dropped is replaced transparently only when the
 * failure hit the first statement of a request (nothing can have been
 * written yet); later in a request the caller gets DB_DOWN and answers
 * 503, and the next request reconnects.
 */
#ifndef QRE_DB_H
#define QRE_DB_H

#include <stddef.h>
#include <time.h>

#include <mysql.h>

#include "config.h"
#include "errors.h"

#define DB_MAX_ARGS 4096	/* parameters of one statement (batches) */
#define DB_SMALL_ARGS 32	/* bound on the stack; more go on the heap */
#define DB_MAX_COLS 32		/* columns of one result row */
#define DB_MAX_STMTS 192	/* distinct statements cached per connection */
#define DB_RECONNECT_MS 500	/* after a slow failed connect, wait this long */
#define DB_FAST_FAIL_MS 50	/* a connect refused faster is retried at once */

enum db_rc {
	DB_OK = 0,
	DB_DOWN,		/* connection failed or lost: 503 */
	DB_ERROR,		/* the statement failed: a bug, 500 */
	DB_DUPLICATE,		/* unique key violated: usually 409 */
};

/* A failed statement as the API answers it: 503 when the link is down. */
static inline enum qre_err
db_answer(enum db_rc rc)
{
	return rc == DB_DOWN ? QRE_E_DB_DOWN : QRE_E_INTERNAL;
}

enum db_arg_type { DBA_INT, DBA_TEXT, DBA_BLOB, DBA_NULL };
struct db_arg {
	enum db_arg_type type;
	long long i;
	const void *p;
	size_t len;
};
#define DBA_I64(x)	((struct db_arg){ .type = DBA_INT, .i = (x) })
#define DBA_STR(x)	((struct db_arg){ .type = DBA_TEXT, .p = (x), .len = strlen(x) })
#define DBA_STRN(x, n)	((struct db_arg){ .type = DBA_TEXT, .p = (x), .len = (n) })
#define DBA_BIN(x, n)	((struct db_arg){ .type = DBA_BLOB, .p = (x), .len = (n) })
#define DBA_NUL		((struct db_arg){ .type = DBA_NULL })

enum db_col_type { DBC_INT, DBC_TEXT, DBC_BLOB, DBC_TIME };
struct db_col {
	enum db_col_type type;
	void *buf;		/* long long *, char[size], unsigned char[size], time_t * */
	size_t size;		/* for TEXT (including the NUL) and BLOB */
	unsigned long len;	/* bytes fetched (TEXT/BLOB) */
	my_bool is_null;
	my_bool truncated;
	MYSQL_TIME tm;		/* scratch for DBC_TIME */
};
#define DBC_I64(p)	{ .type = DBC_INT, .buf = (p) }
#define DBC_STR(p, n)	{ .type = DBC_TEXT, .buf = (p), .size = (n) }
#define DBC_BIN(p, n)	{ .type = DBC_BLOB, .buf = (p), .size = (n) }
#define DBC_TS(p)	{ .type = DBC_TIME, .buf = (p) }

struct db;

/* A running statement: rows are fetched with db_fetch(), then db_done(). */
struct db_result {
	struct db *db;
	MYSQL_STMT *stmt;
	struct db_col *cols;
	size_t ncols;
	MYSQL_BIND binds[DB_MAX_COLS];
	unsigned long long affected;
	unsigned long long insert_id;
};

struct db *db_new(const struct qre_config *cfg);
void db_free(struct db *);
/* Connect now if not connected; DB_OK or DB_DOWN. */
enum db_rc db_connect(struct db *);
int db_connected(const struct db *);
/* Marks the start of a request (for the first-statement retry rule). */
void db_request_begin(struct db *);

/*
 * Run sql (a string literal: its address is the cache key) with args.
 * With cols, the caller then calls db_fetch() until it returns 0, and
 * db_done() in every case.  Without cols, db_done() is optional.
 */
enum db_rc db_query(struct db *, const char *sql, const struct db_arg *args,
    size_t nargs, struct db_col *cols, size_t ncols, struct db_result *res);
/* 1: a row is in the column buffers; 0: no more rows; -1: error. */
int db_fetch(struct db_result *res);
void db_done(struct db_result *res);
/* db_query + fetch of at most one row; DB_OK with *found set. */
enum db_rc db_query_row(struct db *, const char *sql, const struct db_arg *args,
    size_t nargs, struct db_col *cols, size_t ncols, int *found);
/* Statement without result: affected rows / insert id through res fields. */
enum db_rc db_exec(struct db *, const char *sql, const struct db_arg *args,
    size_t nargs, unsigned long long *affected, unsigned long long *insert_id);

/*
 * Prepare, run and close one statement that is not worth caching (the
 * migrations' DDL, read from files written by us, never from users).
 */
enum db_rc db_exec_uncached(struct db *, const char *sql, size_t len);

enum db_rc db_begin(struct db *);
enum db_rc db_commit(struct db *);
void db_rollback(struct db *);

/*
 * Named locks (GET_LOCK) belong to the connection: a reconnect loses
 * them.  Each returns 1 yes, 0 no, -1 on an error (db_error() says it).
 * db_lock_get waits up to wait_s seconds for another holder to let go;
 * db_lock_held says whether this connection holds name now;
 * db_lock_release lets go of it (0 when it was not ours).
 */
int db_lock_get(struct db *, const char *name, long wait_s);
int db_lock_held(struct db *, const char *name);
int db_lock_release(struct db *, const char *name);

const char *db_error(const struct db *);

#endif
