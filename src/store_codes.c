/* store_codes.c: see store_codes.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compat.h"
#include "store_accounts.h"
#include "store_codes.h"
#include "store_webhooks.h"

#define CODE_COLUMNS "id, account_id, public_id, name, kind, barcode_format, image_format, " \
	"data, is_dynamic, short_code, target_type, target, is_active, color, " \
	"background, size, ecc, margin, scans, created_at, updated_at"

/* Fetch buffers for one row, and the text columns to convert after it. */
struct code_fetch {
	struct code *c;
	char kind[16], format[8], target_type[8], ecc[4];
	long long is_dynamic, is_active, size, margin;
	struct db_col cols[21];
};

static void
fetch_init(struct code_fetch *f, struct code *c)
{
	struct db_col cols[] = {
		DBC_I64(&c->id),
		DBC_I64(&c->account_id),
		DBC_STR(c->public_id, sizeof(c->public_id)),
		DBC_STR(c->name, sizeof(c->name)),
		DBC_STR(f->kind, sizeof(f->kind)),
		DBC_STR(c->barcode_format, sizeof(c->barcode_format)),
		DBC_STR(f->format, sizeof(f->format)),
		DBC_STR(c->data, sizeof(c->data)),
		DBC_I64(&f->is_dynamic),
		DBC_STR(c->short_code, sizeof(c->short_code)),
		DBC_STR(f->target_type, sizeof(f->target_type)),
		DBC_STR(c->target, sizeof(c->target)),
		DBC_I64(&f->is_active),
		DBC_STR(c->style.color, sizeof(c->style.color)),
		DBC_STR(c->style.background, sizeof(c->style.background)),
		DBC_I64(&f->size),
		DBC_STR(f->ecc, sizeof(f->ecc)),
		DBC_I64(&f->margin),
		DBC_I64(&c->scans),
		DBC_TS(&c->created_at),
		DBC_TS(&c->updated_at),
	};

	memset(f, 0, sizeof(*f));
	f->c = c;
	memcpy(f->cols, cols, sizeof(cols));
}

static void
fetch_done(struct code_fetch *f)
{
	struct code *c = f->c;

	c->has_name = !f->cols[3].is_null;
	c->kind = strcmp(f->kind, "barcode") == 0 ? RENDER_BARCODE : RENDER_QR;
	c->format = strcmp(f->format, "svg") == 0 ? RENDER_SVG : RENDER_PNG;
	c->data_len = f->cols[7].len;
	c->is_dynamic = f->is_dynamic != 0;
	c->target_type = strcmp(f->target_type, "url") == 0 ? TARGET_URL :
	    strcmp(f->target_type, "text") == 0 ? TARGET_TEXT : TARGET_NONE;
	c->target_len = f->cols[11].is_null ? 0 : f->cols[11].len;
	c->is_active = f->is_active != 0;
	c->style.size = (int)f->size;
	c->style.ecc = f->ecc[0] ? f->ecc[0] : 'M';
	c->style.margin = f->cols[17].is_null ? RENDER_MARGIN_DEFAULT :
	    (int)f->margin;
	/* The listing's sort key: db.c leaves the fetched time in tm. */
	c->created_ms = (long long)c->created_at * 1000 +
	    (long long)(f->cols[19].tm.second_part / 1000);
}

static const char *
target_type_name(enum code_target t)
{
	return t == TARGET_URL ? "url" : t == TARGET_TEXT ? "text" : NULL;
}

int
code_changed(const struct code *a, const struct code *b)
{
	return a->has_name != b->has_name ||
	    (a->has_name && strcmp(a->name, b->name) != 0) ||
	    a->data_len != b->data_len ||
	    memcmp(a->data, b->data, a->data_len) != 0 ||
	    a->target_type != b->target_type ||
	    a->target_len != b->target_len ||
	    memcmp(a->target, b->target, a->target_len) != 0 ||
	    a->is_active != b->is_active;
}

