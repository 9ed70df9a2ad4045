/*
 * barcode_check.h: what we check before zint sees the data, where zint
 * would not refuse but quietly encode something else (EAN-13 zero-padding
 * a short number, Code 39 upper-casing, ITF padding an odd length, UTF-8
 * bytes taken for Latin-1 characters), does not verify a check digit
 * (EAN-8, ITF-14), or refuses without naming the character.
 */
#ifndef QRE_BARCODE_CHECK_H
#define QRE_BARCODE_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "render_types.h"

struct barcode_format;

/*
 * RENDER_OK with *zint_len, how many leading bytes of data to hand zint
 * (a verified check digit is left for zint to recompute), or
 * RENDER_EINPUT with a reason that starts with the format's name.
 */
enum render_status barcode_check(const struct barcode_format *,
	    const unsigned char *data, size_t len, size_t *zint_len,
	    char *reason, size_t reasonsz);

/*
 * The reason for refusing character nth (from 1), code point cp, which
 * f's character set does not have: names the format, the character and
 * the formats that take it.
 */
void	barcode_check_refuse_char(const struct barcode_format *, size_t nth,
	    uint32_t cp, char *reason, size_t reasonsz);

/* GS1 mod-10 check digit ('0'..'9') of n ASCII digits. */
char	gs1_check_digit(const unsigned char *digits, size_t n);

#endif
