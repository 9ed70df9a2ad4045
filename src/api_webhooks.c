/*
 * api_webhooks.c: /api/v1/webhooks (api-reference.md, "Webhooks"):
 * endpoints, test pings (queued for the sender), the delivery log and
 * manual retry.
 * Deliveries themselves are qre-webhooks' work.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "compat.h"
#include "handlers.h"
#include "json_body.h"
#include "page_query.h"
#include "random.h"
#include "response.h"
#include "ssrf.h"
#include "store_webhooks.h"
#include "timefmt.h"
#include "util.h"
#include "webhook_deliver.h"
#include "webhook_http.h"

#define LOG_PER_PAGE_DEFAULT 20
#define LOG_PER_PAGE_MAX 100

static const char *const event_names[] = { "scan", "code.created",
	"code.updated", "code.deleted" };

static struct json_object *
webhook_json(const struct webhook *w, int with_secret)
{
	struct json_object *o = json_object_new_object(), *ev;
	char ts[RFC3339_LEN];

	json_object_object_add(o, "id", json_object_new_string(w->public_id));
	json_object_object_add(o, "url", json_object_new_string(w->url));
	ev = json_object_new_array();
	for (size_t i = 0; i < QRE_NELEM(event_names); i++)
		if (webhook_wants(w, event_names[i]))
			json_object_array_add(ev,
			    json_object_new_string(event_names[i]));
	json_object_object_add(o, "events", ev);
	json_object_object_add(o, "active", json_object_new_boolean(w->is_active));
	json_object_object_add(o, "disabledReason", w->disabled_reason[0] ?
	    json_object_new_string(w->disabled_reason) : NULL);
	json_object_object_add(o, "failingSince", w->failing_since ?
	    json_object_new_string(rfc3339(w->failing_since, ts)) : NULL);
	if (with_secret)
		json_object_object_add(o, "secret",
		    json_object_new_string(w->secret));
	json_object_object_add(o, "createdAt",
	    json_object_new_string(rfc3339(w->created_at, ts)));
	json_object_object_add(o, "updatedAt",
	    json_object_new_string(rfc3339(w->updated_at, ts)));
	return o;
}

/* url: http(s), at most 2,048 characters, reaching only allowed addresses. */
static enum qre_err
check_url(struct req *r, const char *url, size_t len, struct webhook *w)
{
	struct ssrf_target t;
	char why[512];

	if (len == 0 || len > WEBHOOK_URL_MAX)
		return req_fail(r, QRE_E_UNPROCESSABLE,
		    "url must be 1 to %d characters", WEBHOOK_URL_MAX);
	if (ssrf_check(url, r->cfg->webhook_allow_cidrs, &t, why,
	    sizeof(why)) == -1)
		return req_fail(r, QRE_E_UNPROCESSABLE, "%s", why);
	memcpy(w->url, url, len + 1);
	return QRE_E_OK;
}

/* events: a non-empty array of known names ("ping" is always implied). */
static enum qre_err
check_events(struct req *r, struct json_object *arr, struct webhook *w)
{
	size_t n, out = 0;

	if (!json_object_is_type(arr, json_type_array))
		return req_fail(r, QRE_E_BAD_FIELD, "events must be an array");
	n = json_object_array_length(arr);
	w->events[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(arr, i);
		const char *name;
		size_t k, len;

		if (!json_object_is_type(e, json_type_string))
			return req_fail(r, QRE_E_BAD_FIELD,
			    "events must be an array of strings");
		name = json_object_get_string(e);
		len = (size_t)json_object_get_string_len(e);
		/* "scan\u0000x" is not "scan": refused like any field's NUL. */
		if (memchr(name, '\0', len) != NULL)
			return req_fail(r, QRE_E_BAD_FIELD,
			    "events must not contain NUL characters");
		if (len == 4 && memcmp(name, "ping", 4) == 0)
			continue;
		for (k = 0; k < QRE_NELEM(event_names); k++)
			if (len == strlen(event_names[k]) &&
			    memcmp(name, event_names[k], len) == 0)
				break;
		if (k == QRE_NELEM(event_names))
			return req_fail(r, QRE_E_UNPROCESSABLE, "events: '%.40s' "
			    "is not one of scan, code.created, code.updated, "
			    "code.deleted", name);
		if (webhook_wants(w, name))
			continue;
		snprintf(w->events + out, sizeof(w->events) - out, "%s%s",
		    out ? "," : "", name);
		out = strlen(w->events);
	}
	if (out == 0)
		return req_fail(r, QRE_E_UNPROCESSABLE,
		    "events must name at least one event");
	return QRE_E_OK;
}

