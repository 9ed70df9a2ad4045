/*
 * color.h: colours as 0xRRGGBB, their WCAG 2 relative luminance and the
 * contrast ratio between two of them.  render_parse_color() (render.h)
 * is defined in color.c too.
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

#endif
