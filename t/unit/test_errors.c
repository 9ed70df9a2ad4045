/* test_errors.c: the QRE_ERRORS table is consistent with itself. */
#include <string.h>

#include "errors.h"
#include "tap.h"

int
main(void)
{
	is_int(qre_err_status(QRE_E_OK), 200, "OK is 200");
	is_int(qre_err_status(QRE_E_BAD_JSON), 400, "bad JSON is 400");
	is_int(qre_err_status(QRE_E_UNAUTHORIZED), 401, "unauthorized is 401");
	is_int(qre_err_status(QRE_E_PLAN_LIMIT), 403, "plan limit is 403");
	is_int(qre_err_status(QRE_E_METHOD), 405, "method is 405");
	is_int(qre_err_status(QRE_E_TOO_LARGE), 413, "too large is 413");
	is_int(qre_err_status(QRE_E_MEDIA_TYPE), 415, "media type is 415");
	is_int(qre_err_status(QRE_E_UNPROCESSABLE), 422, "unprocessable is 422");
	is_int(qre_err_status(QRE_E_DB_DOWN), 503, "db down is 503");
	is_str(qre_err_code(QRE_E_NOT_FOUND), "not_found", "machine code");
	is_int(qre_err_status((enum qre_err)-1), 500, "out of range is 500");
	is_int(qre_err_status(QRE_E__COUNT), 500, "past the end is 500");

	/* Every kind: a 4xx/5xx (but OK), a unique machine code, a message. */
	for (int i = 1; i < QRE_E__COUNT; i++) {
		int st = qre_err_status((enum qre_err)i), unique = 1;

		ok(st >= 400 && st <= 599, "kind %d has an error status (%d)", i, st);
		ok(strlen(qre_err_message((enum qre_err)i)) > 0,
		    "kind %d has a message", i);
		for (int j = 0; j < QRE_E__COUNT; j++)
			if (j != i && strcmp(qre_err_code((enum qre_err)i),
			    qre_err_code((enum qre_err)j)) == 0)
				unique = 0;
		ok(unique, "code %s is unique", qre_err_code((enum qre_err)i));
		ok(strcmp(http_reason(st), "OK") != 0, "status %d has a reason", st);
	}
	return done_testing();
}