/* Lock the account row, then count: the limit check is serialised. */
static enum db_rc
over_limit(struct db *db, long long account_id, enum plan plan, int dynamic,
    const char **over)
{
	static const char saved_sql[] =
	    "SELECT COUNT(*) FROM codes WHERE account_id = ?";
	static const char dynamic_sql[] = "SELECT COUNT(*) FROM codes "
	    "WHERE account_id = ? AND is_dynamic = 1";
	const struct plan_limits *pl = plan_limits(plan);
	struct db_arg args[] = { DBA_I64(account_id) };
	long long saved = 0, dyn = 0;
	struct db_col cols[] = { DBC_I64(&dyn) };
	enum db_rc rc;
	int found;

	*over = NULL;
	if (pl->saved == PLAN_UNLIMITED && pl->dynamic == PLAN_UNLIMITED)
		return DB_OK;
	if ((rc = account_lock_count(db, account_id, saved_sql, &saved)))
		return rc;
	if (pl->saved != PLAN_UNLIMITED && saved >= pl->saved) {
		*over = "saved";
		return DB_OK;
	}
	if (!dynamic || pl->dynamic == PLAN_UNLIMITED)
		return DB_OK;
	if ((rc = db_query_row(db, dynamic_sql, args, 1, cols, 1, &found)))
		return rc;
	if (dyn >= pl->dynamic)
		*over = "dynamic";
	return DB_OK;
}

/* The outbox row of a change, in the caller's transaction. */
static enum db_rc
add_event(struct db *db, long long account_id, const char *type,
    const char *event)
{
	if (event == NULL)
		return DB_OK;
	return event_add(db, account_id, type, event, strlen(event));
}

enum db_rc
code_insert(struct db *db, long long account_id, enum plan plan,
    struct code *c, const char **over, const char *event)
{
	static const char sql[] = "INSERT INTO codes (public_id, account_id, "
	    "name, kind, barcode_format, image_format, data, is_dynamic, "
	    "short_code, target_type, target, is_active, color, background, "
	    "size, ecc, margin, created_at, updated_at) VALUES (?, ?, ?, ?, ?, "
	    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(3), "
	    "UTC_TIMESTAMP(3))";
	const char *tt = target_type_name(c->target_type);
	char ecc[2] = { c->style.ecc, '\0' };
	struct db_arg args[] = {
		DBA_STR(c->public_id), DBA_I64(account_id),
		c->has_name ? DBA_STR(c->name) : DBA_NUL,
		DBA_STR(c->kind == RENDER_BARCODE ? "barcode" : "qr"),
		c->barcode_format[0] ? DBA_STR(c->barcode_format) : DBA_NUL,
		DBA_STR(c->format == RENDER_SVG ? "svg" : "png"),
		DBA_STRN(c->data, c->data_len), DBA_I64(c->is_dynamic),
		c->short_code[0] ? DBA_STR(c->short_code) : DBA_NUL,
		tt ? DBA_STR(tt) : DBA_NUL,
		c->is_dynamic ? DBA_STRN(c->target, c->target_len) : DBA_NUL,
		DBA_I64(c->is_active), DBA_STR(c->style.color),
		DBA_STR(c->style.background), DBA_I64(c->style.size),
		DBA_STR(ecc),
		c->style.margin == RENDER_MARGIN_DEFAULT ? DBA_NUL :
		    DBA_I64(c->style.margin),
	};
	unsigned long long id = 0;
	enum db_rc rc;

	if ((rc = db_begin(db)) != DB_OK)
		return rc;
	if ((rc = over_limit(db, account_id, plan, c->is_dynamic, over)) ||
	    *over != NULL)
		goto fail;
	if ((rc = db_exec(db, sql, args, QRE_NELEM(args), NULL, &id)) != DB_OK ||
	    (rc = add_event(db, account_id, "code.created", event)) != DB_OK)
		goto fail;
	if ((rc = db_commit(db)) != DB_OK)
		return rc;
	c->id = (long long)id;
	c->account_id = account_id;
	c->created_at = c->updated_at = time(NULL);
	return DB_OK;
fail:
	db_rollback(db);
	return rc;
}

/* One code by sql (selecting CODE_COLUMNS) into c. */
static enum db_rc
code_fetch_one(struct db *db, const char *sql, const struct db_arg *args,
    size_t nargs, struct code *c, int *found)
{
	struct code_fetch f;
	enum db_rc rc;

	fetch_init(&f, c);
	rc = db_query_row(db, sql, args, nargs, f.cols, QRE_NELEM(f.cols), found);
	if (rc == DB_OK && *found)
		fetch_done(&f);
	return rc;
}

enum db_rc
code_by_short(struct db *db, const char *short_code, struct code *c, int *found)
{
	static const char sql[] = "SELECT " CODE_COLUMNS " FROM codes "
	    "WHERE short_code = ? AND is_dynamic = 1";
	struct db_arg args[] = { DBA_STR(short_code) };

	return code_fetch_one(db, sql, args, QRE_NELEM(args), c, found);
}

