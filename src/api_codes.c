/*
 * api_codes.c: the codes API (api-reference.md, "Codes API"):
 * POST /api/codes/generate, GET /api/codes, GET|PUT|DELETE /api/codes/:id.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "code_fields.h"
#include "code_ops.h"
#include "code_view.h"
#include "compat.h"
#include "handlers.h"
#include "json_body.h"
#include "log.h"
#include "page_query.h"
#include "random.h"
#include "response.h"
#include "store_codes.h"

#define CODES_LIMIT_DEFAULT 20
#define CODES_LIMIT_MAX 100
#define CODE_INSERT_TRIES 5	/* fresh ids after a (very unlikely) clash */

static enum qre_err
new_ids(struct code *c)
{
	if (random_base62(c->public_id, CODE_ID_LEN) == -1 ||
	    (c->is_dynamic && random_base62(c->short_code, SHORT_CODE_LEN) == -1))
		return QRE_E_INTERNAL;
	return QRE_E_OK;
}

/* A dynamic code encodes its short URL; the destination is the target. */
static enum qre_err
encode_short_url(struct req *r, struct code *c)
{
	if (short_url(r, c->short_code, c->data, sizeof(c->data)) == -1)
		return QRE_E_INTERNAL;
	c->data_len = strlen(c->data);
	return QRE_E_OK;
}

/* type, barcodeFormat, format, data, name, flags, customization. */
static enum qre_err
parse_generate(struct req *r, struct code *c, int *save)
{
	struct json_object *body = r->json;
	const char *type, *fmt, *bf, *data;
	size_t tlen, flen, blen, dlen;
	int present, b;
	enum qre_err e;

	if ((e = json_get_string(r, body, "type", &type, &tlen, &present)))
		return e;
	if (!present)
		return req_fail(r, QRE_E_BAD_FIELD, "type is required");
	if (strcmp(type, "qr") == 0)
		c->kind = RENDER_QR;
	else if (strcmp(type, "barcode") == 0)
		c->kind = RENDER_BARCODE;
	else
		return req_fail(r, QRE_E_UNPROCESSABLE,
		    "type must be \"qr\" or \"barcode\"");

	if ((e = json_get_string(r, body, "barcodeFormat", &bf, &blen,
	    &present)))
		return e;
	if (c->kind == RENDER_BARCODE) {
		if (!present)
			return req_fail(r, QRE_E_BAD_FIELD,
			    "barcodeFormat is required for barcodes");
		if (blen >= sizeof(c->barcode_format) || !render_format_known(bf))
			return req_fail(r, QRE_E_UNPROCESSABLE, "barcodeFormat "
			    "'%.32s' is not supported", bf);
		for (size_t i = 0; i <= blen; i++)
			c->barcode_format[i] = (char)toupper((unsigned char)bf[i]);
	}

	c->format = RENDER_PNG;
	if ((e = json_get_string(r, body, "format", &fmt, &flen, &present)))
		return e;
	if (present) {
		if (strcmp(fmt, "svg") == 0)
			c->format = RENDER_SVG;
		else if (strcmp(fmt, "png") != 0)
			return req_fail(r, QRE_E_UNPROCESSABLE,
			    "format must be \"png\" or \"svg\"");
	}

	if ((e = json_get_bool(r, body, "saveToLibrary", &b, &present)))
		return e;
	*save = present && b;
	if ((e = json_get_bool(r, body, "isDynamic", &b, &present)))
		return e;
	c->is_dynamic = present && b;
	if (c->is_dynamic && c->kind != RENDER_QR)
		return req_fail(r, QRE_E_UNPROCESSABLE,
		    "isDynamic is for QR codes only");
	if (c->is_dynamic)
		*save = 1;
	c->is_active = 1;

	if ((e = field_name(r, body, "name", c, &present)))
		return e;
	if ((e = json_get_string(r, body, "data", &data, &dlen, &present)))
		return e;
	if (!present)
		return req_fail(r, QRE_E_BAD_FIELD, "data is required");
	if (c->is_dynamic) {
		if ((e = field_destination(r, "data", data, dlen, TARGET_NONE, c)))
			return e;
	} else {
		if ((e = field_data(r, "data", data, dlen, c)))
			return e;
	}
	return field_customization(r, body, c);
}

