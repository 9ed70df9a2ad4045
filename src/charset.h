/*
 * charset.h: what kind of text the data is (ASCII, UTF-8 beyond ASCII,
 * or bytes that are not UTF-8), one character at a time, and a character
 * shown in a refusal's reason.  Internal to librender, which depends on
 * nothing of libqre (whose text.c checks names, not render data).
 */
#ifndef QRE_CHARSET_H
#define QRE_CHARSET_H

#include <stddef.h>
#include <stdint.h>

enum charset_kind {
	CHARSET_ASCII,		/* bytes 0x00..0x7f only */
	CHARSET_UTF8,		/* well-formed UTF-8 with characters past ASCII */
	CHARSET_BINARY		/* not well-formed UTF-8: bytes, not text */
};

/*
 * The character at s[0..len): its code point in *cp and its length in
 * bytes (1..4), or 0 when s does not start with well-formed UTF-8
 * (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF,
 * nothing cut short) or len is 0.
 */
size_t			charset_utf8_next(const unsigned char *s, size_t len,
			    uint32_t *cp);

enum charset_kind	charset_kind(const unsigned char *s, size_t len);

/* Room for the longest charset_show(): "'x' (U+10FFFF)" in UTF-8. */
#define CHARSET_SHOW_MAX	24

/*
 * A character for a reason: "'x'" for printable ASCII, "'é' (U+00E9)"
 * for a printable character past ASCII, "U+0009" for a control
 * character (C0, DEL, C1).  Returns buf.
 */
const char		*charset_show(uint32_t cp, char buf[CHARSET_SHOW_MAX]);

#endif
