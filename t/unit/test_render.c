/*
 * test_render.c: render(), the one entry point: every refusal with its
 * status and reason, the module maths of the result, and that every
 * format in the table renders to PNG and SVG.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "tap.h"

#define URL	"https://example.com/some/path?x=1"

static char why[RENDER_REASON_MAX];

static void
spec_text(struct render_spec *s, const char *text)
{
	render_spec_init(s);
	s->data = (const unsigned char *)text;
	s->data_len = strlen(text);
}

static void
spec_barcode(struct render_spec *s, const char *format, const char *text)
{
	spec_text(s, text);
	s->kind = RENDER_BARCODE;
	s->barcode_format = format;
}

/* render() must refuse with status want and a reason containing needle. */
static void
refused(const struct render_spec *s, enum render_status want,
    const char *needle, const char *name)
{
	struct render_result r;
	enum render_status st;

	memset(&r, 0xa5, sizeof(r));	/* out must be cleared on failure */
	st = render(s, &r, why, sizeof(why));
	is_int(st, want, "%s: refused", name);
	ok(strstr(why, needle) != NULL, "%s: reason '%s' names '%s'", name,
	    why, needle);
	ok(r.bytes == NULL && r.len == 0 && r.content_type == NULL,
	    "%s: no image", name);
}

static int
rendered(const struct render_spec *s, struct render_result *r,
    const char *name)
{
	enum render_status st = render(s, r, why, sizeof(why));

	if (!ok(st == RENDER_OK && r->bytes != NULL && r->len > 0, "%s: "
	    "rendered", name))
		printf("#   status %d: %s\n", st, why);
	return st == RENDER_OK;
}

static void
test_spec_limits(void)
{
	struct render_spec s;
	static unsigned char big[RENDER_DATA_MAX + 1];

	refused(NULL, RENDER_EINTERNAL, "nothing", "NULL spec");

	spec_text(&s, "");
	refused(&s, RENDER_EINPUT, "empty", "empty data");
	spec_text(&s, "x");
	s.data = NULL;
	refused(&s, RENDER_EINPUT, "empty", "NULL data");
	memset(big, 'a', sizeof(big));
	render_spec_init(&s);
	s.data = big;
	s.data_len = sizeof(big);
	refused(&s, RENDER_EINPUT, "at most 4096", "data over the limit");

	spec_text(&s, "x");
	s.size = RENDER_SIZE_MIN - 1;
	refused(&s, RENDER_EINPUT, "size 63 px is out of range", "size 63");
	s.size = RENDER_SIZE_MAX + 1;
	refused(&s, RENDER_EINPUT, "size 4097 px is out of range",
	    "size 4097");
	s.size = 0;
	refused(&s, RENDER_EINPUT, "out of range", "size 0");

	spec_text(&s, "x");
	s.margin = RENDER_MARGIN_MAX + 1;
	refused(&s, RENDER_EINPUT, "margin 33 is out of range", "margin 33");
	s.margin = -2;
	refused(&s, RENDER_EINPUT, "margin -2", "margin -2");

	spec_text(&s, "x");
	s.ecc = 'X';
	refused(&s, RENDER_EINPUT, "L, M, Q or H", "ecc X");
	s.ecc = '\0';
	refused(&s, RENDER_EINPUT, "L, M, Q or H", "ecc NUL");
	s.ecc = 'l';
	refused(&s, RENDER_EINPUT, "L, M, Q or H", "ecc lower case");

	spec_text(&s, "x");
	s.format = (enum render_format)7;
	refused(&s, RENDER_EINPUT, "png or svg", "format 7");
	spec_text(&s, "x");
	s.kind = (enum render_kind)9;
	refused(&s, RENDER_EINPUT, "type", "kind 9");
}