enum qre_err
api_codes_generate(struct req *r)
{
	struct render_result img = { 0 };
	struct json_object *data = NULL, *uri;
	const struct plan_limits *pl = plan_limits(r->auth.plan);
	struct code *c;
	const char *over = NULL;
	int save = 0, tries = 0, clash = 0;
	enum qre_err e;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return QRE_E_INTERNAL;
	if ((e = parse_generate(r, c, &save)) != QRE_E_OK)
		goto fail;
	do {
		if ((e = new_ids(c)) != QRE_E_OK ||
		    (c->is_dynamic && (e = encode_short_url(r, c)) != QRE_E_OK))
			goto fail;
		/* Render before storing: what cannot be drawn is not kept. */
		render_result_free(&img);
		if ((e = code_image(r, c, &img)) != QRE_E_OK)
			goto fail;
		/* Stored as drawn, so that it is drawn the same way again. */
		if (c->style.size_auto && c->format == RENDER_PNG)
			c->style.size = img.width;
		if (!save)
			break;
		if ((e = code_save_new(r, c, &over, &clash)) != QRE_E_OK)
			goto fail;
	} while (clash && ++tries < CODE_INSERT_TRIES);
	if (clash) {
		e = QRE_E_INTERNAL;	/* five clashes of 95-bit ids: a bug */
		goto fail;
	}
	if (over != NULL) {
		e = req_fail(r, QRE_E_PLAN_LIMIT, "The %s plan allows %ld %s "
		    "codes; delete one or upgrade", pl->name, strcmp(over,
		    "saved") == 0 ? pl->saved : pl->dynamic, over);
		goto fail;
	}
	if ((uri = image_data_uri(&img)) == NULL) {
		e = QRE_E_INTERNAL;
		goto fail;
	}
	data = json_object_new_object();
	json_object_object_add(data, "id", save ?
	    json_object_new_string(c->public_id) : NULL);
	json_object_object_add(data, "name", c->has_name ?
	    json_object_new_string(c->name) : NULL);
	json_object_object_add(data, "type",
	    json_object_new_string(c->kind == RENDER_QR ? "qr" : "barcode"));
	json_object_object_add(data, "barcodeFormat", c->kind == RENDER_BARCODE ?
	    json_object_new_string(c->barcode_format) : NULL);
	json_object_object_add(data, "format",
	    json_object_new_string(c->format == RENDER_SVG ? "svg" : "png"));
	json_object_object_add(data, "isDynamic",
	    json_object_new_boolean(c->is_dynamic));
	if (c->is_dynamic) {
		json_object_object_add(data, "shortCode",
		    json_object_new_string(c->short_code));
		json_object_object_add(data, "shortUrl",
		    json_object_new_string_len(c->data, (int)c->data_len));
	}
	json_object_object_add(data, "width", json_object_new_int(img.width));
	json_object_object_add(data, "height", json_object_new_int(img.height));
	json_object_object_add(data, "moduleSize",
	    json_object_new_int(img.module_px));
	json_object_object_add(data, "imageBase64", uri);
	resp_ok(r, save ? 201 : 200, data, NULL);
	e = QRE_E_OK;
fail:
	render_result_free(&img);
	free(c);
	return e;
}

struct list_ctx {
	struct req *r;
	struct json_object *list;
	enum qre_err e;
	struct page_fill fill;
};

static void
add_code(const struct code *c, void *arg)
{
	struct list_ctx *ctx = arg;
	struct page_key key = { c->created_ms, c->id };
	struct json_object *o;

	if (page_fill_take(&ctx->fill, &key) && ctx->e == QRE_E_OK &&
	    (ctx->e = code_json(ctx->r, c, 0, &o)) == QRE_E_OK)
		json_object_array_add(ctx->list, o);
}

enum qre_err
api_codes_list(struct req *r)
{
	struct list_ctx ctx = { r, NULL, QRE_E_OK, { 0 } };
	struct json_object *data;
	struct page_cursor pc;
	enum code_filter filter = CODES_ALL;
	long long limit = CODES_LIMIT_DEFAULT, offset = 0, total = 0;
	char type[16], next[PAGE_CURSOR_BUF];
	const char *n;
	int got;
	enum qre_err e;
	enum db_rc rc;

	got = req_query(r, "type", type, sizeof(type));
	if (got != 0) {
		if (got > 0 && strcmp(type, "qr") == 0)
			filter = CODES_QR;
		else if (got > 0 && strcmp(type, "barcode") == 0)
			filter = CODES_BARCODE;
		else if (got < 0 || type[0] != '\0')
			return req_fail(r, QRE_E_UNPROCESSABLE,
			    "type must be \"qr\" or \"barcode\"");
	}
	if ((e = req_query_int(r, "limit", 1, CODES_LIMIT_MAX, &limit)) ||
	    (e = req_query_int(r, "offset", 0, 1000000000LL, &offset)) ||
	    (e = page_cursor_query(r, PAGE_CURSOR_CODES, "offset", &pc)))
		return e;
	if ((rc = code_count(r->db, r->auth.account_id, filter, &total)))
		return db_answer(rc);
	ctx.list = json_object_new_array();
	page_fill_init(&ctx.fill, limit);
	/* One code more than the page: whether there is a next one. */
	rc = code_list(r->db, r->auth.account_id, filter,
	    pc.has_key ? &pc.key : NULL, limit + 1, offset, add_code, &ctx);
	if (rc != DB_OK || ctx.e != QRE_E_OK) {
		json_object_put(ctx.list);
		return rc != DB_OK ? db_answer(rc) : ctx.e;
	}
	n = page_fill_next(&ctx.fill, PAGE_CURSOR_CODES, next);
	data = json_object_new_object();
	json_object_object_add(data, "codes", ctx.list);
	json_object_object_add(data, "total", json_object_new_int64(total));
	json_object_object_add(data, "limit", json_object_new_int64(limit));
	/*
	 * By offset, the members it always had; by cursor, the position
	 * is the cursor's: no offset, and the next page's cursor.
	 */
	if (!pc.given)
		json_object_object_add(data, "offset",
		    json_object_new_int64(offset));
	else
		json_object_object_add(data, "nextCursor", n != NULL ?
		    json_object_new_string(n) : NULL);
	resp_ok(r, 200, data, NULL);
	return QRE_E_OK;
}

