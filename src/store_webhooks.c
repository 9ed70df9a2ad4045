/* store_webhooks.c: see store_webhooks.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "random.h"
#include "store_accounts.h"
#include "store_webhooks.h"

#define DELIVERY_BODY_MAX (16 * 1024 * 1024)	/* MEDIUMTEXT: any body */
#define EVENT_PAYLOAD_MAX (16 * 1024 * 1024)	/* MEDIUMTEXT: any payload */
#define CODE_SCANS_EVENT_MAX "20000"	/* scans of a deleted code kept as events */
/*
 * Events younger than this are left for the next poll: an auto-increment
 * id is taken at insert but seen at commit, so a slower transaction may
 * still commit a smaller id than one already read.  (Scans get the same
 * care from qre-webhooks' watermark: their time is the scan's, not the
 * insert's.)
 */
#define SETTLE_SQL "UTC_TIMESTAMP(3) - INTERVAL 2 SECOND"

#define WEBHOOK_COLUMNS "id, public_id, account_id, url, events, secret, " \
	"COALESCE(previous_secret, ''), previous_secret_until, is_active, " \
	"COALESCE(disabled_reason, ''), failing_since, event_cursor, " \
	"scan_cursor, created_at, updated_at"

struct webhook_fetch {
	long long active;
	struct db_col cols[15];
};

static void
webhook_cols(struct webhook_fetch *f, struct webhook *w)
{
	struct db_col cols[] = {
		DBC_I64(&w->id), DBC_STR(w->public_id, sizeof(w->public_id)),
		DBC_I64(&w->account_id), DBC_STR(w->url, sizeof(w->url)),
		DBC_STR(w->events, sizeof(w->events)),
		DBC_STR(w->secret, sizeof(w->secret)),
		DBC_STR(w->previous_secret, sizeof(w->previous_secret)),
		DBC_TS(&w->previous_until), DBC_I64(&f->active),
		DBC_STR(w->disabled_reason, sizeof(w->disabled_reason)),
		DBC_TS(&w->failing_since), DBC_I64(&w->event_cursor),
		DBC_I64(&w->scan_cursor), DBC_TS(&w->created_at),
		DBC_TS(&w->updated_at),
	};

	memset(w, 0, sizeof(*w));
	memcpy(f->cols, cols, sizeof(cols));
}

enum db_rc
webhook_insert(struct db *db, struct webhook *w, int *full)
{
	static const char count_sql[] =
	    "SELECT COUNT(*) FROM webhooks WHERE account_id = ?";
	static const char sql[] = "INSERT INTO webhooks (public_id, "
	    "account_id, url, events, secret, is_active, event_cursor, "
	    "scan_cursor, created_at, updated_at) SELECT ?, ?, ?, ?, ?, 1, "
	    "(SELECT COALESCE(MAX(id), 0) FROM events), "
	    "(SELECT COALESCE(MAX(id), 0) FROM scans), UTC_TIMESTAMP(3), "
	    "UTC_TIMESTAMP(3)";
	struct db_arg args[] = { DBA_STR(w->public_id), DBA_I64(w->account_id),
	    DBA_STR(w->url), DBA_STR(w->events), DBA_STR(w->secret) };
	long long n = 0;
	unsigned long long id = 0;
	enum db_rc rc;

	*full = 0;
	if ((rc = db_begin(db)) != DB_OK)
		return rc;
	if ((rc = account_lock_count(db, w->account_id, count_sql, &n)) != DB_OK)
		goto fail;
	if (n >= WEBHOOKS_PER_ACCOUNT) {
		*full = 1;
		goto fail;
	}
	if ((rc = db_exec(db, sql, args, QRE_NELEM(args), NULL, &id)) != DB_OK ||
	    (rc = db_commit(db)) != DB_OK)
		goto fail;
	w->id = (long long)id;
	w->is_active = 1;
	w->created_at = w->updated_at = time(NULL);
	return DB_OK;
fail:
	db_rollback(db);
	return rc;
}

