/*
 * test_encode_barcode.c: what zint is asked to encode.  Text past ASCII
 * is UTF-8 with ECI 26 where the symbology has ECI, ISO 8859-1 in Code
 * 128 (not its UTF-8 bytes taken for Latin-1 characters), Latin-1 or
 * Kanji in Micro QR; ITF-14's quiet zone is never less than 10 modules.
 * Each symbol is compared with zint's own encoding of the same data.
 */
#include <string.h>

#include <zint.h>

#include "barcode_formats.h"
#include "encode.h"
#include "render.h"
#include "symbol.h"
#include "tap.h"

static char why[RENDER_REASON_MAX];

static struct symbol *
ours(const char *format, const char *data, enum render_status *st)
{
	struct render_spec s;
	struct symbol *sym = NULL;

	render_spec_init(&s);
	s.kind = RENDER_BARCODE;
	s.barcode_format = format;
	s.data = (const unsigned char *)data;
	s.data_len = strlen(data);
	why[0] = '\0';
	*st = encode_barcode(&s, barcode_format_find(format), &sym, why,
	    sizeof(why));
	return sym;
}

/* zint's encoding of data, as input_mode and eci say. */
static struct zint_symbol *
reference(int symbology, int input_mode, int eci, const char *data,
    size_t len)
{
	struct zint_symbol *z;

	if ((z = ZBarcode_Create()) == NULL)
		return NULL;
	z->symbology = symbology;
	z->input_mode = input_mode;
	z->eci = eci;
	if (symbology == BARCODE_DATAMATRIX)
		z->option_3 = DM_SQUARE;
	if (ZBarcode_Encode(z, (const unsigned char *)data, (int)len) >=
	    ZINT_ERROR) {
		diag(z->errtxt);
		ZBarcode_Delete(z);
		return NULL;
	}
	return z;
}

static int
bit(const struct zint_symbol *z, int r, int c)
{
	return (z->encoded_data[r][c >> 3] >> (c & 7)) & 1;
}

static int
grid_row_is(const struct symbol *sym, int y, const struct zint_symbol *ref,
    int r)
{
	int c;

	for (c = 0; c < sym->cols; c++)
		if (symbol_dark(sym, c, y) != bit(ref, r, c))
			return 0;
	return 1;
}

/*
 * The same modules: zint's rows, or our grid, where a zint row may be
 * several module rows high (PDF417's are 3): each zint row must be the
 * next one or more grid rows, and nothing left over.
 */
static int
same(const struct symbol *sym, const struct zint_symbol *ref)
{
	const struct zint_symbol *z;
	int r, c, y;

	if (sym == NULL || ref == NULL)
		return 0;
	if (sym->drawing == SYMBOL_ZINT) {
		z = sym->zint;
		if (z->rows != ref->rows || z->width != ref->width)
			return 0;
		for (r = 0; r < z->rows; r++)
			for (c = 0; c < z->width; c++)
				if (bit(z, r, c) != bit(ref, r, c))
					return 0;
		return 1;
	}
	if (sym->cols != ref->width)
		return 0;
	for (r = 0, y = 0; r < ref->rows; r++) {
		if (y >= sym->rows || !grid_row_is(sym, y, ref, r))
			return 0;
		while (y < sym->rows && grid_row_is(sym, y, ref, r))
			y++;
	}
	return y == sym->rows;
}

/* format encodes data as zint encodes ref_data with input_mode and eci. */
static void
encodes_as(const char *format, const char *data, int input_mode, int eci,
    const char *ref_data, const char *name)
{
	const struct barcode_format *f = barcode_format_find(format);
	struct zint_symbol *ref;
	struct symbol *sym;
	enum render_status st;

	sym = ours(format, data, &st);
	ref = reference(f->zint, input_mode, eci, ref_data, strlen(ref_data));
	ok(st == RENDER_OK && same(sym, ref), "%s: %s", format, name);
	if (st != RENDER_OK)
		diag(why);
	symbol_free(sym);
	ZBarcode_Delete(ref);
}

