/* json_body.c: see json_body.h. */
#include "compat.h"

#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "json_body.h"

/*
 * json-c accepts single-quoted strings even in strict mode; RFC 8259
 * does not, and neither do we.  Returns the offset of the first quote
 * outside a string, or len.
 */
static size_t
stray_single_quote(const char *buf, size_t len)
{
	int in_string = 0;

	for (size_t i = 0; i < len; i++) {
		if (in_string) {
			if (buf[i] == '\\')
				i++;
			else if (buf[i] == '"')
				in_string = 0;
		} else if (buf[i] == '"')
			in_string = 1;
		else if (buf[i] == '\'')
			return i;
	}
	return len;
}

struct json_object *
json_parse_object(const char *buf, size_t len, char *why, size_t whysz)
{
	struct json_tokener *tok;
	struct json_object *obj = NULL;
	enum json_tokener_error jerr;
	size_t off;

	if ((off = stray_single_quote(buf, len)) < len) {
		snprintf(why, whysz, "unexpected ' at byte %zu", off);
		return NULL;
	}
	if ((tok = json_tokener_new_ex(JSON_DEPTH_MAX)) == NULL) {
		snprintf(why, whysz, "out of memory");
		return NULL;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
	    JSON_TOKENER_VALIDATE_UTF8);
	obj = json_tokener_parse_ex(tok, buf, (int)len);
	jerr = json_tokener_get_error(tok);
	off = json_tokener_get_parse_end(tok);
	if (obj == NULL || jerr != json_tokener_success) {
		if (jerr == json_tokener_continue)
			snprintf(why, whysz, "the body is empty or ends early");
		else if (jerr == json_tokener_error_depth)
			snprintf(why, whysz, "nesting deeper than %d levels",
			    JSON_DEPTH_MAX);
		else
			snprintf(why, whysz, "%s at byte %zu",
			    json_tokener_error_desc(jerr), off);
		goto fail;
	}
	/* Only white space may follow the value. */
	for (; off < len; off++)
		if (strchr(" \t\r\n", buf[off]) == NULL) {
			snprintf(why, whysz, "unexpected data after the JSON "
			    "value at byte %zu", off);
			goto fail;
		}
	if (!json_object_is_type(obj, json_type_object)) {
		snprintf(why, whysz, "the body must be a JSON object");
		goto fail;
	}
	json_tokener_free(tok);
	return obj;
fail:
	json_object_put(obj);
	json_tokener_free(tok);
	return NULL;
}

enum qre_err
json_body_parse(struct req *r)
{
	char why[200];

	if (r->json != NULL)
		return QRE_E_OK;
	if (r->body == NULL || r->body_len == 0)
		return req_fail(r, QRE_E_BAD_JSON,
		    "The request body is empty; a JSON object is required");
	if (strlen(r->body) != r->body_len)
		return req_fail(r, QRE_E_BAD_JSON,
		    "The request body is not valid JSON: it contains a NUL byte");
	if ((r->json = json_parse_object(r->body, r->body_len, why,
	    sizeof(why))) == NULL)
		return req_fail(r, QRE_E_BAD_JSON,
		    "The request body is not valid JSON: %s", why);
	return QRE_E_OK;
}

static enum qre_err
json_member(struct req *r, struct json_object *obj, const char *field,
    enum json_type want, const char *what, struct json_object **out,
    int *present)
{
	struct json_object *v;

	*present = 0;
	if (!json_object_object_get_ex(obj, field, &v) || v == NULL)
		return QRE_E_OK;	/* absent or null */
	if (!json_object_is_type(v, want))
		return req_fail(r, QRE_E_BAD_FIELD, "%s must be %s", field, what);
	*present = 1;
	*out = v;
	return QRE_E_OK;
}

enum qre_err
json_get_string(struct req *r, struct json_object *obj, const char *field,
    const char **out, size_t *len, int *present)
{
	struct json_object *v = NULL;
	enum qre_err e;

	e = json_member(r, obj, field, json_type_string, "a string", &v, present);
	if (e == QRE_E_OK && *present) {
		*out = json_object_get_string(v);
		if (len != NULL)
			*len = (size_t)json_object_get_string_len(v);
		/* "\u0000" would cut C strings short: refuse it. */
		if (strlen(*out) != (size_t)json_object_get_string_len(v))
			return req_fail(r, QRE_E_BAD_FIELD,
			    "%s must not contain NUL characters", field);
	}
	return e;
}

enum qre_err
json_get_bool(struct req *r, struct json_object *obj, const char *field,
    int *out, int *present)
{
	struct json_object *v = NULL;
	enum qre_err e;

	e = json_member(r, obj, field, json_type_boolean, "true or false", &v,
	    present);
	if (e == QRE_E_OK && *present)
		*out = json_object_get_boolean(v);
	return e;
}

enum qre_err
json_get_int(struct req *r, struct json_object *obj, const char *field,
    long long *out, int *present)
{
	struct json_object *v = NULL;
	enum qre_err e;

	e = json_member(r, obj, field, json_type_int, "an integer", &v, present);
	if (e == QRE_E_OK && *present)
		*out = (long long)json_object_get_int64(v);
	return e;
}

enum qre_err
json_get_object(struct req *r, struct json_object *obj, const char *field,
    struct json_object **out, int *present)
{
	return json_member(r, obj, field, json_type_object, "an object", out,
	    present);
}
