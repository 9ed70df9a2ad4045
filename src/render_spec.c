/*
 * render_spec.c: defaults and limits of what may be rendered: data
 * length, size, margin, error correction, and colours that scan.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "barcode_formats.h"
#include "color.h"
#include "reason.h"
#include "render_spec.h"

void
render_spec_init(struct render_spec *spec)
{
	memset(spec, 0, sizeof(*spec));
	spec->kind = RENDER_QR;
	spec->barcode_format = NULL;
	spec->format = RENDER_PNG;
	spec->ecc = 'M';
	spec->fg = COLOR_BLACK;
	spec->bg = COLOR_WHITE;
	spec->size = RENDER_SIZE_DEFAULT;
	spec->margin = RENDER_MARGIN_DEFAULT;
}

/* "a.b" with one decimal, truncated, without the locale's separator. */
static void
ratio_text(double ratio, int *whole, int *tenth)
{
	int t = (int)floor(ratio * 10);

	*whole = t / 10;
	*tenth = t % 10;
}

/*
 * Scanners find dark modules on a light background; many cannot read the
 * reverse (ISO/IEC 18004 makes it optional), so light-on-dark is refused,
 * as is too little contrast.  A transparent background is judged as white,
 * since that is what such images are usually put on.
 */
static enum render_status
check_colors(const struct render_spec *spec, char *reason, size_t reasonsz)
{
	char fg[8], bg[8];
	uint32_t back = spec->bg_transparent ? COLOR_WHITE : spec->bg;
	double ratio;
	int w, t, mw, mt;

	if (spec->fg > 0xffffffu || (!spec->bg_transparent &&
	    spec->bg > 0xffffffu)) {
		reason_set(reason, reasonsz, "colors are 24-bit #RRGGBB");
		return RENDER_EINPUT;
	}
	color_hex(spec->fg, fg);
	color_hex(back, bg);
	if (color_luminance(spec->fg) > color_luminance(back)) {
		reason_set(reason, reasonsz, "color %s is lighter than the "
		    "background %s%s: many scanners cannot read light codes on "
		    "a dark background", fg, bg,
		    spec->bg_transparent ? " (transparent counts as white)" :
		    "");
		return RENDER_EINPUT;
	}
	ratio = color_contrast(spec->fg, back);
	if (ratio < RENDER_MIN_CONTRAST) {
		ratio_text(ratio, &w, &t);
		ratio_text(RENDER_MIN_CONTRAST, &mw, &mt);
		reason_set(reason, reasonsz, "color %s on background %s%s has "
		    "a contrast ratio of %d.%d:1; at least %d.%d:1 is needed "
		    "to scan", fg, bg,
		    spec->bg_transparent ? " (transparent counts as white)" :
		    "", w, t, mw, mt);
		return RENDER_EINPUT;
	}
	return RENDER_OK;
}

/* Names the known formats from the table, so the list cannot drift. */
static void
unknown_format(const char *name, char *reason, size_t reasonsz)
{
	char known[RENDER_REASON_MAX];
	const struct barcode_format *f;
	size_t i, used = 0;
	int n;

	known[0] = '\0';
	for (i = 0; (f = barcode_format_at(i)) != NULL; i++) {
		n = snprintf(known + used, sizeof(known) - used, "%s%s",
		    i > 0 ? ", " : "", f->name);
		if (n < 0 || (size_t)n >= sizeof(known) - used)
			break;		/* a cut list still helps */
		used += (size_t)n;
	}
	reason_set(reason, reasonsz, "unknown barcode format '%.40s'; known "
	    "are %s", name, known);
}

enum render_status
render_spec_check(const struct render_spec *spec,
    const struct barcode_format **fmt, char *reason, size_t reasonsz)
{
	const struct barcode_format *f;

	*fmt = NULL;
	if (spec->kind == RENDER_QR)
		f = barcode_format_find("QR");
	else if (spec->kind == RENDER_BARCODE) {
		if (spec->barcode_format == NULL ||
		    spec->barcode_format[0] == '\0') {
			reason_set(reason, reasonsz, "a barcode needs a "
			    "barcode format (CODE128, EAN13, DATAMATRIX, ...)");
			return RENDER_EINPUT;
		}
		if ((f = barcode_format_find(spec->barcode_format)) == NULL) {
			unknown_format(spec->barcode_format, reason, reasonsz);
			return RENDER_EINPUT;
		}
	} else {
		reason_set(reason, reasonsz, "unknown code type");
		return RENDER_EINPUT;
	}
	if (spec->format != RENDER_PNG && spec->format != RENDER_SVG) {
		reason_set(reason, reasonsz, "format must be png or svg");
		return RENDER_EINPUT;
	}
	if (spec->data == NULL || spec->data_len == 0) {
		reason_set(reason, reasonsz, "data is empty");
		return RENDER_EINPUT;
	}
	if (spec->data_len > RENDER_DATA_MAX) {
		reason_set(reason, reasonsz, "data is %zu bytes long; at most "
		    "%d are allowed", spec->data_len, RENDER_DATA_MAX);
		return RENDER_EINPUT;
	}
	if (spec->size < RENDER_SIZE_MIN || spec->size > RENDER_SIZE_MAX) {
		reason_set(reason, reasonsz, "size %d px is out of range "
		    "(%d..%d)", spec->size, RENDER_SIZE_MIN, RENDER_SIZE_MAX);
		return RENDER_EINPUT;
	}
	if (spec->size < f->size_min) {
		reason_set(reason, reasonsz, "%s: size %d px is too small: it "
		    "is drawn at least %d px wide, in PNG and SVG alike, so that "
		    "it scans", f->name, spec->size, f->size_min);
		return RENDER_EINPUT;
	}
	if (spec->margin != RENDER_MARGIN_DEFAULT &&
	    (spec->margin < 0 || spec->margin > RENDER_MARGIN_MAX)) {
		reason_set(reason, reasonsz, "margin %d is out of range "
		    "(0..%d modules)", spec->margin, RENDER_MARGIN_MAX);
		return RENDER_EINPUT;
	}
	if (f->zint == BF_LIBQRENCODE && (spec->ecc == '\0' ||
	    strchr("LMQH", spec->ecc) == NULL)) {
		reason_set(reason, reasonsz, "error correction must be L, M, Q "
		    "or H");
		return RENDER_EINPUT;
	}
	if (check_colors(spec, reason, reasonsz) != RENDER_OK)
		return RENDER_EINPUT;
	*fmt = f;
	return RENDER_OK;
}