static void
test_colors(void)
{
	struct render_spec s;
	struct render_result r;

	spec_text(&s, "x");
	s.fg = 0x777777;
	s.bg = 0x888888;
	refused(&s, RENDER_EINPUT, "contrast ratio of 1.2:1", "grey on grey");
	s.fg = 0xffffff;
	s.bg = 0x000000;
	refused(&s, RENDER_EINPUT, "lighter than the background",
	    "white on black");
	s.fg = 0x000000;
	s.bg = 0x000000;
	refused(&s, RENDER_EINPUT, "contrast ratio of 1.0:1", "black on black");
	s.fg = 0xcccccc;
	s.bg_transparent = 1;
	refused(&s, RENDER_EINPUT, "transparent counts as white",
	    "light grey on transparent");
	s.fg = 0x1000000;
	s.bg_transparent = 0;
	refused(&s, RENDER_EINPUT, "24-bit", "fg over 24 bits");
	s.fg = 0;
	s.bg = 0xff000000;
	refused(&s, RENDER_EINPUT, "24-bit", "bg over 24 bits");

	/* #949494 on white is 3.03:1, just enough; #959595 is 2.99:1. */
	spec_text(&s, "x");
	s.fg = 0x949494;
	ok(rendered(&s, &r, "contrast 3.03:1"), "threshold: passes");
	render_result_free(&r);
	s.fg = 0x959595;
	refused(&s, RENDER_EINPUT, "2.9:1", "contrast 2.99:1");
	/* A transparent background ignores bg. */
	spec_text(&s, "x");
	s.bg = 0x000000;
	s.bg_transparent = 1;
	ok(rendered(&s, &r, "black on transparent"), "transparent: passes");
	render_result_free(&r);
}

static void
test_barcode_refusals(void)
{
	struct render_spec s;
	static unsigned char big[3000];

	spec_barcode(&s, "NOPE", "1");
	refused(&s, RENDER_EINPUT, "unknown barcode format 'NOPE'",
	    "unknown format");
	ok(strstr(why, "CODE128") != NULL && strstr(why, "DATAMATRIX") !=
	    NULL, "unknown format: lists the known ones");
	spec_barcode(&s, NULL, "1");
	refused(&s, RENDER_EINPUT, "needs a barcode format", "no format");
	spec_barcode(&s, "", "1");
	refused(&s, RENDER_EINPUT, "needs a barcode format", "empty format");

	/* bad check digits, ours and zint's */
	spec_barcode(&s, "EAN13", "5901234123458");
	refused(&s, RENDER_EINPUT, "EAN13: invalid check digit '8', "
	    "expecting '7'", "EAN13 check digit");
	spec_barcode(&s, "EAN8", "96385075");
	refused(&s, RENDER_EINPUT, "EAN8: invalid check digit '5', "
	    "expecting '4'", "EAN8 check digit");
	spec_barcode(&s, "UPCA", "036000291453");
	refused(&s, RENDER_EINPUT, "UPCA: invalid check digit", "UPCA check");
	spec_barcode(&s, "UPCE", "04252615");
	refused(&s, RENDER_EINPUT, "UPCE: invalid check digit '5', "
	    "expecting '4'", "UPCE check digit (zint's)");
	spec_barcode(&s, "ITF14", "15400141288764");
	refused(&s, RENDER_EINPUT, "ITF14: invalid check digit '4', "
	    "expecting '3'", "ITF14 check digit");
	spec_barcode(&s, "DATABAR_OMNI", "09501101530004");
	refused(&s, RENDER_EINPUT, "invalid check digit", "DataBar check");
	spec_barcode(&s, "GS1_128", "[01]09501101530004");
	refused(&s, RENDER_EINPUT, "GS1_128: AI (01) position 14: Bad "
	    "checksum '4', expected '3'", "GS1-128 AI check digit (zint)");

	/* characters the symbology cannot encode */
	spec_barcode(&s, "EAN13", "59012341234x");
	refused(&s, RENDER_EINPUT, "EAN13: digits only, but character 12 "
	    "is 'x'", "EAN13 letter");
	spec_barcode(&s, "CODE39", "HELLO!");
	refused(&s, RENDER_EINPUT, "CODE39: invalid character",
	    "CODE39 '!' (zint)");
	spec_barcode(&s, "CODE39", "Hello");
	refused(&s, RENDER_EINPUT, "no lower-case letters, but character 2 "
	    "is 'e'", "CODE39 lower case");
	spec_barcode(&s, "CODABAR", "123");
	refused(&s, RENDER_EINPUT, "CODABAR: ", "CODABAR without start");
	spec_barcode(&s, "ITF", "\x01" "2");
	refused(&s, RENDER_EINPUT, "character 1 is U+0001",
	    "ITF control character shown");
	spec_barcode(&s, "GS1_128", "0109501101530003");
	refused(&s, RENDER_EINPUT, "GS1_128: ", "GS1-128 without AI");
	spec_barcode(&s, "UPCE", "2425261");
	refused(&s, RENDER_EINPUT, "first digit must be 0 or 1",
	    "UPCE number system 2");

	/* lengths */
	spec_barcode(&s, "EAN13", "12345");
	refused(&s, RENDER_EINPUT, "EAN13: 12 digits, or 13 with the check "
	    "digit, but got 5", "EAN13 short");
	spec_barcode(&s, "EAN8", "123456789");
	refused(&s, RENDER_EINPUT, "EAN8: 7 digits, or 8", "EAN8 long");
	spec_barcode(&s, "ITF", "12345");
	refused(&s, RENDER_EINPUT, "even number of digits", "ITF odd");

	/* too long for the symbol */
	memset(big, 'a', sizeof(big));
	spec_barcode(&s, "CODE128", "");
	s.data = big;
	s.data_len = 200;
	refused(&s, RENDER_EINPUT, "CODE128: input too long", "CODE128 long");
	spec_barcode(&s, "MICROQR", "abcdefghijklmnopqrstuvwxyz");
	refused(&s, RENDER_EINPUT, "MICROQR: ", "MICROQR long");
	spec_barcode(&s, "DATAMATRIX", "");
	s.data = big;
	s.data_len = sizeof(big);
	refused(&s, RENDER_EINPUT, "DATAMATRIX: ", "DATAMATRIX long");
	spec_text(&s, "");
	s.data = big;
	s.data_len = 1300;
	s.ecc = 'H';
	refused(&s, RENDER_EINPUT, "QR: 1300 bytes of data do not fit in the "
	    "largest QR code (version 40) at error correction level H",
	    "QR too long at H");
	s.ecc = 'L';
	s.size = 1000;
	{
		struct render_result r;

		ok(rendered(&s, &r, "1300 bytes fit at L"), "QR at L fits");
		render_result_free(&r);
	}
}

