/* timefmt.c: see timefmt.h. */
#include <stdio.h>
#include <string.h>

#include "timefmt.h"

char *
rfc3339(time_t t, char out[RFC3339_LEN])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	if (strftime(out, RFC3339_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		out[0] = '\0';
	return out;
}

char *
rfc3339_ms(long long ms, char out[RFC3339_MS_LEN])
{
	/* Floor, so that a time before 1970 keeps its digits right. */
	long long sec = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
	unsigned int frac = (unsigned int)(ms - sec * 1000) % 1000u;
	time_t t = (time_t)sec;
	struct tm tm;
	size_t n;

	gmtime_r(&t, &tm);
	if ((n = strftime(out, RFC3339_MS_LEN, "%Y-%m-%dT%H:%M:%S", &tm)) !=
	    RFC3339_LEN - 2 /* no Z yet */ || snprintf(out + n, RFC3339_MS_LEN - n, ".%03uZ",
	    frac) != 5)
		out[0] = '\0';
	return out;
}

static int
digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int
rfc3339_parse(const char *s, time_t *out)
{
	struct tm tm = { 0 };
	int y, mo, d, h = 0, mi = 0, sec = 0;
	size_t len = strlen(s);
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	int off = 0, has_off = 0;

	/* An offset instead of Z: "2024-01-01T02:00:00+02:00". */
	if (len == 25 && (s[19] == '+' || s[19] == '-') && s[22] == ':') {
		int oh, om;

		if (digits(s + 20, 2, &oh) || digits(s + 23, 2, &om) || oh > 23 ||
		    om > 59)
			return -1;
		off = (oh * 60 + om) * 60 * (s[19] == '+' ? 1 : -1);
		has_off = 1;
		len = 20;
	}
	if (len != 10 && len != 20)
		return -1;
	if (digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) ||
	    s[7] != '-' || digits(s + 8, 2, &d))
		return -1;
	if (len == 20 && (s[10] != 'T' || digits(s + 11, 2, &h) ||
	    s[13] != ':' || digits(s + 14, 2, &mi) || s[16] != ':' ||
	    digits(s + 17, 2, &sec) || (!has_off && s[19] != 'Z')))
		return -1;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
	    h > 23 || mi > 59 || sec > 60)
		return -1;
	if (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	*out = timegm(&tm) - off;
	return 0;
}
