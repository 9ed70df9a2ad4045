/*
 * draw_svg.c: a symbol as SVG, written directly.  All dark modules are
 * one <path> of run-length rectangles ("M x y h w v h h -w z" per run of
 * dark modules, identical rows merged), not a <rect> per module: a QR
 * code stays a few KB and renders fast.  The canvas is the PNG's
 * (symbol_layout), so both formats come out the same size.
 */
#include <math.h>
#include <string.h>

#include <zint.h>

#include "bytebuf.h"
#include "color.h"
#include "draw.h"
#include "reason.h"
#include "symbol.h"
#include "xml_text.h"

/* First allocation for the SVG; a 300 px QR code of a URL is ~3 KB. */
#define SVG_BUF_HINT	8192
/* zint's vector scale 0.5 gives coordinates in X (module) units. */
#define ZINT_X_SCALE	0.5f
/* sqrt(3) / 4: half a hexagon's width over its diameter. */
#define HEX_HALF_WIDTH	0.43301270189221932338

static void
svg_open(struct bytebuf *b, int width, int height, const struct draw_style *st)
{
	char bg[8];

	bytebuf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
	    "width=\"");
	bytebuf_put_int(b, width);
	bytebuf_puts(b, "\" height=\"");
	bytebuf_put_int(b, height);
	bytebuf_puts(b, "\" viewBox=\"0 0 ");
	bytebuf_put_int(b, width);
	bytebuf_putc(b, ' ');
	bytebuf_put_int(b, height);
	bytebuf_puts(b, "\">\n");
	if (!st->bg_transparent) {
		color_hex(st->bg, bg);
		bytebuf_puts(b, "<rect width=\"100%\" height=\"100%\" fill=\"");
		bytebuf_puts(b, bg);
		bytebuf_puts(b, "\"/>\n");
	}
}

static enum render_status
svg_close(struct bytebuf *b, struct render_result *out, char *reason,
    size_t reasonsz)
{
	bytebuf_puts(b, "</svg>\n");
	if ((out->bytes = bytebuf_take(b, &out->len)) == NULL) {
		reason_set(reason, reasonsz, "out of memory writing the SVG");
		return RENDER_ENOMEM;
	}
	out->content_type = "image/svg+xml";
	return RENDER_OK;
}

/* One subpath per run of dark modules, height h module rows. */
static void
path_row_runs(struct bytebuf *b, const struct symbol *sym, int r, int h)
{
	int c = 0, start, prev = -1;

	while (c < sym->cols) {
		if (!symbol_dark(sym, c, r)) {
			c++;
			continue;
		}
		for (start = c; c < sym->cols && symbol_dark(sym, c, r); c++)
			;
		/* After "z" the pen is back at the previous run's start. */
		if (prev < 0) {
			bytebuf_putc(b, 'M');
			bytebuf_put_int(b, start);
			bytebuf_putc(b, ' ');
			bytebuf_put_int(b, r);
		} else {
			bytebuf_putc(b, 'm');
			bytebuf_put_int(b, start - prev);
			bytebuf_puts(b, " 0");
		}
		bytebuf_putc(b, 'h');
		bytebuf_put_int(b, c - start);
		bytebuf_putc(b, 'v');
		bytebuf_put_int(b, h);
		bytebuf_putc(b, 'h');
		bytebuf_put_int(b, start - c);
		bytebuf_putc(b, 'z');
		prev = start;
	}
}

static enum render_status
svg_modules(struct symbol *sym, const struct draw_style *st,
    struct render_result *out, char *reason, size_t reasonsz)
{
	struct symbol_layout lay;
	struct bytebuf b;
	char fg[8];
	size_t cols = (size_t)sym->cols;
	int r, h;

	if (symbol_layout(sym, st->size, &lay, reason, reasonsz) == -1)
		return RENDER_EINPUT;
	bytebuf_init(&b, SVG_BUF_HINT);
	svg_open(&b, lay.width, lay.height, st);
	color_hex(st->fg, fg);
	bytebuf_puts(&b, "<path fill=\"");
	bytebuf_puts(&b, fg);
	bytebuf_puts(&b, "\" shape-rendering=\"crispEdges\" "
	    "transform=\"translate(");
	bytebuf_put_int(&b, lay.x0);
	bytebuf_putc(&b, ' ');
	bytebuf_put_int(&b, lay.y0);
	bytebuf_puts(&b, ") scale(");
	bytebuf_put_int(&b, lay.module_px);
	bytebuf_puts(&b, ")\" d=\"");
	for (r = 0; r < sym->rows; r += h) {
		/* Stacked codes repeat rows (PDF417 rows are 3 high). */
		for (h = 1; r + h < sym->rows && memcmp(sym->dark + r * cols,
		    sym->dark + (size_t)(r + h) * cols, cols) == 0; h++)
			;
		path_row_runs(&b, sym, r, h);
	}
	bytebuf_puts(&b, "\"/>\n");
	out->width = lay.width;
	out->height = lay.height;
	out->module_px = lay.module_px;
	return svg_close(&b, out, reason, reasonsz);
}

