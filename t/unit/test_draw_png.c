/*
 * test_draw_png.c: the PNG drawer: a 1-bit palette PNG of exactly the
 * layout's size, fg/bg in the palette, tRNS only when transparent, and
 * modules on whole pixels.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gd.h>

#include "draw.h"
#include "render.h"
#include "symbol.h"
#include "tap.h"

static char why[RENDER_REASON_MAX];

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* The data of chunk type in png, its length in *len; NULL if absent. */
static const unsigned char *
chunk(const unsigned char *png, size_t size, const char *type, uint32_t *len)
{
	size_t off = 8;

	while (off + 12 <= size) {
		uint32_t n = be32(png + off);

		if (n > size - off - 12)
			return NULL;
		if (memcmp(png + off + 4, type, 4) == 0) {
			*len = n;
			return png + off + 8;
		}
		off += 12 + n;
	}
	return NULL;
}

/*
 * 1 0 1
 * 0 1 0
 * 1 1 0   with a quiet zone of 1: 5 modules across.
 */
static struct symbol *
pattern(void)
{
	static const unsigned char dots[9] = { 1, 0, 1, 0, 1, 0, 1, 1, 0 };
	struct symbol *s = symbol_new_modules(3, 3);

	if (s != NULL) {
		memcpy(s->dark, dots, sizeof(dots));
		s->quiet = 1;
		s->square = 1;
	}
	return s;
}

int
main(void)
{
	struct draw_style st = { .fg = 0x102030, .bg = 0xf0e0d0, .size = 64 };
	struct render_result r = { 0 };
	struct symbol *s;
	const unsigned char *c;
	gdImagePtr im;
	uint32_t len;
	int x, y, dark_ok = 1;

	if ((s = pattern()) == NULL)
		return done_testing();
	is_int(draw_png(s, &st, &r, why, sizeof(why)), RENDER_OK, "drawn");
	ok(r.len > 8 && memcmp(r.bytes, "\x89PNG\r\n\x1a\n", 8) == 0,
	    "PNG signature");
	is_str(r.content_type, "image/png", "content type");
	/* 64 / 5 = 12 px per module, (64 - 36) / 2 = 14 px to the first */
	is_int(r.module_px, 12, "module_px");
	is_int(r.width, 64, "width");
	is_int(r.height, 64, "height");
	if ((c = chunk(r.bytes, r.len, "IHDR", &len)) != NULL && len == 13) {
		is_int(be32(c), 64, "IHDR width");
		is_int(be32(c + 4), 64, "IHDR height");
		is_int(c[8], 1, "bit depth 1");
		is_int(c[9], 3, "colour type 3 (palette)");
	} else
		ok(0, "IHDR");
	if ((c = chunk(r.bytes, r.len, "PLTE", &len)) != NULL) {
		is_int(len, 6, "two palette entries");
		ok(memcmp(c, "\xf0\xe0\xd0\x10\x20\x30", 6) == 0,
		    "palette: bg then fg");
	} else
		ok(0, "PLTE");
	ok(chunk(r.bytes, r.len, "tRNS", &len) == NULL, "opaque: no tRNS");
	ok(chunk(r.bytes, r.len, "IEND", &len) != NULL, "IEND");

	if ((im = gdImageCreateFromPngPtr((int)r.len, r.bytes)) != NULL) {
		for (y = 0; y < 64; y++)
			for (x = 0; x < 64; x++) {
				int mx = (x - 14) / 12, my = (y - 14) / 12;
				int in = x >= 14 && y >= 14 && mx < 3 && my < 3;
				int want = in ? s->dark[my * 3 + mx] : 0;
				int got = gdImageRed(im,
				    gdImageGetPixel(im, x, y)) == 0x10;

				if (want != got)
					dark_ok = 0;
			}
		ok(dark_ok, "every pixel is where the module maths puts it");
		gdImageDestroy(im);
	} else
		ok(0, "libgd reads the PNG back");
	render_result_free(&r);

	st.bg_transparent = 1;
	is_int(draw_png(s, &st, &r, why, sizeof(why)), RENDER_OK,
	    "transparent drawn");
	if ((c = chunk(r.bytes, r.len, "tRNS", &len)) != NULL)
		ok(len >= 1 && c[0] == 0, "tRNS: the background is clear");
	else
		ok(0, "transparent: tRNS present");
	render_result_free(&r);

	st.size = 4;
	is_int(draw_png(s, &st, &r, why, sizeof(why)), RENDER_EINPUT,
	    "4 px for 5 modules refused");
	ok(r.bytes == NULL, "no bytes");
	symbol_free(s);
	return done_testing();
}
