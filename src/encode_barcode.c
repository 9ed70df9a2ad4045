/*
 * encode_barcode.c: every format but QR through zint.  zint's errtxt is
 * the reason a refusal gives, so the client reads the encoder's own words.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <zint.h>

#include "barcode_check.h"
#include "barcode_formats.h"
#include "charset.h"
#include "compat.h"
#include "encode.h"
#include "reason.h"
#include "symbol.h"

/*
 * zint's errtxt reads "Error 275: Invalid check digit '8', expecting '7'";
 * the number is zint's internal reference, not for clients: skip it and
 * lower-case the first letter so the sentence follows "EAN13: ".
 */
static void
zint_reason(const struct barcode_format *f, const struct zint_symbol *z,
    char *reason, size_t reasonsz)
{
	char text[sizeof(z->errtxt)];
	const char *msg = z->errtxt, *colon;

	if (strncmp(msg, "Error ", 6) == 0 || strncmp(msg, "Warning ", 8) == 0)
		if ((colon = strstr(msg, ": ")) != NULL)
			msg = colon + 2;
	/* msg is a suffix of errtxt, so it fits; if not, say less. */
	if (strlcpy(text, msg, sizeof(text)) >= sizeof(text))
		text[0] = '\0';
	if (isupper((unsigned char)text[0]) && !isupper((unsigned char)text[1]))
		text[0] = (char)tolower((unsigned char)text[0]);
	if (text[0] == '\0')
		reason_set(reason, reasonsz, "%s: zint refused the data",
		    f->name);
	else
		reason_set(reason, reasonsz, "%s: %s", f->name, text);
}

/* Characters tried one by one to name the one zint refused (Micro QR). */
#define NATIVE_PROBES_MAX	64

/*
 * zint refused text for a format without ECI (Micro QR: Latin-1 and
 * Kanji): which character has it no room for?  Each character past ASCII
 * is encoded alone, and the first that zint refuses is named.  1 with the
 * reason set, or 0 (none found: zint's own reason stands).
 */
static int
native_refused(const struct barcode_format *f, const unsigned char *data,
    size_t len, char *reason, size_t reasonsz)
{
	struct zint_symbol *z;
	uint32_t cp;
	size_t i, n, nth;
	int probes = 0, zrc;

	for (i = 0, nth = 1; i < len && probes < NATIVE_PROBES_MAX; i += n,
	    nth++) {
		if ((n = charset_utf8_next(data + i, len - i, &cp)) == 0)
			return 0;
		if (cp < 0x80)
			continue;
		if ((z = ZBarcode_Create()) == NULL)
			return 0;
		z->symbology = f->zint;
		z->input_mode = UNICODE_MODE;
		zrc = ZBarcode_Encode(z, data + i, (int)n);
		ZBarcode_Delete(z);
		probes++;
		if (zrc == ZINT_ERROR_INVALID_DATA) {
			barcode_check_refuse_char(f, nth, cp, reason,
			    reasonsz);
			return 1;
		}
	}
	return 0;
}

/*
 * The module grid of a matrix or stacked symbol.  zint keeps rows packed
 * 8 modules per byte, each row with a height in X: 0 means "an equal share
 * of what the fixed-height rows leave" (PDF417's 3X rows).
 */
static enum render_status
zint_modules(const struct zint_symbol *z, struct symbol **out)
{
	struct symbol *s;
	int heights[sizeof(z->row_height) / sizeof(z->row_height[0])];
	float fixed = 0, share;
	int r, c, k, y, total = 0, shared = 0;

	if (z->rows < 1 || z->rows > (int)(sizeof(heights) / sizeof(heights[0]))
	    || z->width < 1 || z->width > (int)sizeof(z->encoded_data[0]) * 8)
		return RENDER_EINTERNAL;
	for (r = 0; r < z->rows; r++) {
		if (z->row_height[r] > 0)
			fixed += z->row_height[r];
		else
			shared++;
	}
	share = shared > 0 ? (z->height - fixed) / (float)shared : 0;
	for (r = 0; r < z->rows; r++) {
		float h = z->row_height[r] > 0 ? z->row_height[r] : share;

		heights[r] = h >= 1 ? (int)lroundf(h) : 1;
		total += heights[r];
		if (total > SYMBOL_MODULES_MAX)
			return RENDER_EINTERNAL;
	}
	if ((s = symbol_new_modules(z->width, total)) == NULL)
		return RENDER_ENOMEM;
	for (r = 0, y = 0; r < z->rows; r++) {
		for (k = 0; k < heights[r]; k++, y++)
			for (c = 0; c < z->width; c++)
				s->dark[(size_t)y * (size_t)z->width + (size_t)c] =
				    (z->encoded_data[r][c >> 3] >> (c & 7)) & 1;
	}
	*out = s;
	return RENDER_OK;
}