enum db_rc
code_get(struct db *db, long long account_id, const char *public_id,
    struct code *c, int *found)
{
	static const char sql[] = "SELECT " CODE_COLUMNS " FROM codes "
	    "WHERE public_id = ? AND account_id = ?";
	struct db_arg args[] = { DBA_STR(public_id), DBA_I64(account_id) };

	return code_fetch_one(db, sql, args, QRE_NELEM(args), c, found);
}

static const char *
filter_kind(enum code_filter filter)
{
	return filter == CODES_QR ? "qr" : filter == CODES_BARCODE ?
	    "barcode" : "";
}

enum db_rc
code_count(struct db *db, long long account_id, enum code_filter filter,
    long long *total)
{
	static const char sql[] = "SELECT COUNT(*) FROM codes WHERE "
	    "account_id = ? AND (? = '' OR kind = ?)";
	const char *kind = filter_kind(filter);
	struct db_arg args[] = { DBA_I64(account_id), DBA_STR(kind),
	    DBA_STR(kind) };
	struct db_col cols[] = { DBC_I64(total) };
	int found;

	return db_query_row(db, sql, args, QRE_NELEM(args), cols, 1, &found);
}

#define DATETIME_BUF 32		/* "YYYY-MM-DD HH:MM:SS.mmm" and more */

/* The DATETIME(3) text of a time in Unix milliseconds (UTC); -1 if none. */
static int
ms_datetime(long long ms, char out[DATETIME_BUF])
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	size_t n;
	int m;

	if (ms < 0 || gmtime_r(&t, &tm) == NULL ||
	    (n = strftime(out, DATETIME_BUF, "%Y-%m-%d %H:%M:%S", &tm)) == 0)
		return -1;
	m = snprintf(out + n, DATETIME_BUF - n, ".%03lld", ms % 1000);
	return m < 0 || (size_t)m >= DATETIME_BUF - n ? -1 : 0;
}

/* Which statement of a listing: the first page, after a cursor, deeper. */
enum list_mode { LIST_FIRST, LIST_AFTER, LIST_DEEP, LIST_MODES };

enum db_rc
code_list(struct db *db, long long account_id, enum code_filter filter,
    const struct page_key *after, long long limit, long long offset,
    void (*each)(const struct code *, void *), void *arg)
{
	/*
	 * Per filter, its own index, read backwards: codes_account_created
	 * (account_id, created_at, id) or codes_account_kind (account_id,
	 * kind, created_at, id).  A cursor seeks to its key: FORCE INDEX
	 * makes that a range on every part, where MariaDB would otherwise
	 * read by account alone (ref) from the newest code down to the
	 * cursor.  A page by number counts the skipped codes in the index
	 * alone and reads only the page's rows (a deferred join).
	 */
	static const char all_sql[] = "SELECT " CODE_COLUMNS " FROM codes "
	    "WHERE account_id = ? ORDER BY created_at DESC, id DESC "
	    "LIMIT ? OFFSET ?";
	static const char all_after_sql[] = "SELECT " CODE_COLUMNS " FROM codes "
	    "FORCE INDEX (codes_account_created) WHERE account_id = ? AND "
	    "(created_at < ? OR (created_at = ? AND id < ?)) ORDER BY "
	    "created_at DESC, id DESC LIMIT ?";
	static const char all_deep_sql[] = "SELECT " CODE_COLUMNS " FROM codes "
	    "JOIN (SELECT id FROM codes FORCE INDEX (codes_account_created) "
	    "WHERE account_id = ? ORDER BY created_at DESC, id DESC LIMIT ? "
	    "OFFSET ?) k USING (id) ORDER BY created_at DESC, id DESC";
	static const char kind_sql[] = "SELECT " CODE_COLUMNS " FROM codes "
	    "WHERE account_id = ? AND kind = ? ORDER BY created_at DESC, "
	    "id DESC LIMIT ? OFFSET ?";
	static const char kind_after_sql[] = "SELECT " CODE_COLUMNS " FROM codes "
	    "FORCE INDEX (codes_account_kind) WHERE account_id = ? AND kind = ? "
	    "AND (created_at < ? OR (created_at = ? AND id < ?)) ORDER BY "
	    "created_at DESC, id DESC LIMIT ?";
	static const char kind_deep_sql[] = "SELECT " CODE_COLUMNS " FROM codes "
	    "JOIN (SELECT id FROM codes FORCE INDEX (codes_account_kind) WHERE "
	    "account_id = ? AND kind = ? ORDER BY created_at DESC, id DESC "
	    "LIMIT ? OFFSET ?) k USING (id) ORDER BY created_at DESC, id DESC";
	static const char *const sqls[2][LIST_MODES] = {
		{ all_sql, all_after_sql, all_deep_sql },
		{ kind_sql, kind_after_sql, kind_deep_sql },
	};
	enum list_mode mode = after != NULL ? LIST_AFTER : offset == 0 ?
	    LIST_FIRST : LIST_DEEP;
	int by_kind = filter != CODES_ALL;
	struct db_arg args[7];
	size_t nargs = 0;
	char at[DATETIME_BUF];
	struct db_result res;
	struct code_fetch f;
	struct code *c;
	enum db_rc rc;
	int got;

	args[nargs++] = DBA_I64(account_id);
	if (by_kind)
		args[nargs++] = DBA_STR(filter_kind(filter));
	if (mode == LIST_AFTER) {
		if (ms_datetime(after->at_ms, at) == -1)
			return DB_ERROR;
		args[nargs++] = DBA_STR(at);
		args[nargs++] = DBA_STR(at);
		args[nargs++] = DBA_I64(after->id);
		args[nargs++] = DBA_I64(limit);
	} else {
		args[nargs++] = DBA_I64(limit);
		args[nargs++] = DBA_I64(offset);
	}
	if ((c = malloc(sizeof(*c))) == NULL)
		return DB_ERROR;
	fetch_init(&f, c);
	rc = db_query(db, sqls[by_kind][mode], args, nargs, f.cols,
	    QRE_NELEM(f.cols), &res);
	if (rc == DB_OK) {
		while ((got = db_fetch(&res)) == 1) {
			fetch_done(&f);
			each(c, arg);
		}
		if (got < 0)
			rc = DB_ERROR;
		db_done(&res);
	}
	free(c);
	return rc;
}

