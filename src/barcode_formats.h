/*
 * barcode_formats.h: the one table of supported formats (the API's
 * "barcodeFormat" names): which encoder, how it is drawn, what input it
 * takes and what we check before zint sees it.
 */
#ifndef QRE_BARCODE_FORMATS_H
#define QRE_BARCODE_FORMATS_H

#include <stddef.h>

/* zint's symbology number for QR; we encode QR with libqrencode. */
#define BF_LIBQRENCODE	(-1)

/* Flags of struct barcode_format. */
#define BF_2D		0x0001	/* a 2D code: the canvas is size x size */
#define BF_MODULES	0x0002	/* we draw its module grid (else zint draws) */
#define BF_TEXT		0x0004	/* human-readable text under the bars */
#define BF_GS1		0x0008	/* GS1 element strings: "[01]...[10]..." */
#define BF_DIGITS	0x0010	/* digits only */
#define BF_NO_LOWER	0x0020	/* zint would silently upper-case: refuse */
#define BF_EVEN		0x0040	/* an even number of digits (zint pads) */
#define BF_FREE_SCALE	0x0080	/* hexagons: any scale, not whole px/module */
#define BF_UPCEAN	0x0100	/* EAN/UPC layout (OCR-B digits, guards) */

/*
 * What text a format carries (struct barcode_format .charset).  Data is
 * UTF-8 text; data that is not UTF-8 is bytes, carried as they are by
 * the formats that have a byte mode (all but BF_CS_ASCII).
 */
enum bf_charset {
	BF_CS_ASCII = 0,	/* ASCII only (zint narrows it further) */
	BF_CS_LATIN1,		/* ISO/IEC 8859-1: zint converts the UTF-8 */
	BF_CS_NATIVE,		/* its own sets, no ECI: Latin-1 and Kanji */
	BF_CS_ECI		/* any UTF-8, marked as UTF-8 with ECI 26 */
};

/* AIM ECI 26: the data is UTF-8. */
#define BF_ECI_UTF8	26

/*
 * MaxiCode's least size in pixels, PNG and SVG alike, whatever the
 * margin.  zint 2.11 draws its raster no smaller with its default quiet
 * zone (scale 0.5: 159 px, 149 without; test_barcode_formats checks it),
 * so the default PNG cannot be smaller; the SVG gets the same floor, so
 * both formats come out the same size, and below it (hexagons under
 * 5 px) SVGs drawn at their size were reported not to scan.
 */
#define BF_MAXICODE_SIZE_MIN	159
/*
 * ITF-14's quiet zone: 10 modules between the bars and the bearer bars
 * that frame them (ISO/IEC 16390 and the GS1 General Specifications).
 * With less, the bearer bar reads as a bar: zbar reads none of margins
 * 0 to 6.  A margin asked for below it becomes this.
 */
#define BF_ITF14_QUIET		10

struct barcode_format {
	const char	*name;		/* API name, upper case */
	int		 zint;		/* BARCODE_*, or BF_LIBQRENCODE */
	unsigned int	 flags;		/* BF_* */
	int		 len_min;	/* characters; 0: zint decides */
	int		 len_max;
	/*
	 * Length with a GS1 mod-10 check digit at the end (GTIN-8/12/13/14):
	 * given that long, we verify the digit and hand zint the rest, so
	 * every format computes it when left out and refuses a wrong one
	 * the same way.  0: none, or zint verifies its own.
	 */
	int		 check_len;
	const char	*lead;		/* allowed first characters, NULL: any */
	int		 quiet;		/* default quiet zone (BF_MODULES) */
	/* A margin asked for below this becomes this (0: any). */
	int		 margin_min;
	int		 size_min;	/* least size in px (0: what fits) */
	enum bf_charset	 charset;
	int		 option_3;	/* zint option_3 (e.g. DM_SQUARE) */
	const char	*summary;	/* for qre-render -l */
};

/* The entry for a name (case-insensitive), or NULL. */
const struct barcode_format *barcode_format_find(const char *name);
/* The i-th entry, NULL past the end. */
const struct barcode_format *barcode_format_at(size_t i);

/* 1 if the barcode format name is supported (case-insensitive), else 0. */
int	render_format_known(const char *barcode_format);

/* The i-th supported barcode format name (table order), NULL past the end. */
const char *render_format_name(size_t i);

#endif
