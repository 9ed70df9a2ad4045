/* timefmt.h: RFC 3339 UTC times, the only time format the API speaks. */
#ifndef QRE_TIMEFMT_H
#define QRE_TIMEFMT_H

#include <stddef.h>
#include <time.h>

#define RFC3339_LEN 21	/* "2024-01-01T00:00:00Z" and NUL */

/* Format t into out; returns out. */
char *rfc3339(time_t t, char out[RFC3339_LEN]);
/*
 * Parse "YYYY-MM-DDTHH:MM:SSZ", the same with an offset ("+02:00") or
 * "YYYY-MM-DD"; -1 when malformed.
 */
int rfc3339_parse(const char *s, time_t *out);

#endif
