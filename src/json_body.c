/* json_body.c: see json_body.h. */
#include "compat.h"

#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "json_body.h"
#include "text.h"
#include "util.h"

/*
 * What json-c lets through and we do not, found in one pass over the
 * text json-c has already accepted: a single quote outside strings
 * (json-c takes 'x' as a string even in strict mode), NaN and Infinity,
 * numbers RFC 8259 does not have ("1.", "-.5", "-01"), raw control
 * characters in strings,
 * a member name given twice in one object (json-c keeps the last; a
 * client that sent both meant something we cannot know), a member name
 * with \u0000 in it (json-c cuts the name there, so "type\u0000x" would
 * be "type"), and a lone surrogate escape such as "\ud800" (json-c makes
 * it U+FFFD, a character the client never sent).  Objects may have at
 * most JSON_MEMBERS_MAX members, which also bounds the comparisons.
 */
#define JSON_CHECK_OK 0
#define JSON_CHECK_SYNTAX (-1)	/* the body as a whole: 400 invalid_json */
#define JSON_CHECK_FIELD (-2)	/* one field's value: 400 invalid_field */
#define JSON_SHOW_MAX 64	/* bytes of a name shown in a message */

static int
literal_ok(const char *s, size_t n)
{
	return (n == 4 && (memcmp(s, "true", 4) == 0 ||
	    memcmp(s, "null", 4) == 0)) ||
	    (n == 5 && memcmp(s, "false", 5) == 0);
}

/* The code unit of "\uXXXX" at s[i] (s[i] is the backslash), or -1. */
static long
escape_unit(const char *s, size_t len, size_t i)
{
	long cp = 0;

	if (i + 6 > len || s[i] != '\\' || s[i + 1] != 'u')
		return -1;
	for (size_t k = 2; k < 6; k++) {
		int h = hex_digit((unsigned char)s[i + k]);

		if (h < 0)
			return -1;
		cp = cp * 16 + h;
	}
	return cp;
}

#define IS_HIGH(u) ((u) >= 0xD800 && (u) <= 0xDBFF)
#define IS_LOW(u) ((u) >= 0xDC00 && (u) <= 0xDFFF)

#define IS_DIGIT(c) ((c) >= '0' && (c) <= '9')

/*
 * The end of the number that starts at s[i], or (size_t)-1 when it is
 * not one by RFC 8259's grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
 * and nothing number-like right after it.
 */
static size_t
number_end(const char *s, size_t len, size_t i)
{
	if (i < len && s[i] == '-')
		i++;
	if (i < len && s[i] == '0')
		i++;
	else if (i < len && s[i] >= '1' && s[i] <= '9')
		while (i < len && IS_DIGIT(s[i]))
			i++;
	else
		return (size_t)-1;
	if (i < len && s[i] == '.') {
		if (++i >= len || !IS_DIGIT(s[i]))
			return (size_t)-1;
		while (i < len && IS_DIGIT(s[i]))
			i++;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		if (++i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= len || !IS_DIGIT(s[i]))
			return (size_t)-1;
		while (i < len && IS_DIGIT(s[i]))
			i++;
	}
	if (i < len && strchr("0123456789.eE+-", s[i]) != NULL)
		return (size_t)-1;
	return i;
}

/*
 * The string whose opening quote is at s[i - 1]: returns the index of
 * its closing quote (len if there is none), and the byte offsets of its
 * first lone surrogate escape in *lone, of its first "\u0000" in *nul
 * and of its first raw control character in *ctl ((size_t)-1 when there
 * is none).
 */
static size_t
string_end(const char *s, size_t len, size_t i, size_t *lone, size_t *nul,
    size_t *ctl)
{
	*lone = *nul = *ctl = (size_t)-1;
	while (i < len && s[i] != '"') {
		long u, next;

		if (s[i] != '\\') {
			if ((unsigned char)s[i] < 0x20 && *ctl == (size_t)-1)
				*ctl = i;
			i++;
			continue;
		}
		if ((u = escape_unit(s, len, i)) < 0) {
			i += 2;		/* \" \\ \/ \b \f \n \r \t */
			continue;
		}
		if (u == 0 && *nul == (size_t)-1)
			*nul = i;
		if (IS_HIGH(u) && (next = escape_unit(s, len, i + 6)) >= 0 &&
		    IS_LOW(next)) {
			i += 12;	/* a pair: one character */
			continue;
		}
		if ((IS_HIGH(u) || IS_LOW(u)) && *lone == (size_t)-1)
			*lone = i;
		i += 6;
	}
	return i < len ? i : len;
}

