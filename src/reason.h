/*
 * reason.h: the one sentence render() hands back when it refuses.
 * Internal to librender.
 */
#ifndef QRE_REASON_H
#define QRE_REASON_H

#include <stddef.h>

/*
 * printf-style into reason (which may be NULL or zero-sized: the caller
 * did not ask why).  A message longer than the buffer ends in "...":
 * a cut sentence still names the field, so that is not an error.
 */
void	reason_set(char *reason, size_t reasonsz, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

#endif
