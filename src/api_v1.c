/*
 * api_v1.c: the v1 surface (api-reference.md, "v1 API"): codes as
 * {type url|text, mode dynamic|static, title, payload}, their image as
 * bytes, their scans and stats.  Same table as the codes API: a code made
 * on one surface is seen and changed on the other.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "code_fields.h"
#include "util.h"
#include "code_view.h"
#include "code_ops.h"
#include "compat.h"
#include "handlers.h"
#include "json_body.h"
#include "page_query.h"
#include "random.h"
#include "response.h"
#include "scan_view.h"
#include "store_codes.h"
#include "store_scans.h"
#include "timefmt.h"

#define V1_PER_PAGE_DEFAULT 20
#define V1_PER_PAGE_MAX 100
#define V1_PAGE_MAX 1000000
#define V1_INSERT_TRIES 5

/* Defaults of a v1 code's image: a 300 px black-on-white QR PNG. */
static void
v1_style(struct code *c)
{
	strlcpy(c->style.color, "#000000", sizeof(c->style.color));
	strlcpy(c->style.background, "#FFFFFF", sizeof(c->style.background));
	c->style.size = RENDER_SIZE_DEFAULT;
	c->style.ecc = 'M';
	c->style.margin = RENDER_MARGIN_DEFAULT;
	c->kind = RENDER_QR;
	c->format = RENDER_PNG;
}

/* A static code's data, or a dynamic code's destination. */
static enum qre_err
set_destination(struct req *r, struct code *c, const char *field,
    const char *s, size_t len, enum code_target want)
{
	struct render_result img = { 0 };
	enum qre_err e;

	if ((e = field_destination(r, field, s, len, want, c)) != QRE_E_OK)
		return e;
	if (c->is_dynamic)
		return QRE_E_OK;
	memcpy(c->data, c->target, c->target_len + 1);
	c->data_len = c->target_len;
	/* A static code's new data must still be drawable. */
	if ((e = code_image(r, c, &img)) == QRE_E_OK)
		render_result_free(&img);
	return e;
}

enum qre_err
api_v1_create(struct req *r)
{
	struct json_object *body = r->json, *payload = NULL;
	const struct plan_limits *pl = plan_limits(r->auth.plan);
	struct render_result img = { 0 };
	const char *type, *mode, *s, *over = NULL;
	enum code_target want;
	struct code *c;
	size_t len;
	int present, tries = 0, clash = 0;
	enum qre_err e;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return QRE_E_INTERNAL;
	v1_style(c);
	c->is_active = 1;
	if ((e = json_get_string(r, body, "type", &type, &len, &present)))
		goto done;
	if (!present) {
		e = req_fail(r, QRE_E_BAD_FIELD, "type is required");
		goto done;
	}
	if (strcmp(type, "url") != 0 && strcmp(type, "text") != 0) {
		e = req_fail(r, QRE_E_UNPROCESSABLE,
		    "type must be \"url\" or \"text\"");
		goto done;
	}
	want = type[0] == 'u' ? TARGET_URL : TARGET_TEXT;
	if ((e = json_get_string(r, body, "mode", &mode, &len, &present)))
		goto done;
	c->is_dynamic = !present || strcmp(mode, "dynamic") == 0;
	if (present && !c->is_dynamic && strcmp(mode, "static") != 0) {
		e = req_fail(r, QRE_E_UNPROCESSABLE,
		    "mode must be \"dynamic\" or \"static\"");
		goto done;
	}
	if ((e = field_name(r, body, "title", c, &present)))
		goto done;
	if ((e = json_get_object(r, body, "payload", &payload, &present)))
		goto done;
	if (!present) {
		e = req_fail(r, QRE_E_BAD_FIELD, "payload is required");
		goto done;
	}
	if ((e = json_get_string(r, payload, want == TARGET_URL ? "url" : "text",
	    &s, &len, &present)))
		goto done;
	if (!present) {
		e = req_fail(r, QRE_E_BAD_FIELD, "payload.%s is required",
		    want == TARGET_URL ? "url" : "text");
		goto done;
	}
	if ((e = set_destination(r, c, want == TARGET_URL ? "payload.url" :
	    "payload.text", s, len, want)))
		goto done;
	do {
		if (random_base62(c->public_id, CODE_ID_LEN) == -1 ||
		    (c->is_dynamic &&
		    random_base62(c->short_code, SHORT_CODE_LEN) == -1)) {
			e = QRE_E_INTERNAL;
			goto done;
		}
		if (c->is_dynamic) {
			if (short_url(r, c->short_code, c->data,
			    sizeof(c->data)) == -1) {
				e = QRE_E_INTERNAL;
				goto done;
			}
			c->data_len = strlen(c->data);
		}
		if ((e = code_save_new(r, c, &over, &clash)) != QRE_E_OK)
			goto done;
	} while (clash && ++tries < V1_INSERT_TRIES);
	if (clash) {
		e = QRE_E_INTERNAL;	/* five clashes of 95-bit ids: a bug */
		goto done;
	}
	if (over != NULL) {
		e = req_fail(r, QRE_E_PLAN_LIMIT, "The %s plan allows %ld %s "
		    "codes; delete one or upgrade", pl->name, strcmp(over,
		    "saved") == 0 ? pl->saved : pl->dynamic, over);
		goto done;
	}
	resp_ok(r, 201, code_v1_json(r, c), NULL);
done:
	render_result_free(&img);
	free(c);
	return e;
}

