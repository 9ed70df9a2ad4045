/*
 * reason.c: write a refusal's reason, marking a cut one with "...".
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "reason.h"

#define REASON_ELLIPSIS	"..."

void
reason_set(char *reason, size_t reasonsz, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (reason == NULL || reasonsz == 0)
		return;
	va_start(ap, fmt);
	n = vsnprintf(reason, reasonsz, fmt, ap);
	va_end(ap);
	if (n < 0) {
		reason[0] = '\0';
		return;
	}
	if ((size_t)n >= reasonsz && reasonsz > sizeof(REASON_ELLIPSIS))
		memcpy(reason + reasonsz - sizeof(REASON_ELLIPSIS),
		    REASON_ELLIPSIS, sizeof(REASON_ELLIPSIS));
}
