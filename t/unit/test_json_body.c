/* test_json_body.c: strict parsing, depth bound, UTF-8, typed getters. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "json_body.h"
#include "tap.h"
#include "text.h"

static int
parses(const char *s)
{
	char why[200];
	struct json_object *o = json_parse_object(s, strlen(s), why, sizeof(why));
	int ok_ = o != NULL;

	json_object_put(o);
	return ok_;
}

/* json_body_parse() on a copy of body (the request owns a writable one),
 * as the worker calls it. */
static char *body_copy;

static enum qre_err
parse_body(struct req *r, const char *body)
{
	json_object_put(r->json);
	memset(r, 0, sizeof(*r));
	free(body_copy);
	if ((body_copy = strdup(body)) == NULL)
		abort();
	r->body = body_copy;
	r->body_len = strlen(body);
	return json_body_parse(r);
}

int
main(void)
{
	char why[200], *bomb;
	struct json_object *o;
	struct req r;
	const char *s;
	size_t len;
	long long i;
	int b, present;

	ok(parses("{\"a\":1}"), "object");
	ok(parses("  {\"a\":[1,2,{\"b\":null}]}  \n"), "nested with space");
	ok(!parses("[1,2]"), "array refused");
	ok(!parses("\"x\""), "string refused");
	ok(!parses("{\"a\":1} x"), "trailing garbage refused");
	ok(!parses("{\"a\":1,}"), "trailing comma refused (strict)");
	ok(!parses("{'a':1}"), "single quotes refused");
	ok(!parses("{\"a\":\"\xff\xfe\"}"), "invalid UTF-8 refused");
	ok(parses("{\"a\":\"\xc3\xa9\"}"), "valid UTF-8");
	ok(!parses(""), "empty refused");
	ok(!parses("{\"a\":1,\"a\":2}"), "duplicate member refused");
	ok(!parses("{\"type\":1,\"t\\u0079pe\":2}"), "duplicate spelled with an escape refused");
	ok(!parses("{\"a\\n\":1,\"a\\u000a\":2}"), "two escapes of one name refused");
	ok(parses("{\"\\u00e9\":1,\"\\u00e8\":2}"), "different escaped names accepted");
	ok(!parses("{\"a\":NaN}"), "NaN refused");
	ok(!parses("{\"a\":Infinity}"), "Infinity refused");
	ok(!parses("{\"a\":-Infinity}"), "-Infinity refused");
	ok(!parses("{\"a\":nan}"), "nan refused");
	ok(parses("{\"a\":[true,false,null,1e5,2E-3]}"), "literals and exponents accepted");
	{
		static const char *const bad_numbers[] = { "1.", "1.e5", "-.5",
		    "-01", "-", "[1.,2]", "0.e1", "1e", "2E+", "-a", "1.5.5",
		    "--1", "00" };
		static const char *const good_numbers[] = { "0", "-0", "1.5",
		    "-0.25", "0.0e-0", "1E5", "1e+5", "-1.5E-3", "[1,-2,3.5e2]",
		    "99999999999999999999999" };
		char body[64];

		for (size_t k = 0; k < sizeof(bad_numbers) / sizeof(*bad_numbers);
		    k++) {
			snprintf(body, sizeof(body), "{\"a\":%s}", bad_numbers[k]);
			ok(!parses(body), "number %s refused", bad_numbers[k]);
		}
		for (size_t k = 0; k < sizeof(good_numbers) / sizeof(*good_numbers);
		    k++) {
			snprintf(body, sizeof(body), "{\"a\":%s}", good_numbers[k]);
			ok(parses(body), "number %s accepted", good_numbers[k]);
		}
	}
	ok(!parses("{\"a\":\"x\x01y\"}"), "raw control character in a string refused");
	ok(!parses("{\"a\":\"x\ny\"}"), "raw newline in a string refused");
	ok(!parses("{\"a\":\"x\ty\"}"), "raw tab in a string refused");
	ok(!parses("{\"a\x01\":1}"), "raw control character in a name refused");
	ok(parses("{\"a\":\"x\\n\\t\\u0001\x7fy\"}"), "escaped controls and DEL accepted");
	ok(!parses("{\"a\":\"a\xc0\xaf" "b\"}"), "overlong UTF-8 refused");
	ok(!parses("{\"a\":\"a\xed\xa0\x80" "b\"}"), "encoded surrogate refused");
	ok(!parses("{\"a\":\"a\xf4\x90\x80\x80" "b\"}"), "past U+10FFFF refused");
	ok(!parses("{\"a\":{\"b\":1,\"c\":{\"x\":1},\"b\":2}}"),
	    "duplicate member in a nested object refused");
	ok(parses("{\"a\":{\"b\":1},\"c\":{\"b\":2},\"d\":[{\"b\":1},{\"b\":2}]}"),
	    "the same name in different objects is fine");
	ok(parses("{\"a\":\"{\\\"a\\\":1,\\\"a\\\":2}\",\"b\":\"it's\"}"),
	    "names and quotes inside string values are not members");
	ok(parses("{\"a\\\"\":1,\"a\":2}"), "escaped quote ends no name early");
	{
		char big[2048];
		size_t n = 0;

		n += (size_t)snprintf(big + n, sizeof(big) - n, "{");
		for (int k = 0; k < 65; k++)
			n += (size_t)snprintf(big + n, sizeof(big) - n, "%s\"k%d\":1",
			    k ? "," : "", k);
		snprintf(big + n, sizeof(big) - n, "}");
		ok(!parses(big), "65 members refused");
		big[0] = '\0';
		n = 0;
		n += (size_t)snprintf(big + n, sizeof(big) - n, "{");
		for (int k = 0; k < 64; k++)
			n += (size_t)snprintf(big + n, sizeof(big) - n, "%s\"k%d\":1",
			    k ? "," : "", k);
		snprintf(big + n, sizeof(big) - n, "}");
		ok(parses(big), "64 members accepted");
	}
	ok(!parses("{\"a\":"), "truncated refused");

	/* A nesting bomb: 100,000 levels must fail fast, not overflow. */
	bomb = malloc(200001);
	memset(bomb, '[', 100000);
	memset(bomb + 100000, ']', 100000);
	bomb[200000] = '\0';
	bomb[0] = '{';
	o = json_parse_object(bomb, 200000, why, sizeof(why));
	ok(o == NULL, "nesting bomb refused: %s", why);
	free(bomb);

	memset(&r, 0, sizeof(r));
	{
		const char *sample = "{\"s\":\"x\",\"n\":5,\"b\":true,"
		    "\"z\":null,\"nul\":\"a\\u0000b\"}";

		o = json_parse_object(sample, strlen(sample), why, sizeof(why));
	}
	ok(o != NULL, "sample parses");
	ok(json_get_string(&r, o, "s", &s, &len, &present) == QRE_E_OK &&
	    present && strcmp(s, "x") == 0 && len == 1, "string getter");
	ok(json_get_string(&r, o, "n", &s, &len, &present) == QRE_E_BAD_FIELD,
	    "number is not a string");
	is_str(r.errmsg, "n must be a string", "message names the field");
	ok(json_get_int(&r, o, "n", &i, &present) == QRE_E_OK && i == 5, "int");
	ok(json_get_bool(&r, o, "b", &b, &present) == QRE_E_OK && b == 1, "bool");
	ok(json_get_bool(&r, o, "s", &b, &present) == QRE_E_BAD_FIELD,
	    "string is not a bool");
	ok(json_get_string(&r, o, "z", &s, &len, &present) == QRE_E_OK &&
	    !present, "null counts as absent");
	ok(json_get_string(&r, o, "missing", &s, &len, &present) == QRE_E_OK &&
	    !present, "absent");
	ok(json_get_string(&r, o, "nul", &s, &len, &present) == QRE_E_BAD_FIELD,
	    "embedded NUL refused");
	json_object_put(o);

	/*
	 * Lone surrogate escapes: json-c turns them into U+FFFD; the client
	 * sent no character at all.  400 naming the field.
	 */
	{
		static const struct {
			const char *body, *field, *what;
		} lone[] = {
			{ "{\"title\":\"a\\ud800b\"}", "title", "lone high" },
			{ "{\"title\":\"\\udc00\"}", "title", "lone low" },
			{ "{\"title\":\"\\ud800\\u0041\"}", "title",
			    "high, then not a low" },
			{ "{\"title\":\"\\ud800\\ud800\\udc00\"}", "title",
			    "high, then a pair" },
			{ "{\"title\":\"\\udc00\\ud800\"}", "title",
			    "low, then high" },
			{ "{\"title\":\"x\\uDBFF\"}", "title",
			    "upper-case hex, at the end" },
			{ "{\"payload\":{\"url\":\"https://a.example/\\ud800\"}}",
			    "payload.url", "nested" },
			{ "{\"events\":[\"scan\",\"\\udfff\"]}", "events",
			    "in an array" },
			{ "{\"a\":1,\"t\\ud800\":2}", "a member name",
			    "in a member name" },
		};

		for (size_t k = 0; k < sizeof(lone) / sizeof(lone[0]); k++) {
			size_t n = strlen(lone[k].field);

			ok(parse_body(&r, lone[k].body) == QRE_E_BAD_FIELD &&
			    strncmp(r.errmsg, lone[k].field, n) == 0 &&
			    strstr(r.errmsg + n, " is not valid Unicode text") ==
			    r.errmsg + n && strstr(r.errmsg, "surrogate") != NULL,
			    "lone surrogate refused (%s): %s", lone[k].what,
			    r.errmsg);
		}
	}
	ok(parse_body(&r, "{\"t\":\"\\ud83d\\ude00\"}") == QRE_E_OK &&
	    json_get_string(&r, r.json, "t", &s, &len, &present) == QRE_E_OK &&
	    present && strcmp(s, "\xf0\x9f\x98\x80") == 0,
	    "a surrogate pair is one character");
	ok(parse_body(&r, "{\"t\":\"\\\\ud800\"}") == QRE_E_OK &&
	    json_get_string(&r, r.json, "t", &s, &len, &present) == QRE_E_OK &&
	    present && strcmp(s, "\\ud800") == 0,
	    "an escaped backslash before ud800 is text");
	ok(parse_body(&r, "{\"t\":\"\xef\xbf\xbd\"}") == QRE_E_OK,
	    "a real U+FFFD is text");

	/* json-c cuts member names at \u0000: "type\u0000x" would be "type". */
	ok(parse_body(&r, "{\"type\\u0000x\":\"qr\",\"data\":\"x\"}") ==
	    QRE_E_BAD_JSON, "a member name with \\u0000 refused: %s", r.errmsg);
	ok(parse_body(&r, "{\"type\":\"qr\",\"type\\u0000\":\"barcode\"}") ==
	    QRE_E_BAD_JSON, "a member name with \\u0000 cannot hide a duplicate");
	/* Names are compared as characters, however they are written. */
	ok(parse_body(&r, "{\"\xc3\xa9\":1,\"\\u00e9\":2}") == QRE_E_BAD_JSON,
	    "\\u00e9 and a raw U+00E9 are one name");
	ok(parse_body(&r, "{\"\xf0\x9f\x98\x80\":1,\"\\ud83d\\ude00\":2}") ==
	    QRE_E_BAD_JSON, "a surrogate pair and the raw character are one name");
	{
		char name[200], body[2 * sizeof(name) + 16];
		size_t n = 0;

		/* "x" and 70 two-byte characters: the message cuts it. */
		n += (size_t)snprintf(name + n, sizeof(name) - n, "x");
		for (int k = 0; k < 70; k++)
			n += (size_t)snprintf(name + n, sizeof(name) - n,
			    "\xc3\xa9");
		snprintf(body, sizeof(body), "{\"%s\":1,\"%s\":2}", name, name);
		ok(parse_body(&r, body) == QRE_E_BAD_JSON &&
		    strstr(r.errmsg, "twice") != NULL &&
		    utf8_valid(r.errmsg, strlen(r.errmsg)),
		    "a long duplicate name is cut at a character: %s", r.errmsg);
	}
	json_object_put(r.json);
	return done_testing();
}
