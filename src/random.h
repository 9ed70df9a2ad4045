/*
 * random.h: unpredictable identifiers from OpenSSL's CSPRNG.  Base62
 * characters are drawn by rejection sampling so that every character is
 * equally likely (no modulo bias).
 */
#ifndef QRE_RANDOM_H
#define QRE_RANDOM_H

#include <stddef.h>

#define BASE62_ALPHABET \
	"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

/* Write n random base62 characters and a NUL into out[n + 1]; -1 on failure. */
int random_base62(char *out, size_t n);
/* 1 when s[0..len) is non-empty and only base62 characters. */
int is_base62(const char *s, size_t len);

#endif