enum db_rc
webhook_get(struct db *db, long long account_id, const char *public_id,
    struct webhook *w, int *found)
{
	static const char sql[] = "SELECT " WEBHOOK_COLUMNS " FROM webhooks "
	    "WHERE public_id = ? AND account_id = ?";
	struct db_arg args[] = { DBA_STR(public_id), DBA_I64(account_id) };
	struct webhook_fetch f;
	enum db_rc rc;

	webhook_cols(&f, w);
	rc = db_query_row(db, sql, args, 2, f.cols, QRE_NELEM(f.cols), found);
	w->is_active = f.active != 0;
	return rc;
}

enum db_rc
webhook_list(struct db *db, long long account_id,
    void (*each)(const struct webhook *, void *), void *arg)
{
	/* The sender's list: active endpoints, and any with a test ping. */
	static const char sql[] = "SELECT " WEBHOOK_COLUMNS " FROM webhooks "
	    "WHERE (? = 0 AND (is_active = 1 OR EXISTS (SELECT 1 FROM "
	    "deliveries d WHERE d.webhook_id = webhooks.id AND d.status = "
	    "'pending' AND d.event = 'ping'))) OR account_id = ? ORDER BY id";
	struct db_arg args[] = { DBA_I64(account_id), DBA_I64(account_id) };
	struct webhook_fetch f;
	struct db_result res;
	struct webhook *w;
	enum db_rc rc;
	int got;

	if ((w = malloc(sizeof(*w))) == NULL)
		return DB_ERROR;
	webhook_cols(&f, w);
	if ((rc = db_query(db, sql, args, 2, f.cols, QRE_NELEM(f.cols),
	    &res)) == DB_OK) {
		while ((got = db_fetch(&res)) == 1) {
			w->is_active = f.active != 0;
			each(w, arg);
		}
		if (got < 0)
			rc = DB_ERROR;
		db_done(&res);
	}
	free(w);
	return rc;
}

enum db_rc
webhook_update(struct db *db, const struct webhook *w)
{
	static const char sql[] = "UPDATE webhooks SET url = ?, events = ?, "
	    "secret = ?, previous_secret = ?, previous_secret_until = "
	    "('1970-01-01' + INTERVAL ? SECOND), is_active = ?, disabled_reason = ?, "
	    "failing_since = IF(? = 0, NULL, ('1970-01-01' + INTERVAL ? SECOND)), "
	    "updated_at = UTC_TIMESTAMP(3) WHERE id = ?";
	struct db_arg args[] = {
		DBA_STR(w->url), DBA_STR(w->events), DBA_STR(w->secret),
		w->previous_secret[0] ? DBA_STR(w->previous_secret) : DBA_NUL,
		w->previous_secret[0] ? DBA_I64(w->previous_until) : DBA_NUL,
		DBA_I64(w->is_active),
		w->disabled_reason[0] ? DBA_STR(w->disabled_reason) : DBA_NUL,
		DBA_I64(w->failing_since), DBA_I64(w->failing_since),
		DBA_I64(w->id),
	};

	return db_exec(db, sql, args, QRE_NELEM(args), NULL, NULL);
}

enum db_rc
webhook_set_health(struct db *db, long long webhook_id, int is_active,
    const char *disabled_reason, time_t failing_since)
{
	static const char sql[] = "UPDATE webhooks SET is_active = is_active "
	    "AND ?, disabled_reason = IF(? = 0, ?, disabled_reason), "
	    "failing_since = IF(? = 0, NULL, COALESCE(failing_since, "
	    "'1970-01-01' + INTERVAL ? SECOND)), updated_at = UTC_TIMESTAMP(3) "
	    "WHERE id = ?";
	struct db_arg args[] = { DBA_I64(is_active), DBA_I64(is_active),
	    disabled_reason && *disabled_reason ? DBA_STR(disabled_reason) :
	    DBA_NUL, DBA_I64(failing_since), DBA_I64(failing_since),
	    DBA_I64(webhook_id) };

	return db_exec(db, sql, args, QRE_NELEM(args), NULL, NULL);
}

enum db_rc
webhook_scans_from_now(struct db *db, long long webhook_id)
{
	static const char sql[] = "UPDATE webhooks SET scan_cursor = "
	    "(SELECT COALESCE(MAX(id), 0) FROM scans) WHERE id = ?";
	struct db_arg args[] = { DBA_I64(webhook_id) };

	return db_exec(db, sql, args, 1, NULL, NULL);
}

