/*
 * test_barcode_check.c: GS1 check digits and the checks made before zint
 * sees the data.
 */
#include <string.h>

#include "barcode_check.h"
#include "barcode_formats.h"
#include "render.h"
#include "tap.h"

static char why[RENDER_REASON_MAX];

static enum render_status
check(const char *format, const char *data, size_t *zlen)
{
	const struct barcode_format *f = barcode_format_find(format);

	why[0] = '\0';
	return barcode_check(f, (const unsigned char *)data, strlen(data),
	    zlen, why, sizeof(why));
}

/* Characters a symbology cannot carry are named, with where they fit. */
static void
test_charsets(void)
{
	static const char *const eci[] = { "QR", "DATAMATRIX", "AZTEC",
	    "PDF417", "MICROPDF417", "MAXICODE", "MICROQR" };
	size_t n, i;

	ok(check("CODE128", "caf\xc3\xa9 \xc3\xbf", &n) == RENDER_OK &&
	    n == 8, "CODE128 takes Latin-1 text (zint converts it)");
	ok(check("CODE128", "5 \xe2\x82\xac", &n) == RENDER_EINPUT,
	    "CODE128 refuses the euro sign");
	is_str(why, "CODE128: ISO 8859-1 (Latin-1) characters only, but "
	    "character 3 is '\xe2\x82\xac' (U+20AC); QR, DATAMATRIX, AZTEC "
	    "and PDF417 take any text", "CODE128 euro: the reason");
	ok(check("CODE128", "\xe6\xbc\xa2\xe5\xad\x97", &n) ==
	    RENDER_EINPUT && strstr(why, "character 1 is '\xe6\xbc\xa2' "
	    "(U+6F22)") != NULL, "CODE128 Kanji: %s", why);
	ok(check("CODE128", "ok \xf0\x9f\x98\x80", &n) == RENDER_EINPUT &&
	    strstr(why, "character 4 is '\xf0\x9f\x98\x80' (U+1F600)") !=
	    NULL, "CODE128 emoji: %s", why);
	ok(check("CODE128", "caf\xe9", &n) == RENDER_OK && n == 4,
	    "CODE128: bytes that are not UTF-8 go in as they are");

	ok(check("CODE93", "caf\xc3\xa9", &n) == RENDER_EINPUT,
	    "CODE93 refuses é");
	is_str(why, "CODE93: ASCII characters only, but character 4 is "
	    "'\xc3\xa9' (U+00E9); CODE128 takes Latin-1; QR, DATAMATRIX, "
	    "AZTEC and PDF417 take any text", "CODE93 é: the reason");
	ok(check("CODE93", "caf\xe9", &n) == RENDER_EINPUT &&
	    strcmp(why, "CODE93: data is not UTF-8 text: byte 4 is 0xe9") ==
	    0, "CODE93: bytes that are not UTF-8: %s", why);
	ok(check("CODE39", "CAF\xc3\x89", &n) == RENDER_EINPUT &&
	    strstr(why, "CODE39: ASCII characters only, but character 4 is "
	    "'\xc3\x89' (U+00C9)") != NULL, "CODE39 É: %s", why);
	ok(check("CODABAR", "A12\xe2\x82\xac" "B", &n) == RENDER_EINPUT &&
	    strstr(why, "CODABAR: ASCII characters only, but character 4 is "
	    "'\xe2\x82\xac'") != NULL && strstr(why, "CODE128") == NULL,
	    "CODABAR euro, no Latin-1 hint: %s", why);
	ok(check("GS1_128", "[10]\xc3\xbc", &n) == RENDER_EINPUT &&
	    strstr(why, "GS1_128: ASCII characters only, but character 5") !=
	    NULL, "GS1_128 ü: %s", why);
	ok(check("ITF14", "154001412887\xc3\xa9", &n) == RENDER_EINPUT &&
	    strstr(why, "ITF14: digits only, but character 13 is "
	    "'\xc3\xa9' (U+00E9)") != NULL, "ITF14 é: %s", why);
	ok(check("UPCA", "0360002914\x01", &n) == RENDER_EINPUT &&
	    strstr(why, "character 11 is U+0001") != NULL,
	    "UPCA control character: %s", why);
	for (i = 0; i < sizeof(eci) / sizeof(eci[0]); i++)
		ok(check(eci[i], "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80",
		    &n) == RENDER_OK && check(eci[i], "\xe9\xff", &n) ==
		    RENDER_OK, "%s: any text, and bytes, left to the encoder",
		    eci[i]);
}