/* The quiet zone asked for, raised to the format's least; -1: default. */
static int
barcode_margin(const struct render_spec *spec, const struct barcode_format *f)
{
	if (spec->margin >= 0 && spec->margin < f->margin_min)
		return f->margin_min;
	return spec->margin;
}

static void
zint_setup(struct zint_symbol *z, const struct barcode_format *f,
    const struct render_spec *spec, enum charset_kind kind)
{
	int margin = barcode_margin(spec, f);

	z->symbology = f->zint;
	z->option_3 = f->option_3;
	/*
	 * DATA_MODE: the symbol holds exactly the bytes we were given (ASCII,
	 * or bytes that are not UTF-8).  Text past ASCII: UNICODE_MODE, in
	 * which zint converts the UTF-8 to the symbology's own character
	 * set (Latin-1 for Code 128; Latin-1 or Kanji for Micro QR) or, with
	 * ECI 26, keeps it as UTF-8 and says so, so that decoders read back
	 * the very text.  GS1 formats parse "[01]..." (or "(01)...").
	 */
	z->input_mode = DATA_MODE;
	if (kind == CHARSET_UTF8 && f->charset != BF_CS_ASCII) {
		z->input_mode = UNICODE_MODE;
		if (f->charset == BF_CS_ECI)
			z->eci = BF_ECI_UTF8;
	}
	if (f->flags & BF_GS1)
		z->input_mode = GS1_MODE |
		    (spec->data[0] == '(' ? GS1PARENS_MODE : 0);
	/* Non-compliant data (a GS1 AI's bad check digit) is refused. */
	z->warn_level = WARN_FAIL_ALL;
	/* The symbology's standard bar height where it has one. */
	z->output_options = COMPLIANT_HEIGHT;
	if (f->flags & BF_MODULES)
		return;		/* the quiet zone is ours: symbol->quiet */
	if (margin >= 0) {
		z->output_options |= BARCODE_NO_QUIET_ZONES;
		z->whitespace_width = margin;
		z->whitespace_height = margin;
	} else
		z->output_options |= BARCODE_QUIET_ZONES;
}

enum render_status
encode_barcode(const struct render_spec *spec, const struct barcode_format *f,
    struct symbol **out, char *reason, size_t reasonsz)
{
	struct zint_symbol *z = NULL;
	struct symbol *sym = NULL;
	enum render_status st;
	enum charset_kind kind;
	size_t len;
	int zrc;

	*out = NULL;
	if ((st = barcode_check(f, spec->data, spec->data_len, &len, reason,
	    reasonsz)) != RENDER_OK)
		goto fail;
	if ((z = ZBarcode_Create()) == NULL) {
		st = RENDER_ENOMEM;
		reason_set(reason, reasonsz, "%s: out of memory", f->name);
		goto fail;
	}
	kind = charset_kind(spec->data, len);
	zint_setup(z, f, spec, kind);
	zrc = ZBarcode_Encode(z, spec->data, (int)len);
	if (zrc >= ZINT_ERROR) {
		if (zrc == ZINT_ERROR_MEMORY)
			st = RENDER_ENOMEM;
		else if (zrc == ZINT_ERROR_ENCODING_PROBLEM)
			st = RENDER_EINTERNAL;
		else
			st = RENDER_EINPUT;
		if (zrc != ZINT_ERROR_INVALID_DATA || kind != CHARSET_UTF8 ||
		    f->charset != BF_CS_NATIVE || !native_refused(f,
		    spec->data, len, reason, reasonsz))
			zint_reason(f, z, reason, reasonsz);
		goto fail;
	}
	if (f->flags & BF_MODULES) {
		if ((st = zint_modules(z, &sym)) != RENDER_OK) {
			reason_set(reason, reasonsz, "%s: %s", f->name,
			    st == RENDER_ENOMEM ? "out of memory" :
			    "zint's symbol is larger than expected");
			goto fail;
		}
		sym->quiet = barcode_margin(spec, f) >= 0 ?
		    barcode_margin(spec, f) : f->quiet;
		ZBarcode_Delete(z);
		z = NULL;
	} else {
		if ((sym = symbol_new_zint(z)) == NULL) {
			st = RENDER_ENOMEM;
			reason_set(reason, reasonsz, "%s: out of memory",
			    f->name);
			goto fail;
		}
		z = NULL;	/* the symbol owns it now */
		sym->free_scale = (f->flags & BF_FREE_SCALE) != 0;
		sym->upcean_font = (f->flags & BF_UPCEAN) != 0;
	}
	sym->square = (f->flags & BF_2D) != 0;
	*out = sym;
	return RENDER_OK;
fail:
	if (z != NULL)
		ZBarcode_Delete(z);
	symbol_free(sym);
	return st;
}
