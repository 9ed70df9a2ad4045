/* text.c: see text.h. */
#include <string.h>

#include "text.h"

/*
 * The length of the well-formed character (RFC 3629) at s[0..len), or 0:
 * no overlong forms, no surrogates, nothing past U+10FFFF, nothing cut.
 */
static size_t
utf8_char_len(const unsigned char *s, size_t len)
{
	unsigned char c = s[0];
	size_t n;
	unsigned int cp, min;

	if (c < 0x80)
		return 1;
	if ((c & 0xE0) == 0xC0) {
		n = 2; cp = c & 0x1F; min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		n = 3; cp = c & 0x0F; min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		n = 4; cp = c & 0x07; min = 0x10000;
	} else
		return 0;
	if (n > len)
		return 0;
	for (size_t k = 1; k < n; k++) {
		if ((s[k] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[k] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n;
}

int
utf8_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, n;

	while (i < len) {
		if ((n = utf8_char_len(s + i, len - i)) == 0)
			return 0;
		i += n;
	}
	return 1;
}

/* 1 when s[0..len) is the start of a character that len cut short. */
static int
utf8_cut_char(const unsigned char *s, size_t len)
{
	size_t need;

	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		need = 2;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		need = 3;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		need = 4;
	else
		return 0;
	if (len >= need)
		return 0;
	for (size_t k = 1; k < len; k++)
		if ((s[k] & 0xC0) != 0x80)
			return 0;
	return 1;
}

size_t
utf8_clean(char *dst, size_t dstsz, const char *src, size_t len, int cut)
{
	static const char replacement[] = "\xEF\xBF\xBD";	/* U+FFFD */
	const unsigned char *s = (const unsigned char *)src;
	size_t i = 0, o = 0;

	if (dstsz == 0)
		return 0;
	while (i < len) {
		size_t n = utf8_char_len(s + i, len - i);
		const char *from = src + i;
		size_t take = n;

		if (n == 0) {
			if (cut && utf8_cut_char(s + i, len - i))
				break;
			from = replacement;
			take = sizeof(replacement) - 1;
			n = 1;
		}
		if (o + take >= dstsz)
			break;
		memcpy(dst + o, from, take);
		o += take;
		i += n;
	}
	dst[o] = '\0';
	return o;
}

size_t
utf8_chars(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

int
has_control_chars(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;

	for (size_t i = 0; i < len; i++) {
		if (s[i] < 0x20 || s[i] == 0x7F)
			return 1;
		/* C1: U+0080..U+009F are C2 80..C2 9F. */
		if (s[i] == 0xC2 && i + 1 < len && s[i + 1] >= 0x80 &&
		    s[i + 1] <= 0x9F)
			return 1;
		/* U+2028, U+2029: E2 80 A8, E2 80 A9. */
		if (s[i] == 0xE2 && i + 2 < len && s[i + 1] == 0x80 &&
		    (s[i + 2] == 0xA8 || s[i + 2] == 0xA9))
			return 1;
	}
	return 0;
}

int
is_blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ')
			return 0;
	return 1;
}
