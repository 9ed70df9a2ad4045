/*
 * render.h: QR codes and barcodes as PNG or SVG bytes.  The one entry
 * point the HTTP handlers and qre-render call; the library (librender.a)
 * depends on libqrencode, zint and libgd only, never on libqre.  This
 * header brings in the library's whole public API: the types
 * (render_types.h), render_spec_init() (render_spec.h),
 * render_parse_color() (color.h) and the format names (barcode_formats.h).
 * The library's own files include those, never this one.
 *
 * Usage:
 *	struct render_spec spec;
 *	struct render_result img;
 *	char why[RENDER_REASON_MAX];
 *
 *	render_spec_init(&spec);
 *	spec.data = buf; spec.data_len = len;
 *	switch (render(&spec, &img, why, sizeof(why))) {
 *	case RENDER_OK: ... img.bytes, img.len, img.content_type ...
 *	case RENDER_EINPUT: ... 422 with "why" ...
 *	default: ... 500 ...
 *	}
 *	render_result_free(&img);
 */
#ifndef QRE_RENDER_H
#define QRE_RENDER_H

#include <stddef.h>

#include "barcode_formats.h"
#include "color.h"
#include "render_spec.h"
#include "render_types.h"

/*
 * Render spec into out.  On RENDER_OK out owns the bytes; on any other
 * status out is zeroed and reason (if not NULL) holds one sentence naming
 * what was wrong, for RENDER_EINPUT in words fit for an API client (the
 * encoder's own reason when it refused, e.g. zint's).
 */
enum render_status render(const struct render_spec *, struct render_result *out,
	    char *reason, size_t reasonsz);

/* Frees the bytes and zeroes the result.  NULL-safe and idempotent. */
void	render_result_free(struct render_result *);

/* A static English name for a status ("ok", "bad input", ...). */
const char *render_status_str(enum render_status);

#endif
