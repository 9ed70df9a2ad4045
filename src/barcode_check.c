/*
 * barcode_check.c: refuse, with a reason, input that zint would encode as
 * something other than what was asked for.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "barcode_check.h"
#include "barcode_formats.h"
#include "reason.h"

/* "'x'" for printable ASCII, "byte 0xNN" otherwise. */
#define SHOW_BYTE_MAX	16

static const char *
show_byte(unsigned char c, char buf[SHOW_BYTE_MAX])
{
	int n;

	if (c >= 0x20 && c < 0x7f)
		n = snprintf(buf, SHOW_BYTE_MAX, "'%c'", c);
	else
		n = snprintf(buf, SHOW_BYTE_MAX, "byte 0x%02x", c);
	if (n < 0 || n >= SHOW_BYTE_MAX)
		buf[0] = '\0';
	return buf;
}

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

enum render_status
barcode_check(const struct barcode_format *f, const unsigned char *data,
    size_t len, size_t *zint_len, char *reason, size_t reasonsz)
{
	char shown[SHOW_BYTE_MAX], alts[EITHER_MAX];
	size_t i;
	char want;

	*zint_len = len;
	for (i = 0; i < len; i++) {
		if ((f->flags & BF_DIGITS) && (data[i] < '0' || data[i] > '9')) {
			reason_set(reason, reasonsz, "%s: digits only, but "
			    "character %zu is %s", f->name, i + 1,
			    show_byte(data[i], shown));
			return RENDER_EINPUT;
		}
		if ((f->flags & BF_NO_LOWER) && data[i] >= 'a' &&
		    data[i] <= 'z') {
			reason_set(reason, reasonsz, "%s: no lower-case "
			    "letters, but character %zu is %s (use upper case, "
			    "or CODE128)", f->name, i + 1,
			    show_byte(data[i], shown));
			return RENDER_EINPUT;
		}
	}
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
		    "%s, but it is %s", f->name, either(f->lead, alts),
		    show_byte(data[0], shown));
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