enum qre_err
api_webhooks_create(struct req *r)
{
	struct json_object *events;
	struct webhook *w;
	const char *url;
	size_t len;
	int present, full;
	enum qre_err e;
	enum db_rc rc;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		return QRE_E_INTERNAL;
	if ((e = json_get_string(r, r->json, "url", &url, &len, &present)))
		goto done;
	if (!present) {
		e = req_fail(r, QRE_E_BAD_FIELD, "url is required");
		goto done;
	}
	if (!json_object_object_get_ex(r->json, "events", &events) ||
	    events == NULL) {
		e = req_fail(r, QRE_E_BAD_FIELD, "events is required");
		goto done;
	}
	if ((e = check_events(r, events, w)) || (e = check_url(r, url, len, w)))
		goto done;
	w->account_id = r->auth.account_id;
	if (random_base62(w->public_id, CODE_ID_LEN) == -1 ||
	    webhook_secret_new(w->secret) == -1) {
		e = QRE_E_INTERNAL;
		goto done;
	}
	if ((rc = webhook_insert(r->db, w, &full)) != DB_OK) {
		e = db_answer(rc);
		goto done;
	}
	if (full) {
		e = req_fail(r, QRE_E_PLAN_LIMIT, "An account may have %d "
		    "webhooks; delete one first", WEBHOOKS_PER_ACCOUNT);
		goto done;
	}
	resp_ok(r, 201, webhook_json(w, 1),
	    "Store the secret now: it is not shown again");
done:
	free(w);
	return e;
}

static void
add_webhook(const struct webhook *w, void *arg)
{
	json_object_array_add(arg, webhook_json(w, 0));
}

enum qre_err
api_webhooks_list(struct req *r)
{
	struct json_object *list = json_object_new_array();
	enum db_rc rc;

	if ((rc = webhook_list(r->db, r->auth.account_id, add_webhook, list))) {
		json_object_put(list);
		return db_answer(rc);
	}
	resp_ok(r, 200, list, NULL);
	return QRE_E_OK;
}

static enum qre_err
load(struct req *r, struct webhook *w)
{
	const char *id = r->params[0];
	int found = 0;
	enum db_rc rc;

	if (strlen(id) != CODE_ID_LEN || !is_base62(id, CODE_ID_LEN))
		return req_fail(r, QRE_E_NOT_FOUND, "No webhook with id '%.40s'",
		    id);
	if ((rc = webhook_get(r->db, r->auth.account_id, id, w, &found)))
		return db_answer(rc);
	if (!found)
		return req_fail(r, QRE_E_NOT_FOUND, "No webhook with id '%s'", id);
	return QRE_E_OK;
}

enum qre_err
api_webhooks_get(struct req *r)
{
	struct webhook *w;
	enum qre_err e;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		return QRE_E_INTERNAL;
	if ((e = load(r, w)) == QRE_E_OK)
		resp_ok(r, 200, webhook_json(w, 0), NULL);
	free(w);
	return e;
}

enum qre_err
api_webhooks_update(struct req *r)
{
	struct json_object *events;
	struct webhook *w;
	const char *url;
	size_t len;
	int present, b, rotated = 0, had_scan, was_off;
	enum qre_err e;
	enum db_rc rc;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		return QRE_E_INTERNAL;
	if ((e = load(r, w)) != QRE_E_OK)
		goto done;
	had_scan = webhook_wants(w, "scan");
	was_off = !w->is_active;
	if ((e = json_get_string(r, r->json, "url", &url, &len, &present)) ||
	    (present && (e = check_url(r, url, len, w))))
		goto done;
	if (json_object_object_get_ex(r->json, "events", &events) &&
	    events != NULL && (e = check_events(r, events, w)))
		goto done;
	if ((e = json_get_bool(r, r->json, "active", &b, &present)))
		goto done;
	if (present) {
		w->is_active = b;
		if (b) {	/* back on: its kept deliveries resume */
			w->disabled_reason[0] = '\0';
			w->failing_since = 0;
		} else
			strlcpy(w->disabled_reason, "disabled through the API",
			    sizeof(w->disabled_reason));
	}
	if ((e = json_get_bool(r, r->json, "rotateSecret", &b, &present)))
		goto done;
	if (present && b) {
		/* The old secret still signs for a while, beside the new one. */
		strlcpy(w->previous_secret, w->secret, sizeof(w->previous_secret));
		w->previous_until = time(NULL) +
		    r->cfg->webhook_secret_overlap_hours * 3600L;
		if (webhook_secret_new(w->secret) == -1) {
			e = QRE_E_INTERNAL;
			goto done;
		}
		rotated = 1;
	}
	if ((rc = webhook_update(r->db, w)) != DB_OK ||
	    (!had_scan && webhook_wants(w, "scan") &&
	    (rc = webhook_scans_from_now(r->db, w->id)) != DB_OK) ||
	    (was_off && w->is_active &&
	    (rc = deliveries_due_now(r->db, w->id)) != DB_OK)) {
		e = db_answer(rc);
		goto done;
	}
	w->updated_at = time(NULL);
	resp_ok(r, 200, webhook_json(w, rotated), rotated ?
	    "Store the new secret now: it is not shown again" : NULL);
done:
	free(w);
	return e;
}