enum db_rc
webhook_delete(struct db *db, long long account_id, const char *public_id,
    int *found)
{
	static const char sql[] =
	    "DELETE FROM webhooks WHERE public_id = ? AND account_id = ?";
	struct db_arg args[] = { DBA_STR(public_id), DBA_I64(account_id) };
	unsigned long long n = 0;
	enum db_rc rc;

	rc = db_exec(db, sql, args, 2, &n, NULL);
	*found = n > 0;
	return rc;
}

enum db_rc
event_add(struct db *db, long long account_id, const char *type,
    const char *payload, size_t len)
{
	/* Nobody listens: nothing to keep (a new endpoint starts from now). */
	static const char sql[] = "INSERT INTO events (account_id, type, "
	    "payload, created_at) SELECT ?, ?, ?, UTC_TIMESTAMP(3) FROM DUAL "
	    "WHERE EXISTS (SELECT 1 FROM webhooks WHERE account_id = ? AND "
	    "FIND_IN_SET(?, events))";
	struct db_arg args[] = { DBA_I64(account_id), DBA_STR(type),
	    DBA_STRN(payload, len), DBA_I64(account_id), DBA_STR(type) };

	return db_exec(db, sql, args, QRE_NELEM(args), NULL, NULL);
}

enum db_rc
event_add_code_scans(struct db *db, long long account_id, long long code_id)
{
	/*
	 * Lock the account's scan endpoints first: their cursors cannot move
	 * until this commits (webhook_package() locks its endpoint's row), so
	 * the cursors written here say exactly which of these scans each
	 * endpoint has had.  Scans past an endpoint's cursor are no longer in
	 * "scans" for it to read: this event is their only way out.
	 */
	static const char lock_sql[] = "SELECT id FROM webhooks WHERE "
	    "account_id = ? AND FIND_IN_SET('scan', events) LOCK IN SHARE MODE";
	/* The item shape of a scan delivery, plus "id" for the cursor test. */
	static const char sql[] = "INSERT INTO events (account_id, type, "
	    "payload, created_at) SELECT ?, 'scan', JSON_OBJECT('cursors', "
	    "(SELECT JSON_OBJECTAGG(CAST(w.id AS CHAR), w.scan_cursor) FROM "
	    "webhooks w WHERE w.account_id = ? AND FIND_IN_SET('scan', "
	    "w.events)), 'items', JSON_ARRAYAGG(JSON_OBJECT("
	    "'id', t.id, 'code', JSON_OBJECT('id', t.public_id, 'shortCode', "
	    "t.short_code), 'scan', JSON_OBJECT('timestamp', CONCAT(LEFT("
	    "DATE_FORMAT(t.scanned_at, '%Y-%m-%dT%H:%i:%s.%f'), 23), 'Z'), "
	    "'country', t.country, 'city', "
	    "t.city, 'device', t.device, 'os', t.os, 'browser', t.browser, "
	    "'referrer', t.referrer)))), UTC_TIMESTAMP(3) FROM (SELECT s.*, "
	    "c.public_id, c.short_code FROM scans s JOIN codes c ON c.id = "
	    "s.code_id WHERE s.code_id = ? AND s.is_bot = 0 AND s.id > "
	    "(SELECT COALESCE(MIN(scan_cursor), 0) FROM webhooks WHERE "
	    "account_id = ? AND FIND_IN_SET('scan', events)) ORDER BY s.id "
	    "LIMIT " CODE_SCANS_EVENT_MAX ") t HAVING COUNT(*) > 0";
	struct db_arg lock_args[] = { DBA_I64(account_id) };
	struct db_arg args[] = { DBA_I64(account_id), DBA_I64(account_id),
	    DBA_I64(code_id), DBA_I64(account_id) };
	long long id;
	struct db_col cols[] = { DBC_I64(&id) };
	struct db_result res;
	enum db_rc rc;
	int got;

	if ((rc = db_query(db, lock_sql, lock_args, 1, cols, 1, &res)) != DB_OK)
		return rc;
	while ((got = db_fetch(&res)) == 1)
		;
	db_done(&res);
	if (got < 0)
		return DB_ERROR;
	return db_exec(db, sql, args, QRE_NELEM(args), NULL, NULL);
}