/*
 * MaxiCode is never drawn under 159 px, PNG and SVG alike, whatever the
 * margin: its SVG was drawn down to 64 px (hexagons of 2 px) and the
 * PNG, with margin 0, down to 149.
 */
static void
test_maxicode_floor(void)
{
	struct render_spec s;
	struct render_result r;
	int fmt, margin;

	for (fmt = RENDER_PNG; fmt <= RENDER_SVG; fmt++)
		for (margin = RENDER_MARGIN_DEFAULT; margin <= 0; margin++) {
			const char *name = fmt == RENDER_PNG ? "PNG" : "SVG";

			spec_barcode(&s, "MAXICODE", "MaxiCode data");
			s.format = (enum render_format)fmt;
			s.margin = margin;
			s.size = 158;
			refused(&s, RENDER_EINPUT, "MAXICODE: size 158 px is "
			    "too small: it is drawn at least 159 px wide",
			    fmt == RENDER_PNG ? (margin == 0 ?
			    "MAXICODE PNG 158 px, margin 0" :
			    "MAXICODE PNG 158 px") : (margin == 0 ?
			    "MAXICODE SVG 158 px, margin 0" :
			    "MAXICODE SVG 158 px"));
			s.size = 159;
			if (rendered(&s, &r, "MAXICODE at 159 px"))
				ok(r.width == 159 && r.height == 159,
				    "MAXICODE %s margin %d at 159 px: %d x %d",
				    name, margin, r.width, r.height);
			render_result_free(&r);
		}
}

