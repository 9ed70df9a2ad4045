/* test_timefmt.c: RFC 3339 formatting and parsing. */
#include "tap.h"
#include "timefmt.h"

int
main(void)
{
	char buf[RFC3339_LEN], ms[RFC3339_MS_LEN];
	time_t t;

	is_str(rfc3339(0, buf), "1970-01-01T00:00:00Z", "epoch");
	is_str(rfc3339(1704067200, buf), "2024-01-01T00:00:00Z", "2024");
	is_str(rfc3339_ms(0, ms), "1970-01-01T00:00:00.000Z", "ms: epoch");
	is_str(rfc3339_ms(1704067200123LL, ms), "2024-01-01T00:00:00.123Z",
	    "ms: 2024 and 123 ms");
	is_str(rfc3339_ms(1704067199999LL, ms), "2023-12-31T23:59:59.999Z",
	    "ms: the last millisecond of 2023");
	is_str(rfc3339_ms(1704067200007LL, ms), "2024-01-01T00:00:00.007Z",
	    "ms: leading zeros kept");
	is_str(rfc3339_ms(-1, ms), "1969-12-31T23:59:59.999Z",
	    "ms: before 1970, floored");
	is_str(rfc3339_ms(253402300800000LL, ms), "",
	    "ms: year 10000 does not fit: empty");
	ok(rfc3339_parse("2024-01-01T00:00:00Z", &t) == 0 && t == 1704067200,
	    "parse full");
	ok(rfc3339_parse("2024-01-02", &t) == 0 && t == 1704153600, "parse date");
	ok(rfc3339_parse("2024-02-29", &t) == 0, "leap day");
	ok(rfc3339_parse("2023-02-29", &t) == -1, "no leap day in 2023");
	ok(rfc3339_parse("2024-13-01", &t) == -1, "month 13");
	ok(rfc3339_parse("2024-01-01T24:00:00Z", &t) == -1, "hour 24");
	ok(rfc3339_parse("2024-01-01T00:00:00", &t) == -1, "no Z");
	ok(rfc3339_parse("2024-1-1", &t) == -1, "short fields");
	ok(rfc3339_parse("", &t) == -1, "empty");
	ok(rfc3339_parse("2024-01-01T02:00:00+02:00", &t) == 0 && t == 1704067200,
	    "positive offset");
	ok(rfc3339_parse("2023-12-31T19:00:00-05:00", &t) == 0 && t == 1704067200,
	    "negative offset");
	ok(rfc3339_parse("2024-01-01T00:00:00+24:00", &t) == -1, "offset out of range");
	ok(rfc3339_parse("2024-01-01T00:00:00+0200", &t) == -1, "offset without colon");
	ok(rfc3339_parse("yesterday", &t) == -1, "words");
	return done_testing();
}
