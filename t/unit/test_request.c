/*
 * test_request.c: req_fail() messages go out in a JSON string: whatever
 * input they quote (ids from the path, values cut at a byte count by
 * "%.40s"), they are valid UTF-8 and cut between characters.  And the
 * query string: req_query() (repeated keys, %-decoding, bad escapes,
 * empty values) and req_query_int().
 */
#include <string.h>

#include "request.h"
#include "text.h"
#include "tap.h"

#define FFFD "\xEF\xBF\xBD"

static struct req r;

/* req_query(name) on query: its answer and, when found, the value. */
static void
query_is(const char *query, const char *name, int want, const char *value,
    const char *what)
{
	char buf[16];
	int got;

	r.query = query;
	memset(buf, 'Z', sizeof(buf));
	got = req_query(&r, name, buf, sizeof(buf));
	is_int(got, want, "%s: answer", what);
	if (want == 1)
		is_str(buf, value, "%s: value", what);
}

static void
test_query(void)
{
	long long v;

	query_is("", "page", 0, NULL, "empty query");
	query_is("page=2", "page", 1, "2", "one key");
	query_is("limit=5&page=3", "page", 1, "3", "the second key");
	query_is("page=1&page=2", "page", 1, "1", "repeated key: the first");
	query_is("pages=9&page=4", "page", 1, "4", "a longer key is another");
	query_is("xpage=9", "page", 0, NULL, "a key ending in the name");
	query_is("pag=9", "page", 0, NULL, "a shorter key");
	query_is("page=", "page", 1, "", "an empty value");
	query_is("page", "page", 1, "", "a key without '='");
	query_is("page&limit=2", "limit", 1, "2", "after a bare key");
	query_is("&&page=5&", "page", 1, "5", "empty pairs are skipped");
	query_is("q=a%20b+c", "q", 1, "a b c", "%20 and '+' are spaces");
	query_is("q=%41%62", "q", 1, "Ab", "%-decoding, either case");
	query_is("q=%2B%26%3D", "q", 1, "+&=", "encoded syntax stays data");
	query_is("q=%C3%A9", "q", 1, "\xC3\xA9", "UTF-8 bytes");
	query_is("q=%4", "q", -1, NULL, "a cut escape");
	query_is("q=%", "q", -1, NULL, "a lone '%'");
	query_is("q=%G1", "q", -1, NULL, "a bad hex digit");
	query_is("q=%00", "q", -1, NULL, "an encoded NUL");
	query_is("q=0123456789abcde", "q", 1, "0123456789abcde",
	    "15 bytes fit in 16");
	query_is("q=0123456789abcdef", "q", -1, NULL, "16 bytes do not");
	query_is("q=%4&page=2", "page", 1, "2", "a bad value elsewhere is "
	    "not read");

	r.query = "limit=25&page=-3&big=99999999999999999999&x=1x&p=+2&h=0x10"
	    "&e=&m=-";
	v = 7;
	is_int(req_query_int(&r, "absent", 1, 100, &v), QRE_E_OK, "int: absent");
	is_int(v, 7, "int: absent leaves the value");
	is_int(req_query_int(&r, "limit", 1, 100, &v), QRE_E_OK, "int: 25");
	is_int(v, 25, "int: the value");
	is_int(req_query_int(&r, "page", -5, 5, &v), QRE_E_OK, "int: negative");
	is_int(v, -3, "int: -3");
	is_int(req_query_int(&r, "limit", 1, 20, &v), QRE_E_UNPROCESSABLE,
	    "int: past max: 422");
	is_str(r.errmsg, "limit must be between 1 and 20", "int: the range");
	is_int(req_query_int(&r, "big", 0, 100, &v), QRE_E_UNPROCESSABLE,
	    "int: overflow: 422");
	is_int(req_query_int(&r, "x", 0, 100, &v), QRE_E_BAD_FIELD,
	    "int: '1x': 400");
	is_str(r.errmsg, "x must be an integer", "int: names the parameter");
	is_int(req_query_int(&r, "p", 0, 100, &v), QRE_E_BAD_FIELD,
	    "int: '+2' (a space, decoded): 400");
	is_int(req_query_int(&r, "h", 0, 100, &v), QRE_E_BAD_FIELD,
	    "int: '0x10': 400");
	is_int(req_query_int(&r, "e", 0, 100, &v), QRE_E_BAD_FIELD,
	    "int: empty: 400");
	is_int(req_query_int(&r, "m", 0, 100, &v), QRE_E_BAD_FIELD,
	    "int: '-' alone: 400");
	is_int(v, -3, "int: a refused value leaves the old one");
}

int
main(void)
{
	char longid[600];
	size_t n;

	is_int(req_fail(&r, QRE_E_NOT_FOUND, "No code with id '%.40s'", "\xFF"),
	    QRE_E_NOT_FOUND, "req_fail returns its error");
	is_str(r.errmsg, "No code with id '" FFFD "'",
	    "an invalid byte from the path becomes U+FFFD");

	(void)req_fail(&r, QRE_E_NOT_FOUND, "No token named '%s'", "\xFF\xFE");
	is_str(r.errmsg, "No token named '" FFFD FFFD "'", "two bytes, two U+FFFD");

	/* 39 ASCII and an e-acute: "%.40s" keeps its first byte only. */
	(void)req_fail(&r, QRE_E_NOT_FOUND, "No code with id '%.40s'",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xC3\xA9");
	is_str(r.errmsg, "No code with id "
	    "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" FFFD "'",
	    "a character cut by a precision is replaced");

	/* "x" and thirty e-acutes, quoted with "%.40s": cut inside one. */
	(void)req_fail(&r, QRE_E_UNPROCESSABLE, "color must be #RRGGBB, not "
	    "'%.40s'", "x\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
	    "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
	    "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9");
	ok(utf8_valid(r.errmsg, strlen(r.errmsg)), "a cut value: valid UTF-8");

	(void)req_fail(&r, QRE_E_NOT_FOUND, "caf\xC3\xA9 %s", "\xE2\x82\xAC");
	is_str(r.errmsg, "caf\xC3\xA9 \xE2\x82\xAC", "valid text is kept as is");

	/* A message longer than the room: cut between characters. */
	memset(longid, 0, sizeof(longid));
	for (size_t i = 0; i + 2 < sizeof(longid) - 1; i += 2)
		memcpy(longid + i, "\xC3\xA9", 2);
	(void)req_fail(&r, QRE_E_NOT_FOUND, "x%s", longid);
	n = strlen(r.errmsg);
	ok(n > 0 && n < REQ_ERRMSG_MAX, "a long message fits (%zu bytes)", n);
	ok(utf8_valid(r.errmsg, n), "a long message is cut between characters");
	memset(longid, 0xFF, sizeof(longid) - 1);
	(void)req_fail(&r, QRE_E_NOT_FOUND, "%s", longid);
	n = strlen(r.errmsg);
	ok(utf8_valid(r.errmsg, n), "a long message of replaced bytes: valid");
	ok(n < REQ_ERRMSG_MAX, "it fits (%zu bytes)", n);

	test_query();
	return done_testing();
}
