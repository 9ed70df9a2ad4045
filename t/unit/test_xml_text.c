/* test_xml_text.c: text as XML character data, whatever its bytes. */
#include <stdlib.h>
#include <string.h>

#include "bytebuf.h"
#include "tap.h"
#include "xml_text.h"

static void
escapes(const char *in, size_t len, const char *want, const char *name)
{
	struct bytebuf b;
	char *got;
	size_t n;

	bytebuf_init(&b, 0);
	xml_put_text(&b, (const unsigned char *)in, len);
	bytebuf_putc(&b, '\0');
	got = (char *)bytebuf_take(&b, &n);
	is_str(got, want, "%s", name);
	free(got);
}

#define FFFD	"\xef\xbf\xbd"

int
main(void)
{
	escapes("plain 123", 9, "plain 123", "plain");
	escapes("<&>\"'", 5, "&lt;&amp;&gt;&quot;&apos;", "markup");
	escapes("caf\xc3\xa9", 5, "caf\xc3\xa9", "2-byte UTF-8 kept");
	escapes("\xe2\x9c\x93", 3, "\xe2\x9c\x93", "3-byte kept");
	escapes("\xf0\x9f\x98\x80", 4, "\xf0\x9f\x98\x80", "4-byte kept");
	escapes("a\x01z", 3, "a" FFFD "z", "control byte replaced");
	escapes("a\0z", 3, "a" FFFD "z", "NUL replaced");
	escapes("\t\n", 2, FFFD FFFD, "tab and newline replaced");
	escapes("\xe9t\xe9", 3, FFFD "t" FFFD, "Latin-1 bytes replaced");
	escapes("\xc0\xaf", 2, FFFD FFFD, "overlong refused");
	escapes("\xed\xa0\x80", 3, FFFD FFFD FFFD, "surrogate refused");
	escapes("\xf4\x90\x80\x80", 4, FFFD FFFD FFFD FFFD,
	    "beyond U+10FFFF refused");
	escapes("\xe2\x9c", 2, FFFD FFFD, "cut sequence");
	escapes("\xef\xbf\xbe", 3, FFFD, "U+FFFE is no XML Char");
	escapes("", 0, "", "empty");
	return done_testing();
}