struct v1_list {
	const struct req *r;
	struct json_object *list;
	struct page_fill fill;
};

static void
add_v1(const struct code *c, void *arg)
{
	struct v1_list *l = arg;
	struct page_key key = { c->created_ms, c->id };

	if (page_fill_take(&l->fill, &key))
		json_object_array_add(l->list, code_v1_json(l->r, c));
}

enum qre_err
api_v1_list(struct req *r)
{
	struct v1_list l = { r, NULL, { 0 } };
	struct page_cursor pc;
	char next[PAGE_CURSOR_BUF];
	long long page = 1, per = V1_PER_PAGE_DEFAULT, total = 0;
	enum qre_err e;
	enum db_rc rc;

	if ((e = req_query_int(r, "page", 1, V1_PAGE_MAX, &page)) ||
	    (e = req_query_int(r, "perPage", 1, V1_PER_PAGE_MAX, &per)) ||
	    (e = page_cursor_query(r, PAGE_CURSOR_CODES, "page", &pc)))
		return e;
	if ((rc = code_count(r->db, r->auth.account_id, CODES_ALL, &total)))
		return db_answer(rc);
	l.list = json_object_new_array();
	page_fill_init(&l.fill, per);
	/* One row more than the page: whether there is a next one. */
	if ((rc = code_list(r->db, r->auth.account_id, CODES_ALL,
	    pc.has_key ? &pc.key : NULL, per + 1, pc.given ? 0 :
	    (page - 1) * per, add_v1, &l)) != DB_OK) {
		json_object_put(l.list);
		return db_answer(rc);
	}
	resp_page(r, l.list, &(struct resp_page){ page, per, total, pc.given,
	    page_fill_next(&l.fill, PAGE_CURSOR_CODES, next) });
	return QRE_E_OK;
}

enum qre_err
api_v1_get(struct req *r)
{
	struct code *c;
	enum qre_err e;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return QRE_E_INTERNAL;
	if ((e = code_load(r, r->params[0], c)) == QRE_E_OK)
		resp_ok(r, 200, code_v1_json(r, c), NULL);
	free(c);
	return e;
}

enum qre_err
api_v1_update(struct req *r)
{
	struct json_object *body = r->json, *v;
	struct code before;	/* 9 KiB: fine on a worker's stack */
	struct code *c;
	const char *s;
	size_t len;
	int present, b;
	enum qre_err e;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return QRE_E_INTERNAL;
	if ((e = code_load(r, r->params[0], c)) != QRE_E_OK)
		goto done;
	memcpy(&before, c, sizeof(before));
	if (json_object_object_get_ex(body, "title", &v) && v == NULL)
		c->has_name = 0;
	else if ((e = field_name(r, body, "title", c, &present)))
		goto done;
	if ((e = json_get_string(r, body, "destination", &s, &len, &present)))
		goto done;
	if (present) {
		if (c->kind != RENDER_QR) {
			e = req_fail(r, QRE_E_UNPROCESSABLE, "destination: this "
			    "code is a barcode; change its data with PUT "
			    "/api/codes/%s", c->public_id);
			goto done;
		}
		/* A code stays what it is: a URL code takes a URL. */
		if ((e = set_destination(r, c, "destination", s, len,
		    c->target_type == TARGET_URL ? TARGET_URL : TARGET_TEXT)))
			goto done;
	}
	if ((e = json_get_bool(r, body, "active", &b, &present)))
		goto done;
	if (present)
		c->is_active = b;
	if (!code_changed(&before, c)) {	/* nothing to write */
		resp_ok(r, 200, code_v1_json(r, c), NULL);
		goto done;
	}
	if ((e = code_save_update(r, c)) != QRE_E_OK)
		goto done;
	resp_ok(r, 200, code_v1_json(r, c), NULL);
done:
	free(c);
	return e;
}

