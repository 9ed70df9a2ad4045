/*
 * encode_qr.c: QR Code through libqrencode.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>

#include "barcode_formats.h"
#include "charset.h"
#include "encode.h"
#include "reason.h"
#include "symbol.h"

static QRecLevel
qr_level(char ecc)
{
	switch (ecc) {
	case 'L':
		return QR_ECLEVEL_L;
	case 'Q':
		return QR_ECLEVEL_Q;
	case 'H':
		return QR_ECLEVEL_H;
	default:
		return QR_ECLEVEL_M;
	}
}

/*
 * ASCII, or bytes that are not UTF-8: QRcode_encodeString() with hint
 * QR_MODE_8 splits the input into
 * numeric, alphanumeric and 8-bit segments, whichever is shortest, and
 * casesensitive=1 keeps lower case as is; but it stops at a NUL, so data
 * with a NUL byte goes in as one 8-bit segment instead.
 */
/*
 * Text past ASCII: an ECI 26 header ("UTF-8") and one 8-bit segment.
 * Without it a QR code's bytes are ISO 8859-1 by the standard, and
 * decoders guess: zbar 0.23 reads "é" (C3 A9) as Shift JIS ("矇") and
 * "€" as "竄ｬ".  With it zbar and ZXing read the very text.
 */
static QRcode *
qr_encode_utf8(const unsigned char *data, size_t len, QRecLevel level)
{
	QRinput *in;
	QRcode *qr = NULL;
	int saved;

	if ((in = QRinput_new2(0, level)) == NULL)
		return NULL;
	if (QRinput_appendECIheader(in, BF_ECI_UTF8) == 0 &&
	    QRinput_append(in, QR_MODE_8, (int)len, data) == 0)
		qr = QRcode_encodeInput(in);
	saved = errno;
	QRinput_free(in);
	errno = saved;
	return qr;
}

static QRcode *
qr_encode(const unsigned char *data, size_t len, QRecLevel level)
{
	QRcode *qr;
	char *text;
	int saved;

	if (charset_kind(data, len) == CHARSET_UTF8)
		return qr_encode_utf8(data, len, level);
	if (memchr(data, '\0', len) != NULL)
		return QRcode_encodeData((int)len, data, 0, level);
	if ((text = malloc(len + 1)) == NULL)
		return NULL;
	memcpy(text, data, len);
	text[len] = '\0';
	qr = QRcode_encodeString(text, 0, level, QR_MODE_8, 1);
	saved = errno;
	free(text);
	errno = saved;
	return qr;
}

enum render_status
encode_qr(const struct render_spec *spec, struct symbol **out, char *reason,
    size_t reasonsz)
{
	struct symbol *sym = NULL;
	QRcode *qr;
	enum render_status st;
	int i, n;

	*out = NULL;
	errno = 0;
	if ((qr = qr_encode(spec->data, spec->data_len, qr_level(spec->ecc)))
	    == NULL) {
		if (errno == ERANGE) {
			reason_set(reason, reasonsz, "QR: %zu bytes of data do "
			    "not fit in the largest QR code (version 40) at "
			    "error correction level %c", spec->data_len,
			    spec->ecc);
			st = RENDER_EINPUT;
		} else if (errno == ENOMEM) {
			reason_set(reason, reasonsz, "QR: out of memory");
			st = RENDER_ENOMEM;
		} else {
			reason_set(reason, reasonsz, "QR: libqrencode failed "
			    "(%s)", strerror(errno));
			st = RENDER_EINTERNAL;
		}
		goto fail;
	}
	if ((sym = symbol_new_modules(qr->width, qr->width)) == NULL) {
		reason_set(reason, reasonsz, "QR: out of memory");
		st = RENDER_ENOMEM;
		goto fail;
	}
	/* libqrencode: bit 0 of each byte is the module's colour. */
	n = qr->width * qr->width;
	for (i = 0; i < n; i++)
		sym->dark[i] = qr->data[i] & 1;
	sym->quiet = spec->margin >= 0 ? spec->margin : RENDER_QR_MARGIN;
	sym->square = 1;
	QRcode_free(qr);
	*out = sym;
	return RENDER_OK;
fail:
	QRcode_free(qr);
	symbol_free(sym);
	return st;
}
