/*
 * barcode_formats.h: the one table of supported formats (the API's
 * "barcodeFormat" names): which encoder, how it is drawn, what input it
 * takes and what we check before zint sees it.
 */
#ifndef QRE_BARCODE_FORMATS_H
#define QRE_BARCODE_FORMATS_H

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
	int		 option_3;	/* zint option_3 (e.g. DM_SQUARE) */
	const char	*summary;	/* for qre-render -l */
};

/* The entry for a name (case-insensitive), or NULL. */
const struct barcode_format *barcode_format_find(const char *name);
/* The i-th entry, NULL past the end. */
const struct barcode_format *barcode_format_at(size_t i);

#endif
