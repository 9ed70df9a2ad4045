/*
 * test_render_text_width.c: regression.  EAN/UPC digits stand beside the
 * bars, and zint only draws text from 2 px per module on: the PNG drawer
 * measured the width without text, so UPC-E with a margin of 16 at 364 px
 * was drawn 396 px wide into a 364 px canvas (heap overflow; found by
 * fuzz/run, input fuzz/corpus/regress_upce_text_width).
 */
#include <string.h>

#include "render.h"
#include "tap.h"

int
main(void)
{
	static const char *const formats[] = { "UPCE", "EAN13", "EAN8", "UPCA" };
	static const char *const data[] = { "0425261", "590123412345",
	    "9638507", "03600029145" };
	struct render_spec s;
	struct render_result r;
	char why[RENDER_REASON_MAX];
	int i, margin, size;

	for (i = 0; i < 4; i++)
		for (margin = 0; margin <= 32; margin += 16)
			for (size = 64; size <= 1024; size += 100) {
				render_spec_init(&s);
				s.kind = RENDER_BARCODE;
				s.barcode_format = formats[i];
				s.data = (const unsigned char *)data[i];
				s.data_len = strlen(data[i]);
				s.margin = margin;
				s.size = size;
				if (render(&s, &r, why, sizeof(why)) ==
				    RENDER_OK)
					ok(r.width == size && r.module_px >= 1,
					    "%s margin %d size %d: %d x %d",
					    formats[i], margin, size, r.width,
					    r.height);
				else
					ok(strstr(why, "too small") != NULL,
					    "%s margin %d size %d: %s",
					    formats[i], margin, size, why);
				render_result_free(&r);
			}
	/* the fuzzer's input: UPC-E, margin 16, 364 px */
	render_spec_init(&s);
	s.kind = RENDER_BARCODE;
	s.barcode_format = "UPCE";
	s.data = (const unsigned char *)"0425261";
	s.data_len = 7;
	s.margin = 16;
	s.size = 364;
	is_int(render(&s, &r, why, sizeof(why)), RENDER_OK, "UPCE 364 px");
	is_int(r.width, 364, "drawn within its 364 px");
	is_int(r.module_px, 3, "at 3 px per module (text included: 99 X)");
	render_result_free(&r);
	return done_testing();
}
