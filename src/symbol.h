/*
 * symbol.h: the seam between encoders and drawers.  An encoder (encode_qr,
 * encode_barcode) produces a symbol; a drawer (draw_png, draw_svg) turns
 * it into bytes.  A symbol is either
 *   - a grid of square modules plus its quiet zone, which we draw
 *     ourselves (QR, Data Matrix, Aztec, PDF417, ...), or
 *   - zint's encoded symbol, which zint draws (linear barcodes, whose
 *     human-readable text and guard bars zint lays out per symbology,
 *     and MaxiCode's hexagons).
 * Either way the drawers place it on a canvas by symbol_fit().
 */
#ifndef QRE_SYMBOL_H
#define QRE_SYMBOL_H

#include <stddef.h>

struct zint_symbol;

/* The largest grid: QR version 40 is 177, PDF417 rows x 3 stay below. */
#define SYMBOL_MODULES_MAX	2048

enum symbol_drawing {
	SYMBOL_MODULES,		/* cols x rows of dark/light modules */
	SYMBOL_ZINT		/* zint's raster/vector output */
};

struct symbol {
	enum symbol_drawing	 drawing;
	/* SYMBOL_MODULES */
	int			 cols, rows;	/* without the quiet zone */
	unsigned char		*dark;		/* rows * cols, row-major, 1 = dark */
	int			 quiet;		/* quiet zone, modules on each side */
	/* SYMBOL_ZINT: encoded (ZBarcode_Encode), drawn by the drawers */
	struct zint_symbol	*zint;
	int			 free_scale;	/* any scale, not whole px per module */
	int			 upcean_font;	/* EAN/UPC digits: OCR-B style */
	/* both */
	int			 square;	/* 2D: the canvas is size x size */
};

/* Where a symbol goes on the canvas, in pixels. */
struct symbol_layout {
	int	module_px;	/* pixels per module, >= 1 */
	int	width, height;	/* the canvas */
	int	x0, y0;		/* top left of the drawing (after padding) */
};

/* A grid of cols x rows light modules, no quiet zone; NULL on ENOMEM. */
struct symbol	*symbol_new_modules(int cols, int rows);
/* Takes ownership of an encoded zint symbol; NULL on ENOMEM (z is then
 * still the caller's). */
struct symbol	*symbol_new_zint(struct zint_symbol *z);
/* NULL-safe; frees the zint symbol too. */
void		 symbol_free(struct symbol *);

static inline int
symbol_dark(const struct symbol *s, int col, int row)
{
	return s->dark[(size_t)row * (size_t)s->cols + (size_t)col];
}

/*
 * Whole pixels per module so that natural_w units fit in size pixels:
 * floor(size / natural_w).  Below 1 the symbol cannot be drawn crisply
 * at this size: returns -1 with a reason naming the size needed.
 */
int	symbol_fit(int natural_w, int size, int *module_px, char *reason,
	    size_t reasonsz);

/*
 * Layout of a SYMBOL_MODULES symbol on a canvas size pixels wide (and
 * high, if square): module_px from the width with quiet zone, the
 * remainder split evenly around it (so the quiet zone only grows).
 * 0, or -1 with a reason.
 */
int	symbol_layout(const struct symbol *, int size, struct symbol_layout *,
	    char *reason, size_t reasonsz);

#endif
