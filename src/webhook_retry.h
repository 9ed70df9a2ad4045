/*
 * webhook_retry.h: when a failed delivery is tried again.  Attempt n
 * (1-based) failing waits RETRY_SCHEDULE[n-1] seconds (the last entry
 * for every attempt after), give or take 20% at random so that retries
 * to one receiver do not all come back at once; a Retry-After the
 * receiver sent wins when it asks for longer (up to a day).
 */
#ifndef QRE_WEBHOOK_RETRY_H
#define QRE_WEBHOOK_RETRY_H

#include <time.h>

/* 10 s, 30 s, 1 min, 5 min, 15 min, 30 min, 1 h, 2 h, 4 h, 8 h, then 12 h. */
#define RETRY_SCHEDULE { 10, 30, 60, 300, 900, 1800, 3600, 7200, 14400, \
	28800, 43200 }
#define RETRY_JITTER 0.2		/* +/- this share of the delay */
#define RETRY_AFTER_MAX 86400		/* the longest Retry-After honoured */

/* Seconds to wait after the attempts-th attempt failed; jitter01 in [0,1]. */
long retry_delay(long attempts, long retry_after, double jitter01);
/* A Retry-After value (delta-seconds or an HTTP-date) in seconds, or -1. */
long retry_after_parse(const char *value, time_t now);

#endif
