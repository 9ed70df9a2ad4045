/*
 * draw_png.c: a symbol as a two-colour PNG through libgd.  A palette
 * image (gdImageCreate, not truecolor) with two entries makes libgd write
 * a 1-bit PNG: the smallest file and the least for zlib to compress.
 */
#include <stdlib.h>
#include <string.h>

#include <gd.h>
#include <zint.h>

#include "bytebuf.h"
#include "draw.h"
#include "reason.h"
#include "symbol.h"

/*
 * zlib level for the PNG, measured with bench/render/render_bench
 * (-DPNG_ZLIB_LEVEL=n) on a QR code of a URL at 300 px: level 1 takes
 * 0.23 ms for 598 bytes, libgd's default (6) 0.35 ms for 433 bytes, 9
 * 0.89 ms for 436; 0 (stored) 0.20 ms for 11.8 KB.  Two-colour images
 * of long runs lose little at 1; Data Matrix and Code 128 agree.
 */
#ifndef PNG_ZLIB_LEVEL
#define PNG_ZLIB_LEVEL		1
#endif
/* First allocation for the PNG bytes; a 300 px QR code is ~600 B. */
#define PNG_BUF_HINT		4096
/* Palette entries: every pixel starts as 0, the background. */
#define PX_LIGHT		0
#define PX_DARK			1
/* zint draws pure fg/bg; a channel sum below this is the dark colour. */
#define ZINT_DARK_SUM		(3 * 128)
/* Tries to shrink a freely scaled (MaxiCode) drawing into the canvas. */
#define FREE_SCALE_TRIES	4
/* zint's raster scale 0.5 is one pixel per X; scale s is 2s px per X. */
#define ZINT_PX_SCALE		0.5f

static const unsigned char png_iend[12] = {
	0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82
};

/* gdIOCtx writing into a bytebuf; ctx first so the cast is valid. */
struct png_sink {
	gdIOCtx		ctx;
	struct bytebuf	buf;
};

static int
sink_put_buf(gdIOCtx *ctx, const void *p, int n)
{
	struct png_sink *s = (struct png_sink *)ctx;

	if (n <= 0)
		return 0;
	bytebuf_put(&s->buf, p, (size_t)n);
	return s->buf.failed ? 0 : n;
}

static void
sink_put_c(gdIOCtx *ctx, int c)
{
	struct png_sink *s = (struct png_sink *)ctx;

	bytebuf_putc(&s->buf, (char)c);
}

static void
sink_free(gdIOCtx *ctx)
{
	(void)ctx;	/* the sink lives on the caller's stack */
}

static gdImagePtr
canvas_new(int width, int height, const struct draw_style *st)
{
	gdImagePtr im;

	if ((im = gdImageCreate(width, height)) == NULL)
		return NULL;
	/* Allocation order makes the indexes PX_LIGHT and PX_DARK. */
	gdImageColorAllocate(im, (st->bg >> 16) & 0xff, (st->bg >> 8) & 0xff,
	    st->bg & 0xff);
	gdImageColorAllocate(im, (st->fg >> 16) & 0xff, (st->fg >> 8) & 0xff,
	    st->fg & 0xff);
	if (st->bg_transparent)
		gdImageColorTransparent(im, PX_LIGHT);
	return im;
}

/*
 * Each module row is drawn once into its first pixel row as runs, then
 * copied to the other module_px - 1 rows: writing gd's pixel rows
 * directly beats a gdImageFilledRectangle() per module by far.
 */
static void
paint_modules(gdImagePtr im, const struct symbol *sym,
    const struct symbol_layout *lay)
{
	int m = lay->module_px, r, c, k, start;
	size_t span = (size_t)sym->cols * (size_t)m;

	for (r = 0; r < sym->rows; r++) {
		unsigned char *line = im->pixels[lay->y0 + r * m] + lay->x0;

		for (c = 0; c < sym->cols; ) {
			if (!symbol_dark(sym, c, r)) {
				c++;
				continue;
			}
			for (start = c; c < sym->cols && symbol_dark(sym, c, r);
			    c++)
				;
			memset(line + start * m, PX_DARK,
			    (size_t)(c - start) * (size_t)m);
		}
		for (k = 1; k < m; k++)
			memcpy(im->pixels[lay->y0 + r * m + k] + lay->x0, line,
			    span);
	}
}