enum db_rc
webhook_lock(struct db *db, long long webhook_id)
{
	static const char sql[] = "SELECT id FROM webhooks WHERE id = ? "
	    "FOR UPDATE";
	struct db_arg args[] = { DBA_I64(webhook_id) };
	long long id;
	struct db_col cols[] = { DBC_I64(&id) };
	int found;

	return db_query_row(db, sql, args, 1, cols, 1, &found);
}

enum db_rc
events_after(struct db *db, long long account_id, long long cursor,
    long long limit, void (*each)(const struct event_row *, void *), void *arg)
{
	static const char sql[] = "SELECT id, type, payload, TIMESTAMPDIFF("
	    "MICROSECOND, '1970-01-01 00:00:00', created_at) DIV 1000 FROM "
	    "events WHERE account_id = ? AND id > ? AND created_at < "
	    SETTLE_SQL " ORDER BY id LIMIT ?";
	struct db_arg args[] = { DBA_I64(account_id), DBA_I64(cursor),
	    DBA_I64(limit) };
	struct event_row row;
	char *buf;
	struct db_col cols[4];
	struct db_result res;
	enum db_rc rc;
	int got;

	if ((buf = malloc(EVENT_PAYLOAD_MAX + 1)) == NULL)
		return DB_ERROR;
	cols[0] = (struct db_col)DBC_I64(&row.id);
	cols[1] = (struct db_col)DBC_STR(row.type, sizeof(row.type));
	cols[2] = (struct db_col)DBC_STR(buf, EVENT_PAYLOAD_MAX + 1);
	cols[3] = (struct db_col)DBC_I64(&row.created_ms);
	if ((rc = db_query(db, sql, args, 3, cols, 4, &res)) == DB_OK) {
		while ((got = db_fetch(&res)) == 1) {
			row.payload = buf;
			row.len = cols[2].len;
			each(&row, arg);
		}
		if (got < 0)
			rc = DB_ERROR;
		db_done(&res);
	}
	free(buf);
	return rc;
}

enum db_rc
scan_events_after(struct db *db, long long account_id, long long cursor,
    long long upto, long long limit, void (*each)(const struct scan_event_row *, void *),
    void *arg)
{
	/*
	 * Bots come too, so that the cursor moves past them; callers skip
	 * them.  Read forward along the primary key from the cursor (which
	 * the sender keeps near the newest scan): driven from the account's
	 * codes instead, the server would read every scan those codes ever
	 * had and sort them.
	 */
	static const char sql[] = "SELECT STRAIGHT_JOIN s.id, c.public_id, "
	    "c.short_code, "
	    "TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', s.scanned_at) "
	    "DIV 1000, s.country, s.city, s.device, s.os, s.browser, "
	    "s.referrer, s.is_bot FROM scans s FORCE INDEX (PRIMARY) "
	    "JOIN codes c ON c.id = "
	    "s.code_id WHERE s.id > ? AND s.id <= ? AND c.account_id = ? "
	    "ORDER BY s.id LIMIT ?";
	struct db_arg args[] = { DBA_I64(cursor), DBA_I64(upto),
	    DBA_I64(account_id), DBA_I64(limit) };
	struct scan_event_row *row;
	long long bot;
	struct db_col cols[11];
	struct db_result res;
	enum db_rc rc;
	int got;

	if ((row = malloc(sizeof(*row))) == NULL)
		return DB_ERROR;
	cols[0] = (struct db_col)DBC_I64(&row->id);
	cols[1] = (struct db_col)DBC_STR(row->public_id, sizeof(row->public_id));
	cols[2] = (struct db_col)DBC_STR(row->short_code, sizeof(row->short_code));
	cols[3] = (struct db_col)DBC_I64(&row->scan.at_ms);
	cols[4] = (struct db_col)DBC_STR(row->scan.country, sizeof(row->scan.country));
	cols[5] = (struct db_col)DBC_STR(row->scan.city, sizeof(row->scan.city));
	cols[6] = (struct db_col)DBC_STR(row->scan.device, sizeof(row->scan.device));
	cols[7] = (struct db_col)DBC_STR(row->scan.os, sizeof(row->scan.os));
	cols[8] = (struct db_col)DBC_STR(row->scan.browser, sizeof(row->scan.browser));
	cols[9] = (struct db_col)DBC_STR(row->scan.referrer, sizeof(row->scan.referrer));
	cols[10] = (struct db_col)DBC_I64(&bot);
	if ((rc = db_query(db, sql, args, 4, cols, 11, &res)) == DB_OK) {
		while ((got = db_fetch(&res)) == 1) {
			row->scan.has_country = !cols[4].is_null && row->scan.country[0];
			row->scan.has_city = !cols[5].is_null;
			row->scan.has_os = !cols[7].is_null;
			row->scan.has_browser = !cols[8].is_null;
			row->scan.has_referrer = !cols[9].is_null;
			row->scan.is_bot = bot != 0;
			each(row, arg);
		}
		if (got < 0)
			rc = DB_ERROR;
		db_done(&res);
	}
	free(row);
	return rc;
}

