/*
 * charset.c: UTF-8 read one character at a time, strictly (RFC 3629),
 * so that an encoder knows whether it has text to mark as UTF-8 (ECI 26),
 * text to convert (Latin-1), or bytes to carry as they are.
 */
#include <stdio.h>

#include "charset.h"

/* Each byte after the first is 10xxxxxx. */
#define CONT(b)		(((b) & 0xc0) == 0x80)

size_t
charset_utf8_next(const unsigned char *s, size_t len, uint32_t *cp)
{
	uint32_t c;
	size_t n, i;

	if (len == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		c = s[0] & 0x07;
	} else
		return 0;	/* 0x80..0xc1 (continuation, overlong), 0xf5.. */
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if (!CONT(s[i]))
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	/* Overlong three- and four-byte forms, surrogates, past U+10FFFF. */
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	*cp = c;
	return n;
}

enum charset_kind
charset_kind(const unsigned char *s, size_t len)
{
	enum charset_kind kind = CHARSET_ASCII;
	uint32_t cp;
	size_t i, n;

	for (i = 0; i < len; i += n) {
		if (s[i] < 0x80) {
			n = 1;
			continue;
		}
		if ((n = charset_utf8_next(s + i, len - i, &cp)) == 0)
			return CHARSET_BINARY;
		kind = CHARSET_UTF8;
	}
	return kind;
}

/* cp (valid: not a surrogate, at most U+10FFFF) as UTF-8; its length. */
static size_t
utf8_put(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

const char *
charset_show(uint32_t cp, char buf[CHARSET_SHOW_MAX])
{
	char u[4];
	size_t n;
	int w;

	if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		w = snprintf(buf, CHARSET_SHOW_MAX, "U+%04X", (unsigned int)cp);
	else if (cp < 0x80)
		w = snprintf(buf, CHARSET_SHOW_MAX, "'%c'", (char)cp);
	else {
		n = utf8_put(cp, u);
		w = snprintf(buf, CHARSET_SHOW_MAX, "'%.*s' (U+%04X)", (int)n,
		    u, (unsigned int)cp);
	}
	if (w < 0 || w >= CHARSET_SHOW_MAX)
		buf[0] = '\0';
	return buf;
}