static enum render_status
zint_buffer(struct zint_symbol *z, float scale, char *reason,
    size_t reasonsz)
{
	int zrc;

	z->scale = scale;
	if ((zrc = ZBarcode_Buffer(z, 0)) >= ZINT_ERROR) {
		reason_set(reason, reasonsz, "zint could not draw the symbol: "
		    "%s", z->errtxt);
		return zrc == ZINT_ERROR_MEMORY ? RENDER_ENOMEM :
		    RENDER_EINTERNAL;
	}
	return RENDER_OK;
}

/*
 * Whole pixels per X for bars.  zint draws no text below scale 1 (2 px
 * per X), and EAN/UPC digits stick out beside the bars, so the width per
 * X is measured at scale 1 (text on); the drawing is then checked, and
 * the scale lowered until it fits.  With grow, a size that would leave
 * bars thinner than RENDER_BAR_MIN_PX (no text, easily missed) is
 * replaced by the least size that does not.
 */
static enum render_status
zint_fit_bars(struct zint_symbol *z, int *size, int grow, int *module_px,
    char *reason, size_t reasonsz)
{
	enum render_status st;
	int m, natural;

	if ((st = zint_buffer(z, 2 * ZINT_PX_SCALE, reason, reasonsz)) !=
	    RENDER_OK)
		return st;
	natural = (z->bitmap_width + 1) / 2;
	if (grow && *size / natural < RENDER_BAR_MIN_PX) {
		/* At 2 px per X the drawing is z->bitmap_width wide: the least. */
		*size = z->bitmap_width;
		*module_px = RENDER_BAR_MIN_PX;
		return RENDER_OK;
	}
	m = *size / natural > 0 ? *size / natural : 1;
	for (;;) {
		if (m != 2 && (st = zint_buffer(z, ZINT_PX_SCALE * (float)m,
		    reason, reasonsz)) != RENDER_OK)
			return st;
		if (z->bitmap_width <= *size)
			break;
		if (m == 1) {
			/* says "too small", naming the width needed */
			(void)symbol_fit(z->bitmap_width, *size, &m, reason,
			    reasonsz);
			return RENDER_EINPUT;
		}
		m--;
		if (m == 2 && (st = zint_buffer(z, 2 * ZINT_PX_SCALE, reason,
		    reasonsz)) != RENDER_OK)
			return st;
	}
	*module_px = m;
	return RENDER_OK;
}

/* MaxiCode: zint's hexagon raster is not linear in scale; shrink to fit. */
static enum render_status
zint_fit_free(struct zint_symbol *z, int size, int *module_px, char *reason,
    size_t reasonsz)
{
	enum render_status st;
	float scale;
	int i, natural;

	if ((st = zint_buffer(z, ZINT_PX_SCALE, reason, reasonsz)) != RENDER_OK)
		return st;
	natural = z->bitmap_width;
	if (natural > size) {
		reason_set(reason, reasonsz, "size %d px is too small for this "
		    "symbol: it needs a size of at least %d px", size, natural);
		return RENDER_EINPUT;
	}
	scale = ZINT_PX_SCALE * (float)size / (float)natural;
	for (i = 0; i < FREE_SCALE_TRIES; i++) {
		if ((st = zint_buffer(z, scale, reason, reasonsz)) != RENDER_OK)
			return st;
		if (z->bitmap_width <= size)
			break;
		scale *= (float)size / (float)z->bitmap_width * 0.995f;
	}
	if (z->bitmap_width > size) {
		reason_set(reason, reasonsz, "zint drew the symbol wider than "
		    "%d px", size);
		return RENDER_EINTERNAL;
	}
	*module_px = z->width > 0 && z->bitmap_width / z->width > 0 ?
	    z->bitmap_width / z->width : 1;
	return RENDER_OK;
}

