/*
 * color.h: colours as 0xRRGGBB, their WCAG 2 relative luminance and the
 * contrast ratio between two of them, and render_parse_color(), part of
 * librender's public API (render.h).
 */
#ifndef QRE_COLOR_H
#define QRE_COLOR_H

#include <stdint.h>

#define COLOR_BLACK	0x000000u
#define COLOR_WHITE	0xffffffu

/* WCAG 2 relative luminance, 0.0 (black) .. 1.0 (white). */
double	color_luminance(uint32_t rgb);

/* WCAG 2 contrast ratio, 1.0 (same) .. 21.0 (black on white); symmetric. */
double	color_contrast(uint32_t a, uint32_t b);

/* "#rrggbb" plus NUL into out (8 bytes); for SVG attributes. */
void	color_hex(uint32_t rgb, char out[8]);

/*
 * "#RRGGBB" (hex digits in either case) into *rgb.  "transparent" is
 * accepted only when transparent is not NULL, and then sets *transparent
 * to 1 (and *rgb to white); any colour sets it to 0.
 * Returns 0, or -1 for anything else (rgb untouched).
 */
int	render_parse_color(const char *, uint32_t *rgb, int *transparent);

#endif
