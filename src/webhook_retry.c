/* webhook_retry.c: see webhook_retry.h. */
#include "compat.h"	/* first: _GNU_SOURCE, for strptime() */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "webhook_retry.h"

long
retry_delay(long attempts, long retry_after, double jitter01)
{
	static const long schedule[] = RETRY_SCHEDULE;
	size_t i = attempts < 1 ? 0 : (size_t)(attempts - 1);
	long base, delay;

	if (i >= QRE_NELEM(schedule))
		i = QRE_NELEM(schedule) - 1;
	base = schedule[i];
	if (jitter01 < 0)
		jitter01 = 0;
	if (jitter01 > 1)
		jitter01 = 1;
	delay = (long)(base * (1.0 - RETRY_JITTER + 2 * RETRY_JITTER * jitter01));
	if (delay < 1)
		delay = 1;
	if (retry_after > RETRY_AFTER_MAX)
		retry_after = RETRY_AFTER_MAX;
	return retry_after > delay ? retry_after : delay;
}

long
retry_after_parse(const char *v, time_t now)
{
	struct tm tm;
	const char *end;
	char *num_end;
	long n;
	time_t t;

	if (v == NULL)
		return -1;
	while (isspace((unsigned char)*v))
		v++;
	if (isdigit((unsigned char)*v)) {
		n = strtol(v, &num_end, 10);
		while (isspace((unsigned char)*num_end))
			num_end++;
		return *num_end == '\0' && n >= 0 ? n : -1;
	}
	/* IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT". */
	memset(&tm, 0, sizeof(tm));
	if ((end = strptime(v, "%a, %d %b %Y %H:%M:%S GMT", &tm)) == NULL)
		return -1;
	t = timegm(&tm);
	return t > now ? (long)(t - now) : 0;
}
