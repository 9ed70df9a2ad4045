/*
 * render_types.h: librender's limits, status codes, spec and result: what
 * every part of the library shares.  Callers include render.h.
 */
#ifndef QRE_RENDER_TYPES_H
#define QRE_RENDER_TYPES_H

#include <stddef.h>
#include <stdint.h>

/* The API's input limits (api-reference.md, "Input limits"). */
#define RENDER_DATA_MAX		4096	/* bytes of data */
#define RENDER_SIZE_MIN		64	/* pixels */
#define RENDER_SIZE_MAX		4096	/* pixels */
#define RENDER_SIZE_DEFAULT	300	/* pixels */
#define RENDER_MARGIN_MAX	32	/* modules of quiet zone */
#define RENDER_MARGIN_DEFAULT	(-1)	/* 4 for QR, the symbology's own otherwise */
#define RENDER_QR_MARGIN	4	/* ISO/IEC 18004 quiet zone */
/*
 * Smallest WCAG 2 contrast ratio between dark modules and background.
 * 3:1 is WCAG's bar for graphical objects that must be perceived (SC
 * 1.4.11); against white it means dark modules reflect at most ~30%
 * of the light, i.e. an ISO/IEC 15416 symbol contrast of at least 70%
 * (grade A), and brand colours such as #1d4ed8 or #b91c1c pass while
 * pastels such as #9ca3af on white (2.5:1) are refused; #949494 on
 * white (3.03:1) still decodes (t/50-render-decode.t).  Modules lighter
 * than the background are refused whatever the ratio: reflectance
 * reversal is optional in ISO/IEC 18004 and zbar 0.23, like many
 * scanners, does not read it.  A transparent background counts as white.
 */
#define RENDER_MIN_CONTRAST	3.0
/*
 * Linear barcodes' thinnest bar in a PNG when the caller lets the size
 * grow (grow_to_fit): at 1 px per module zint draws no human-readable
 * text and scanners miss bars more easily.
 */
#define RENDER_BAR_MIN_PX	2
/* A reason buffer this large never truncates the messages we write. */
#define RENDER_REASON_MAX	512

enum render_kind { RENDER_QR, RENDER_BARCODE };
enum render_format { RENDER_PNG, RENDER_SVG };

enum render_status {
	RENDER_OK = 0,
	RENDER_EINPUT,		/* the caller's input was refused -> HTTP 422 */
	RENDER_ENOMEM,		/* out of memory -> HTTP 500 */
	RENDER_EINTERNAL	/* an encoder or drawer failed, a bug -> 500 */
};

struct render_spec {		/* filled by the caller; see render_spec_init() */
	enum render_kind kind;
	/*
	 * "CODE128", "EAN13", ... (render_format_known(), case-insensitive);
	 * ignored for RENDER_QR.  "QR" as a barcode is the same as RENDER_QR.
	 */
	const char *barcode_format;
	enum render_format format;
	const unsigned char *data;	/* raw bytes (UTF-8 for text), encoded as is */
	size_t data_len;		/* 1..RENDER_DATA_MAX */
	char ecc;			/* 'L', 'M', 'Q', 'H'; QR only, default 'M' */
	uint32_t fg, bg;		/* 0xRRGGBB, default black on white */
	int bg_transparent;		/* bg is ignored and left transparent */
	int size;			/* pixels: the image width (and height for 2D codes) */
	int margin;			/* quiet zone in modules, 0..32, or RENDER_MARGIN_DEFAULT */
	/*
	 * Linear barcodes in PNG: when size is too small for bars of
	 * RENDER_BAR_MIN_PX, draw at the least size that works instead of
	 * refusing (out->width tells it).  For callers that had no size
	 * from their user.  Default 0.
	 */
	int grow_to_fit;
};

struct render_result {
	unsigned char *bytes;		/* malloc'd; render_result_free() */
	size_t len;
	int width, height;		/* pixels */
	int module_px;			/* pixels per module (X dimension) */
	const char *content_type;	/* "image/png" or "image/svg+xml" */
};

#endif
