/* timefmt.h: RFC 3339 UTC times, the only time format the API speaks. */
#ifndef QRE_TIMEFMT_H
#define QRE_TIMEFMT_H

#include <stddef.h>
#include <time.h>

#define RFC3339_LEN 21	/* "2024-01-01T00:00:00Z" and NUL */
#define RFC3339_MS_LEN 25	/* "2024-01-01T00:00:00.123Z" and NUL */

/* Format t into out; returns out. */
char *rfc3339(time_t t, char out[RFC3339_LEN]);
/*
 * The same with milliseconds, from Unix time in milliseconds (webhook
 * payloads, whose receivers order and de-duplicate by it).
 */
char *rfc3339_ms(long long ms, char out[RFC3339_MS_LEN]);
/*
 * Parse "YYYY-MM-DDTHH:MM:SSZ", the same with an offset ("+02:00") or
 * "YYYY-MM-DD"; -1 when malformed.
 */
int rfc3339_parse(const char *s, time_t *out);

#endif