int
main(void)
{
	size_t n;

	is_int(gs1_check_digit((const unsigned char *)"590123412345", 12),
	    '7', "EAN-13 check digit");
	is_int(gs1_check_digit((const unsigned char *)"9638507", 7), '4',
	    "EAN-8 check digit");
	is_int(gs1_check_digit((const unsigned char *)"03600029145", 11), '2',
	    "UPC-A check digit");
	is_int(gs1_check_digit((const unsigned char *)"1540014128876", 13),
	    '3', "ITF-14 check digit");
	is_int(gs1_check_digit((const unsigned char *)"000000000000", 12),
	    '0', "all zeros: 0, not 10");

	ok(check("EAN13", "5901234123457", &n) == RENDER_OK && n == 12,
	    "EAN13 with a good check digit: zint gets 12 digits");
	ok(check("EAN13", "590123412345", &n) == RENDER_OK && n == 12,
	    "EAN13 without: 12 digits");
	ok(check("EAN13", "5901234123450", &n) == RENDER_EINPUT &&
	    strcmp(why, "EAN13: invalid check digit '0', expecting '7'") == 0,
	    "EAN13 bad check digit: %s", why);
	ok(check("EAN8", "96385074", &n) == RENDER_OK && n == 7, "EAN8 good");
	ok(check("ITF14", "15400141288763", &n) == RENDER_OK && n == 13,
	    "ITF14 good: zint (which refuses 14) gets 13");
	ok(check("UPCE", "04252614", &n) == RENDER_OK && n == 8,
	    "UPCE: zint verifies its own (8 digits passed)");
	ok(check("UPCE", "14252614", &n) == RENDER_OK, "UPCE system 1");
	ok(check("UPCE", "24252614", &n) == RENDER_EINPUT &&
	    strstr(why, "must be 0 or 1, but it is '2'") != NULL,
	    "UPCE system 2: %s", why);
	ok(check("EAN13", "12345678901", &n) == RENDER_EINPUT &&
	    strstr(why, "but got 11") != NULL, "EAN13 11 digits: %s", why);
	ok(check("EAN13", "12345678901234", &n) == RENDER_EINPUT,
	    "EAN13 14 digits");
	ok(check("EAN13", "59012341234 ", &n) == RENDER_EINPUT &&
	    strstr(why, "character 12 is ' '") != NULL, "EAN13 space: %s",
	    why);
	ok(check("EAN13", "5901234\xc3\xa9", &n) == RENDER_EINPUT &&
	    strcmp(why, "EAN13: digits only, but character 8 is "
	    "'\xc3\xa9' (U+00E9)") == 0, "EAN13 UTF-8: the character, not "
	    "its bytes: %s", why);
	ok(check("CODE39", "ABC-123", &n) == RENDER_OK && n == 7,
	    "CODE39 upper case");
	ok(check("CODE39", "ABc", &n) == RENDER_EINPUT &&
	    strstr(why, "character 3 is 'c'") != NULL, "CODE39 lower: %s",
	    why);
	ok(check("ITF", "1234", &n) == RENDER_OK, "ITF even");
	ok(check("ITF", "123", &n) == RENDER_EINPUT && strstr(why,
	    "even number") != NULL, "ITF odd: %s", why);
	ok(check("CODE128", "anything \x01", &n) == RENDER_OK && n == 10,
	    "CODE128: zint decides");
	test_charsets();
	ok(check("GS1_128", "[01]09501101530004", &n) == RENDER_OK,
	    "GS1: zint checks AIs");
	ok(check("DATABAR_LIMITED", "2950110153000", &n) == RENDER_EINPUT,
	    "DataBar Limited starts with 0 or 1");
	return done_testing();
}