/* Append c as UTF-8; -1 when it does not fit. */
static int
put_utf8(char *out, size_t outsz, size_t *o, unsigned long c)
{
	unsigned char b[4];
	size_t n;

	if (c < 0x80) {
		b[0] = (unsigned char)c;
		n = 1;
	} else if (c < 0x800) {
		b[0] = (unsigned char)(0xC0 | c >> 6);
		b[1] = (unsigned char)(0x80 | (c & 0x3F));
		n = 2;
	} else if (c < 0x10000) {
		b[0] = (unsigned char)(0xE0 | c >> 12);
		b[1] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
		b[2] = (unsigned char)(0x80 | (c & 0x3F));
		n = 3;
	} else {
		b[0] = (unsigned char)(0xF0 | c >> 18);
		b[1] = (unsigned char)(0x80 | (c >> 12 & 0x3F));
		b[2] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
		b[3] = (unsigned char)(0x80 | (c & 0x3F));
		n = 4;
	}
	if (*o + n > outsz)
		return -1;
	memcpy(out + *o, b, n);
	*o += n;
	return 0;
}

/*
 * A member name as its characters, in UTF-8: escapes decoded, so that
 * "type" and "t\u0079pe", or "\u00e9" and a raw U+00E9, are the same
 * name (as json-c will treat them).  Lone surrogates were refused
 * before.  Returns the decoded length, or (size_t)-1 when it does not
 * fit out.
 */
static size_t
decode_name(const char *s, size_t len, char *out, size_t outsz)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		long u, low;
		char c = s[i];

		if (c != '\\') {
			if (o + 1 > outsz)
				return (size_t)-1;
			out[o++] = c;
			continue;
		}
		if ((u = escape_unit(s, len, i)) >= 0) {
			i += 5;
			if (IS_HIGH(u) && (low = escape_unit(s, len, i + 1)) >= 0 &&
			    IS_LOW(low)) {
				u = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00);
				i += 6;
			}
			if (put_utf8(out, outsz, &o, (unsigned long)u) == -1)
				return (size_t)-1;
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

/*
 * How many of the n bytes at s to show so that a message never ends in
 * half a character: at most max, cut back to the start of a character.
 */
static int
show_len(const char *s, size_t n, size_t max)
{
	if (n <= max)
		return (int)n;
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return (int)n;
}

struct frame {
	int is_object, expect_name;
	size_t first;		/* its names start at names[first] */
	size_t name_off, name_len;	/* the member being read, if any */
	int has_name;
};

/*
 * The field a value belongs to, for a message: the names of the
 * enclosing members joined by dots ("payload.url"); an array's items
 * are named after the array.
 */
static void
field_path(const char *buf, const struct frame *stack, int depth, char *out,
    size_t outsz)
{
	size_t o = 0;

	out[0] = '\0';
	for (int d = 0; d <= depth; d++) {
		int w;

		if (!stack[d].is_object || !stack[d].has_name)
			continue;
		w = snprintf(out + o, outsz - o, "%s%.*s", o ? "." : "",
		    show_len(buf + stack[d].name_off, stack[d].name_len,
		    JSON_SHOW_MAX), buf + stack[d].name_off);
		if (w < 0 || (size_t)w >= outsz - o) {
			out[o] = '\0';	/* the names that fit */
			return;
		}
		o += (size_t)w;
	}
}

