/*
 * test_request.c: req_fail() messages go out in a JSON string: whatever
 * input they quote (ids from the path, values cut at a byte count by
 * "%.40s"), they are valid UTF-8 and cut between characters.
 */
#include <string.h>

#include "request.h"
#include "text.h"
#include "tap.h"

#define FFFD "\xEF\xBF\xBD"

static struct req r;

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
	return done_testing();
}
