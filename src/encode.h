/*
 * encode.h: the encoders behind the symbol seam.  Each takes a checked
 * render_spec (render_spec_check()) and produces a symbol, or refuses
 * with the encoder's own reason.
 */
#ifndef QRE_ENCODE_H
#define QRE_ENCODE_H

#include <stddef.h>

#include "render_types.h"

struct barcode_format;
struct symbol;

/* QR Code with libqrencode: ECC spec->ecc, smallest version, mixed modes. */
enum render_status encode_qr(const struct render_spec *, struct symbol **,
	    char *reason, size_t reasonsz);

/* Everything else with zint, as the format's table row says. */
enum render_status encode_barcode(const struct render_spec *,
	    const struct barcode_format *, struct symbol **, char *reason,
	    size_t reasonsz);

#endif
