/*
 * xml_text.c: escape text for XML and keep it well-formed: zint's
 * human-readable text can hold any byte the client sent.
 */
#include <stddef.h>
#include <stdint.h>

#include "bytebuf.h"
#include "xml_text.h"

#define REPLACEMENT	"\xef\xbf\xbd"	/* U+FFFD in UTF-8 */

/*
 * Length of the valid UTF-8 sequence at s (1..4), its code point in *cp,
 * or 0 if it is not valid (overlong, surrogate, beyond U+10FFFF, cut).
 */
static size_t
utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	size_t n, i;
	uint32_t c, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2; c = s[0] & 0x1f; min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3; c = s[0] & 0x0f; min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4; c = s[0] & 0x07; min = 0x10000;
	} else
		return 0;
	if (n > len)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/* XML 1.0 "Char", less tab/CR/LF, which have no place in a label. */
static int
xml_char(uint32_t c)
{
	return (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) ||
	    (c >= 0x10000 && c <= 0x10ffff);
}

void
xml_put_text(struct bytebuf *b, const unsigned char *s, size_t len)
{
	size_t i = 0, n;
	uint32_t c;

	while (i < len) {
		if ((n = utf8_decode(s + i, len - i, &c)) == 0 ||
		    !xml_char(c)) {
			bytebuf_puts(b, REPLACEMENT);
			i += n > 0 ? n : 1;
			continue;
		}
		switch (c) {
		case '&':
			bytebuf_puts(b, "&amp;");
			break;
		case '<':
			bytebuf_puts(b, "&lt;");
			break;
		case '>':
			bytebuf_puts(b, "&gt;");
			break;
		case '"':
			bytebuf_puts(b, "&quot;");
			break;
		case '\'':
			bytebuf_puts(b, "&apos;");
			break;
		default:
			bytebuf_put(b, s + i, n);
			break;
		}
		i += n;
	}
}
