/* page_cursor.c: see page_cursor.h. */
#include <stdint.h>
#include <string.h>

#include "page_cursor.h"

static const char b64url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* The 6-bit value of a base64url character, -1 for any other byte. */
static int
b64url_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-')
		return 62;
	if (c == '_')
		return 63;
	return -1;
}

static void
put_be64(unsigned char *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (unsigned char)(v & 0xff);
}

static uint64_t
get_be64(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

char *
page_cursor_encode(enum page_cursor_kind kind, const struct page_key *key,
    char out[PAGE_CURSOR_BUF])
{
	unsigned char raw[PAGE_CURSOR_BYTES];
	uint32_t acc = 0;
	size_t o = 0;
	int bits = 0;

	raw[0] = (unsigned char)kind;
	put_be64(raw + 1, (uint64_t)key->at_ms);
	put_be64(raw + 9, (uint64_t)key->id);
	for (size_t i = 0; i < sizeof(raw); i++) {
		acc = acc << 8 | raw[i];
		bits += 8;
		while (bits >= 6) {
			bits -= 6;
			out[o++] = b64url[(acc >> bits) & 0x3f];
		}
	}
	if (bits > 0)		/* the last bits, zero-filled on the right */
		out[o++] = b64url[(acc << (6 - bits)) & 0x3f];
	out[o] = '\0';
	return out;
}

int
page_cursor_decode(enum page_cursor_kind kind, const char *s,
    struct page_key *key)
{
	unsigned char raw[PAGE_CURSOR_BYTES];
	uint32_t acc = 0;
	size_t o = 0;
	int bits = 0, v;
	long long ms, id;

	if (strlen(s) != PAGE_CURSOR_LEN)
		return -1;
	for (size_t i = 0; i < PAGE_CURSOR_LEN; i++) {
		if ((v = b64url_value((unsigned char)s[i])) < 0)
			return -1;
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			raw[o++] = (unsigned char)(acc >> bits);
		}
	}
	/* One spelling per cursor: the padding bits of the last character are 0. */
	if ((acc & ((1u << bits) - 1)) != 0 || o != sizeof(raw))
		return -1;
	if (raw[0] != (unsigned char)kind)
		return -1;
	ms = (long long)get_be64(raw + 1);
	id = (long long)get_be64(raw + 9);
	/* Negative values are what a top bit set comes out as. */
	if (ms < 0 || ms > PAGE_KEY_MS_MAX || id <= 0 ||
	    (kind == PAGE_CURSOR_ATTEMPTS && ms != 0))
		return -1;
	key->at_ms = ms;
	key->id = id;
	return 0;
}

void
page_fill_init(struct page_fill *f, long long per)
{
	memset(f, 0, sizeof(*f));
	f->per = per;
}

int
page_fill_take(struct page_fill *f, const struct page_key *key)
{
	if (f->n >= f->per) {
		f->more = 1;
		return 0;
	}
	f->n++;
	f->last = *key;
	return 1;
}

const char *
page_fill_next(const struct page_fill *f, enum page_cursor_kind kind,
    char buf[PAGE_CURSOR_BUF])
{
	if (!f->more)
		return NULL;
	return page_cursor_encode(kind, &f->last, buf);
}
