/*
 * bytebuf.h: a growable byte buffer for the drawers' output.  Appends
 * never fail visibly: the first allocation failure makes the buffer
 * "failed" and later appends no-ops, so a writer checks once at the end
 * (bytebuf_take() returns NULL) instead of after every number.
 */
#ifndef QRE_BYTEBUF_H
#define QRE_BYTEBUF_H

#include <stddef.h>

/* Nothing we draw is larger: a 4096 x 4096 PNG or SVG stays far below. */
#define BYTEBUF_MAX	((size_t)256 * 1024 * 1024)

struct bytebuf {
	unsigned char	*p;
	size_t		 len, cap;
	int		 failed;
};

/* Empty buffer, first allocation of about hint bytes on first append. */
void	bytebuf_init(struct bytebuf *, size_t hint);
/* Frees the bytes; NULL-safe, idempotent. */
void	bytebuf_free(struct bytebuf *);

void	bytebuf_put(struct bytebuf *, const void *, size_t);
void	bytebuf_puts(struct bytebuf *, const char *);
void	bytebuf_putc(struct bytebuf *, char);
/* Decimal integer. */
void	bytebuf_put_int(struct bytebuf *, long);
/*
 * v rounded to two decimals, without trailing zeros ("12", "1.5",
 * "-0.25"), independent of the locale.  |v| must be below 1e9.
 */
void	bytebuf_put_fixed2(struct bytebuf *, double v);

/*
 * Hand the bytes to the caller (malloc'd, free() them) and empty the
 * buffer.  NULL if any append failed or nothing was appended; the
 * buffer is freed either way.
 */
unsigned char *bytebuf_take(struct bytebuf *, size_t *len);

#endif
