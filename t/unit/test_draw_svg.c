/*
 * test_draw_svg.c: the SVG drawer: one run-length <path>, the canvas of
 * the PNG, colours, transparency, and text that stays well-formed.
 */
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "render.h"
#include "symbol.h"
#include "tap.h"

static char why[RENDER_REASON_MAX];

static char *
svg_of(const unsigned char *dots, int cols, int rows, int quiet,
    const struct draw_style *st)
{
	struct render_result r = { 0 };
	struct symbol *s;
	char *doc = NULL;

	if ((s = symbol_new_modules(cols, rows)) == NULL)
		return NULL;
	memcpy(s->dark, dots, (size_t)cols * (size_t)rows);
	s->quiet = quiet;
	s->square = cols == rows;
	if (draw_svg(s, st, &r, why, sizeof(why)) == RENDER_OK &&
	    (doc = malloc(r.len + 1)) != NULL) {
		memcpy(doc, r.bytes, r.len);
		doc[r.len] = '\0';
	}
	render_result_free(&r);
	symbol_free(s);
	return doc;
}

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

/* The basics of well-formed: tags balance and nothing raw in text. */
static int
well_formed(const char *doc)
{
	size_t lt = count(doc, "<"), gt = count(doc, ">");
	const char *p;

	for (p = doc; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 && *p != '\n')
			return 0;
	return strncmp(doc, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg ",
	    44) == 0 && lt == gt && count(doc, "<text") ==
	    count(doc, "</text>") && strcmp(doc + strlen(doc) - 7,
	    "</svg>\n") == 0;
}

static void
test_modules(void)
{
	static const unsigned char square[4] = { 1, 1, 1, 1 };
	static const unsigned char rows2[6] = { 1, 1, 0, 1, 1, 0 };
	static const unsigned char runs[4] = { 1, 0, 1, 1 };
	struct draw_style st = { .fg = 0x112233, .bg = 0xffffff, .size = 64 };
	char *doc;

	if ((doc = svg_of(square, 2, 2, 0, &st)) == NULL) {
		ok(0, "drawn");
		return;
	}
	ok(well_formed(doc), "well-formed");
	ok(strstr(doc, "width=\"64\" height=\"64\" viewBox=\"0 0 64 64\"") !=
	    NULL, "size and viewBox");
	ok(strstr(doc, "<rect width=\"100%\" height=\"100%\" "
	    "fill=\"#ffffff\"/>") != NULL, "background");
	is_int(count(doc, "<path"), 1, "one path");
	ok(strstr(doc, "fill=\"#112233\"") != NULL, "foreground");
	ok(strstr(doc, "shape-rendering=\"crispEdges\"") != NULL, "crisp");
	ok(strstr(doc, "transform=\"translate(0 0) scale(32)\"") != NULL,
	    "32 px per module from the origin");
	ok(strstr(doc, " d=\"M0 0h2v2h-2z\"") != NULL,
	    "2 x 2 dark: one subpath, identical rows merged");
	free(doc);

	st.bg_transparent = 1;
	if ((doc = svg_of(rows2, 3, 2, 1, &st)) != NULL) {
		ok(strstr(doc, "<rect") == NULL, "transparent: no background");
		ok(strstr(doc, " d=\"M0 0h2v2h-2z\"") != NULL,
		    "3 x 2: rows merged, light column left out");
		ok(strstr(doc, "translate(14 12) scale(12)") != NULL,
		    "non-square: 64 / (3 + 2) = 12 px, centred");
		ok(strstr(doc, "height=\"48\"") != NULL,
		    "non-square: height (2 + 2) x 12");
	} else
		ok(0, "drawn");
	free(doc);

	st.bg_transparent = 0;
	if ((doc = svg_of(runs, 4, 1, 0, &st)) != NULL)
		ok(strstr(doc, " d=\"M0 0h1v1h-1zm2 0h2v1h-2z\"") != NULL,
		    "runs in a row: relative moves");
	else
		ok(0, "drawn");
	free(doc);
}

/* zint-drawn barcodes: their text in <text>, escaped. */
static void
test_text(void)
{
	struct render_spec s;
	struct render_result r;
	static const char nasty[] = "A<&>\"'\xe9\x01Z";
	char *doc;

	render_spec_init(&s);
	s.kind = RENDER_BARCODE;
	s.barcode_format = "CODE128";
	s.format = RENDER_SVG;
	s.data = (const unsigned char *)nasty;
	s.data_len = strlen(nasty);
	s.size = 600;
	if (render(&s, &r, why, sizeof(why)) != RENDER_OK ||
	    (doc = malloc(r.len + 1)) == NULL) {
		ok(0, "CODE128 drawn: %s", why);
		return;
	}
	memcpy(doc, r.bytes, r.len);
	doc[r.len] = '\0';
	ok(well_formed(doc), "CODE128 with markup characters: well-formed");
	ok(strstr(doc, "A&lt;&amp;&gt;&quot;&apos;") != NULL,
	    "markup escaped in <text>");
	ok(strstr(doc, "\xc3\xa9") != NULL, "Latin-1 byte shown as UTF-8");
	is_int(count(doc, "<text"), 1, "one text line");
	is_int(count(doc, "<path"), 1, "bars: one path");
	free(doc);
	render_result_free(&r);

	s.barcode_format = "EAN13";
	s.data = (const unsigned char *)"5901234123457";
	s.data_len = 13;
	if (render(&s, &r, why, sizeof(why)) == RENDER_OK &&
	    (doc = malloc(r.len + 1)) != NULL) {
		memcpy(doc, r.bytes, r.len);
		doc[r.len] = '\0';
		ok(well_formed(doc), "EAN13: well-formed");
		is_int(count(doc, "<text"), 3, "EAN13: digits in 3 groups");
		ok(strstr(doc, "monospace") != NULL, "EAN13: OCR-B style font");
		free(doc);
	} else
		ok(0, "EAN13 drawn: %s", why);
	render_result_free(&r);

	s.barcode_format = "MAXICODE";
	s.data = (const unsigned char *)"maxi";
	s.data_len = 4;
	s.size = 300;
	if (render(&s, &r, why, sizeof(why)) == RENDER_OK &&
	    (doc = malloc(r.len + 1)) != NULL) {
		memcpy(doc, r.bytes, r.len);
		doc[r.len] = '\0';
		ok(well_formed(doc), "MAXICODE: well-formed");
		is_int(count(doc, "<circle"), 3, "MAXICODE: bullseye rings");
		ok(count(doc, "Z") > 100, "MAXICODE: hexagons");
		is_int(r.width, 300, "MAXICODE: width");
		is_int(r.height, 300, "MAXICODE: square");
		free(doc);
	} else
		ok(0, "MAXICODE drawn: %s", why);
	render_result_free(&r);
}

int
main(void)
{
	test_modules();
	test_text();
	return done_testing();
}
