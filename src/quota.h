/*
 * quota.h: the plans' daily API calls.  Every authenticated call counts
 * (refused ones too) and every answer carries X-RateLimit-Limit,
 * -Remaining and -Reset (the Unix time of the next UTC midnight, when
 * the count starts again).  Unlimited plans are not counted: their
 * Limit and Remaining are QUOTA_UNLIMITED_VALUE.
 */
#ifndef QRE_QUOTA_H
#define QRE_QUOTA_H

#include <time.h>

#define QUOTA_UNLIMITED_VALUE 2147483647L	/* Limit/Remaining when unlimited */

#include "errors.h"
#include "request.h"

/* Count the call; QRE_E_QUOTA (with Retry-After) when over the plan's. */
enum qre_err quota_check(struct req *r);
/* The next UTC midnight after t. */
time_t next_utc_midnight(time_t t);

#endif
