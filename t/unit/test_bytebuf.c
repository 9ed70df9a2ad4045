/* test_bytebuf.c: the drawers' output buffer and its number formats. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "bytebuf.h"
#include "tap.h"

static int
holds(struct bytebuf *b, const char *want)
{
	int same = b->len == strlen(want) && memcmp(b->p, want, b->len) == 0;

	if (!same)
		printf("#   got '%.*s'\n", (int)b->len, (const char *)b->p);
	b->len = 0;
	return same;
}

int
main(void)
{
	struct bytebuf b;
	unsigned char *p;
	size_t len;
	int i;

	bytebuf_init(&b, 0);
	bytebuf_puts(&b, "abc");
	bytebuf_putc(&b, 'd');
	bytebuf_put(&b, "ef", 2);
	bytebuf_put(&b, NULL, 0);
	ok(holds(&b, "abcdef"), "puts, putc, put");

	bytebuf_put_int(&b, 0);
	bytebuf_putc(&b, ' ');
	bytebuf_put_int(&b, -42);
	bytebuf_putc(&b, ' ');
	bytebuf_put_int(&b, LONG_MIN);
	ok(holds(&b, "0 -42 -9223372036854775808"), "integers, LONG_MIN");

	bytebuf_put_fixed2(&b, 12.0);
	bytebuf_putc(&b, ' ');
	bytebuf_put_fixed2(&b, 1.5);
	bytebuf_putc(&b, ' ');
	bytebuf_put_fixed2(&b, -0.25);
	bytebuf_putc(&b, ' ');
	bytebuf_put_fixed2(&b, 74.239);
	bytebuf_putc(&b, ' ');
	bytebuf_put_fixed2(&b, -0.001);
	bytebuf_putc(&b, ' ');
	bytebuf_put_fixed2(&b, 0.05);
	ok(holds(&b, "12 1.5 -0.25 74.24 0 0.05"), "fixed two decimals");
	bytebuf_put_fixed2(&b, 1e300);
	ok(holds(&b, "0"), "out of range writes 0, not garbage");

	for (i = 0; i < 10000; i++)
		bytebuf_putc(&b, 'x');
	ok(b.len == 10000 && b.cap >= 10000, "grows");
	p = bytebuf_take(&b, &len);
	ok(p != NULL && len == 10000 && b.p == NULL && b.len == 0,
	    "take hands over the bytes");
	free(p);

	bytebuf_init(&b, 16);
	bytebuf_puts(&b, "ok");
	bytebuf_put(&b, "x", BYTEBUF_MAX);
	ok(b.failed, "over the limit: failed");
	bytebuf_puts(&b, "more");
	is_int(b.len, 2, "failed is sticky: later appends do nothing");
	ok(bytebuf_take(&b, &len) == NULL && len == 0, "take: NULL");
	ok(b.p == NULL, "and freed");
	bytebuf_free(&b);
	bytebuf_free(NULL);
	ok(1, "free twice, free NULL");
	return done_testing();
}
