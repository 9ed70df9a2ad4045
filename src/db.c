/* db.c: see db.h. */
#include "util.h"
#include "compat.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <errmsg.h>
#include <mysql.h>
#include <mysqld_error.h>

#include "db.h"
#include "log.h"

#define DB_IO_TIMEOUT_S 30	/* a statement that takes longer is a lost server */

struct db_stmt_slot {
	const char *sql;
	MYSQL_STMT *stmt;
};

struct db {
	const struct qre_config *cfg;
	MYSQL *conn;
	struct db_stmt_slot stmts[DB_MAX_STMTS];
	size_t nstmts;
	long long last_attempt_ms;
	int last_fail_slow;	/* the last failed connect took its time */
	int used_before;	/* the connection served an earlier request */
	unsigned int request_stmts;
	char err[256];
};

struct db *
db_new(const struct qre_config *cfg)
{
	struct db *db;

	if ((db = calloc(1, sizeof(*db))) == NULL)
		return NULL;
	db->cfg = cfg;
	db->last_attempt_ms = -DB_RECONNECT_MS;
	return db;
}

/* Drop the connection and every statement prepared on it. */
static void
db_reset(struct db *db)
{
	for (size_t i = 0; i < db->nstmts; i++)
		mysql_stmt_close(db->stmts[i].stmt);
	db->nstmts = 0;
	if (db->conn != NULL)
		mysql_close(db->conn);
	db->conn = NULL;
	db->used_before = 0;
}

void
db_free(struct db *db)
{
	if (db == NULL)
		return;
	db_reset(db);
	free(db);
}

int
db_connected(const struct db *db)
{
	return db->conn != NULL;
}

const char *
db_error(const struct db *db)
{
	return db->err;
}

static int
is_connection_error(unsigned int e)
{
	switch (e) {
	case CR_CONNECTION_ERROR:
	case CR_CONN_HOST_ERROR:
	case CR_SERVER_GONE_ERROR:
	case CR_SERVER_LOST:
	case CR_SERVER_LOST_EXTENDED:
	case ER_CONNECTION_KILLED:
	case ER_SERVER_SHUTDOWN:
	case ER_QUERY_INTERRUPTED:
		return 1;
	}
	return 0;
}