enum db_rc
code_update(struct db *db, long long account_id, struct code *c,
    const char *event)
{
	static const char sql[] = "UPDATE codes SET name = ?, data = ?, "
	    "target_type = ?, target = ?, is_active = ?, "
	    "updated_at = UTC_TIMESTAMP(3) WHERE id = ? AND account_id = ?";
	const char *tt = target_type_name(c->target_type);
	struct db_arg args[] = {
		c->has_name ? DBA_STR(c->name) : DBA_NUL,
		DBA_STRN(c->data, c->data_len),
		tt ? DBA_STR(tt) : DBA_NUL,
		c->is_dynamic ? DBA_STRN(c->target, c->target_len) : DBA_NUL,
		DBA_I64(c->is_active), DBA_I64(c->id), DBA_I64(account_id),
	};
	enum db_rc rc;

	if ((rc = db_begin(db)) != DB_OK)
		return rc;
	if ((rc = db_exec(db, sql, args, QRE_NELEM(args), NULL, NULL)) != DB_OK ||
	    (rc = add_event(db, account_id, "code.updated", event)) != DB_OK) {
		db_rollback(db);
		return rc;
	}
	if ((rc = db_commit(db)) == DB_OK)
		c->updated_at = time(NULL);
	return rc;
}

static enum db_rc
code_scans_to_outbox(struct db *db, long long account_id, const char *public_id)
{
	static const char sql[] = "SELECT id FROM codes WHERE public_id = ? "
	    "AND account_id = ? AND is_dynamic = 1";
	struct db_arg args[] = { DBA_STR(public_id), DBA_I64(account_id) };
	long long id = 0;
	struct db_col cols[] = { DBC_I64(&id) };
	enum db_rc rc;
	int found;

	if ((rc = db_query_row(db, sql, args, 2, cols, 1, &found)) != DB_OK ||
	    !found)
		return rc;
	return event_add_code_scans(db, account_id, id);
}

enum db_rc
code_delete(struct db *db, long long account_id, const char *public_id,
    int *found, const char *event)
{
	static const char sql[] =
	    "DELETE FROM codes WHERE public_id = ? AND account_id = ?";
	struct db_arg args[] = { DBA_STR(public_id), DBA_I64(account_id) };
	unsigned long long n = 0;
	enum db_rc rc;

	*found = 0;
	if ((rc = db_begin(db)) != DB_OK)
		return rc;
	/* Its scans go with it: those no endpoint has had yet stay as events. */
	if ((rc = code_scans_to_outbox(db, account_id, public_id)) != DB_OK ||
	    (rc = db_exec(db, sql, args, QRE_NELEM(args), &n, NULL)) != DB_OK ||
	    (n > 0 && (rc = add_event(db, account_id, "code.deleted",
	    event)) != DB_OK)) {
		db_rollback(db);
		return rc;
	}
	if ((rc = db_commit(db)) == DB_OK)
		*found = n > 0;
	return rc;
}