/* A colour from the query: "#RRGGBB" (sent as %23RRGGBB) or "RRGGBB". */
static enum qre_err
query_color(struct req *r, const char *name, int allow_transparent, char *out)
{
	char buf[32], full[40];
	uint32_t rgb;
	int got = req_query(r, name, buf, sizeof(buf)), transparent = 0;

	if (got == 0)
		return QRE_E_OK;
	snprintf(full, sizeof(full), "%s%s", buf[0] == '#' ||
	    strcmp(buf, "transparent") == 0 ? "" : "#", buf);
	if (got < 0 || render_parse_color(full, &rgb, allow_transparent ?
	    &transparent : NULL) == -1)
		return req_fail(r, QRE_E_UNPROCESSABLE, "%s must be RRGGBB or "
		    "#RRGGBB%s", name, allow_transparent ? " or transparent" : "");
	if (transparent)
		strlcpy(out, "transparent", CODE_COLOR_BUF);
	else
		snprintf(out, CODE_COLOR_BUF, "#%06X", (unsigned int)rgb);
	return QRE_E_OK;
}

enum qre_err
api_v1_image(struct req *r)
{
	struct render_result img = { 0 };
	struct code *c;
	char fmt[8];
	long long size;
	int got;
	enum qre_err e;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return QRE_E_INTERNAL;
	if ((e = code_load(r, r->params[0], c)) != QRE_E_OK)
		goto done;
	got = req_query(r, "format", fmt, sizeof(fmt));
	if (got > 0 && strcmp(fmt, "svg") == 0)
		c->format = RENDER_SVG;
	else if (got > 0 && strcmp(fmt, "png") == 0)
		c->format = RENDER_PNG;
	else if (got != 0) {
		e = req_fail(r, QRE_E_UNPROCESSABLE,
		    "format must be png or svg");
		goto done;
	}
	size = c->style.size;
	if ((e = req_query_int(r, "size", RENDER_SIZE_MIN, RENDER_SIZE_MAX,
	    &size)) || (e = query_color(r, "color", 0, c->style.color)) ||
	    (e = query_color(r, "backgroundColor", 1, c->style.background)))
		goto done;
	c->style.size = (int)size;
	if ((e = code_image(r, c, &img)) != QRE_E_OK)
		goto done;
	resp_header(r, "Cache-Control", "private, max-age=60");
	resp_header(r, "Content-Disposition", "inline; filename=\"%s.%s\"",
	    c->public_id, c->format == RENDER_SVG ? "svg" : "png");
	resp_send(r, 200, img.content_type, img.bytes, img.len);
done:
	render_result_free(&img);
	free(c);
	return e;
}

/*
 * from/to as RFC 3339 times or dates; "to" as a date means the whole day.
 * Defaults: from the epoch, to now and beyond.
 */
static enum qre_err
query_range(struct req *r, long long *from_ms, long long *to_ms)
{
	char buf[32];
	time_t t;
	int got;

	*from_ms = 0;
	*to_ms = 253402300800000LL;	/* 10000-01-01T00:00:00Z: a whole day */
	if ((got = req_query(r, "from", buf, sizeof(buf))) != 0) {
		if (got < 0 || rfc3339_parse(buf, &t) == -1)
			return req_fail(r, QRE_E_BAD_FIELD, "from must be a date "
			    "(2024-01-31) or an RFC 3339 time (2024-01-31T00:00:00Z)");
		*from_ms = (long long)t * 1000;
	}
	if ((got = req_query(r, "to", buf, sizeof(buf))) != 0) {
		if (got < 0 || rfc3339_parse(buf, &t) == -1)
			return req_fail(r, QRE_E_BAD_FIELD, "to must be a date "
			    "(2024-01-31) or an RFC 3339 time (2024-01-31T23:59:59Z)");
		*to_ms = (long long)t * 1000 + (strlen(buf) == 10 ? MS_PER_DAY : 1000);
	}
	if (*from_ms >= *to_ms)
		return req_fail(r, QRE_E_UNPROCESSABLE, "from must be before to");
	return QRE_E_OK;
}

struct scan_list {
	struct json_object *list;
	struct page_fill fill;
};

static void
add_scan(const struct scan_row *row, void *arg)
{
	struct scan_list *l = arg;
	struct page_key key = { row->at_ms, row->id };
	struct json_object *o;

	if (!page_fill_take(&l->fill, &key))
		return;
	o = scan_json(row);
	json_object_object_add(o, "isBot", json_object_new_boolean(row->is_bot));
	json_object_array_add(l->list, o);
}