enum db_rc
scans_max_id(struct db *db, long long *max_id)
{
	static const char sql[] = "SELECT COALESCE(MAX(id), 0) FROM scans";
	struct db_col cols[] = { DBC_I64(max_id) };
	int found;

	return db_query_row(db, sql, NULL, 0, cols, 1, &found);
}

enum db_rc
deliveries_due_now(struct db *db, long long webhook_id)
{
	static const char sql[] = "UPDATE deliveries SET next_attempt_at = "
	    "UTC_TIMESTAMP(3) WHERE webhook_id = ? AND status = 'pending'";
	struct db_arg args[] = { DBA_I64(webhook_id) };

	return db_exec(db, sql, args, 1, NULL, NULL);
}

enum db_rc
delivery_insert(struct db *db, long long webhook_id, const char *event,
    long long items, const char *body, size_t len, const char *status,
    struct delivery *out)
{
	static const char sql[] = "INSERT INTO deliveries (public_id, "
	    "webhook_id, event, items, body, status, attempts, "
	    "next_attempt_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, "
	    "?, 0, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))";
	struct db_arg args[6];
	unsigned long long id = 0;
	enum db_rc rc;

	memset(out, 0, sizeof(*out));
	if (random_base62(out->public_id, CODE_ID_LEN) == -1)
		return DB_ERROR;
	args[0] = DBA_STR(out->public_id);
	args[1] = DBA_I64(webhook_id);
	args[2] = DBA_STR(event);
	args[3] = DBA_I64(items);
	args[4] = DBA_STRN(body, len);
	args[5] = DBA_STR(status);
	rc = db_exec(db, sql, args, 6, NULL, &id);
	out->id = (long long)id;
	out->webhook_id = webhook_id;
	strlcpy(out->event, event, sizeof(out->event));
	out->items = items;
	strlcpy(out->status, status, sizeof(out->status));
	out->created_at = out->next_attempt_at = time(NULL);
	return rc;
}

enum db_rc
webhook_set_cursors(struct db *db, long long webhook_id, long long event_cursor,
    long long scan_cursor)
{
	static const char sql[] = "UPDATE webhooks SET event_cursor = ?, "
	    "scan_cursor = ? WHERE id = ?";
	struct db_arg args[] = { DBA_I64(event_cursor), DBA_I64(scan_cursor),
	    DBA_I64(webhook_id) };

	return db_exec(db, sql, args, 3, NULL, NULL);
}

enum db_rc
deliveries_pending(struct db *db, long long webhook_id, long long *count)
{
	static const char sql[] = "SELECT COUNT(*) FROM deliveries WHERE "
	    "webhook_id = ? AND status = 'pending'";
	struct db_arg args[] = { DBA_I64(webhook_id) };
	struct db_col cols[] = { DBC_I64(count) };
	int found;

	return db_query_row(db, sql, args, 1, cols, 1, &found);
}

void
delivery_free_body(struct delivery *d)
{
	free(d->body);
	d->body = NULL;
}