enum db_rc
db_connect(struct db *db)
{
	const struct qre_config *cfg = db->cfg;
	unsigned int timeout = (unsigned int)cfg->db_connect_timeout;
	unsigned int io_timeout = DB_IO_TIMEOUT_S;
	long long now;

	if (db->conn != NULL)
		return DB_OK;
	/*
	 * While the server is down, do not wait for slow connects (a host
	 * that does not answer) on every request; a connect that is refused
	 * at once (a local socket) is tried again each time, so service
	 * comes back with the very next request on every worker.
	 */
	now = clock_ms(CLOCK_MONOTONIC);
	if (db->last_fail_slow && now - db->last_attempt_ms < DB_RECONNECT_MS)
		return DB_DOWN;
	db->last_attempt_ms = now;
	if ((db->conn = mysql_init(NULL)) == NULL) {
		snprintf(db->err, sizeof(db->err), "mysql_init: out of memory");
		return DB_DOWN;
	}
	mysql_options(db->conn, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	mysql_options(db->conn, MYSQL_OPT_READ_TIMEOUT, &io_timeout);
	mysql_options(db->conn, MYSQL_OPT_WRITE_TIMEOUT, &io_timeout);
	mysql_options(db->conn, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	if (mysql_real_connect(db->conn, cfg->db_socket[0] ? NULL : cfg->db_host,
	    cfg->db_user, cfg->db_password, cfg->db_name,
	    (unsigned int)cfg->db_port, cfg->db_socket[0] ? cfg->db_socket : NULL,
	    0) == NULL) {
		snprintf(db->err, sizeof(db->err), "connect: %s",
		    mysql_error(db->conn));
		mysql_close(db->conn);
		db->conn = NULL;
		db->last_fail_slow = clock_ms(CLOCK_MONOTONIC) - now >= DB_FAST_FAIL_MS;
		return DB_DOWN;
	}
	db->last_fail_slow = 0;
	db->used_before = 0;
	/*
	 * JSON_ARRAYAGG (a deleted code's scans as one event) is cut at
	 * group_concat_max_len, 1 MiB by default: allow a MEDIUMTEXT's worth.
	 */
	{
		static const char set_sql[] = "SET SESSION group_concat_max_len "
		    "= 16777216";

		if (db_exec_uncached(db, set_sql, sizeof(set_sql) - 1) != DB_OK)
			log_warn("database: %s", db->err);
	}
	return db->conn != NULL ? DB_OK : DB_DOWN;
}

void
db_request_begin(struct db *db)
{
	db->request_stmts = 0;
	if (db->conn != NULL)
		db->used_before = 1;
}

static MYSQL_STMT *
db_prepared(struct db *db, const char *sql, unsigned int *errnum)
{
	MYSQL_STMT *stmt;

	*errnum = 0;
	for (size_t i = 0; i < db->nstmts; i++)
		if (db->stmts[i].sql == sql)
			return db->stmts[i].stmt;
	if (db->nstmts == DB_MAX_STMTS) {
		snprintf(db->err, sizeof(db->err), "more than %d statements",
		    DB_MAX_STMTS);
		return NULL;
	}
	if ((stmt = mysql_stmt_init(db->conn)) == NULL) {
		*errnum = mysql_errno(db->conn);
		snprintf(db->err, sizeof(db->err), "stmt_init: %s",
		    mysql_error(db->conn));
		return NULL;
	}
	if (mysql_stmt_prepare(stmt, sql, strlen(sql)) != 0) {
		*errnum = mysql_stmt_errno(stmt);
		snprintf(db->err, sizeof(db->err), "prepare: %s: %.80s",
		    mysql_stmt_error(stmt), sql);
		mysql_stmt_close(stmt);
		return NULL;
	}
	db->stmts[db->nstmts].sql = sql;
	db->stmts[db->nstmts].stmt = stmt;
	db->nstmts++;
	return stmt;
}

static void
bind_args(MYSQL_BIND *b, const struct db_arg *args, size_t nargs,
    long long *ints, unsigned long *lens)
{
	memset(b, 0, sizeof(*b) * nargs);
	for (size_t i = 0; i < nargs; i++) {
		switch (args[i].type) {
		case DBA_INT:
			ints[i] = args[i].i;
			b[i].buffer_type = MYSQL_TYPE_LONGLONG;
			b[i].buffer = &ints[i];
			break;
		case DBA_TEXT:
		case DBA_BLOB:
			lens[i] = (unsigned long)args[i].len;
			b[i].buffer_type = args[i].type == DBA_TEXT ?
			    MYSQL_TYPE_STRING : MYSQL_TYPE_BLOB;
			b[i].buffer = (void *)(uintptr_t)args[i].p;
			b[i].buffer_length = lens[i];
			b[i].length = &lens[i];
			break;
		case DBA_NULL:
			b[i].buffer_type = MYSQL_TYPE_NULL;
			break;
		}
	}
}

static void
bind_cols(MYSQL_BIND *b, struct db_col *cols, size_t ncols)
{
	memset(b, 0, sizeof(*b) * ncols);
	for (size_t i = 0; i < ncols; i++) {
		struct db_col *c = &cols[i];

		b[i].is_null = &c->is_null;
		b[i].error = &c->truncated;
		b[i].length = &c->len;
		switch (c->type) {
		case DBC_INT:
			b[i].buffer_type = MYSQL_TYPE_LONGLONG;
			b[i].buffer = c->buf;
			break;
		case DBC_TEXT:
			b[i].buffer_type = MYSQL_TYPE_STRING;
			b[i].buffer = c->buf;
			b[i].buffer_length = c->size - 1;	/* room for NUL */
			break;
		case DBC_BLOB:
			b[i].buffer_type = MYSQL_TYPE_BLOB;
			b[i].buffer = c->buf;
			b[i].buffer_length = c->size;
			break;
		case DBC_TIME:
			b[i].buffer_type = MYSQL_TYPE_DATETIME;
			b[i].buffer = &c->tm;
			break;
		}
	}
}

/* One attempt; *errnum tells the caller whether the link failed. */
static enum db_rc
db_try(struct db *db, const char *sql, const struct db_arg *args, size_t nargs,
    struct db_col *cols, size_t ncols, struct db_result *res,
    unsigned int *errnum)
{
	MYSQL_BIND pb_small[DB_SMALL_ARGS], *pb = pb_small;
	long long ints_small[DB_SMALL_ARGS], *ints = ints_small;
	unsigned long lens_small[DB_SMALL_ARGS], *lens = lens_small;
	MYSQL_STMT *stmt;
	enum db_rc rc = DB_OK;

	if ((stmt = db_prepared(db, sql, errnum)) == NULL)
		return is_connection_error(*errnum) ? DB_DOWN : DB_ERROR;
	/* Batches bind hundreds of parameters: those arrays go on the heap. */
	if (nargs > DB_SMALL_ARGS &&
	    ((pb = malloc(nargs * sizeof(*pb))) == NULL ||
	    (ints = malloc(nargs * sizeof(*ints))) == NULL ||
	    (lens = malloc(nargs * sizeof(*lens))) == NULL)) {
		snprintf(db->err, sizeof(db->err), "out of memory");
		rc = DB_ERROR;
		goto done;
	}
	bind_args(pb, args, nargs, ints, lens);
	if ((nargs > 0 && mysql_stmt_bind_param(stmt, pb) != 0) ||
	    mysql_stmt_execute(stmt) != 0)
		goto fail;
	res->stmt = stmt;
	res->affected = mysql_stmt_affected_rows(stmt);
	res->insert_id = mysql_stmt_insert_id(stmt);
	if (ncols > 0) {
		bind_cols(res->binds, cols, ncols);
		if (mysql_stmt_bind_result(stmt, res->binds) != 0 ||
		    mysql_stmt_store_result(stmt) != 0)
			goto fail;
	}
	goto done;
fail:
	*errnum = mysql_stmt_errno(stmt);
	snprintf(db->err, sizeof(db->err), "%s (%u): %.80s",
	    mysql_stmt_error(stmt), *errnum, sql);
	mysql_stmt_free_result(stmt);
	mysql_stmt_reset(stmt);
	res->stmt = NULL;
	if (*errnum == ER_DUP_ENTRY)
		rc = DB_DUPLICATE;
	else
		rc = is_connection_error(*errnum) ? DB_DOWN : DB_ERROR;
done:
	if (pb != pb_small) {
		free(pb);
		if (ints != ints_small)
			free(ints);
		if (lens != lens_small)
			free(lens);
	}
	return rc;
}

enum db_rc
db_query(struct db *db, const char *sql, const struct db_arg *args,
    size_t nargs, struct db_col *cols, size_t ncols, struct db_result *res)
{
	unsigned int errnum = 0;
	enum db_rc rc;
	int first;

	memset(res, 0, sizeof(*res));
	res->db = db;
	res->cols = cols;
	res->ncols = ncols;
	if (nargs > DB_MAX_ARGS || ncols > DB_MAX_COLS) {
		snprintf(db->err, sizeof(db->err), "too many args or columns");
		return DB_ERROR;
	}
	first = db->request_stmts++ == 0;
	if (db_connect(db) != DB_OK)
		return DB_DOWN;
	rc = db_try(db, sql, args, nargs, cols, ncols, res, &errnum);
	if (rc == DB_DOWN) {
		int retry = first && db->used_before;

		log_warn("database: %s", db->err);
		db_reset(db);
		/*
		 * A connection that idled while the server restarted fails on
		 * its first statement; nothing of this request ran yet, so a
		 * fresh connection may run it.
		 */
		if (retry) {
			db->last_attempt_ms = -DB_RECONNECT_MS;
			if (db_connect(db) != DB_OK)
				return DB_DOWN;
			rc = db_try(db, sql, args, nargs, cols, ncols, res, &errnum);
			if (rc == DB_DOWN)
				db_reset(db);
		}
	} else if (rc == DB_ERROR)
		log_err("database: %s", db->err);
	return rc;
}

/* Name the skipped row by its first column (the id, by convention). */
static void
log_skipped_row(const struct db_result *res)
{
	const struct db_col *first = &res->cols[0];
	size_t col = 0;

	while (col < res->ncols && !res->cols[col].truncated)
		col++;
	if (first->type == DBC_INT && !first->is_null)
		log_err("database: skipped row %lld: column %zu is longer (%lu "
		    "bytes) than its buffer", *(const long long *)first->buf,
		    col, col < res->ncols ? res->cols[col].len : 0UL);
	else
		log_err("database: skipped a row: column %zu is longer than "
		    "its buffer", col);
}

int
db_fetch(struct db_result *res)
{
	int rc;

	if (res->stmt == NULL || res->ncols == 0)
		return 0;
	/*
	 * A row that does not fit its buffers is skipped and logged, never
	 * an error: one bad row must not make a whole listing fail.  Input
	 * limits keep such rows from being written; this is the backstop.
	 */
	while ((rc = mysql_stmt_fetch(res->stmt)) == MYSQL_DATA_TRUNCATED)
		log_skipped_row(res);
	if (rc == MYSQL_NO_DATA)
		return 0;
	if (rc != 0) {
		snprintf(res->db->err, sizeof(res->db->err), "fetch: %s",
		    mysql_stmt_error(res->stmt));
		log_err("database: %s", res->db->err);
		return -1;
	}
	for (size_t i = 0; i < res->ncols; i++) {
		struct db_col *c = &res->cols[i];

		switch (c->type) {
		case DBC_TEXT:
			((char *)c->buf)[c->is_null ? 0 : c->len] = '\0';
			break;
		case DBC_TIME: {
			struct tm tm = { 0 };

			tm.tm_year = (int)c->tm.year - 1900;
			tm.tm_mon = (int)c->tm.month - 1;
			tm.tm_mday = (int)c->tm.day;
			tm.tm_hour = (int)c->tm.hour;
			tm.tm_min = (int)c->tm.minute;
			tm.tm_sec = (int)c->tm.second;
			*(time_t *)c->buf = c->is_null ? 0 : timegm(&tm);
			break;
		}
		default:
			if (c->is_null && c->type == DBC_INT)
				*(long long *)c->buf = 0;
			break;
		}
	}
	return 1;
}

void
db_done(struct db_result *res)
{
	if (res->stmt != NULL) {
		mysql_stmt_free_result(res->stmt);
		res->stmt = NULL;
	}
}

enum db_rc
db_query_row(struct db *db, const char *sql, const struct db_arg *args,
    size_t nargs, struct db_col *cols, size_t ncols, int *found)
{
	struct db_result res;
	enum db_rc rc;
	int f;

	*found = 0;
	if ((rc = db_query(db, sql, args, nargs, cols, ncols, &res)) != DB_OK)
		return rc;
	f = db_fetch(&res);
	db_done(&res);
	if (f < 0)
		return DB_ERROR;
	*found = f;
	return DB_OK;
}

enum db_rc
db_exec(struct db *db, const char *sql, const struct db_arg *args,
    size_t nargs, unsigned long long *affected, unsigned long long *insert_id)
{
	struct db_result res;
	enum db_rc rc;

	rc = db_query(db, sql, args, nargs, NULL, 0, &res);
	if (rc == DB_OK) {
		if (affected != NULL)
			*affected = res.affected;
		if (insert_id != NULL)
			*insert_id = res.insert_id;
	}
	db_done(&res);
	return rc;
}

enum db_rc
db_exec_uncached(struct db *db, const char *sql, size_t len)
{
	MYSQL_STMT *stmt;
	unsigned int e;

	if (db_connect(db) != DB_OK)
		return DB_DOWN;
	if ((stmt = mysql_stmt_init(db->conn)) == NULL)
		return DB_DOWN;
	if (mysql_stmt_prepare(stmt, sql, (unsigned long)len) != 0 ||
	    mysql_stmt_execute(stmt) != 0) {
		e = mysql_stmt_errno(stmt);
		snprintf(db->err, sizeof(db->err), "%s (%u)",
		    mysql_stmt_error(stmt), e);
		mysql_stmt_close(stmt);
		if (is_connection_error(e)) {
			db_reset(db);
			return DB_DOWN;
		}
		return e == ER_DUP_ENTRY ? DB_DUPLICATE : DB_ERROR;
	}
	mysql_stmt_close(stmt);
	return DB_OK;
}

static enum db_rc
db_link_rc(struct db *db, int failed)
{
	unsigned int e;

	if (!failed)
		return DB_OK;
	e = mysql_errno(db->conn);
	snprintf(db->err, sizeof(db->err), "%s", mysql_error(db->conn));
	log_warn("database: %s", db->err);
	if (is_connection_error(e)) {
		db_reset(db);
		return DB_DOWN;
	}
	return DB_ERROR;
}

/* Transactions use the client API calls, not SQL text. */
enum db_rc
db_begin(struct db *db)
{
	db->request_stmts++;
	if (db_connect(db) != DB_OK)
		return DB_DOWN;
	return db_link_rc(db, mysql_autocommit(db->conn, 0) != 0);
}

enum db_rc
db_commit(struct db *db)
{
	enum db_rc rc;

	if (db->conn == NULL)
		return DB_DOWN;
	rc = db_link_rc(db, mysql_commit(db->conn) != 0);
	if (rc == DB_OK)
		rc = db_link_rc(db, mysql_autocommit(db->conn, 1) != 0);
	return rc;
}

void
db_rollback(struct db *db)
{
	if (db->conn == NULL)
		return;
	if (mysql_rollback(db->conn) != 0 || mysql_autocommit(db->conn, 1) != 0)
		db_link_rc(db, 1);
}

/* One integer from a lock function; NULL (an error there) counts as -1. */
static int
db_lock_ask(struct db *db, const char *sql, const struct db_arg *args,
    size_t nargs)
{
	long long v = -1;
	struct db_col cols[] = { DBC_I64(&v) };
	int found;

	if (db_query_row(db, sql, args, nargs, cols, 1, &found) != DB_OK ||
	    !found || v < 0)
		return -1;
	return v == 1;
}

int
db_lock_get(struct db *db, const char *name, long wait_s)
{
	static const char sql[] = "SELECT COALESCE(GET_LOCK(?, ?), -1)";
	struct db_arg args[] = { DBA_STR(name), DBA_I64(wait_s) };

	return db_lock_ask(db, sql, args, QRE_NELEM(args));
}

int
db_lock_held(struct db *db, const char *name)
{
	static const char sql[] =
	    "SELECT COALESCE(IS_USED_LOCK(?) = CONNECTION_ID(), 0)";
	struct db_arg args[] = { DBA_STR(name) };

	return db_lock_ask(db, sql, args, QRE_NELEM(args));
}

int
db_lock_release(struct db *db, const char *name)
{
	static const char sql[] = "SELECT COALESCE(RELEASE_LOCK(?), 0)";
	struct db_arg args[] = { DBA_STR(name) };

	return db_lock_ask(db, sql, args, QRE_NELEM(args));
}