/* Returns JSON_CHECK_OK, or another JSON_CHECK_* with a reason. */
static int
json_extra_checks(const char *buf, size_t len, char *why, size_t whysz)
{
	struct frame stack[JSON_DEPTH_MAX + 2];
	struct name { size_t off, len; } names[JSON_DEPTH_MAX * JSON_MEMBERS_MAX];
	size_t nnames = 0;
	int depth = -1;

	for (size_t i = 0; i < len; i++) {
		char c = buf[i], path[JSON_SHOW_MAX * 2 + 1];

		if (c == '\'') {
			snprintf(why, whysz, "unexpected ' at byte %zu", i);
			return JSON_CHECK_SYNTAX;
		}
		/*
		 * json-c also takes NaN and Infinity; outside strings and
		 * numbers, JSON has only true, false and null.
		 */
		if (c == '-' || IS_DIGIT(c)) {
			size_t end = number_end(buf, len, i);

			if (end == (size_t)-1) {
				snprintf(why, whysz, "malformed number at byte %zu",
				    i);
				return JSON_CHECK_SYNTAX;
			}
			i = end - 1;
			continue;
		}
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
			size_t w = i;

			while (w < len && ((buf[w] >= 'a' && buf[w] <= 'z') ||
			    (buf[w] >= 'A' && buf[w] <= 'Z')))
				w++;
			if (!literal_ok(buf + i, w - i)) {
				snprintf(why, whysz, "unexpected '%.*s' at byte "
				    "%zu", (int)(w - i) > 16 ? 16 : (int)(w - i),
				    buf + i, i);
				return JSON_CHECK_SYNTAX;
			}
			i = w - 1;
			continue;
		}
		if (c == '{' || c == '[') {
			if (depth + 1 >= (int)QRE_NELEM(stack))
				return JSON_CHECK_OK;	/* json-c refuses the depth */
			depth++;
			stack[depth].is_object = c == '{';
			stack[depth].expect_name = c == '{';
			stack[depth].first = nnames;
			stack[depth].has_name = 0;
		} else if ((c == '}' || c == ']') && depth >= 0) {
			nnames = stack[depth].first;
			depth--;
		} else if (c == ',' && depth >= 0 && stack[depth].is_object)
			stack[depth].expect_name = 1;
		else if (c == '"') {
			size_t start = i + 1, lone, nul, ctl;
			int is_name;

			i = string_end(buf, len, start, &lone, &nul, &ctl);
			if (ctl != (size_t)-1) {
				snprintf(why, whysz, "control character 0x%02x in "
				    "a string at byte %zu (escape it)",
				    (unsigned char)buf[ctl], ctl);
				return JSON_CHECK_SYNTAX;
			}
			is_name = depth >= 0 && stack[depth].is_object &&
			    stack[depth].expect_name;
			if (lone != (size_t)-1) {
				if (is_name)
					snprintf(path, sizeof(path), "a member name");
				else
					field_path(buf, stack, depth, path,
					    sizeof(path));
				snprintf(why, whysz, "%s is not valid Unicode "
				    "text: %.6s at byte %zu is a lone surrogate",
				    path[0] ? path : "a value", buf + lone, lone);
				return JSON_CHECK_FIELD;
			}
			if (!is_name)
				continue;
			if (nul != (size_t)-1) {
				snprintf(why, whysz, "a member name contains "
				    "\\u0000 at byte %zu", nul);
				return JSON_CHECK_SYNTAX;
			}
			stack[depth].expect_name = 0;
			for (size_t k = stack[depth].first; k < nnames; k++)
				if (same_name(buf + names[k].off, names[k].len,
				    buf + start, i - start)) {
					snprintf(why, whysz, "member \"%.*s\" "
					    "appears twice", show_len(buf + start,
					    i - start, JSON_SHOW_MAX), buf + start);
					return JSON_CHECK_SYNTAX;
				}
			if (nnames - stack[depth].first >= JSON_MEMBERS_MAX ||
			    nnames == QRE_NELEM(names)) {
				snprintf(why, whysz, "an object has more than "
				    "%d members", JSON_MEMBERS_MAX);
				return JSON_CHECK_SYNTAX;
			}
			names[nnames].off = start;
			names[nnames].len = i - start;
			nnames++;
			stack[depth].name_off = start;
			stack[depth].name_len = i - start;
			stack[depth].has_name = 1;
		}
	}
	return JSON_CHECK_OK;
}

/* json_parse_object(), saying in *kind which error a failure is. */
static struct json_object *
parse_object(const char *buf, size_t len, char *why, size_t whysz,
    enum qre_err *kind)
{
	struct json_tokener *tok;
	struct json_object *obj = NULL;
	enum json_tokener_error jerr;
	size_t off;
	int rc;

	*kind = QRE_E_BAD_JSON;
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
	if ((rc = json_extra_checks(buf, len, why, whysz)) != JSON_CHECK_OK) {
		if (rc == JSON_CHECK_FIELD)
			*kind = QRE_E_BAD_FIELD;
		goto fail;
	}
	json_tokener_free(tok);
	return obj;
fail:
	json_object_put(obj);
	json_tokener_free(tok);
	return NULL;
}

struct json_object *
json_parse_object(const char *buf, size_t len, char *why, size_t whysz)
{
	enum qre_err kind;

	return parse_object(buf, len, why, whysz, &kind);
}

enum qre_err
json_body_parse(struct req *r)
{
	char why[200];
	enum qre_err kind;

	if (r->json != NULL)
		return QRE_E_OK;
	if (r->body == NULL || r->body_len == 0)
		return req_fail(r, QRE_E_BAD_JSON,
		    "The request body is empty; a JSON object is required");
	if (strlen(r->body) != r->body_len)
		return req_fail(r, QRE_E_BAD_JSON,
		    "The request body is not valid JSON: it contains a NUL byte");

	if ((r->json = parse_object(r->body, r->body_len, why, sizeof(why),
	    &kind)) == NULL) {
		if (kind == QRE_E_BAD_FIELD)	/* why names the field */
			return req_fail(r, kind, "%s", why);
		return req_fail(r, QRE_E_BAD_JSON,
		    "The request body is not valid JSON: %s", why);
	}
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
		/* Never true after json_body_parse(); a guard for other callers. */
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
