/*
 * symbol.c: the encoder/drawer seam: module grids, zint symbols, and the
 * canvas maths both drawers share so PNG and SVG come out the same size.
 */
#include <stdlib.h>
#include <string.h>

#include <zint.h>

#include "reason.h"
#include "symbol.h"

struct symbol *
symbol_new_modules(int cols, int rows)
{
	struct symbol *s;

	if (cols < 1 || rows < 1 || cols > SYMBOL_MODULES_MAX ||
	    rows > SYMBOL_MODULES_MAX)
		return NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	if ((s->dark = calloc((size_t)cols * (size_t)rows, 1)) == NULL) {
		free(s);
		return NULL;
	}
	s->drawing = SYMBOL_MODULES;
	s->cols = cols;
	s->rows = rows;
	return s;
}

struct symbol *
symbol_new_zint(struct zint_symbol *z)
{
	struct symbol *s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->drawing = SYMBOL_ZINT;
	s->zint = z;
	return s;
}

void
symbol_free(struct symbol *s)
{
	if (s == NULL)
		return;
	free(s->dark);
	if (s->zint != NULL)
		ZBarcode_Delete(s->zint);
	free(s);
}

int
symbol_fit(int natural_w, int size, int *module_px, char *reason,
    size_t reasonsz)
{
	if (natural_w < 1 || size < natural_w) {
		reason_set(reason, reasonsz, "size %d px is too small for this "
		    "symbol: it is %d modules wide with its quiet zone, so it "
		    "needs a size of at least %d px", size, natural_w,
		    natural_w);
		return -1;
	}
	*module_px = size / natural_w;
	return 0;
}

int
symbol_layout(const struct symbol *s, int size, struct symbol_layout *lay,
    char *reason, size_t reasonsz)
{
	int total_w = s->cols + 2 * s->quiet;
	int total_h = s->rows + 2 * s->quiet;
	int across = s->square && total_h > total_w ? total_h : total_w;
	int m;

	if (symbol_fit(across, size, &m, reason, reasonsz) == -1)
		return -1;
	lay->module_px = m;
	lay->width = size;
	lay->height = s->square ? size : total_h * m;
	lay->x0 = (lay->width - s->cols * m) / 2;
	lay->y0 = (lay->height - s->rows * m) / 2;
	return 0;
}
