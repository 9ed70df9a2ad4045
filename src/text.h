/*
 * text.h: checks on user-supplied names and titles (already valid UTF-8),
 * and making text that may not be valid UTF-8 fit to go out in JSON.
 */
#ifndef QRE_TEXT_H
#define QRE_TEXT_H

#include <stddef.h>

/*
 * 1 when s[0..len) is well-formed UTF-8 (RFC 3629): no overlong forms,
 * no surrogates, nothing past U+10FFFF.
 */
int utf8_valid(const char *s, size_t len);
/*
 * Copy src[0..len) into dst (dstsz bytes with its NUL) as valid UTF-8,
 * for text that goes out in JSON: a byte that does not start a
 * well-formed character becomes U+FFFD, and the copy stops before a
 * character that does not fit whole.  cut says src was itself cut at
 * len: a character it cut short at the end is left out, not replaced.
 * Returns the bytes written (without the NUL).
 */
size_t utf8_clean(char *dst, size_t dstsz, const char *src, size_t len,
    int cut);
/* Characters (code points) in valid UTF-8. */
size_t utf8_chars(const char *s, size_t len);
/*
 * 1 when s (valid UTF-8) has a control character: C0 (tab and newline
 * included), DEL, C1, or the line and paragraph separators U+2028/9.
 */
int has_control_chars(const char *s, size_t len);
/* 1 when s is empty or only spaces. */
int is_blank(const char *s, size_t len);

#endif
