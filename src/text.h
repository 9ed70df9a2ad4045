/* text.h: checks on user-supplied names and titles (already valid UTF-8). */
#ifndef QRE_TEXT_H
#define QRE_TEXT_H

#include <stddef.h>

/* Characters (code points) in valid UTF-8. */
size_t utf8_chars(const char *s, size_t len);
/* 1 when s has an ASCII control character (tab and newline included). */
int has_control_chars(const char *s, size_t len);
/* 1 when s is empty or only spaces. */
int is_blank(const char *s, size_t len);

#endif
