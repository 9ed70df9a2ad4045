/* test_webhook_retry.c: the retry schedule, jitter and Retry-After. */
#include "tap.h"
#include "webhook_retry.h"

int
main(void)
{
	static const long schedule[] = RETRY_SCHEDULE;
	time_t now = 784111777;	/* Sun, 06 Nov 1994 08:49:37 GMT */

	for (long a = 1; a <= 11; a++) {
		long lo = retry_delay(a, -1, 0.0), mid = retry_delay(a, -1, 0.5),
		    hi = retry_delay(a, -1, 1.0);

		is_int(mid, schedule[a - 1], "attempt %ld: the schedule's delay", a);
		ok(lo >= (long)(schedule[a - 1] * 0.8) - 1 && lo < mid,
		    "attempt %ld: jitter down to -20%% (%ld)", a, lo);
		ok(hi <= (long)(schedule[a - 1] * 1.2) + 1 && hi > mid,
		    "attempt %ld: jitter up to +20%% (%ld)", a, hi);
	}
	is_int(retry_delay(50, -1, 0.5), 43200, "every later attempt: 12 h");
	is_int(retry_delay(0, -1, 0.5), 10, "attempt 0 counts as the first");
	is_int(retry_delay(1, 120, 0.5), 120, "a longer Retry-After wins");
	is_int(retry_delay(4, 3, 0.5), 300, "a shorter Retry-After does not");
	is_int(retry_delay(1, 999999, 0.5), 86400, "Retry-After capped at a day");
	is_int(retry_after_parse("120", now), 120, "delta-seconds");
	is_int(retry_after_parse(" 5 ", now), 5, "spaces around");
	is_int(retry_after_parse("Sun, 06 Nov 1994 08:50:37 GMT", now), 60,
	    "HTTP-date a minute ahead");
	is_int(retry_after_parse("Sun, 06 Nov 1994 08:40:37 GMT", now), 0,
	    "HTTP-date in the past: now");
	is_int(retry_after_parse("soon", now), -1, "garbage");
	is_int(retry_after_parse("-5", now), -1, "negative");
	is_int(retry_after_parse("12abc", now), -1, "trailing junk");
	is_int(retry_after_parse(NULL, now), -1, "absent");
	return done_testing();
}