static void
zint_rects(struct bytebuf *b, const struct zint_vector_rect *rect)
{
	if (rect == NULL)
		return;
	bytebuf_puts(b, "<path shape-rendering=\"crispEdges\" d=\"");
	for (; rect != NULL; rect = rect->next) {
		bytebuf_putc(b, 'M');
		bytebuf_put_fixed2(b, rect->x);
		bytebuf_putc(b, ' ');
		bytebuf_put_fixed2(b, rect->y);
		bytebuf_putc(b, 'h');
		bytebuf_put_fixed2(b, rect->width);
		bytebuf_putc(b, 'v');
		bytebuf_put_fixed2(b, rect->height);
		bytebuf_putc(b, 'h');
		bytebuf_put_fixed2(b, -rect->width);
		bytebuf_putc(b, 'z');
	}
	bytebuf_puts(b, "\"/>\n");
}

static void
point(struct bytebuf *b, char cmd, double x, double y)
{
	bytebuf_putc(b, cmd);
	bytebuf_put_fixed2(b, x);
	bytebuf_putc(b, ' ');
	bytebuf_put_fixed2(b, y);
}

/* MaxiCode's hexagons, pointy side up unless rotated by 90/270. */
static void
zint_hexagons(struct bytebuf *b, const struct zint_vector_hexagon *hex)
{
	double r, hr, w, x, y;

	if (hex == NULL)
		return;
	bytebuf_puts(b, "<path d=\"");
	for (; hex != NULL; hex = hex->next) {
		r = hex->diameter / 2.0;
		hr = hex->diameter / 4.0;
		w = hex->diameter * HEX_HALF_WIDTH;
		x = hex->x;
		y = hex->y;
		if (hex->rotation == 0 || hex->rotation == 180) {
			point(b, 'M', x, y + r);
			point(b, 'L', x + w, y + hr);
			point(b, 'L', x + w, y - hr);
			point(b, 'L', x, y - r);
			point(b, 'L', x - w, y - hr);
			point(b, 'L', x - w, y + hr);
		} else {
			point(b, 'M', x - r, y);
			point(b, 'L', x - hr, y + w);
			point(b, 'L', x + hr, y + w);
			point(b, 'L', x + r, y);
			point(b, 'L', x + hr, y - w);
			point(b, 'L', x - hr, y - w);
		}
		bytebuf_putc(b, 'Z');
	}
	bytebuf_puts(b, "\"/>\n");
}

/* MaxiCode's bullseye: rings (width > 0) or discs. */
static void
zint_circles(struct bytebuf *b, const struct zint_vector_circle *c,
    const char *fg, const char *bg)
{
	for (; c != NULL; c = c->next) {
		bytebuf_puts(b, "<circle cx=\"");
		bytebuf_put_fixed2(b, c->x);
		bytebuf_puts(b, "\" cy=\"");
		bytebuf_put_fixed2(b, c->y);
		bytebuf_puts(b, "\" r=\"");
		bytebuf_put_fixed2(b, c->diameter / 2.0);
		if (c->width > 0) {
			bytebuf_puts(b, "\" fill=\"none\" stroke=\"");
			bytebuf_puts(b, fg);
			bytebuf_puts(b, "\" stroke-width=\"");
			bytebuf_put_fixed2(b, c->width);
		} else {
			bytebuf_puts(b, "\" fill=\"");
			bytebuf_puts(b, c->colour ? bg : fg);
		}
		bytebuf_puts(b, "\"/>\n");
	}
}