enum db_rc
delivery_head(struct db *db, long long webhook_id, int pings_only,
    struct delivery *d, int *found)
{
	static const char sql[] = "SELECT id, public_id, webhook_id, event, "
	    "items, body, status, attempts, next_attempt_at, created_at, "
	    "COALESCE(last_code, 0), COALESCE(last_error, '') FROM deliveries "
	    "WHERE webhook_id = ? AND status = 'pending' AND (? = 0 OR event = "
	    "'ping') ORDER BY event = 'ping' DESC, id LIMIT 1";
	struct db_arg args[] = { DBA_I64(webhook_id), DBA_I64(pings_only) };
	struct db_col cols[12];
	enum db_rc rc;

	memset(d, 0, sizeof(*d));
	if ((d->body = malloc(DELIVERY_BODY_MAX + 1)) == NULL)
		return DB_ERROR;
	cols[0] = (struct db_col)DBC_I64(&d->id);
	cols[1] = (struct db_col)DBC_STR(d->public_id, sizeof(d->public_id));
	cols[2] = (struct db_col)DBC_I64(&d->webhook_id);
	cols[3] = (struct db_col)DBC_STR(d->event, sizeof(d->event));
	cols[4] = (struct db_col)DBC_I64(&d->items);
	cols[5] = (struct db_col)DBC_STR(d->body, DELIVERY_BODY_MAX + 1);
	cols[6] = (struct db_col)DBC_STR(d->status, sizeof(d->status));
	cols[7] = (struct db_col)DBC_I64(&d->attempts);
	cols[8] = (struct db_col)DBC_TS(&d->next_attempt_at);
	cols[9] = (struct db_col)DBC_TS(&d->created_at);
	cols[10] = (struct db_col)DBC_I64(&d->last_code);
	cols[11] = (struct db_col)DBC_STR(d->last_error, sizeof(d->last_error));
	rc = db_query_row(db, sql, args, 2, cols, 12, found);
	d->body_len = cols[5].len;
	if (rc != DB_OK || !*found)
		delivery_free_body(d);
	return rc;
}

enum db_rc
delivery_get(struct db *db, long long webhook_id, const char *public_id,
    struct delivery_state *st, int *found)
{
	static const char sql[] = "SELECT d.public_id, d.event, d.status, "
	    "d.attempts, COALESCE(d.last_code, 0), COALESCE(d.last_error, ''), "
	    "COALESCE(d.last_duration_ms, (SELECT a.duration_ms FROM "
	    "delivery_attempts a WHERE a.delivery_id = d.id ORDER BY a.id DESC "
	    "LIMIT 1), -1), "
	    "d.created_at FROM deliveries d WHERE d.webhook_id = ? AND "
	    "d.public_id = ?";
	struct db_arg args[] = { DBA_I64(webhook_id), DBA_STR(public_id) };
	struct db_col cols[] = {
		DBC_STR(st->public_id, sizeof(st->public_id)),
		DBC_STR(st->event, sizeof(st->event)),
		DBC_STR(st->status, sizeof(st->status)),
		DBC_I64(&st->attempts),
		DBC_I64(&st->last_code),
		DBC_STR(st->last_error, sizeof(st->last_error)),
		DBC_I64(&st->duration_ms),
		DBC_TS(&st->created_at),
	};

	memset(st, 0, sizeof(*st));
	return db_query_row(db, sql, args, QRE_NELEM(args), cols,
	    QRE_NELEM(cols), found);
}

