/* test_symbol.c: the seam's canvas maths (symbol_fit, symbol_layout). */
#include <string.h>

#include "render.h"
#include "symbol.h"
#include "tap.h"

static char why[RENDER_REASON_MAX];

int
main(void)
{
	struct symbol_layout lay;
	struct symbol *s;
	int m;

	ok(symbol_fit(37, 300, &m, why, sizeof(why)) == 0 && m == 8,
	    "300 / 37 = 8");
	ok(symbol_fit(37, 37, &m, why, sizeof(why)) == 0 && m == 1,
	    "exactly one px per module");
	ok(symbol_fit(37, 36, &m, why, sizeof(why)) == -1 &&
	    strstr(why, "at least 37 px") != NULL, "36 < 37: %s", why);
	ok(symbol_fit(0, 300, &m, why, sizeof(why)) == -1, "0 modules");

	ok(symbol_new_modules(0, 1) == NULL, "no zero-width grid");
	ok(symbol_new_modules(1, SYMBOL_MODULES_MAX + 1) == NULL,
	    "no grid over the limit");
	symbol_free(NULL);
	ok(1, "symbol_free(NULL)");

	/* QR version 3 (29) with a quiet zone of 4: 37 across. */
	if ((s = symbol_new_modules(29, 29)) == NULL)
		return done_testing();
	s->quiet = 4;
	s->square = 1;
	ok(symbol_layout(s, 300, &lay, why, sizeof(why)) == 0, "layout 300");
	is_int(lay.module_px, 8, "8 px per module");
	is_int(lay.width, 300, "canvas width is size");
	is_int(lay.height, 300, "square canvas");
	/* 300 - 29 * 8 = 68: 34 on each side, i.e. 4 modules + 2 px */
	is_int(lay.x0, 34, "left: quiet zone plus half the remainder");
	is_int(lay.y0, 34, "top: same");
	ok(lay.x0 >= s->quiet * lay.module_px &&
	    lay.width - lay.x0 - s->cols * lay.module_px >= s->quiet *
	    lay.module_px, "quiet zone kept on both sides");
	ok(symbol_layout(s, 301, &lay, why, sizeof(why)) == 0 &&
	    lay.x0 == 34 && 301 - 34 - 232 == 35, "odd remainder: 34 + 35");
	ok(symbol_layout(s, 36, &lay, why, sizeof(why)) == -1 &&
	    strstr(why, "37 modules wide") != NULL, "too small: %s", why);
	s->quiet = 0;
	ok(symbol_layout(s, 64, &lay, why, sizeof(why)) == 0 &&
	    lay.module_px == 2 && lay.x0 == 3, "no quiet zone: 2 px, x0 3");
	symbol_free(s);

	/* A stacked, non-square symbol: height from the modules. */
	if ((s = symbol_new_modules(100, 18)) == NULL)
		return done_testing();
	s->quiet = 2;
	ok(symbol_layout(s, 300, &lay, why, sizeof(why)) == 0, "PDF417-ish");
	is_int(lay.module_px, 2, "300 / 104 = 2");
	is_int(lay.width, 300, "width is size");
	is_int(lay.height, 22 * 2, "height is (rows + 2 quiet) * px");
	is_int(lay.y0, 4, "quiet zone on top");
	is_int(lay.x0, 50, "(300 - 200) / 2");
	ok(symbol_dark(s, 0, 0) == 0, "new modules are light");
	symbol_free(s);
	return done_testing();
}
