/*
 * test_encode_qr.c: QR Code through libqrencode.  Text past ASCII is
 * marked as UTF-8 with ECI 26 (without it zbar reads "é" as "矇"), so the
 * module grid must be libqrencode's for an ECI 26 header and one 8-bit
 * segment; ASCII and bytes that are not UTF-8 stay as they were.
 */
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>

#include "encode.h"
#include "render.h"
#include "symbol.h"
#include "tap.h"

static char why[RENDER_REASON_MAX];

/* Our symbol of data at level M. */
static struct symbol *
ours(const char *data, size_t len)
{
	struct render_spec s;
	struct symbol *sym = NULL;

	render_spec_init(&s);
	s.data = (const unsigned char *)data;
	s.data_len = len;
	if (encode_qr(&s, &sym, why, sizeof(why)) != RENDER_OK)
		return NULL;
	return sym;
}

/* libqrencode's, with an ECI 26 header (eci) or from the string API. */
static QRcode *
reference(const char *data, size_t len, int eci)
{
	QRinput *in;
	QRcode *qr = NULL;

	if (!eci)
		return QRcode_encodeString(data, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if ((in = QRinput_new2(0, QR_ECLEVEL_M)) == NULL)
		return NULL;
	if (QRinput_appendECIheader(in, 26) == 0 && QRinput_append(in,
	    QR_MODE_8, (int)len, (const unsigned char *)data) == 0)
		qr = QRcode_encodeInput(in);
	QRinput_free(in);
	return qr;
}

static int
same(const struct symbol *sym, const QRcode *qr)
{
	int i;

	if (sym == NULL || qr == NULL || sym->cols != qr->width ||
	    sym->rows != qr->width)
		return 0;
	for (i = 0; i < qr->width * qr->width; i++)
		if (sym->dark[i] != (qr->data[i] & 1))
			return 0;
	return 1;
}

static void
check(const char *name, const char *data, int eci)
{
	size_t len = strlen(data);
	struct symbol *sym = ours(data, len);
	QRcode *with = reference(data, len, 1), *without = reference(data,
	    len, 0);

	if (eci)
		ok(same(sym, with) && !same(sym, without), "%s: ECI 26 and "
		    "one 8-bit segment", name);
	else
		ok(same(sym, without) && !same(sym, with), "%s: no ECI, as "
		    "before", name);
	if (sym == NULL)
		diag(why);
	symbol_free(sym);
	QRcode_free(with);
	QRcode_free(without);
}

int
main(void)
{
	check("e acute", "\xc3\xa9", 1);
	check("cafe with an accent", "caf\xc3\xa9", 1);
	check("u umlaut", "\xc3\xbc", 1);
	check("euro", "\xe2\x82\xac", 1);
	check("Kanji", "\xe6\xbc\xa2\xe5\xad\x97", 1);
	check("emoji", "\xf0\x9f\x98\x80", 1);
	check("URL with an accent", "https://example.com/caf\xc3\xa9", 1);
	check("ASCII", "https://example.com/cafe", 0);
	check("Latin-1 byte, not UTF-8", "caf\xe9", 0);
	return done_testing();
}
