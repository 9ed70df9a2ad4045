/* test_json_body.c: strict parsing, depth bound, UTF-8, typed getters. */
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
