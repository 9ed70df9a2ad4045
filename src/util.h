/*
 * util.h: small helpers both libraries share (header-only, so librender
 * needs nothing from libqre).
 */
#ifndef QRE_UTIL_H
#define QRE_UTIL_H

#include <stdint.h>
#include <time.h>

#define SECONDS_PER_DAY 86400
#define MS_PER_DAY (SECONDS_PER_DAY * 1000LL)

/* Milliseconds on a clock: CLOCK_MONOTONIC for intervals, CLOCK_REALTIME for stamps. */
static inline long long
clock_ms(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* FNV-1a: a quick hash for the small tables keyed by short strings. */
static inline uint32_t
fnv1a(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* A hexadecimal digit's value, or -1. */
static inline int
hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif
