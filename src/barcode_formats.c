/*
 * barcode_formats.c: every supported format in one table.  Adding a
 * format is adding a row; the checks in barcode_check.c and the drawers
 * read the flags, never the name.
 */
#include <stddef.h>
#include <strings.h>

#include <zint.h>

#include "barcode_formats.h"
#include "compat.h"
#include "render_types.h"

#define LINEAR		(BF_TEXT)
#define GTIN		(BF_TEXT | BF_DIGITS | BF_UPCEAN)
#define MATRIX		(BF_2D | BF_MODULES)

static const struct barcode_format formats[] = {
	/* 2D codes, drawn from their module grid */
	{ .name = "QR", .zint = BF_LIBQRENCODE, .flags = MATRIX,
	  .quiet = RENDER_QR_MARGIN, .charset = BF_CS_ECI,
	  .summary = "QR Code (libqrencode), any text" },
	/* Micro QR has no ECI: Latin-1 bytes and Kanji, as its standard. */
	{ .name = "MICROQR", .zint = BARCODE_MICROQR, .flags = MATRIX,
	  .quiet = 2, .charset = BF_CS_NATIVE,
	  .summary = "Micro QR Code, up to 35 digits; Latin-1 and Kanji" },
	{ .name = "DATAMATRIX", .zint = BARCODE_DATAMATRIX, .flags = MATRIX,
	  .quiet = 1, .option_3 = DM_SQUARE, .charset = BF_CS_ECI,
	  .summary = "Data Matrix ECC 200, square sizes, any text" },
	{ .name = "AZTEC", .zint = BARCODE_AZTEC, .flags = MATRIX,
	  .quiet = 1, .charset = BF_CS_ECI, .summary = "Aztec Code, any text" },
	{ .name = "PDF417", .zint = BARCODE_PDF417, .flags = BF_MODULES,
	  .quiet = 2, .charset = BF_CS_ECI,
	  .summary = "PDF417 (stacked), any text" },
	{ .name = "MICROPDF417", .zint = BARCODE_MICROPDF417,
	  .flags = BF_MODULES, .quiet = 1, .charset = BF_CS_ECI,
	  .summary = "MicroPDF417, any text" },
	/* drawn by zint: hexagons and a bullseye */
	{ .name = "MAXICODE", .zint = BARCODE_MAXICODE,
	  .flags = BF_2D | BF_FREE_SCALE, .size_min = BF_MAXICODE_SIZE_MIN,
	  .charset = BF_CS_ECI,
	  .summary = "MaxiCode (mode 4), up to 93 characters, any text; "
	    "at least 159 px" },

	/* linear, drawn by zint with their human-readable text */
	{ .name = "CODE128", .zint = BARCODE_CODE128, .flags = LINEAR,
	  .charset = BF_CS_LATIN1,
	  .summary = "Code 128: ISO 8859-1 (Latin-1) text" },
	{ .name = "CODE39", .zint = BARCODE_CODE39,
	  .flags = LINEAR | BF_NO_LOWER,
	  .summary = "Code 39: 0-9 A-Z space - . $ / + %" },
	{ .name = "CODE93", .zint = BARCODE_CODE93, .flags = LINEAR,
	  .summary = "Code 93 (full ASCII)" },
	{ .name = "CODE11", .zint = BARCODE_CODE11, .flags = LINEAR,
	  .summary = "Code 11: 0-9 and -, two check digits added" },
	{ .name = "CODABAR", .zint = BARCODE_CODABAR, .flags = LINEAR,
	  .summary = "Codabar: A-D start and stop, 0-9 - $ : / . +" },
	{ .name = "EAN13", .zint = BARCODE_EANX, .flags = GTIN,
	  .len_min = 12, .len_max = 13, .check_len = 13,
	  .summary = "EAN-13: 12 digits, or 13 with check digit" },
	{ .name = "EAN8", .zint = BARCODE_EANX, .flags = GTIN,
	  .len_min = 7, .len_max = 8, .check_len = 8,
	  .summary = "EAN-8: 7 digits, or 8 with check digit" },
	{ .name = "UPCA", .zint = BARCODE_UPCA, .flags = GTIN,
	  .len_min = 11, .len_max = 12, .check_len = 12,
	  .summary = "UPC-A: 11 digits, or 12 with check digit" },
	/*
	 * UPC-E's check digit is that of its UPC-A expansion: zint's job.
	 * zint turns a number system other than 0 or 1 into 0: refuse it.
	 */
	{ .name = "UPCE", .zint = BARCODE_UPCE, .flags = GTIN,
	  .len_min = 7, .len_max = 8, .lead = "01",
	  .summary = "UPC-E: 7 digits (number system 0 or 1), or 8 with "
	    "check digit" },
	{ .name = "ITF14", .zint = BARCODE_ITF14,
	  .flags = BF_TEXT | BF_DIGITS, .len_min = 13, .len_max = 14,
	  .check_len = 14, .margin_min = BF_ITF14_QUIET,
	  .summary = "ITF-14: 13 digits, or 14 with check digit; margin at "
	    "least 10" },
	{ .name = "ITF", .zint = BARCODE_C25INTER,
	  .flags = LINEAR | BF_DIGITS | BF_EVEN, .summary = "Interleaved 2 of 5: an even number "
	    "of digits" },
	{ .name = "MSI", .zint = BARCODE_MSI_PLESSEY,
	  .flags = LINEAR | BF_DIGITS, .summary = "MSI Plessey, no check digit" },
	{ .name = "GS1_128", .zint = BARCODE_GS1_128,
	  .flags = LINEAR | BF_GS1,
	  .summary = "GS1-128: element strings, \"[01]...\" or \"(01)...\"" },
	{ .name = "DATABAR_OMNI", .zint = BARCODE_DBAR_OMN,
	  .flags = BF_TEXT | BF_DIGITS, .len_min = 13, .len_max = 14,
	  .check_len = 14, .summary = "GS1 DataBar Omnidirectional: "
	    "GTIN of 13 digits, or 14 with check digit" },
	{ .name = "DATABAR_LIMITED", .zint = BARCODE_DBAR_LTD,
	  .flags = BF_TEXT | BF_DIGITS, .len_min = 13, .len_max = 14,
	  .check_len = 14, .lead = "01", .summary = "GS1 DataBar Limited: GTIN starting "
	    "with 0 or 1" },
	{ .name = "DATABAR_STACKED", .zint = BARCODE_DBAR_STK,
	  .flags = BF_DIGITS, .len_min = 13, .len_max = 14, .check_len = 14,
	  .summary = "GS1 DataBar Stacked: GTIN" },
	{ .name = "DATABAR_STACKED_OMNI", .zint = BARCODE_DBAR_OMNSTK,
	  .flags = BF_DIGITS, .len_min = 13, .len_max = 14, .check_len = 14,
	  .summary = "GS1 DataBar Stacked Omnidirectional: GTIN" },
	{ .name = "DATABAR_EXPANDED", .zint = BARCODE_DBAR_EXP,
	  .flags = LINEAR | BF_GS1,
	  .summary = "GS1 DataBar Expanded: element strings" },
	{ .name = "DATABAR_EXPANDED_STACKED", .zint = BARCODE_DBAR_EXPSTK,
	  .flags = BF_GS1,
	  .summary = "GS1 DataBar Expanded Stacked: element strings" },
};

const struct barcode_format *
barcode_format_find(const char *name)
{
	size_t i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < QRE_NELEM(formats); i++)
		if (strcasecmp(formats[i].name, name) == 0)
			return &formats[i];
	return NULL;
}

const struct barcode_format *
barcode_format_at(size_t i)
{
	return i < QRE_NELEM(formats) ? &formats[i] : NULL;
}

int
render_format_known(const char *name)
{
	return barcode_format_find(name) != NULL;
}

const char *
render_format_name(size_t i)
{
	const struct barcode_format *f = barcode_format_at(i);

	return f != NULL ? f->name : NULL;
}
