/*
 * test_text.c: utf8_clean() makes any bytes valid UTF-8 for a JSON string,
 * replacing what is not a character and never cutting one in two.
 */
#include <string.h>

#include "text.h"
#include "tap.h"

#define FFFD "\xEF\xBF\xBD"

static void
clean_is(const char *src, size_t len, int cut, size_t dstsz,
    const char *want, const char *what)
{
	char dst[64];
	size_t n;

	memset(dst, 'Z', sizeof(dst));
	n = utf8_clean(dst, dstsz, src, len, cut);
	is_str(dst, want, "%s", what);
	is_int(n, strlen(want), "%s: its length", what);
	ok(utf8_valid(dst, n), "%s: valid UTF-8", what);
}

int
main(void)
{
	char one = 'Z';

	clean_is("plain ASCII", 11, 0, 64, "plain ASCII", "ASCII is kept");
	clean_is("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80", 14, 0, 64,
	    "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80",
	    "characters of 2, 3 and 4 bytes are kept");
	clean_is("'\xFF'", 3, 0, 64, "'" FFFD "'", "0xff becomes U+FFFD");
	clean_is("\xFF\xFE", 2, 0, 64, FFFD FFFD, "each bad byte is replaced");
	clean_is("'a\xC3'", 4, 0, 64, "'a" FFFD "'",
	    "a character cut inside a message is replaced");
	clean_is("\xC0\xAF", 2, 0, 64, FFFD FFFD, "an overlong form is replaced");
	clean_is("\xED\xA0\x80", 3, 0, 64, FFFD FFFD FFFD,
	    "an encoded surrogate is replaced");
	clean_is("\xF4\x90\x80\x80", 4, 0, 64, FFFD FFFD FFFD FFFD,
	    "past U+10FFFF is replaced");
	clean_is("\x80x", 2, 0, 64, FFFD "x", "a lone continuation byte");
	clean_is("ab\xE2\x82", 4, 1, 64, "ab",
	    "a character the source's cut split is left out");
	clean_is("ab\xE2\x82", 4, 0, 64, "ab" FFFD FFFD,
	    "the same bytes, not cut, are replaced");
	clean_is("ab\xFF", 3, 1, 64, "ab" FFFD,
	    "a bad byte at a cut end is still replaced");
	clean_is("ab\xC3\xA9", 4, 0, 4, "ab",
	    "a character that does not fit whole is left out");
	clean_is("ab\xC3\xA9", 4, 0, 5, "ab\xC3\xA9", "one that fits is kept");
	clean_is("a\xFF", 2, 0, 4, "a",
	    "a replacement that does not fit whole is left out");
	clean_is("", 0, 0, 1, "", "empty");
	is_int(utf8_clean(&one, 0, "x", 1, 0), 0, "no room: nothing written");
	is_int(one, 'Z', "no room: dst untouched");

	ok(utf8_valid("caf\xC3\xA9", 5), "utf8_valid: valid text");
	ok(!utf8_valid("caf\xC3", 4), "utf8_valid: a cut character");
	ok(!utf8_valid("\xC1\xBF", 2), "utf8_valid: overlong");
	ok(!utf8_valid("\xF5\x80\x80\x80", 4), "utf8_valid: past U+10FFFF");
	return done_testing();
}