static void
test_too_small(void)
{
	struct render_spec s;
	static unsigned char big[1000];

	memset(big, 'a', sizeof(big));
	spec_text(&s, "");
	s.data = big;
	s.data_len = sizeof(big);
	s.size = 64;
	refused(&s, RENDER_EINPUT, "size 64 px is too small for this "
	    "symbol", "QR larger than its size");
	s.format = RENDER_SVG;
	refused(&s, RENDER_EINPUT, "too small", "QR larger than its size, SVG");
	spec_barcode(&s, "CODE128", "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
	s.size = 64;
	refused(&s, RENDER_EINPUT, "too small", "CODE128 wider than its size");
	s.format = RENDER_SVG;
	refused(&s, RENDER_EINPUT, "too small", "CODE128 too wide, SVG");
	spec_barcode(&s, "MAXICODE", "x");
	s.size = 64;
	refused(&s, RENDER_EINPUT, "too small", "MAXICODE at 64 px");
	test_maxicode_floor();
}

/* The module maths: floor(size / modules), centred, size x size. */
static void
test_module_maths(void)
{
	struct render_spec s;
	struct render_result r;

	spec_text(&s, URL);	/* version 3 at M: 29 modules + 2 x 4 */
	if (rendered(&s, &r, "QR 300 px")) {
		is_int(r.width, 300, "QR 300: width");
		is_int(r.height, 300, "QR 300: height");
		is_int(r.module_px, 300 / 37, "QR 300: 8 px per module");
		is_str(r.content_type, "image/png", "QR: content type");
	}
	render_result_free(&r);
	render_result_free(&r);	/* idempotent */
	render_result_free(NULL);
	ok(r.bytes == NULL && r.len == 0, "result_free zeroes");

	s.margin = 0;
	if (rendered(&s, &r, "QR margin 0"))
		is_int(r.module_px, 300 / 29, "margin 0: 10 px per module");
	render_result_free(&r);
	s.margin = 32;
	if (rendered(&s, &r, "QR margin 32"))
		is_int(r.module_px, 300 / 93, "margin 32: 3 px per module");
	render_result_free(&r);

	spec_text(&s, URL);
	s.size = 64;
	if (rendered(&s, &r, "QR 64 px"))
		is_int(r.module_px, 1, "64 px: 1 px per module");
	render_result_free(&r);
	s.size = 74;
	if (rendered(&s, &r, "QR 74 px"))
		is_int(r.module_px, 2, "74 px: 2 px per module");
	render_result_free(&r);

	spec_text(&s, URL);
	s.format = RENDER_SVG;
	if (rendered(&s, &r, "QR SVG")) {
		is_int(r.width, 300, "SVG: width");
		is_int(r.height, 300, "SVG: height");
		is_int(r.module_px, 8, "SVG: same module maths");
		is_str(r.content_type, "image/svg+xml", "SVG: content type");
	}
	render_result_free(&r);

	/* linear: width = size, height from the symbology */
	spec_barcode(&s, "EAN13", "590123412345");
	if (rendered(&s, &r, "EAN13")) {
		is_int(r.width, 300, "EAN13: width is size");
		is_int(r.module_px, 300 / 113, "EAN13: 113 X with quiet zones");
		ok(r.height > 100 && r.height < 300, "EAN13: height %d",
		    r.height);
	}
	render_result_free(&r);
	/* 2D from zint: square */
	spec_barcode(&s, "DATAMATRIX", "hello");
	if (rendered(&s, &r, "DATAMATRIX")) {
		is_int(r.width, 300, "DATAMATRIX: width");
		is_int(r.height, 300, "DATAMATRIX: height");
		is_int(r.module_px, 300 / 14, "DATAMATRIX: 12 + 2 x 1 modules");
	}
	render_result_free(&r);
}

/* Each format renders typical data to PNG and SVG. */
static void
test_every_format(void)
{
	static const struct {
		const char *format, *data;
	} samples[] = {
		{ "QR", URL },
		{ "MICROQR", "12345" },
		{ "DATAMATRIX", URL },
		{ "AZTEC", URL },
		{ "PDF417", "PDF417 data" },
		{ "MICROPDF417", "micro" },
		{ "MAXICODE", "MaxiCode data" },
		{ "CODE128", "Hello, World!" },
		{ "CODE39", "HELLO-39" },
		{ "CODE93", "Code 93" },
		{ "CODE11", "123-45" },
		{ "CODABAR", "A123456B" },
		{ "EAN13", "5901234123457" },
		{ "EAN8", "9638507" },
		{ "UPCA", "03600029145" },
		{ "UPCE", "0425261" },
		{ "ITF14", "1540014128876" },
		{ "ITF", "123456" },
		{ "MSI", "12345" },
		{ "GS1_128", "[01]09501101530003[10]ABC" },
		{ "DATABAR_OMNI", "0950110153000" },
		{ "DATABAR_LIMITED", "0950110153000" },
		{ "DATABAR_STACKED", "0950110153000" },
		{ "DATABAR_STACKED_OMNI", "0950110153000" },
		{ "DATABAR_EXPANDED", "[01]09501101530003[10]ABC" },
		{ "DATABAR_EXPANDED_STACKED", "(01)09501101530003(10)ABC" },
	};
	struct render_spec s;
	struct render_result r;
	const char *name;
	size_t i, j, n = sizeof(samples) / sizeof(samples[0]);
	int found;

	for (i = 0; (name = render_format_name(i)) != NULL; i++) {
		for (found = 0, j = 0; j < n; j++)
			found |= strcmp(samples[j].format, name) == 0;
		ok(found, "%s has a sample here", name);
		ok(render_format_known(name), "%s is known", name);
	}
	is_int(i, n, "as many formats as samples");
	ok(render_format_known("code128") && render_format_known("Ean13"),
	    "format names are case-insensitive");
	ok(!render_format_known("EAN") && !render_format_known(NULL) &&
	    !render_format_known(""), "unknown names");
	ok(render_format_name(n) == NULL, "name past the end is NULL");

	for (i = 0; i < n; i++) {
		spec_barcode(&s, samples[i].format, samples[i].data);
		s.size = 600;
		if (rendered(&s, &r, samples[i].format)) {
			ok(r.len > 8 && memcmp(r.bytes, "\x89PNG", 4) == 0,
			    "%s: PNG signature", samples[i].format);
			is_int(r.width, 600, "%s: PNG width", samples[i].format);
			ok(r.module_px >= 1, "%s: module_px %d",
			    samples[i].format, r.module_px);
		}
		render_result_free(&r);
		s.format = RENDER_SVG;
		if (rendered(&s, &r, samples[i].format))
			ok(strstr((const char *)r.bytes, "<svg ") != NULL &&
			    r.len > 7 && memcmp(r.bytes + r.len - 7,
			    "</svg>\n", 7) == 0, "%s: SVG document",
			    samples[i].format);
		render_result_free(&r);
	}
}

/* QR as a barcode format, and data libqrencode's string API cannot take. */
static void
test_qr_paths(void)
{
	struct render_spec s;
	struct render_result a, b;
	static const unsigned char nul[] = { 'a', 0, 'b', 0xff };

	spec_text(&s, URL);
	if (rendered(&s, &a, "RENDER_QR")) {
		spec_barcode(&s, "qr", URL);
		if (rendered(&s, &b, "barcode QR"))
			ok(a.len == b.len && memcmp(a.bytes, b.bytes, a.len) ==
			    0, "barcode \"qr\" is the same image as RENDER_QR");
		render_result_free(&b);
	}
	render_result_free(&a);

	render_spec_init(&s);
	s.data = nul;
	s.data_len = sizeof(nul);
	ok(rendered(&s, &a, "QR with NUL bytes"), "NUL bytes: 8-bit mode");
	render_result_free(&a);

	/* ECC levels: higher levels need more modules */
	{
		static const char levels[] = "LMQH";
		int px[4], i;

		for (i = 0; i < 4; i++) {
			spec_text(&s, URL);
			s.ecc = levels[i];
			s.margin = 0;
			s.size = 4096;
			px[i] = rendered(&s, &a, "ECC level") ? a.module_px : 0;
			render_result_free(&a);
		}
		ok(px[0] >= px[1] && px[1] >= px[2] && px[2] >= px[3] &&
		    px[0] > px[3], "ECC L..H: modules %d %d %d %d px", px[0],
		    px[1], px[2], px[3]);
	}
}

static void
test_misc(void)
{
	struct render_spec s;
	struct render_result r;

	is_str(render_status_str(RENDER_OK), "ok", "status ok");
	is_str(render_status_str(RENDER_EINPUT), "input refused",
	    "status einput");
	spec_text(&s, "x");
	is_int(render(&s, NULL, why, sizeof(why)), RENDER_EINTERNAL,
	    "NULL result");
	/* reason may be NULL or tiny */
	spec_text(&s, "");
	is_int(render(&s, &r, NULL, 0), RENDER_EINPUT, "NULL reason");
	{
		char tiny[8];

		is_int(render(&s, &r, tiny, sizeof(tiny)), RENDER_EINPUT,
		    "tiny reason buffer");
		is_str(tiny, "data...", "a cut reason ends in ...");
	}
	spec_text(&s, "x");
	if (rendered(&s, &r, "success"))
		is_str(why, "", "no reason on success");
	render_result_free(&r);
}

int
main(void)
{
	test_spec_limits();
	test_colors();
	test_barcode_refusals();
	test_too_small();
	test_module_maths();
	test_every_format();
	test_qr_paths();
	test_misc();
	{
		/* A long CODE128 at 300 px: 1 px bars as asked, or grown to 2 px. */
		struct render_spec sp;
		struct render_result img = { 0 };
		char thin[RENDER_REASON_MAX];
		const char *d = "QRE-0123456789-ABCDEFGH";

		render_spec_init(&sp);
		sp.kind = RENDER_BARCODE;
		sp.barcode_format = "CODE128";
		sp.data = (const unsigned char *)d;
		sp.data_len = strlen(d);
		sp.size = 300;
		is_int(render(&sp, &img, thin, sizeof(thin)), RENDER_OK,
		    "an asked-for size is kept");
		ok(img.width == 300 && img.module_px == 1,
		    "300 px at 1 px per module (%d, %d)", img.width, img.module_px);
		render_result_free(&img);
		sp.grow_to_fit = 1;
		is_int(render(&sp, &img, thin, sizeof(thin)), RENDER_OK,
		    "grow_to_fit draws it");
		ok(img.width > 300 && img.module_px == RENDER_BAR_MIN_PX,
		    "grown to %d px at %d px per module", img.width, img.module_px);
		render_result_free(&img);
	}
	return done_testing();
}