enum db_rc
deliveries_acknowledged(struct db *db, const struct delivery_ack *acks,
    size_t n)
{
	/*
	 * One statement for every delivery, so a single packet makes them
	 * all durable: [[id, code, ms], ...] as JSON, unpacked by JSON_TABLE.
	 */
	static const char sql[] = "UPDATE deliveries d JOIN JSON_TABLE(?, "
	    "'$[*]' COLUMNS (id BIGINT PATH '$[0]', code INT PATH '$[1]', "
	    "ms INT PATH '$[2]')) j ON d.id = j.id SET d.status = 'delivered', "
	    "d.attempts = d.attempts + 1, d.last_code = j.code, "
	    "d.last_duration_ms = j.ms, d.last_error = NULL, "
	    "d.delivered_at = UTC_TIMESTAMP(3), d.updated_at = UTC_TIMESTAMP(3) "
	    "WHERE d.status = 'pending'";
	char *list, *p;
	size_t cap = n * 64 + 3;
	struct db_arg args[1];
	enum db_rc rc;

	if (n == 0)
		return DB_OK;
	if ((list = malloc(cap)) == NULL)
		return DB_ERROR;
	p = list;
	*p++ = '[';
	for (size_t i = 0; i < n; i++) {
		int w = snprintf(p, cap - (size_t)(p - list), "%s[%lld,%lld,%lld]",
		    i ? "," : "", acks[i].id, acks[i].code, acks[i].duration_ms);

		if (w < 0 || (size_t)w >= cap - (size_t)(p - list)) {
			free(list);
			return DB_ERROR;
		}
		p += w;
	}
	*p++ = ']';
	args[0] = DBA_STRN(list, (size_t)(p - list));
	rc = db_exec(db, sql, args, 1, NULL, NULL);
	free(list);
	return rc;
}

enum db_rc
delivery_attempt_log(struct db *db, const struct delivery *d,
    long long response_code, const char *error, long long duration_ms)
{
	/* webhook_id: the deliveries log's key (schema/006). */
	static const char sql[] = "INSERT INTO delivery_attempts "
	    "(delivery_id, webhook_id, attempted_at, response_code, error, "
	    "duration_ms) VALUES (?, ?, UTC_TIMESTAMP(3), ?, ?, ?)";
	struct db_arg args[] = { DBA_I64(d->id), DBA_I64(d->webhook_id),
	    response_code > 0 ? DBA_I64(response_code) : DBA_NUL,
	    error && *error ? DBA_STR(error) : DBA_NUL, DBA_I64(duration_ms) };

	return db_exec(db, sql, args, QRE_NELEM(args), NULL, NULL);
}

enum db_rc
delivery_attempted(struct db *db, const struct delivery *d, const char *status,
    time_t next_attempt_at, long long response_code, const char *error,
    long long duration_ms)
{
	static const char sql[] = "UPDATE deliveries SET status = ?, "
	    "attempts = attempts + 1, next_attempt_at = ('1970-01-01' + INTERVAL ? SECOND), "
	    "last_code = ?, last_duration_ms = ?, last_error = ?, "
	    "updated_at = UTC_TIMESTAMP(3), "
	    "delivered_at = IF(? = 'delivered', UTC_TIMESTAMP(3), NULL) "
	    "WHERE id = ?";
	struct db_arg args[] = { DBA_STR(status), DBA_I64(next_attempt_at),
	    response_code > 0 ? DBA_I64(response_code) : DBA_NUL,
	    DBA_I64(duration_ms),
	    error && *error ? DBA_STR(error) : DBA_NUL, DBA_STR(status),
	    DBA_I64(d->id) };
	enum db_rc rc;

	/*
	 * The log row first: whoever sees the attempt counted sees its row.
	 * (An acknowledgement is made durable before this, in one statement,
	 * by deliveries_acknowledged().)
	 */
	if ((rc = delivery_attempt_log(db, d, response_code, error,
	    duration_ms)) != DB_OK)
		return rc;
	return db_exec(db, sql, args, QRE_NELEM(args), NULL, NULL);
}

