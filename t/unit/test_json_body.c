/* test_json_body.c: strict parsing, depth bound, UTF-8, typed getters. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "json_body.h"
#include "tap.h"

static int
parses(const char *s)
{
	char why[200];
	struct json_object *o = json_parse_object(s, strlen(s), why, sizeof(why));
	int ok_ = o != NULL;

	json_object_put(o);
	return ok_;
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
	return done_testing();
}
