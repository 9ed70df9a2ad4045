/* json_body.c: see json_body.h. */
#include "compat.h"

#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "json_body.h"
#include "text.h"

/*
 * What json-c lets through and we do not, found in one pass over the
 * text json-c has already accepted: a single quote outside strings
 * (json-c takes 'x' as a string even in strict mode) and a member name
 * given twice in one object (json-c keeps the last; a client that sent
 * both meant something we cannot know).  Names are compared as written.
 * Objects may have at most JSON_MEMBERS_MAX members, which also bounds
 * the comparisons.  Returns 0, or -1 with a reason.
 */
static int
literal_ok(const char *s, size_t n)
{
	return (n == 4 && (memcmp(s, "true", 4) == 0 ||
	    memcmp(s, "null", 4) == 0)) ||
	    (n == 5 && memcmp(s, "false", 5) == 0) ||
	    (n == 1 && (s[0] == 'e' || s[0] == 'E'));
}

/*
 * A member name as its characters: escapes decoded, so that "type" and
 * "t\u0079pe" are the same name (as json-c will treat them).  Returns
 * the decoded length, or (size_t)-1 when it does not fit out.
 */
static size_t
decode_name(const char *s, size_t len, char *out, size_t outsz)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned long cp;
		char c = s[i];

		if (c != '\\') {
			if (o + 1 > outsz)
				return (size_t)-1;
			out[o++] = c;
			continue;
		}
		if (++i >= len)
			return (size_t)-1;
		switch (s[i]) {
		case 'b': c = '\b'; break;
		case 'f': c = '\f'; break;
		case 'n': c = '\n'; break;
		case 'r': c = '\r'; break;
		case 't': c = '\t'; break;
		case 'u':
			if (i + 4 >= len)
				return (size_t)-1;
			cp = 0;
			for (int k = 1; k <= 4; k++) {
				char h = s[i + k];

				cp = cp * 16 + (unsigned long)(h >= '0' && h <= '9' ?
				    h - '0' : (h | 0x20) - 'a' + 10);
			}
			i += 4;
			/* Code units are compared as such: enough to match. */
			if (o + 2 > outsz)
				return (size_t)-1;
			out[o++] = (char)(cp >> 8);
			out[o++] = (char)(cp & 0xFF);
			if (cp < 0x80) {	/* ASCII: as if written plainly */
				o -= 2;
				out[o++] = (char)cp;
			}
			continue;
		default:
			c = s[i];	/* \" \\ \/ */
			break;
		}
		if (o + 1 > outsz)
			return (size_t)-1;
		out[o++] = c;
	}
	return o;
}

static int
same_name(const char *a, size_t alen, const char *b, size_t blen)
{
	char da[JSON_NAME_CMP_MAX], db[JSON_NAME_CMP_MAX];
	size_t la, lb;

	if (memchr(a, '\\', alen) == NULL && memchr(b, '\\', blen) == NULL)
		return alen == blen && memcmp(a, b, alen) == 0;
	la = decode_name(a, alen, da, sizeof(da));
	lb = decode_name(b, blen, db, sizeof(db));
	if (la == (size_t)-1 || lb == (size_t)-1)
		return alen == blen && memcmp(a, b, alen) == 0;
	return la == lb && memcmp(da, db, la) == 0;
}

static int
json_extra_checks(const char *buf, size_t len, char *why, size_t whysz)
{
	struct frame {
		int is_object, expect_name;
		size_t first;		/* its names start at names[first] */
	} stack[JSON_DEPTH_MAX + 2];
	struct name { size_t off, len; } names[JSON_DEPTH_MAX * JSON_MEMBERS_MAX];
	size_t nnames = 0;
	int depth = -1;

	for (size_t i = 0; i < len; i++) {
		char c = buf[i];

		if (c == '\'') {
			snprintf(why, whysz, "unexpected ' at byte %zu", i);
			return -1;
		}
		/*
		 * json-c also takes NaN and Infinity; JSON has only true,
		 * false, null and the exponent letter of numbers.
		 */
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
			size_t w = i;

			while (w < len && ((buf[w] >= 'a' && buf[w] <= 'z') ||
			    (buf[w] >= 'A' && buf[w] <= 'Z')))
				w++;
			if (!literal_ok(buf + i, w - i)) {
				snprintf(why, whysz, "unexpected '%.*s' at byte "
				    "%zu", (int)(w - i) > 16 ? 16 : (int)(w - i),
				    buf + i, i);
				return -1;
			}
			i = w - 1;
			continue;
		}
		if (c == '{' || c == '[') {
			if (depth + 1 >= (int)QRE_NELEM(stack))
				return 0;	/* json-c refuses the depth */
			depth++;
			stack[depth].is_object = c == '{';
			stack[depth].expect_name = c == '{';
			stack[depth].first = nnames;
		} else if ((c == '}' || c == ']') && depth >= 0) {
			nnames = stack[depth].first;
			depth--;
		} else if (c == ',' && depth >= 0 && stack[depth].is_object)
			stack[depth].expect_name = 1;
		else if (c == '"') {
			size_t start = ++i;

			while (i < len && buf[i] != '"')
				i += buf[i] == '\\' ? 2 : 1;
			if (depth < 0 || !stack[depth].is_object ||
			    !stack[depth].expect_name)
				continue;
			stack[depth].expect_name = 0;
			for (size_t k = stack[depth].first; k < nnames; k++)
				if (same_name(buf + names[k].off, names[k].len,
				    buf + start, i - start)) {
					snprintf(why, whysz, "member \"%.*s\" "
					    "appears twice", (int)(i - start) > 64 ?
					    64 : (int)(i - start), buf + start);
					return -1;
				}
			if (nnames - stack[depth].first >= JSON_MEMBERS_MAX ||
			    nnames == QRE_NELEM(names)) {
				snprintf(why, whysz, "an object has more than "
				    "%d members", JSON_MEMBERS_MAX);
				return -1;
			}
			names[nnames].off = start;
			names[nnames].len = i - start;
			nnames++;
		}
	}
	return 0;
}

struct json_object *
json_parse_object(const char *buf, size_t len, char *why, size_t whysz)
{
	struct json_tokener *tok;
	struct json_object *obj = NULL;
	enum json_tokener_error jerr;
	size_t off;

	/* json-c checks the shape of UTF-8 only, not overlongs or surrogates. */
	if (!utf8_valid(buf, len)) {
		snprintf(why, whysz, "it is not valid UTF-8");
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
	if (json_extra_checks(buf, len, why, whysz) == -1)
		goto fail;
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
		/* A lone "\ud800" escape decodes to no valid character. */
		if (!utf8_valid(*out, (size_t)json_object_get_string_len(v)))
			return req_fail(r, QRE_E_BAD_FIELD,
			    "%s is not valid Unicode text", field);
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
