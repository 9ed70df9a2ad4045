/*
 * test_charset.c: UTF-8 read strictly, one character at a time; what
 * kind of text data is; characters as a refusal shows them.
 */
#include <string.h>

#include "charset.h"
#include "tap.h"

/* charset_utf8_next() on a string: its length (0: refused) and *cp. */
static size_t
next(const char *s, uint32_t *cp)
{
	*cp = 0xffffffffu;
	return charset_utf8_next((const unsigned char *)s, strlen(s), cp);
}

static enum charset_kind
kind(const char *s, size_t len)
{
	return charset_kind((const unsigned char *)s, len);
}

int
main(void)
{
	char buf[CHARSET_SHOW_MAX];
	uint32_t cp;

	/* one character of each length, at the edges of each */
	ok(next("A", &cp) == 1 && cp == 'A', "ASCII: 1 byte");
	ok(next("\x7f", &cp) == 1 && cp == 0x7f, "DEL: 1 byte");
	ok(next("\xc2\x80", &cp) == 2 && cp == 0x80, "U+0080: 2 bytes");
	ok(next("\xc3\xa9xyz", &cp) == 2 && cp == 0xe9,
	    "U+00E9 followed by more: 2 bytes");
	ok(next("\xdf\xbf", &cp) == 2 && cp == 0x7ff, "U+07FF: 2 bytes");
	ok(next("\xe0\xa0\x80", &cp) == 3 && cp == 0x800, "U+0800: 3 bytes");
	ok(next("\xe2\x82\xac", &cp) == 3 && cp == 0x20ac, "euro: 3 bytes");
	ok(next("\xef\xbf\xbd", &cp) == 3 && cp == 0xfffd, "U+FFFD: 3 bytes");
	ok(next("\xf0\x90\x80\x80", &cp) == 4 && cp == 0x10000,
	    "U+10000: 4 bytes");
	ok(next("\xf0\x9f\x98\x80", &cp) == 4 && cp == 0x1f600,
	    "emoji: 4 bytes");
	ok(next("\xf4\x8f\xbf\xbf", &cp) == 4 && cp == 0x10ffff,
	    "U+10FFFF: 4 bytes");
	ok(charset_utf8_next((const unsigned char *)"\0", 1, &cp) == 1 &&
	    cp == 0, "NUL is a character");

	/* what RFC 3629 forbids */
	is_int(next("\x80", &cp), 0, "lone continuation byte");
	is_int(next("\xc0\xaf", &cp), 0, "overlong '/' (C0)");
	is_int(next("\xc1\xbf", &cp), 0, "overlong (C1)");
	is_int(next("\xe0\x80\xaf", &cp), 0, "overlong '/' in 3 bytes");
	is_int(next("\xe0\x9f\xbf", &cp), 0, "overlong U+07FF in 3 bytes");
	is_int(next("\xf0\x8f\xbf\xbf", &cp), 0, "overlong U+FFFF in 4 bytes");
	is_int(next("\xed\xa0\x80", &cp), 0, "surrogate U+D800");
	is_int(next("\xed\xbf\xbf", &cp), 0, "surrogate U+DFFF");
	ok(next("\xed\x9f\xbf", &cp) == 3 && cp == 0xd7ff,
	    "U+D7FF, just below the surrogates");
	is_int(next("\xf4\x90\x80\x80", &cp), 0, "U+110000");
	is_int(next("\xf5\x80\x80\x80", &cp), 0, "F5 lead byte");
	is_int(next("\xff", &cp), 0, "FF");
	is_int(next("\xc3", &cp), 0, "cut short: 1 of 2");
	is_int(next("\xe2\x82", &cp), 0, "cut short: 2 of 3");
	is_int(next("\xf0\x9f\x98", &cp), 0, "cut short: 3 of 4");
	is_int(next("\xc3" "A", &cp), 0, "ASCII where a continuation must be");
	is_int(next("\xe2\x82" "A", &cp), 0, "ASCII as the third byte");
	is_int(charset_utf8_next((const unsigned char *)"A", 0, &cp), 0,
	    "nothing left");

	/* the kind of the whole */
	is_int(kind("hello", 5), CHARSET_ASCII, "ASCII");
	is_int(kind("a\0b", 3), CHARSET_ASCII, "NUL is ASCII");
	is_int(kind("", 0), CHARSET_ASCII, "empty is ASCII");
	is_int(kind("caf\xc3\xa9", 5), CHARSET_UTF8, "café is UTF-8");
	is_int(kind("\xe6\xbc\xa2\xe5\xad\x97", 6), CHARSET_UTF8, "Kanji");
	is_int(kind("caf\xe9", 4), CHARSET_BINARY, "Latin-1 é is not UTF-8");
	is_int(kind("caf\xc3\xa9\xc3", 6), CHARSET_BINARY,
	    "UTF-8 cut in the middle of the last character");
	is_int(kind("\xc3\xa9\xed\xa0\x80", 5), CHARSET_BINARY,
	    "a surrogate after good UTF-8");

	/* shown in a reason */
	is_str(charset_show('x', buf), "'x'", "printable ASCII");
	is_str(charset_show(' ', buf), "' '", "space");
	is_str(charset_show(0, buf), "U+0000", "NUL");
	is_str(charset_show(0x01, buf), "U+0001", "C0 control");
	is_str(charset_show(0x7f, buf), "U+007F", "DEL");
	is_str(charset_show(0x85, buf), "U+0085", "C1 control");
	is_str(charset_show(0xe9, buf), "'\xc3\xa9' (U+00E9)", "é");
	is_str(charset_show(0x20ac, buf), "'\xe2\x82\xac' (U+20AC)", "euro");
	is_str(charset_show(0x1f600, buf), "'\xf0\x9f\x98\x80' (U+1F600)",
	    "emoji");
	is_str(charset_show(0x10ffff, buf), "'\xf4\x8f\xbf\xbf' (U+10FFFF)",
	    "the last code point fits the buffer");
	is_str(charset_show(0xd800, buf), "U+D800", "surrogate: number only");
	return done_testing();
}