static enum qre_err
answer_code(struct req *r, const struct code *c)
{
	struct json_object *o;
	enum qre_err e;

	if ((e = code_json(r, c, 1, &o)) != QRE_E_OK)
		return e;
	resp_ok(r, 200, o, NULL);
	return QRE_E_OK;
}

enum qre_err
api_codes_get(struct req *r)
{
	struct code *c;
	enum qre_err e;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return QRE_E_INTERNAL;
	if ((e = code_load(r, r->params[0], c)) == QRE_E_OK)
		e = answer_code(r, c);
	free(c);
	return e;
}

/*
 * PUT's fields onto c; nothing is written until all of them are valid.
 * *changed says whether anything is different.
 */
static enum qre_err
apply_update(struct req *r, struct code *c, int *changed)
{
	struct json_object *body = r->json, *v;
	struct render_result img = { 0 };
	const struct code before = *c;
	const char *s;
	size_t len;
	int present, has_url, has_text, b;
	enum qre_err e;

	/* "name": null removes the name. */
	if (json_object_object_get_ex(body, "name", &v) && v == NULL)
		c->has_name = 0;
	else if ((e = field_name(r, body, "name", c, &present)))
		return e;
	if ((e = json_get_string(r, body, "data", &s, &len, &present)))
		return e;
	if (present) {
		if (c->is_dynamic)
			return req_fail(r, QRE_E_UNPROCESSABLE, "data cannot "
			    "change on a dynamic code: its image stays the same; "
			    "set targetUrl or targetData instead");
		if ((e = field_data(r, "data", s, len, c)))
			return e;
		/* The new data must be drawable before it is stored. */
		if ((e = code_image(r, c, &img)) != QRE_E_OK)
			return e;
		render_result_free(&img);
	}
	has_url = json_object_object_get_ex(body, "targetUrl", NULL);
	has_text = json_object_object_get_ex(body, "targetData", NULL);
	if ((has_url || has_text) && !c->is_dynamic)
		return req_fail(r, QRE_E_UNPROCESSABLE, "%s is for dynamic "
		    "codes only; change data instead", has_url ? "targetUrl" :
		    "targetData");
	if (has_url && has_text)
		return req_fail(r, QRE_E_UNPROCESSABLE,
		    "give targetUrl or targetData, not both");
	if (has_url || has_text) {
		const char *field = has_url ? "targetUrl" : "targetData";

		if ((e = json_get_string(r, body, field, &s, &len, &present)))
			return e;
		if (!present)
			return req_fail(r, QRE_E_BAD_FIELD, "%s must be a string",
			    field);
		if ((e = field_destination(r, field, s, len, has_url ?
		    TARGET_URL : TARGET_TEXT, c)))
			return e;
	}
	if ((e = json_get_bool(r, body, "isActive", &b, &present)))
		return e;
	if (present)
		c->is_active = b;
	*changed = code_changed(&before, c);
	return QRE_E_OK;
}

enum qre_err
api_codes_update(struct req *r)
{
	struct code *c;
	int changed = 0;
	enum qre_err e;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return QRE_E_INTERNAL;
	if ((e = code_load(r, r->params[0], c)) || (e = apply_update(r, c, &changed)))
		goto done;
	if (!changed) {
		e = answer_code(r, c);	/* nothing to write, updatedAt stays */
		goto done;
	}
	if ((e = code_save_update(r, c)) != QRE_E_OK)
		goto done;
	e = answer_code(r, c);
done:
	free(c);
	return e;
}

enum qre_err
api_codes_delete(struct req *r)
{
	struct code *c;
	enum qre_err e;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return QRE_E_INTERNAL;
	if ((e = code_load(r, r->params[0], c)) == QRE_E_OK &&
	    (e = code_save_delete(r, c)) == QRE_E_OK)
		resp_ok(r, 200, NULL, "Code deleted");
	free(c);
	return e;
}