enum qre_err
api_v1_scans(struct req *r)
{
	long long page = 1, per = V1_PER_PAGE_DEFAULT, total = 0, from, to;
	struct scan_list l = { NULL, { 0 } };
	struct page_cursor pc;
	char next[PAGE_CURSOR_BUF];
	struct code *c;
	enum qre_err e;
	enum db_rc rc;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return QRE_E_INTERNAL;
	if ((e = code_load(r, r->params[0], c)) || (e = query_range(r, &from, &to)) ||
	    (e = req_query_int(r, "page", 1, V1_PAGE_MAX, &page)) ||
	    (e = req_query_int(r, "perPage", 1, V1_PER_PAGE_MAX, &per)) ||
	    (e = page_cursor_query(r, PAGE_CURSOR_SCANS, "page", &pc)))
		goto done;
	if ((rc = scans_count(r->db, c->id, from, to, &total)) != DB_OK) {
		e = db_answer(rc);
		goto done;
	}
	l.list = json_object_new_array();
	page_fill_init(&l.fill, per);
	/* One row more than the page: whether there is a next one. */
	if ((rc = scans_list(r->db, c->id, from, to, pc.has_key ? &pc.key :
	    NULL, per + 1, pc.given ? 0 : (page - 1) * per, add_scan,
	    &l)) != DB_OK) {
		json_object_put(l.list);
		e = db_answer(rc);
		goto done;
	}
	resp_page(r, l.list, &(struct resp_page){ page, per, total, pc.given,
	    page_fill_next(&l.fill, PAGE_CURSOR_SCANS, next) });
done:
	free(c);
	return e;
}

struct stats {
	struct json_object *by[5];	/* country, device, os, browser, referrer */
	struct json_object *days;	/* [{date, scans, uniqueVisitors}] */
	long long total, unique;
};

static const char *const stat_dims[] = { "country", "device", "os",
	"browser", "referrer" };
static const char *const stat_keys[] = { "byCountry", "byDevice", "byOs",
	"byBrowser", "byReferrer" };

static void
add_stat(const struct stat_row *row, void *arg)
{
	struct stats *st = arg;
	struct json_object *o, *last;
	size_t n;

	if (row->day[0] != '\0') {	/* per-day total or unique */
		n = json_object_array_length(st->days);
		last = n ? json_object_array_get_idx(st->days, n - 1) : NULL;
		if (last == NULL || strcmp(json_object_get_string(
		    json_object_object_get(last, "date")), row->day) != 0) {
			last = json_object_new_object();
			json_object_object_add(last, "date",
			    json_object_new_string(row->day));
			json_object_object_add(last, "scans", json_object_new_int64(0));
			json_object_object_add(last, "uniqueVisitors",
			    json_object_new_int64(0));
			json_object_array_add(st->days, last);
		}
		json_object_object_add(last, strcmp(row->dim, "total") == 0 ?
		    "scans" : "uniqueVisitors", json_object_new_int64(row->scans));
		return;
	}
	if (strcmp(row->dim, "total") == 0) {
		st->total = row->scans;
		return;
	}
	if (strcmp(row->dim, "unique") == 0) {
		st->unique = row->scans;
		return;
	}
	for (size_t i = 0; i < QRE_NELEM(stat_dims); i++)
		if (strcmp(row->dim, stat_dims[i]) == 0) {
			o = json_object_new_object();
			json_object_object_add(o, "value", row->value[0] ?
			    json_object_new_string(row->value) : NULL);
			json_object_object_add(o, "scans",
			    json_object_new_int64(row->scans));
			json_object_array_add(st->by[i], o);
		}
}

enum qre_err
api_v1_stats(struct req *r)
{
	struct stats st = { { NULL }, NULL, 0, 0 };
	struct json_object *data;
	char from_day[RFC3339_LEN], to_day[RFC3339_LEN];
	long long from, to;
	struct code *c;
	enum qre_err e;
	enum db_rc rc;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return QRE_E_INTERNAL;
	if ((e = code_load(r, r->params[0], c)) || (e = query_range(r, &from, &to)))
		goto done;
	/* The rollups are per UTC day: the range covers whole days. */
	rfc3339((time_t)(from / 1000), from_day);
	rfc3339((time_t)((to - 1) / 1000), to_day);
	from_day[10] = to_day[10] = '\0';
	for (size_t i = 0; i < QRE_NELEM(st.by); i++)
		st.by[i] = json_object_new_array();
	st.days = json_object_new_array();
	if ((rc = stats_query(r->db, c->id, from_day, to_day, add_stat,
	    &st)) != DB_OK) {
		for (size_t i = 0; i < QRE_NELEM(st.by); i++)
			json_object_put(st.by[i]);
		json_object_put(st.days);
		e = db_answer(rc);
		goto done;
	}
	data = json_object_new_object();
	json_object_object_add(data, "from", json_object_new_string(from_day));
	json_object_object_add(data, "to", json_object_new_string(to_day));
	json_object_object_add(data, "totalScans", json_object_new_int64(st.total));
	json_object_object_add(data, "uniqueVisitors",
	    json_object_new_int64(st.unique));
	json_object_object_add(data, "byDay", st.days);
	for (size_t i = 0; i < QRE_NELEM(st.by); i++)
		json_object_object_add(data, stat_keys[i], st.by[i]);
	resp_ok(r, 200, data, NULL);
done:
	free(c);
	return e;
}