static void
test_eci(void)
{
	static const char *const formats[] = { "DATAMATRIX", "AZTEC",
	    "MAXICODE", "PDF417", "MICROPDF417" };
	static const char *const texts[] = { "\xc3\xa9", "caf\xc3\xa9",
	    "\xe2\x82\xac", "\xe6\xbc\xa2\xe5\xad\x97", "\xf0\x9f\x98\x80" };
	size_t i, j;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		for (j = 0; j < sizeof(texts) / sizeof(texts[0]); j++)
			encodes_as(formats[i], texts[j], UNICODE_MODE, 26,
			    texts[j], "UTF-8 text with ECI 26");
		encodes_as(formats[i], "cafe", DATA_MODE, 0, "cafe",
		    "ASCII without ECI, as before");
		encodes_as(formats[i], "caf\xe9", DATA_MODE, 0, "caf\xe9",
		    "bytes that are not UTF-8, as they are");
	}
}

static void
test_latin1(void)
{
	encodes_as("CODE128", "caf\xc3\xa9", DATA_MODE, 0, "caf\xe9",
	    "café as ISO 8859-1, one character per letter");
	encodes_as("CODE128", "\xc3\x9f\xc3\xbf\xc2\xa0", DATA_MODE, 0,
	    "\xdf\xff\xa0", "ß ÿ and no-break space as ISO 8859-1");
	encodes_as("CODE128", "Hello", DATA_MODE, 0, "Hello", "ASCII");
}

static void
test_micro_qr(void)
{
	struct symbol *sym;
	enum render_status st;

	encodes_as("MICROQR", "\xc3\xa9", UNICODE_MODE, 0, "\xc3\xa9",
	    "é as its standard has it (Latin-1 byte)");
	encodes_as("MICROQR", "\xe6\xbc\xa2\xe5\xad\x97", UNICODE_MODE, 0,
	    "\xe6\xbc\xa2\xe5\xad\x97", "Kanji in Kanji mode");
	sym = ours("MICROQR", "ab\xe2\x82\xac", &st);
	is_int(st, RENDER_EINPUT, "MICROQR: the euro sign refused");
	is_str(why, "MICROQR: Latin-1 and Kanji characters only, but "
	    "character 3 is '\xe2\x82\xac' (U+20AC); QR, DATAMATRIX, AZTEC and "
	    "PDF417 take any text", "MICROQR: the character is named");
	symbol_free(sym);
	sym = ours("MICROQR", "\xc3\xa9\xe6\xbc\xa2\xf0\x9f\x98\x80", &st);
	ok(st == RENDER_EINPUT && strstr(why, "character 3 is "
	    "'\xf0\x9f\x98\x80' (U+1F600)") != NULL,
	    "MICROQR: the first character it has no room for: %s", why);
	symbol_free(sym);
	sym = ours("MICROQR", "abcdefghijklmnopqrstuvwxyz\xc3\xa9", &st);
	ok(st == RENDER_EINPUT && strstr(why, "character") == NULL,
	    "MICROQR too long: zint's reason, no character blamed: %s", why);
	symbol_free(sym);
}

/* render() bytes of ITF-14 at margin m, or NULL. */
static int
itf14(int margin, enum render_format fmt, struct render_result *r)
{
	struct render_spec s;

	render_spec_init(&s);
	s.kind = RENDER_BARCODE;
	s.barcode_format = "ITF14";
	s.data = (const unsigned char *)"1540014128876";
	s.data_len = 13;
	s.format = fmt;
	s.size = 600;
	s.margin = margin;
	return render(&s, r, why, sizeof(why)) == RENDER_OK;
}

static int
same_image(const struct render_result *a, const struct render_result *b)
{
	return a->len == b->len && memcmp(a->bytes, b->bytes, a->len) == 0;
}

static void
test_itf14_quiet(void)
{
	struct render_result ten, r;
	enum render_format fmt;
	int m;

	for (fmt = RENDER_PNG; fmt <= RENDER_SVG; fmt++) {
		const char *name = fmt == RENDER_PNG ? "PNG" : "SVG";

		if (!ok(itf14(BF_ITF14_QUIET, fmt, &ten), "ITF14 %s margin 10",
		    name))
			continue;
		for (m = 0; m < BF_ITF14_QUIET; m++) {
			ok(itf14(m, fmt, &r) && same_image(&r, &ten),
			    "ITF14 %s: margin %d is drawn as 10", name, m);
			render_result_free(&r);
		}
		ok(itf14(BF_ITF14_QUIET + 1, fmt, &r) && !same_image(&r, &ten),
		    "ITF14 %s: margin 11 stays 11", name);
		render_result_free(&r);
		render_result_free(&ten);
	}
}

int
main(void)
{
	test_eci();
	test_latin1();
	test_micro_qr();
	test_itf14_quiet();
	return done_testing();
}
