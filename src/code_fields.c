/* code_fields.c: see code_fields.h. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "code_fields.h"
#include "compat.h"
#include "json_body.h"
#include "text.h"

enum qre_err
field_name(struct req *r, struct json_object *obj, const char *field,
    struct code *c, int *present)
{
	const char *s;
	size_t len;
	enum qre_err e;

	if ((e = json_get_string(r, obj, field, &s, &len, present)) || !*present)
		return e;
	if (is_blank(s, len))
		return req_fail(r, QRE_E_UNPROCESSABLE, "%s must not be empty",
		    field);
	if (len > CODE_NAME_BYTES || utf8_chars(s, len) > CODE_NAME_MAX)
		return req_fail(r, QRE_E_UNPROCESSABLE,
		    "%s must be at most %d characters", field, CODE_NAME_MAX);
	if (has_control_chars(s, len))
		return req_fail(r, QRE_E_UNPROCESSABLE,
		    "%s must not contain control characters", field);
	memcpy(c->name, s, len + 1);
	c->has_name = 1;
	return QRE_E_OK;
}

int
is_http_url(const char *s, size_t len)
{
	size_t skip;

	if (len > 7 && strncasecmp(s, "http://", 7) == 0)
		skip = 7;
	else if (len > 8 && strncasecmp(s, "https://", 8) == 0)
		skip = 8;
	else
		return 0;
	/* A host must follow; no spaces or control characters anywhere. */
	if (s[skip] == '/' || s[skip] == '?' || s[skip] == '#')
		return 0;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7F)
			return 0;
	return 1;
}

enum qre_err
field_destination(struct req *r, const char *field, const char *s, size_t len,
    enum code_target want, struct code *c)
{
	int looks_url = len >= 5 && (strncasecmp(s, "http:", 5) == 0 ||
	    strncasecmp(s, "https:", 6) == 0);

	if (len == 0)
		return req_fail(r, QRE_E_UNPROCESSABLE, "%s must not be empty",
		    field);
	if (len > CODE_TARGET_BYTES)
		return req_fail(r, QRE_E_UNPROCESSABLE, "%s must be at most %d "
		    "bytes (it has %zu)", field, CODE_TARGET_BYTES, len);
	if (want == TARGET_URL || (want == TARGET_NONE && looks_url)) {
		if (utf8_chars(s, len) > CODE_URL_MAX)
			return req_fail(r, QRE_E_UNPROCESSABLE, "%s must be a URL "
			    "of at most %d characters", field, CODE_URL_MAX);
		if (!is_http_url(s, len))
			return req_fail(r, QRE_E_UNPROCESSABLE, "%s must be an "
			    "http or https URL with a host and no spaces", field);
		c->target_type = TARGET_URL;
	} else
		c->target_type = TARGET_TEXT;
	memcpy(c->target, s, len);
	c->target[len] = '\0';
	c->target_len = len;
	return QRE_E_OK;
}

enum qre_err
field_data(struct req *r, const char *field, const char *s, size_t len,
    struct code *c)
{
	if (len == 0 || len > CODE_DATA_BYTES)
		return req_fail(r, QRE_E_UNPROCESSABLE, "%s must be 1 to %d "
		    "bytes (it has %zu)", field, CODE_DATA_BYTES, len);
	memcpy(c->data, s, len);
	c->data[len] = '\0';
	c->data_len = len;
	if (c->kind == RENDER_QR)
		c->target_type = is_http_url(s, len) ? TARGET_URL : TARGET_TEXT;
	return QRE_E_OK;
}

static enum qre_err
field_color(struct req *r, struct json_object *obj, const char *field,
    int allow_transparent, char *out)
{
	const char *s;
	uint32_t rgb;
	int present, transparent;
	size_t len;
	enum qre_err e;

	if ((e = json_get_string(r, obj, field, &s, &len, &present)) || !present)
		return e;
	if (render_parse_color(s, &rgb, allow_transparent ? &transparent :
	    NULL) == -1)
		return req_fail(r, QRE_E_UNPROCESSABLE, "%s must be #RRGGBB%s, "
		    "not '%.40s'", field, allow_transparent ?
		    " or \"transparent\"" : "", s);
	if (allow_transparent && transparent)
		strlcpy(out, "transparent", CODE_COLOR_BUF);
	else
		snprintf(out, CODE_COLOR_BUF, "#%06X", (unsigned int)rgb);
	return QRE_E_OK;
}

static enum qre_err
field_int_range(struct req *r, struct json_object *obj, const char *field,
    long long min, long long max, int *out)
{
	long long v;
	int present;
	enum qre_err e;

	if ((e = json_get_int(r, obj, field, &v, &present)) || !present)
		return e;
	if (v < min || v > max)
		return req_fail(r, QRE_E_UNPROCESSABLE,
		    "%s must be between %lld and %lld", field, min, max);
	*out = (int)v;
	return QRE_E_OK;
}

enum qre_err
field_customization(struct req *r, struct json_object *obj, struct code *c)
{
	struct json_object *cust = NULL;
	const char *ecc;
	size_t len;
	int present;
	enum qre_err e;

	strlcpy(c->style.color, "#000000", sizeof(c->style.color));
	strlcpy(c->style.background, "#FFFFFF", sizeof(c->style.background));
	c->style.size = RENDER_SIZE_DEFAULT;
	c->style.size_auto = 1;
	c->style.ecc = 'M';
	c->style.margin = RENDER_MARGIN_DEFAULT;
	if ((e = json_get_object(r, obj, "customization", &cust, &present)) ||
	    !present)
		return e;
	c->style.size_auto = !json_object_object_get_ex(cust, "size", NULL);
	if ((e = field_color(r, cust, "color", 0, c->style.color)) ||
	    (e = field_color(r, cust, "backgroundColor", 1,
	    c->style.background)) ||
	    (e = field_int_range(r, cust, "size", RENDER_SIZE_MIN,
	    RENDER_SIZE_MAX, &c->style.size)) ||
	    (e = field_int_range(r, cust, "margin", 0, RENDER_MARGIN_MAX,
	    &c->style.margin)))
		return e;
	if ((e = json_get_string(r, cust, "errorCorrection", &ecc, &len,
	    &present)))
		return e;
	if (present) {
		if (len != 1 || strchr("LMQH", ecc[0]) == NULL)
			return req_fail(r, QRE_E_UNPROCESSABLE,
			    "errorCorrection must be L, M, Q or H");
		c->style.ecc = ecc[0];
	}
	return QRE_E_OK;
}

void
code_render_spec(const struct code *c, struct render_spec *spec)
{
	int transparent = 0;

	render_spec_init(spec);
	spec->kind = c->kind;
	spec->barcode_format = c->barcode_format[0] ? c->barcode_format : NULL;
	spec->format = c->format;
	spec->data = (const unsigned char *)c->data;
	spec->data_len = c->data_len;
	spec->ecc = c->style.ecc;
	render_parse_color(c->style.color, &spec->fg, NULL);
	render_parse_color(c->style.background, &spec->bg, &transparent);
	spec->bg_transparent = transparent;
	spec->size = c->style.size;
	spec->margin = c->style.margin;
	/* No size asked for: a long barcode gets the width it needs. */
	spec->grow_to_fit = c->style.size_auto && c->kind == RENDER_BARCODE;
}
