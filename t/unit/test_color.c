/* test_color.c: colour parsing, WCAG luminance and contrast. */
#include <math.h>
#include <stdint.h>

#include "color.h"
#include "render.h"
#include "tap.h"

static int
near(double a, double b)
{
	return fabs(a - b) < 0.005;
}

int
main(void)
{
	uint32_t rgb = 0x123456;
	int tr = 7;
	char hex[8];

	ok(render_parse_color("#00ff7F", &rgb, NULL) == 0 && rgb == 0x00ff7f,
	    "#00ff7F, either case");
	ok(render_parse_color("#000000", &rgb, &tr) == 0 && rgb == 0 &&
	    tr == 0, "a colour clears transparent");
	ok(render_parse_color("transparent", &rgb, &tr) == 0 && tr == 1 &&
	    rgb == COLOR_WHITE, "transparent where allowed");
	rgb = 0x123456;
	ok(render_parse_color("transparent", &rgb, NULL) == -1 &&
	    rgb == 0x123456, "transparent refused for fg, rgb untouched");
	ok(render_parse_color("#fff", &rgb, NULL) == -1, "#RGB refused");
	ok(render_parse_color("000000", &rgb, NULL) == -1, "no #");
	ok(render_parse_color("#0000000", &rgb, NULL) == -1, "7 digits");
	ok(render_parse_color("#00000", &rgb, NULL) == -1, "5 digits");
	ok(render_parse_color("#00000g", &rgb, NULL) == -1, "not hex");
	ok(render_parse_color("# 00000", &rgb, NULL) == -1, "space");
	ok(render_parse_color("#-00000", &rgb, NULL) == -1, "sign");
	ok(render_parse_color("", &rgb, NULL) == -1, "empty");
	ok(render_parse_color("Transparent", &rgb, &tr) == -1,
	    "Transparent is case-sensitive");
	ok(render_parse_color("red", &rgb, NULL) == -1, "no names");
	ok(render_parse_color(NULL, &rgb, NULL) == -1, "NULL");
	ok(render_parse_color("#000000", NULL, NULL) == -1, "NULL rgb");

	ok(near(color_luminance(COLOR_BLACK), 0.0), "black luminance 0");
	ok(near(color_luminance(COLOR_WHITE), 1.0), "white luminance 1");
	ok(near(color_luminance(0xff0000), 0.2126), "red luminance");
	ok(near(color_contrast(COLOR_BLACK, COLOR_WHITE), 21.0),
	    "black on white 21:1");
	ok(near(color_contrast(COLOR_WHITE, COLOR_BLACK), 21.0), "symmetric");
	ok(near(color_contrast(0x777777, 0x777777), 1.0), "same colour 1:1");
	ok(near(color_contrast(0x777777, COLOR_WHITE), 4.48), "#777 4.48:1");
	ok(color_contrast(0x949494, COLOR_WHITE) >= RENDER_MIN_CONTRAST &&
	    color_contrast(0x959595, COLOR_WHITE) < RENDER_MIN_CONTRAST,
	    "the threshold falls between #949494 and #959595 on white");
	ok(color_contrast(0x1d4ed8, COLOR_WHITE) >= RENDER_MIN_CONTRAST &&
	    color_contrast(0x9ca3af, COLOR_WHITE) < RENDER_MIN_CONTRAST,
	    "render.h's examples hold");

	color_hex(0x0a0b0c, hex);
	is_str(hex, "#0a0b0c", "color_hex");
	color_hex(COLOR_WHITE, hex);
	is_str(hex, "#ffffff", "color_hex white");
	return done_testing();
}
