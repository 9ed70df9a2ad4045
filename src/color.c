/*
 * color.c: parse "#RRGGBB", and measure how far apart two colours are
 * the way WCAG 2 does, since scanners, like eyes, need luminance
 * contrast, not hue.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "util.h"
#include "color.h"

#define COLOR_HEX_DIGITS	6

int
render_parse_color(const char *s, uint32_t *rgb, int *transparent)
{
	uint32_t v = 0;
	int i, d;

	if (s == NULL || rgb == NULL)
		return -1;
	if (strcmp(s, "transparent") == 0) {
		if (transparent == NULL)
			return -1;
		*transparent = 1;
		*rgb = COLOR_WHITE;
		return 0;
	}
	if (s[0] != '#' || strlen(s + 1) != COLOR_HEX_DIGITS)
		return -1;
	for (i = 1; i <= COLOR_HEX_DIGITS; i++) {
		if ((d = hex_digit(s[i])) < 0)
			return -1;
		v = v << 4 | (uint32_t)d;
	}
	*rgb = v;
	if (transparent != NULL)
		*transparent = 0;
	return 0;
}

/* sRGB channel (0..255) to linear light, WCAG 2.x's formula. */
static double
channel_linear(unsigned int c8)
{
	double c = c8 / 255.0;

	return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

double
color_luminance(uint32_t rgb)
{
	return 0.2126 * channel_linear((rgb >> 16) & 0xff) +
	    0.7152 * channel_linear((rgb >> 8) & 0xff) +
	    0.0722 * channel_linear(rgb & 0xff);
}

double
color_contrast(uint32_t a, uint32_t b)
{
	double la = color_luminance(a), lb = color_luminance(b);

	if (la < lb) {
		double t = la;
		la = lb;
		lb = t;
	}
	return (la + 0.05) / (lb + 0.05);
}

void
color_hex(uint32_t rgb, char out[8])
{
	static const char digits[] = "0123456789abcdef";
	int i;

	out[0] = '#';
	for (i = 0; i < COLOR_HEX_DIGITS; i++)
		out[1 + i] = digits[(rgb >> (20 - 4 * i)) & 0xf];
	out[7] = '\0';
}
