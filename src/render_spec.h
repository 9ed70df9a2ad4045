/*
 * render_spec.h: a render_spec's limits, checked before any encoder runs.
 * Internal to librender.
 */
#ifndef QRE_RENDER_SPEC_H
#define QRE_RENDER_SPEC_H

#include <stddef.h>

#include "render_types.h"

struct barcode_format;

/* Defaults: QR, PNG, ECC M, black on white, 300 px, default margin. */
void	render_spec_init(struct render_spec *);

/*
 * RENDER_OK and the format to encode (the "QR" row for RENDER_QR), or
 * RENDER_EINPUT with a reason naming the option that is out of range.
 */
enum render_status render_spec_check(const struct render_spec *,
	    const struct barcode_format **, char *reason, size_t reasonsz);

#endif
