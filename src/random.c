/* random.c: see random.h. */
#include <string.h>

#include <openssl/rand.h>

#include "random.h"

int
random_base62(char *out, size_t n)
{
	unsigned char pool[64];
	size_t have = 0, used = 0, i = 0;

	while (i < n) {
		unsigned char b;

		if (used == have) {
			if (RAND_bytes(pool, sizeof(pool)) != 1)
				return -1;
			have = sizeof(pool);
			used = 0;
		}
		/* 248 = 4 * 62: bytes above it would favour the first letters. */
		b = pool[used++];
		if (b >= 248)
			continue;
		out[i++] = BASE62_ALPHABET[b % 62];
	}
	out[n] = '\0';
	return 0;
}

int
is_base62(const char *s, size_t len)
{
	if (len == 0)
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
		    (c >= 'a' && c <= 'z')))
			return 0;
	}
	return 1;
}