/* zint draws (bars, text, guard bars, hexagons) to fit size pixels. */
static enum render_status
zint_fit(struct symbol *sym, int size, int grow, struct symbol_layout *lay,
    char *reason, size_t reasonsz)
{
	struct zint_symbol *z = sym->zint;
	enum render_status st;

	st = sym->free_scale ?
	    zint_fit_free(z, size, &lay->module_px, reason, reasonsz) :
	    zint_fit_bars(z, &size, grow, &lay->module_px, reason, reasonsz);
	if (st != RENDER_OK)
		return st;
	lay->width = size;
	lay->height = z->bitmap_height;
	if (sym->square && lay->height < size)
		lay->height = size;
	lay->x0 = (lay->width - z->bitmap_width) / 2;
	lay->y0 = (lay->height - z->bitmap_height) / 2;
	return RENDER_OK;
}

/* zint's RGB raster to palette indexes. */
static void
paint_zint(gdImagePtr im, const struct zint_symbol *z,
    const struct symbol_layout *lay)
{
	const unsigned char *src = z->bitmap;
	int x, y;

	for (y = 0; y < z->bitmap_height; y++) {
		unsigned char *dst = im->pixels[lay->y0 + y] + lay->x0;

		for (x = 0; x < z->bitmap_width; x++, src += 3)
			dst[x] = src[0] + src[1] + src[2] < ZINT_DARK_SUM ?
			    PX_DARK : PX_LIGHT;
	}
}

static enum render_status
png_encode(gdImagePtr im, struct render_result *out, char *reason,
    size_t reasonsz)
{
	struct png_sink sink;

	memset(&sink, 0, sizeof(sink));
	sink.ctx.putC = sink_put_c;
	sink.ctx.putBuf = sink_put_buf;
	sink.ctx.gd_free = sink_free;
	bytebuf_init(&sink.buf, PNG_BUF_HINT);
	gdImagePngCtxEx(im, &sink.ctx, PNG_ZLIB_LEVEL);
	/*
	 * gdImagePngCtxEx() returns nothing; when libpng fails it stops
	 * early, so a PNG without its IEND chunk is a failed one.
	 */
	if (sink.buf.failed || sink.buf.len < sizeof(png_iend) ||
	    memcmp(sink.buf.p + sink.buf.len - sizeof(png_iend), png_iend,
	    sizeof(png_iend)) != 0) {
		bytebuf_free(&sink.buf);
		reason_set(reason, reasonsz, "could not write the PNG");
		return RENDER_ENOMEM;
	}
	out->bytes = bytebuf_take(&sink.buf, &out->len);
	out->content_type = "image/png";
	return RENDER_OK;
}

enum render_status
draw_png(struct symbol *sym, const struct draw_style *st,
    struct render_result *out, char *reason, size_t reasonsz)
{
	struct symbol_layout lay;
	gdImagePtr im = NULL;
	enum render_status rs;

	if (sym->drawing == SYMBOL_MODULES) {
		if (symbol_layout(sym, st->size, &lay, reason, reasonsz) == -1)
			return RENDER_EINPUT;
	} else if ((rs = zint_fit(sym, st->size, st->grow_to_fit, &lay, reason,
	    reasonsz)) !=
	    RENDER_OK)
		return rs;
	if ((im = canvas_new(lay.width, lay.height, st)) == NULL) {
		reason_set(reason, reasonsz, "out of memory for a %d x %d "
		    "image", lay.width, lay.height);
		rs = RENDER_ENOMEM;
		goto fail;
	}
	if (sym->drawing == SYMBOL_MODULES)
		paint_modules(im, sym, &lay);
	else
		paint_zint(im, sym->zint, &lay);
	if ((rs = png_encode(im, out, reason, reasonsz)) != RENDER_OK)
		goto fail;
	out->width = lay.width;
	out->height = lay.height;
	out->module_px = lay.module_px;
	gdImageDestroy(im);
	return RENDER_OK;
fail:
	if (im != NULL)
		gdImageDestroy(im);
	return rs;
}
