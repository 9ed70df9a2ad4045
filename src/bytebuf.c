/*
 * bytebuf.c: append-only output buffer with a sticky failure flag.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bytebuf.h"

#define BYTEBUF_MIN_CAP	256
/* Digits of the largest long plus sign. */
#define INT_DIGITS_MAX	24

void
bytebuf_init(struct bytebuf *b, size_t hint)
{
	b->p = NULL;
	b->len = 0;
	b->cap = hint;
	b->failed = 0;
}

void
bytebuf_free(struct bytebuf *b)
{
	if (b == NULL)
		return;
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

/* Room for more bytes, doubling; 0 ok, -1 failed (and sticky). */
static int
bytebuf_reserve(struct bytebuf *b, size_t more)
{
	unsigned char *np;
	size_t want, cap;

	if (b->failed)
		return -1;
	if (b->p != NULL && b->cap - b->len >= more)
		return 0;
	if (more > BYTEBUF_MAX - b->len)
		goto fail;
	want = b->len + more;
	cap = b->p == NULL && b->cap > 0 ? b->cap : b->cap * 2;
	if (cap < BYTEBUF_MIN_CAP)
		cap = BYTEBUF_MIN_CAP;
	while (cap < want)
		cap *= 2;
	if (cap > BYTEBUF_MAX)
		cap = BYTEBUF_MAX;
	if ((np = realloc(b->p, cap)) == NULL)
		goto fail;
	b->p = np;
	b->cap = cap;
	return 0;
fail:
	b->failed = 1;
	return -1;
}

void
bytebuf_put(struct bytebuf *b, const void *src, size_t n)
{
	if (n == 0 || bytebuf_reserve(b, n) == -1)
		return;
	memcpy(b->p + b->len, src, n);
	b->len += n;
}

void
bytebuf_puts(struct bytebuf *b, const char *s)
{
	bytebuf_put(b, s, strlen(s));
}

void
bytebuf_putc(struct bytebuf *b, char c)
{
	if (bytebuf_reserve(b, 1) == -1)
		return;
	b->p[b->len++] = (unsigned char)c;
}

/* Digits of v, which is not negative, written backwards from end. */
static char *
format_unsigned(char *end, unsigned long v)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	return end;
}

void
bytebuf_put_int(struct bytebuf *b, long v)
{
	char digits[INT_DIGITS_MAX], *end = digits + sizeof(digits), *s;
	unsigned long u;

	/* Negate in unsigned arithmetic so that LONG_MIN is no overflow. */
	u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
	s = format_unsigned(end, u);
	if (v < 0)
		*--s = '-';
	bytebuf_put(b, s, (size_t)(end - s));
}

void
bytebuf_put_fixed2(struct bytebuf *b, double v)
{
	long hundredths;
	unsigned long whole, frac;

	if (!isfinite(v) || fabs(v) >= 1e9)
		v = 0;
	hundredths = lround(v * 100);
	if (hundredths < 0) {
		bytebuf_putc(b, '-');
		hundredths = -hundredths;
	}
	whole = (unsigned long)hundredths / 100;
	frac = (unsigned long)hundredths % 100;
	bytebuf_put_int(b, (long)whole);
	if (frac == 0)
		return;
	bytebuf_putc(b, '.');
	bytebuf_putc(b, (char)('0' + frac / 10));
	if (frac % 10 != 0)
		bytebuf_putc(b, (char)('0' + frac % 10));
}

unsigned char *
bytebuf_take(struct bytebuf *b, size_t *len)
{
	unsigned char *p;

	if (b->failed || b->p == NULL) {
		bytebuf_free(b);
		*len = 0;
		return NULL;
	}
	p = b->p;
	*len = b->len;
	b->p = NULL;
	b->len = b->cap = 0;
	return p;
}