enum qre_err
api_webhooks_delete(struct req *r)
{
	struct webhook *w;
	int found = 0;
	enum qre_err e;
	enum db_rc rc;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		return QRE_E_INTERNAL;
	if ((e = load(r, w)) != QRE_E_OK)
		goto done;
	if ((rc = webhook_delete(r->db, r->auth.account_id, w->public_id,
	    &found)) != DB_OK) {
		e = db_answer(rc);
		goto done;
	}
	resp_ok(r, 200, NULL, "Webhook deleted");
done:
	free(w);
	return e;
}

/* A delivery as a client polls it; the test ping answers the same. */
static struct json_object *
delivery_state_json(const struct delivery_state *st)
{
	struct json_object *o = json_object_new_object();
	int settled = strcmp(st->status, "pending") != 0;
	char ts[RFC3339_LEN];

	json_object_object_add(o, "deliveryId",
	    json_object_new_string(st->public_id));
	json_object_object_add(o, "event", json_object_new_string(st->event));
	json_object_object_add(o, "status", json_object_new_string(st->status));
	json_object_object_add(o, "delivered", settled ?
	    json_object_new_boolean(strcmp(st->status, "delivered") == 0) : NULL);
	json_object_object_add(o, "statusCode", st->last_code > 0 ?
	    json_object_new_int((int)st->last_code) : NULL);
	json_object_object_add(o, "latencyMs", st->duration_ms >= 0 ?
	    json_object_new_int64(st->duration_ms) : NULL);
	json_object_object_add(o, "error", st->last_error[0] ?
	    json_object_new_string(st->last_error) : NULL);
	json_object_object_add(o, "attempts",
	    json_object_new_int64(st->attempts));
	json_object_object_add(o, "createdAt",
	    json_object_new_string(rfc3339(st->created_at, ts)));
	return o;
}

/*
 * The test ping is queued for qre-webhooks, which sends it ahead of the
 * endpoint's other deliveries within about a second: a request never
 * waits on a receiver.  202 with the delivery; its outcome is polled at
 * GET .../deliveries/{deliveryId}.
 */
enum qre_err
api_webhooks_test(struct req *r)
{
	struct delivery_state st;
	struct delivery d;
	struct webhook *w;
	char *body = NULL;
	size_t len = 0;
	enum qre_err e;
	enum db_rc rc;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		return QRE_E_INTERNAL;
	if ((e = load(r, w)) != QRE_E_OK)
		goto done;
	if ((body = webhook_ping_body(w, clock_ms(CLOCK_REALTIME), &len)) ==
	    NULL) {
		e = QRE_E_INTERNAL;
		goto done;
	}
	if ((rc = delivery_insert(r->db, w->id, "ping", 1, body, len,
	    "pending", &d)) != DB_OK) {
		e = db_answer(rc);
		goto done;
	}
	memset(&st, 0, sizeof(st));
	strlcpy(st.public_id, d.public_id, sizeof(st.public_id));
	strlcpy(st.event, "ping", sizeof(st.event));
	strlcpy(st.status, "pending", sizeof(st.status));
	st.duration_ms = -1;
	st.created_at = d.created_at;
	resp_ok(r, 202, delivery_state_json(&st), NULL);
done:
	free(body);
	free(w);
	return e;
}

enum qre_err
api_webhooks_delivery(struct req *r)
{
	struct delivery_state st;
	struct webhook *w;
	int found = 0;
	enum qre_err e;
	enum db_rc rc;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		return QRE_E_INTERNAL;
	if ((e = load(r, w)) != QRE_E_OK)
		goto done;
	/*
	 * A malformed id costs no query (and bytes past ASCII compared with
	 * the ascii column would be a database error, not a 404).
	 */
	if (strlen(r->params[1]) == CODE_ID_LEN &&
	    is_base62(r->params[1], CODE_ID_LEN) &&
	    (rc = delivery_get(r->db, w->id, r->params[1], &st, &found)) !=
	    DB_OK)
		e = db_answer(rc);
	else if (!found)
		e = req_fail(r, QRE_E_NOT_FOUND, "Delivery '%s' not found",
		    r->params[1]);
	else
		resp_ok(r, 200, delivery_state_json(&st), NULL);
done:
	free(w);
	return e;
}

struct attempt_list {
	struct json_object *list;
	struct page_fill fill;
};

static void
add_attempt(const struct attempt_row *a, void *arg)
{
	struct attempt_list *l = arg;
	struct page_key key = { 0, a->id };
	struct json_object *o;
	char ts[RFC3339_LEN];

	if (!page_fill_take(&l->fill, &key))
		return;
	o = json_object_new_object();
	json_object_object_add(o, "deliveryId",
	    json_object_new_string(a->delivery_id));
	json_object_object_add(o, "event", json_object_new_string(a->event));
	json_object_object_add(o, "items", json_object_new_int64(a->items));
	/* The attempt's own result, and where its delivery stands now. */
	json_object_object_add(o, "status", json_object_new_string(
	    a->response_code >= 200 && a->response_code < 300 ? "delivered" :
	    "failed"));
	json_object_object_add(o, "deliveryStatus",
	    json_object_new_string(a->status));
	json_object_object_add(o, "attempts", json_object_new_int64(a->attempts));
	json_object_object_add(o, "responseCode", a->response_code >= 0 ?
	    json_object_new_int64(a->response_code) : NULL);
	json_object_object_add(o, "error", a->error[0] ?
	    json_object_new_string(a->error) : NULL);
	json_object_object_add(o, "durationMs",
	    json_object_new_int64(a->duration_ms));
	json_object_object_add(o, "attemptedAt",
	    json_object_new_string(rfc3339(a->attempted_at, ts)));
	json_object_array_add(l->list, o);
}

enum qre_err
api_webhooks_deliveries(struct req *r)
{
	struct attempt_list l = { NULL, { 0 } };
	long long page = 1, per = LOG_PER_PAGE_DEFAULT, total = 0;
	struct page_cursor pc;
	char next[PAGE_CURSOR_BUF];
	struct webhook *w;
	enum qre_err e;
	enum db_rc rc;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		return QRE_E_INTERNAL;
	if ((e = load(r, w)) || (e = req_query_int(r, "page", 1, 1000000, &page)) ||
	    (e = req_query_int(r, "perPage", 1, LOG_PER_PAGE_MAX, &per)) ||
	    (e = page_cursor_query(r, PAGE_CURSOR_ATTEMPTS, "page", &pc)))
		goto done;
	if ((rc = delivery_attempts_count(r->db, w->id, &total)) != DB_OK) {
		e = db_answer(rc);
		goto done;
	}
	l.list = json_object_new_array();
	page_fill_init(&l.fill, per);
	/* One attempt more than the page: whether there is a next one. */
	if ((rc = delivery_attempts_list(r->db, w->id, pc.has_key ? &pc.key :
	    NULL, per + 1, pc.given ? 0 : (page - 1) * per, add_attempt,
	    &l)) != DB_OK) {
		json_object_put(l.list);
		e = db_answer(rc);
		goto done;
	}
	resp_page(r, l.list, &(struct resp_page){ page, per, total, pc.given,
	    page_fill_next(&l.fill, PAGE_CURSOR_ATTEMPTS, next) });
done:
	free(w);
	return e;
}

enum qre_err
api_webhooks_retry(struct req *r)
{
	const char *id = r->params[1];
	struct webhook *w;
	int found = 0;
	enum qre_err e;
	enum db_rc rc;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		return QRE_E_INTERNAL;
	if ((e = load(r, w)) != QRE_E_OK)
		goto done;
	if (strlen(id) == CODE_ID_LEN && is_base62(id, CODE_ID_LEN) &&
	    (rc = delivery_retry(r->db, w->id, id, &found)) != DB_OK) {
		e = db_answer(rc);
		goto done;
	}
	if (found == 2) {
		e = req_fail(r, QRE_E_CONFLICT, "Delivery '%s' was acknowledged "
		    "by the receiver; it is not sent again", id);
		goto done;
	}
	if (!found) {
		e = req_fail(r, QRE_E_NOT_FOUND, "No delivery '%.40s' of this "
		    "webhook", id);
		goto done;
	}
	resp_ok(r, 200, NULL, w->is_active ? "Delivery queued" :
	    "Delivery queued; it is sent when the webhook is active again");
done:
	free(w);
	return e;
}
