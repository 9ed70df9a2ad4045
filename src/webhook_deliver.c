/* webhook_deliver.c: see webhook_deliver.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/rand.h>

#include "code_view.h"
#include "compat.h"
#include "log.h"
#include "timefmt.h"
#include "util.h"
#include "webhook_deliver.h"
#include "webhook_retry.h"

#define PACKAGE_EVENTS_MAX 50		/* lifecycle events read per round */
#define PACKAGE_SCAN_BATCHES 10		/* scan deliveries made per round */
#define PACKAGE_AHEAD 20		/* pending deliveries worth having ready */

int
webhook_wants(const struct webhook *w, const char *type)
{
	const char *p = w->events;
	size_t n = strlen(type);

	while ((p = strstr(p, type)) != NULL) {
		if ((p == w->events || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
			return 1;
		p += n;
	}
	return 0;
}

static char *
envelope(const char *event, struct json_object *data, long long ms, size_t *len)
{
	struct json_object *o = json_object_new_object();
	char ts[RFC3339_MS_LEN];
	const char *s;
	char *copy;

	json_object_object_add(o, "event", json_object_new_string(event));
	json_object_object_add(o, "data", data);
	json_object_object_add(o, "timestamp",
	    json_object_new_string(rfc3339_ms(ms, ts)));
	s = json_object_to_json_string_length(o, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE, len);
	copy = s ? strdup(s) : NULL;
	json_object_put(o);
	return copy;
}

char *
webhook_ping_body(const struct webhook *w, long long now_ms, size_t *len)
{
	struct json_object *data = json_object_new_object(), *hook;

	hook = json_object_new_object();
	json_object_object_add(hook, "id", json_object_new_string(w->public_id));
	json_object_object_add(hook, "url", json_object_new_string(w->url));
	json_object_object_add(data, "webhook", hook);
	return envelope("ping", data, now_ms, len);
}

struct package {
	struct db *db;
	const struct webhook *w;
	long long cursor;
	enum db_rc rc;
	int made;
	/* scans */
	struct json_object *scans;
	long long nscans;
	size_t batch;
	long long nread;		/* scan rows read, the account's or not */
};

static void
put_delivery(struct package *p, const char *event, long long items,
    char *body, size_t len)
{
	struct delivery d;

	if (body == NULL) {
		p->rc = DB_ERROR;
		return;
	}
	if (p->rc == DB_OK)
		p->rc = delivery_insert(p->db, p->w->id, event, items, body, len,
		    "pending", &d);
	free(body);
	if (p->rc == DB_OK)
		p->made++;
}

static void add_scan_item(struct package *p, struct json_object *item);
static void flush_scans(struct package *p);

/*
 * A deleted code's scans: those past this endpoint's scan cursor as it
 * was when the code was deleted (the event says; an event written before
 * the cursors were recorded is an array, tested against today's cursor).
 * The cursor may have moved past them since: they had gone from "scans".
 */
static void
package_code_scans(struct package *p, struct json_object *event)
{
	struct json_object *items = event, *cursors, *c;
	long long had = p->w->scan_cursor;
	char key[24];
	size_t n;

	if (json_object_is_type(event, json_type_object)) {
		if (!json_object_object_get_ex(event, "items", &items) ||
		    !json_object_is_type(items, json_type_array))
			return;
		snprintf(key, sizeof(key), "%lld", p->w->id);
		/*
		 * No cursors: scans that never reached "scans" (their code was
		 * deleted first), for every scan endpoint.  Not listed: the
		 * endpoint did not want scans then.
		 */
		if (!json_object_object_get_ex(event, "cursors", &cursors))
			had = -1;
		else if (!json_object_object_get_ex(cursors, key, &c))
			return;
		else
			had = json_object_get_int64(c);
	} else if (!json_object_is_type(event, json_type_array))
		return;
	n = json_object_array_length(items);
	for (size_t i = 0; i < n && p->rc == DB_OK; i++) {
		struct json_object *it = json_object_array_get_idx(items, i), *id;

		if (had >= 0 && (!json_object_object_get_ex(it, "id", &id) ||
		    json_object_get_int64(id) <= had))
			continue;	/* this endpoint has had it */
		json_object_get(it);
		json_object_object_del(it, "id");
		add_scan_item(p, it);
	}
	flush_scans(p);
}

static void
package_event(const struct event_row *e, void *arg)
{
	struct package *p = arg;
	struct json_object *data, *code;
	size_t len = 0;
	char *body;

	if (p->rc != DB_OK)
		return;
	p->cursor = e->id;
	if (!webhook_wants(p->w, e->type))
		return;
	if (strcmp(e->type, "scan") == 0) {
		struct json_object *scans = json_tokener_parse(e->payload);

		if (scans != NULL)
			package_code_scans(p, scans);
		json_object_put(scans);
		return;
	}
	if ((code = json_tokener_parse(e->payload)) == NULL) {
		log_err("webhooks: event %lld has a malformed payload", e->id);
		return;
	}
	data = json_object_new_object();
	json_object_object_add(data, "code", code);
	body = envelope(e->type, data, e->created_ms, &len);
	put_delivery(p, e->type, 1, body, len);
}

static void
flush_scans(struct package *p)
{
	struct json_object *data;
	size_t len = 0;
	char *body;

	if (p->nscans == 0)
		return;
	data = json_object_new_object();
	json_object_object_add(data, "scans", p->scans);
	body = envelope("scan", data, clock_ms(CLOCK_REALTIME), &len);
	put_delivery(p, "scan", p->nscans, body, len);
	p->scans = NULL;
	p->nscans = 0;
}

static void
package_scan(const struct scan_event_row *s, void *arg)
{
	struct package *p = arg;
	struct json_object *item, *code, *scan;

	if (p->rc != DB_OK)
		return;
	p->cursor = s->id;
	p->nread++;
	if (s->scan.is_bot)
		return;		/* kept and flagged, never sent */
	code = json_object_new_object();
	json_object_object_add(code, "id", json_object_new_string(s->public_id));
	json_object_object_add(code, "shortCode",
	    json_object_new_string(s->short_code));
	scan = scan_event_json(&s->scan);
	item = json_object_new_object();
	json_object_object_add(item, "code", code);
	json_object_object_add(item, "scan", scan);
	add_scan_item(p, item);
}

/* One item of a scan batch (owned by the batch from here). */
static void
add_scan_item(struct package *p, struct json_object *item)
{
	if (p->scans == NULL)
		p->scans = json_object_new_array();
	json_object_array_add(p->scans, item);
	if ((size_t)++p->nscans == p->batch)
		flush_scans(p);
}

enum db_rc
webhook_package(struct db *db, const struct qre_config *cfg,
    struct webhook *w, long long scan_mark, int *made)
{
	struct package p = { db, w, w->event_cursor, DB_OK, 0, NULL, 0,
	    (size_t)cfg->webhook_batch, 0 };
	long long event_cursor, scan_cursor = w->scan_cursor, pending = 0;
	enum db_rc rc;

	*made = 0;
	if (!w->is_active)
		return DB_OK;	/* listed for a test ping only */
	/* Enough is waiting to be sent: bodies are not written far ahead. */
	if ((rc = deliveries_pending(db, w->id, &pending)) != DB_OK ||
	    pending >= PACKAGE_AHEAD)
		return rc;
	if ((rc = db_begin(db)) != DB_OK)
		return rc;
	/*
	 * The endpoint's row first, before any read takes this transaction's
	 * snapshot: a code delete either committed before (its scans are
	 * gone and its event names the cursor they were judged by) or waits
	 * for this to commit (and judges by the cursor written here).
	 */
	if ((rc = webhook_lock(db, w->id)) == DB_OK)
		rc = events_after(db, w->account_id, w->event_cursor,
		    PACKAGE_EVENTS_MAX, package_event, &p);
	event_cursor = p.cursor;
	if (rc == DB_OK && p.rc == DB_OK && webhook_wants(w, "scan")) {
		p.cursor = w->scan_cursor;
		rc = scan_events_after(db, w->account_id, w->scan_cursor,
		    scan_mark, (long long)p.batch * PACKAGE_SCAN_BATCHES,
		    package_scan, &p);
		flush_scans(&p);
		scan_cursor = p.cursor;
		/*
		 * Fewer rows than asked for: every scan up to the mark was
		 * looked at, other accounts' too, so the cursor moves there
		 * and the next pass does not read them again.
		 */
		if (rc == DB_OK && p.nread < (long long)p.batch *
		    PACKAGE_SCAN_BATCHES && scan_mark > scan_cursor)
			scan_cursor = scan_mark;
	}
	if (p.scans != NULL)
		json_object_put(p.scans);
	if (rc == DB_OK)
		rc = p.rc;
	if (rc == DB_OK && (event_cursor != w->event_cursor ||
	    scan_cursor != w->scan_cursor))
		rc = webhook_set_cursors(db, w->id, event_cursor, scan_cursor);
	if (rc != DB_OK) {
		db_rollback(db);
		return rc;
	}
	if ((rc = db_commit(db)) == DB_OK) {
		w->event_cursor = event_cursor;
		w->scan_cursor = scan_cursor;
		*made = p.made;
	}
	return rc;
}

static double
jitter(void)
{
	unsigned int r = 0;

	if (RAND_bytes((unsigned char *)&r, sizeof(r)) != 1)
		return 0.5;
	return (double)r / 4294967295.0;
}

enum db_rc
webhook_settle(struct db *db, const struct qre_config *cfg, struct webhook *w,
    const struct delivery *d, const struct webhook_outcome *o, time_t now)
{
	const char *status = "pending";
	time_t next = now;
	int endpoint_changed = 0;
	enum db_rc rc;

	if (strcmp(d->event, "ping") == 0) {
		/*
		 * A test ping is tried once, for the person waiting on it; its
		 * outcome says nothing about the endpoint's health.
		 */
		status = o->ok ? "delivered" : "failed";
	} else if (o->ok) {
		status = "delivered";
		if (w->failing_since != 0) {
			w->failing_since = 0;
			endpoint_changed = 1;
		}
	} else if (o->code == 410) {
		/* Gone: the receiver asks us to stop. */
		status = "failed";
		w->is_active = 0;
		strlcpy(w->disabled_reason, "the receiver answered 410 Gone",
		    sizeof(w->disabled_reason));
		endpoint_changed = 1;
	} else {
		next = now + retry_delay(d->attempts + 1, o->retry_after, jitter());
		if (w->failing_since == 0) {
			w->failing_since = now;
			endpoint_changed = 1;
		} else if (now - w->failing_since >=
		    cfg->webhook_disable_after_hours * 3600L) {
			/* Its deliveries stay pending: re-enabling resumes them. */
			w->is_active = 0;
			snprintf(w->disabled_reason, sizeof(w->disabled_reason),
			    "failing for %ld hours", cfg->webhook_disable_after_hours);
			endpoint_changed = 1;
		}
	}
	rc = delivery_attempted(db, d, status, next, o->code, o->error,
	    o->duration_ms);
	/* Only the columns the outcome is about: a PATCH made meanwhile stays. */
	if (rc == DB_OK && endpoint_changed)
		rc = webhook_set_health(db, w->id, w->is_active,
		    w->disabled_reason, w->failing_since);
	if (!w->is_active)
		log_warn("webhooks: endpoint %s disabled: %s", w->public_id,
		    w->disabled_reason);
	return rc;
}
