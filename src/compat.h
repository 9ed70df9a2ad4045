/*
 * compat.h: what glibc lacks.  Debian 12's glibc (2.36) has no strlcpy,
 * so we carry the OpenBSD one; callers check "strlcpy(...) >= size".
 * Header-only so that every library in the tree can use it.
 */
#ifndef QRE_COMPAT_H
#define QRE_COMPAT_H

#include "autoconf.h"
#include <stddef.h>
#include <string.h>

#ifndef HAVE_STRLCPY
static inline size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size > 0) {
		size_t n = len >= size ? size - 1 : len;
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}
#endif

#define QRE_NELEM(a) (sizeof(a) / sizeof((a)[0]))

#endif
