/*
 * test_barcode_formats.c: the format table against zint itself, so that
 * a row cannot promise what the library does not do (or forget what it
 * does): ECI where zint has it, MaxiCode's least size as zint draws it.
 */
#include <string.h>

#include <zint.h>

#include "barcode_formats.h"
#include "render.h"
#include "tap.h"

int
main(void)
{
	const struct barcode_format *f;
	struct zint_symbol *z;
	size_t i;
	int has_eci;

	for (i = 0; (f = barcode_format_at(i)) != NULL; i++) {
		if (f->zint == BF_LIBQRENCODE) {
			is_int(f->charset, BF_CS_ECI, "%s (libqrencode): "
			    "UTF-8 with ECI 26", f->name);
			continue;
		}
		has_eci = ZBarcode_Cap(f->zint, ZINT_CAP_ECI) != 0;
		ok(has_eci == (f->charset == BF_CS_ECI), "%s: ECI in the table "
		    "(%d) as in zint (%d)", f->name, f->charset == BF_CS_ECI,
		    has_eci);
		ok(f->charset != BF_CS_LATIN1 || f->zint == BARCODE_CODE128,
		    "%s: Latin-1 is Code 128's", f->name);
		/* barcode_check() skips these checks on bytes (not UTF-8). */
		ok(!(f->flags & (BF_DIGITS | BF_GS1 | BF_NO_LOWER)) ||
		    f->charset == BF_CS_ASCII, "%s: digits, GS1 and upper "
		    "case only are ASCII", f->name);
	}
	f = barcode_format_find("MICROQR");
	ok(f != NULL && f->charset == BF_CS_NATIVE,
	    "MICROQR: Latin-1 and Kanji, no ECI");

	/*
	 * zint's MaxiCode raster at its smallest scale, with its default
	 * quiet zone (as render() draws it when no margin is asked for), is
	 * the floor.
	 */
	f = barcode_format_find("MAXICODE");
	ok(f != NULL && f->size_min == BF_MAXICODE_SIZE_MIN,
	    "MAXICODE: size_min is BF_MAXICODE_SIZE_MIN");
	if ((z = ZBarcode_Create()) != NULL) {
		z->symbology = BARCODE_MAXICODE;
		z->output_options = BARCODE_QUIET_ZONES;
		z->scale = 0.5f;
		ok(ZBarcode_Encode_and_Buffer(z, (const unsigned char *)"x", 1,
		    0) < ZINT_ERROR, "MAXICODE drawn at scale 0.5");
		is_int(z->bitmap_width, BF_MAXICODE_SIZE_MIN,
		    "MAXICODE: zint's least raster is BF_MAXICODE_SIZE_MIN wide");
		ZBarcode_Delete(z);
	}
	ok(BF_MAXICODE_SIZE_MIN >= RENDER_SIZE_MIN &&
	    BF_MAXICODE_SIZE_MIN <= RENDER_SIZE_DEFAULT,
	    "the default size draws MaxiCode");

	f = barcode_format_find("ITF14");
	ok(f != NULL && f->margin_min == BF_ITF14_QUIET &&
	    BF_ITF14_QUIET == 10, "ITF14: at least 10 modules of quiet zone");
	for (i = 0; (f = barcode_format_at(i)) != NULL; i++)
		ok(f->margin_min >= 0 && f->margin_min <= RENDER_MARGIN_MAX &&
		    f->size_min >= 0 && f->size_min <= RENDER_SIZE_MAX,
		    "%s: floors within the API's limits", f->name);
	return done_testing();
}