enum db_rc
delivery_attempts_list(struct db *db, long long webhook_id,
    const struct page_key *after, long long limit, long long offset,
    void (*each)(const struct attempt_row *, void *), void *arg)
{
	/*
	 * All three read attempts_webhook (webhook_id, id) backwards,
	 * newest first.  A cursor seeks to its id: FORCE INDEX makes that
	 * a range on both parts, where MariaDB would otherwise read by
	 * webhook_id alone (ref) from the newest attempt down to the
	 * cursor.  A page by number counts the skipped attempts in the
	 * index alone and reads only the page's rows (a deferred join).
	 */
	static const char first_sql[] = "SELECT a.id, d.public_id, d.event, "
	    "d.status, d.items, d.attempts, a.attempted_at, "
	    "COALESCE(a.response_code, -1), COALESCE(a.error, ''), "
	    "a.duration_ms FROM delivery_attempts a JOIN deliveries d ON "
	    "d.id = a.delivery_id WHERE a.webhook_id = ? ORDER BY a.id DESC "
	    "LIMIT ?";
	static const char after_sql[] = "SELECT a.id, d.public_id, d.event, "
	    "d.status, d.items, d.attempts, a.attempted_at, "
	    "COALESCE(a.response_code, -1), COALESCE(a.error, ''), "
	    "a.duration_ms FROM delivery_attempts a FORCE INDEX "
	    "(attempts_webhook) JOIN deliveries d ON d.id = a.delivery_id "
	    "WHERE a.webhook_id = ? AND a.id < ? ORDER BY a.id DESC LIMIT ?";
	static const char deep_sql[] = "SELECT a.id, d.public_id, d.event, "
	    "d.status, d.items, d.attempts, a.attempted_at, "
	    "COALESCE(a.response_code, -1), COALESCE(a.error, ''), "
	    "a.duration_ms FROM delivery_attempts a JOIN (SELECT id FROM "
	    "delivery_attempts FORCE INDEX (attempts_webhook) WHERE "
	    "webhook_id = ? ORDER BY id DESC LIMIT ? OFFSET ?) k USING (id) "
	    "JOIN deliveries d ON d.id = a.delivery_id ORDER BY a.id DESC";
	struct db_arg args[3];
	size_t nargs = 0;
	const char *sql;
	struct attempt_row row;
	struct db_col cols[] = {
		DBC_I64(&row.id),
		DBC_STR(row.delivery_id, sizeof(row.delivery_id)),
		DBC_STR(row.event, sizeof(row.event)),
		DBC_STR(row.status, sizeof(row.status)),
		DBC_I64(&row.items), DBC_I64(&row.attempts),
		DBC_TS(&row.attempted_at), DBC_I64(&row.response_code),
		DBC_STR(row.error, sizeof(row.error)), DBC_I64(&row.duration_ms),
	};
	struct db_result res;
	enum db_rc rc;
	int got;

	args[nargs++] = DBA_I64(webhook_id);
	if (after != NULL) {
		args[nargs++] = DBA_I64(after->id);
		sql = after_sql;
	} else
		sql = offset == 0 ? first_sql : deep_sql;
	args[nargs++] = DBA_I64(limit);
	if (sql == deep_sql)
		args[nargs++] = DBA_I64(offset);
	if ((rc = db_query(db, sql, args, nargs, cols, QRE_NELEM(cols), &res)))
		return rc;
	while ((got = db_fetch(&res)) == 1)
		each(&row, arg);
	db_done(&res);
	return got < 0 ? DB_ERROR : DB_OK;
}

enum db_rc
delivery_attempts_count(struct db *db, long long webhook_id, long long *total)
{
	/* Counted in attempts_webhook alone. */
	static const char sql[] =
	    "SELECT COUNT(*) FROM delivery_attempts WHERE webhook_id = ?";
	struct db_arg args[] = { DBA_I64(webhook_id) };
	struct db_col cols[] = { DBC_I64(total) };
	int found;

	return db_query_row(db, sql, args, 1, cols, 1, &found);
}

enum db_rc
delivery_retry(struct db *db, long long webhook_id, const char *public_id,
    int *state)
{
	static const char get_sql[] = "SELECT status FROM deliveries WHERE "
	    "webhook_id = ? AND public_id = ?";
	static const char set_sql[] = "UPDATE deliveries SET status = "
	    "'pending', next_attempt_at = UTC_TIMESTAMP(3), updated_at = "
	    "UTC_TIMESTAMP(3) WHERE webhook_id = ? AND public_id = ? AND "
	    "status <> 'delivered'";
	struct db_arg args[] = { DBA_I64(webhook_id), DBA_STR(public_id) };
	char status[12];
	struct db_col cols[] = { DBC_STR(status, sizeof(status)) };
	int found;
	enum db_rc rc;

	*state = 0;
	if ((rc = db_query_row(db, get_sql, args, 2, cols, 1, &found)) != DB_OK ||
	    !found)
		return rc;
	if (strcmp(status, "delivered") == 0) {
		*state = 2;
		return DB_OK;
	}
	if ((rc = db_exec(db, set_sql, args, 2, NULL, NULL)) == DB_OK)
		*state = 1;
	return rc;
}
