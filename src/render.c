/*
 * render.c: the renderer's one entry point: check the spec, encode into a
 * symbol, draw the symbol.
 */
#include <stdlib.h>
#include <string.h>

#include "barcode_formats.h"
#include "draw.h"
#include "encode.h"
#include "reason.h"
#include "render.h"
#include "render_spec.h"
#include "symbol.h"

enum render_status
render(const struct render_spec *spec, struct render_result *out,
    char *reason, size_t reasonsz)
{
	const struct barcode_format *f;
	struct symbol *sym = NULL;
	struct draw_style style;
	enum render_status st;

	reason_set(reason, reasonsz, "%s", "");
	if (out == NULL)
		return RENDER_EINTERNAL;
	memset(out, 0, sizeof(*out));
	if (spec == NULL) {
		reason_set(reason, reasonsz, "nothing to render");
		return RENDER_EINTERNAL;
	}
	if ((st = render_spec_check(spec, &f, reason, reasonsz)) != RENDER_OK)
		goto fail;
	if (f->zint == BF_LIBQRENCODE)
		st = encode_qr(spec, &sym, reason, reasonsz);
	else
		st = encode_barcode(spec, f, &sym, reason, reasonsz);
	if (st != RENDER_OK)
		goto fail;
	style.fg = spec->fg;
	style.bg = spec->bg;
	style.bg_transparent = spec->bg_transparent;
	style.size = spec->size;
	style.grow_to_fit = spec->grow_to_fit;
	if (spec->format == RENDER_SVG)
		st = draw_svg(sym, &style, out, reason, reasonsz);
	else
		st = draw_png(sym, &style, out, reason, reasonsz);
	if (st != RENDER_OK)
		goto fail;
	symbol_free(sym);
	return RENDER_OK;
fail:
	symbol_free(sym);
	render_result_free(out);
	return st;
}

void
render_result_free(struct render_result *r)
{
	if (r == NULL)
		return;
	free(r->bytes);
	memset(r, 0, sizeof(*r));
}

const char *
render_status_str(enum render_status st)
{
	switch (st) {
	case RENDER_OK:
		return "ok";
	case RENDER_EINPUT:
		return "input refused";
	case RENDER_ENOMEM:
		return "out of memory";
	case RENDER_EINTERNAL:
		return "internal error";
	}
	return "unknown status";
}
