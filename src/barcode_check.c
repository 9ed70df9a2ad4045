/*
 * barcode_check.c: refuse, with a reason, input that zint would encode as
 * something other than what was asked for: characters the symbology
 * cannot carry (named, not as bytes), digits, case, length, check digits.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "barcode_check.h"
#include "barcode_formats.h"
#include "charset.h"
#include "reason.h"

/* "0 or 1" from "01": the allowed first characters in words. */
#define EITHER_MAX	32

static const char *
either(const char *chars, char buf[EITHER_MAX])
{
	size_t i, n = strlen(chars), used = 0;
	int w;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		w = snprintf(buf + used, EITHER_MAX - used, "%s%c",
		    i == 0 ? "" : i + 1 == n ? " or " : ", ", chars[i]);
		if (w < 0 || (size_t)w >= EITHER_MAX - used)
			break;
		used += (size_t)w;
	}
	return buf;
}

char
gs1_check_digit(const unsigned char *digits, size_t n)
{
	unsigned int sum = 0;
	size_t i;

	/* Weights 3,1,3,1... from the rightmost digit. */
	for (i = 0; i < n; i++)
		sum += (unsigned int)(digits[n - 1 - i] - '0') *
		    (i % 2 == 0 ? 3 : 1);
	return (char)('0' + (10 - sum % 10) % 10);
}

/* Where the other symbologies are, for a refusal of a character. */
#define CS_ELSEWHERE	"; QR, DATAMATRIX, AZTEC and PDF417 take any text"

static const char *
charset_words(enum bf_charset cs)
{
	switch (cs) {
	case BF_CS_LATIN1:
		return "ISO 8859-1 (Latin-1) characters only";
	case BF_CS_NATIVE:
		return "Latin-1 and Kanji characters only";
	case BF_CS_ECI:
		return "any text";
	case BF_CS_ASCII:
		break;
	}
	return "ASCII characters only";
}

void
barcode_check_refuse_char(const struct barcode_format *f, size_t nth,
    uint32_t cp, char *reason, size_t reasonsz)
{
	char shown[CHARSET_SHOW_MAX];

	reason_set(reason, reasonsz, "%s: %s, but character %zu is %s%s%s",
	    f->name, charset_words(f->charset), nth, charset_show(cp, shown),
	    f->charset == BF_CS_ASCII && cp <= 0xff ?
	    "; CODE128 takes Latin-1" : "", CS_ELSEWHERE);
}

/*
 * Character by character (code points, counted from 1): what the format
 * cannot carry is named.  Data that is not UTF-8 is bytes: refused by
 * ASCII formats, carried as they are by the others.
 */
static enum render_status
check_chars(const struct barcode_format *f, const unsigned char *data,
    size_t len, char *reason, size_t reasonsz)
{
	char shown[CHARSET_SHOW_MAX];
	uint32_t cp;
	size_t i, n, nth;

	if (charset_kind(data, len) == CHARSET_BINARY) {
		if (f->charset != BF_CS_ASCII)
			return RENDER_OK;
		for (i = 0; i < len; i += n)
			if ((n = charset_utf8_next(data + i, len - i, &cp)) == 0)
				break;
		reason_set(reason, reasonsz, "%s: data is not UTF-8 text: "
		    "byte %zu is 0x%02x", f->name, i + 1, data[i]);
		return RENDER_EINPUT;
	}
	for (i = 0, nth = 1; i < len; i += n, nth++) {
		n = charset_utf8_next(data + i, len - i, &cp);
		if ((f->flags & BF_DIGITS) && (cp < '0' || cp > '9')) {
			reason_set(reason, reasonsz, "%s: digits only, but "
			    "character %zu is %s", f->name, nth,
			    charset_show(cp, shown));
			return RENDER_EINPUT;
		}
		if ((f->flags & BF_NO_LOWER) && cp >= 'a' && cp <= 'z') {
			reason_set(reason, reasonsz, "%s: no lower-case "
			    "letters, but character %zu is %s (use upper case, "
			    "or CODE128)", f->name, nth,
			    charset_show(cp, shown));
			return RENDER_EINPUT;
		}
		if ((f->charset == BF_CS_ASCII && cp > 0x7f) ||
		    (f->charset == BF_CS_LATIN1 && cp > 0xff)) {
			barcode_check_refuse_char(f, nth, cp, reason, reasonsz);
			return RENDER_EINPUT;
		}
	}
	return RENDER_OK;
}

enum render_status
barcode_check(const struct barcode_format *f, const unsigned char *data,
    size_t len, size_t *zint_len, char *reason, size_t reasonsz)
{
	char alts[EITHER_MAX];
	char want;

	*zint_len = len;
	if (check_chars(f, data, len, reason, reasonsz) != RENDER_OK)
		return RENDER_EINPUT;
	if (f->len_min > 0 && (len < (size_t)f->len_min ||
	    len > (size_t)f->len_max)) {
		if (f->check_len == f->len_max && f->len_min + 1 == f->len_max)
			reason_set(reason, reasonsz, "%s: %d digits, or %d "
			    "with the check digit, but got %zu", f->name,
			    f->len_min, f->len_max, len);
		else if (f->len_min == f->len_max)
			reason_set(reason, reasonsz, "%s: %d characters, "
			    "but got %zu", f->name, f->len_min, len);
		else
			reason_set(reason, reasonsz, "%s: %d to %d "
			    "characters, but got %zu", f->name, f->len_min,
			    f->len_max, len);
		return RENDER_EINPUT;
	}
	if (f->lead != NULL && (data[0] == '\0' ||
	    strchr(f->lead, data[0]) == NULL)) {
		reason_set(reason, reasonsz, "%s: the first digit must be "
		    "%s, but it is '%c'", f->name, either(f->lead, alts),
		    data[0]);
		return RENDER_EINPUT;
	}
	if ((f->flags & BF_EVEN) && len % 2 != 0) {
		reason_set(reason, reasonsz, "%s: encodes digits in pairs, "
		    "so it needs an even number of digits, but got %zu (add a "
		    "leading 0)", f->name, len);
		return RENDER_EINPUT;
	}
	if (f->check_len > 0 && len == (size_t)f->check_len) {
		want = gs1_check_digit(data, len - 1);
		if (data[len - 1] != (unsigned char)want) {
			reason_set(reason, reasonsz, "%s: invalid check digit "
			    "'%c', expecting '%c'", f->name, data[len - 1],
			    want);
			return RENDER_EINPUT;
		}
		*zint_len = len - 1;
	}
	return RENDER_OK;
}