/* The human-readable text zint laid out, one <text> per string. */
static void
zint_strings(struct bytebuf *b, const struct zint_vector_string *s)
{
	for (; s != NULL; s = s->next) {
		if (s->text == NULL || s->length <= 0)
			continue;
		bytebuf_puts(b, "<text x=\"");
		bytebuf_put_fixed2(b, s->x);
		bytebuf_puts(b, "\" y=\"");
		bytebuf_put_fixed2(b, s->y);
		bytebuf_puts(b, "\" font-size=\"");
		bytebuf_put_fixed2(b, s->fsize);
		bytebuf_puts(b, "\" text-anchor=\"");
		bytebuf_puts(b, s->halign == 1 ? "start" :
		    s->halign == 2 ? "end" : "middle");
		if (s->rotation != 0) {
			bytebuf_puts(b, "\" transform=\"rotate(");
			bytebuf_put_int(b, s->rotation);
			bytebuf_putc(b, ' ');
			bytebuf_put_fixed2(b, s->x);
			bytebuf_putc(b, ' ');
			bytebuf_put_fixed2(b, s->y);
			bytebuf_putc(b, ')');
		}
		bytebuf_puts(b, "\">");
		xml_put_text(b, s->text, strnlen((const char *)s->text,
		    (size_t)s->length));
		bytebuf_puts(b, "</text>\n");
	}
}

/*
 * zint's vector output at scale 0.5 is in X units; one <g> scales it to
 * whole pixels per X like the PNG (or to the canvas, for MaxiCode).
 */
static enum render_status
svg_zint(struct symbol *sym, const struct draw_style *st,
    struct render_result *out, char *reason, size_t reasonsz)
{
	struct zint_symbol *z = sym->zint;
	struct zint_vector *v;
	struct bytebuf b;
	char fg[8], bg[8];
	double k, x0, y0;
	int zrc, m, width, height;

	z->scale = ZINT_X_SCALE;
	if ((zrc = ZBarcode_Buffer_Vector(z, 0)) >= ZINT_ERROR ||
	    (v = z->vector) == NULL || v->width <= 0 || v->height <= 0) {
		reason_set(reason, reasonsz, "zint could not draw the symbol: "
		    "%s", z->errtxt);
		return zrc == ZINT_ERROR_MEMORY ? RENDER_ENOMEM :
		    RENDER_EINTERNAL;
	}
	if (symbol_fit((int)ceil(v->width - 0.01), st->size, &m, reason,
	    reasonsz) == -1)
		return RENDER_EINPUT;
	/* Two decimals are written: round k down so the drawing fits. */
	k = sym->free_scale ? floor(st->size / v->width * 100) / 100 : m;
	width = st->size;
	height = (int)ceil(v->height * k - 0.01);
	if (sym->square && height < st->size)
		height = st->size;
	x0 = (width - v->width * k) / 2;
	y0 = (height - v->height * k) / 2;
	if (!sym->free_scale) {
		/* Whole pixels, so bars land on pixel edges as in the PNG. */
		x0 = floor(x0);
		y0 = floor(y0);
	}

	color_hex(st->fg, fg);
	color_hex(st->bg_transparent ? COLOR_WHITE : st->bg, bg);
	bytebuf_init(&b, SVG_BUF_HINT);
	svg_open(&b, width, height, st);
	bytebuf_puts(&b, "<g fill=\"");
	bytebuf_puts(&b, fg);
	bytebuf_puts(&b, "\" font-family=\"");
	bytebuf_puts(&b, sym->upcean_font ? "OCR-B, OCRB, monospace" :
	    "Helvetica, Arial, sans-serif");
	bytebuf_puts(&b, "\" transform=\"translate(");
	bytebuf_put_fixed2(&b, x0);
	bytebuf_putc(&b, ' ');
	bytebuf_put_fixed2(&b, y0);
	bytebuf_puts(&b, ") scale(");
	bytebuf_put_fixed2(&b, k);
	bytebuf_puts(&b, ")\">\n");
	zint_rects(&b, v->rectangles);
	zint_hexagons(&b, v->hexagons);
	zint_circles(&b, v->circles, fg, bg);
	zint_strings(&b, v->strings);
	bytebuf_puts(&b, "</g>\n");
	out->width = width;
	out->height = height;
	out->module_px = (int)k > 0 ? (int)k : 1;
	return svg_close(&b, out, reason, reasonsz);
}

enum render_status
draw_svg(struct symbol *sym, const struct draw_style *st,
    struct render_result *out, char *reason, size_t reasonsz)
{
	if (sym->drawing == SYMBOL_MODULES)
		return svg_modules(sym, st, out, reason, reasonsz);
	return svg_zint(sym, st, out, reason, reasonsz);
}
