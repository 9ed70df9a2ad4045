/*
 * draw.h: the drawers behind the symbol seam: a symbol and a style in,
 * image bytes out (render_result).  Internal to librender.
 */
#ifndef QRE_DRAW_H
#define QRE_DRAW_H

#include <stddef.h>
#include <stdint.h>

#include "render_types.h"

struct symbol;

struct draw_style {
	uint32_t	fg, bg;		/* 0xRRGGBB */
	int		bg_transparent;
	int		size;		/* canvas width (and height, 2D) in px */
	int		grow_to_fit;	/* see render_spec */
};

/*
 * Fill out (bytes, len, width, height, module_px, content_type), or
 * return an error with a reason (RENDER_EINPUT: the size is too small for
 * the symbol).  The symbol is not const: zint draws into its own struct.
 */
enum render_status draw_png(struct symbol *, const struct draw_style *,
	    struct render_result *, char *reason, size_t reasonsz);
enum render_status draw_svg(struct symbol *, const struct draw_style *,
	    struct render_result *, char *reason, size_t reasonsz);

#endif
