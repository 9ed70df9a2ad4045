/* text.h: checks on user-supplied names and titles (already valid UTF-8). */
#ifndef QRE_TEXT_H
#define QRE_TEXT_H

#include <stddef.h>

/*
 * 1 when s[0..len) is well-formed UTF-8 (RFC 3629): no overlong forms,
 * no surrogates, nothing past U+10FFFF.
 */
int utf8_valid(const char *s, size_t len);
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
