/* code_view.c: see code_view.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/evp.h>

#include "code_fields.h"
#include "code_view.h"
#include "compat.h"
#include "log.h"
#include "timefmt.h"

enum qre_err
code_image(struct req *r, const struct code *c, struct render_result *img)
{
	struct render_spec spec;
	char why[RENDER_REASON_MAX];

	code_render_spec(c, &spec);
	switch (render(&spec, img, why, sizeof(why))) {
	case RENDER_OK:
		return QRE_E_OK;
	case RENDER_EINPUT:
		return req_fail(r, QRE_E_UNPROCESSABLE, "%s", why);
	default:
		log_err("render %s: %s", c->public_id, why);
		return QRE_E_INTERNAL;
	}
}

struct json_object *
image_data_uri(const struct render_result *img)
{
	static const char png[] = "data:image/png;base64,";
	static const char svg[] = "data:image/svg+xml;base64,";
	const char *prefix = strcmp(img->content_type, "image/png") == 0 ?
	    png : svg;
	size_t plen = strlen(prefix), blen = 4 * ((img->len + 2) / 3);
	struct json_object *s;
	char *buf;
	int n;

	if ((buf = malloc(plen + blen + 1)) == NULL)
		return NULL;
	memcpy(buf, prefix, plen);
	n = EVP_EncodeBlock((unsigned char *)buf + plen, img->bytes,
	    (int)img->len);
	s = json_object_new_string_len(buf, (int)plen + n);
	free(buf);
	return s;
}

int
short_url(const struct req *r, const char *short_code, char *buf, size_t bufsz)
{
	int n = snprintf(buf, bufsz, "%s/%s", r->cfg->public_url, short_code);

	return n < 0 || (size_t)n >= bufsz ? -1 : 0;
}

static void
add_str(struct json_object *o, const char *key, const char *s)
{
	json_object_object_add(o, key, s ? json_object_new_string(s) : NULL);
}

enum qre_err
code_json(struct req *r, const struct code *c, int with_image,
    struct json_object **out)
{
	struct json_object *o = json_object_new_object(), *cust, *uri;
	struct render_result img = { 0 };
	char ts[RFC3339_LEN], url[QRE_CONFIG_STR_MAX + SHORT_CODE_LEN + 2];
	enum qre_err e;

	add_str(o, "id", c->public_id);
	add_str(o, "name", c->has_name ? c->name : NULL);
	add_str(o, "type", c->kind == RENDER_BARCODE ? "barcode" : "qr");
	add_str(o, "barcodeFormat", c->barcode_format[0] ? c->barcode_format :
	    NULL);
	add_str(o, "format", c->format == RENDER_SVG ? "svg" : "png");
	json_object_object_add(o, "data",
	    json_object_new_string_len(c->data, (int)c->data_len));
	json_object_object_add(o, "isDynamic",
	    json_object_new_boolean(c->is_dynamic));
	add_str(o, "shortCode", c->is_dynamic ? c->short_code : NULL);
	if (c->is_dynamic) {
		if (short_url(r, c->short_code, url, sizeof(url)) == 0)
			add_str(o, "shortUrl", url);
		json_object_object_add(o, c->target_type == TARGET_URL ?
		    "targetUrl" : "targetData", json_object_new_string_len(
		    c->target, (int)c->target_len));
	}
	json_object_object_add(o, "isActive",
	    json_object_new_boolean(c->is_active));
	cust = json_object_new_object();
	add_str(cust, "color", c->style.color);
	add_str(cust, "backgroundColor", c->style.background);
	json_object_object_add(cust, "size", json_object_new_int(c->style.size));
	if (c->kind == RENDER_QR) {
		char ecc[2] = { c->style.ecc, '\0' };

		add_str(cust, "errorCorrection", ecc);
	}
	json_object_object_add(cust, "margin",
	    c->style.margin == RENDER_MARGIN_DEFAULT ? NULL :
	    json_object_new_int(c->style.margin));
	json_object_object_add(o, "customization", cust);
	if (with_image) {
		if ((e = code_image(r, c, &img)) != QRE_E_OK) {
			json_object_put(o);
			return e;
		}
		uri = image_data_uri(&img);
		render_result_free(&img);
		if (uri == NULL) {
			json_object_put(o);
			return QRE_E_INTERNAL;
		}
		json_object_object_add(o, "imageBase64", uri);
	}
	json_object_object_add(o, "scans", json_object_new_int64(c->scans));
	add_str(o, "createdAt", rfc3339(c->created_at, ts));
	add_str(o, "updatedAt", rfc3339(c->updated_at, ts));
	*out = o;
	return QRE_E_OK;
}

/* A code as v1 shows it. */
struct json_object *
code_v1_json(const struct req *r, const struct code *c)
{
	struct json_object *o = json_object_new_object(), *payload;
	char ts[RFC3339_LEN], url[QRE_CONFIG_STR_MAX + SHORT_CODE_LEN + 2];
	int is_url = c->target_type == TARGET_URL;
	const char *text = c->is_dynamic ? c->target : c->data;
	size_t len = c->is_dynamic ? c->target_len : c->data_len;

	json_object_object_add(o, "id", json_object_new_string(c->public_id));
	json_object_object_add(o, "shortCode", c->is_dynamic ?
	    json_object_new_string(c->short_code) : NULL);
	if (c->is_dynamic && short_url(r, c->short_code, url, sizeof(url)) == 0)
		json_object_object_add(o, "shortUrl", json_object_new_string(url));
	json_object_object_add(o, "type", json_object_new_string(is_url ?
	    "url" : "text"));
	json_object_object_add(o, "mode", json_object_new_string(c->is_dynamic ?
	    "dynamic" : "static"));
	json_object_object_add(o, "title", c->has_name ?
	    json_object_new_string(c->name) : NULL);
	payload = json_object_new_object();
	json_object_object_add(payload, is_url ? "url" : "text",
	    json_object_new_string_len(text, (int)len));
	json_object_object_add(o, "payload", payload);
	json_object_object_add(o, "active", json_object_new_boolean(c->is_active));
	json_object_object_add(o, "scans", json_object_new_int64(c->scans));
	json_object_object_add(o, "createdAt",
	    json_object_new_string(rfc3339(c->created_at, ts)));
	json_object_object_add(o, "updatedAt",
	    json_object_new_string(rfc3339(c->updated_at, ts)));
	return o;
}

/*
 * The payload of a lifecycle event about c: the code as v1 shows it.
 * malloc'd, NUL-terminated; NULL when out of memory.
 */
char *
code_event_json(const struct req *r, const struct code *c)
{
	struct json_object *o = code_v1_json(r, c);
	const char *s = json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	char *copy = s ? strdup(s) : NULL;

	json_object_put(o);
	return copy;
}
