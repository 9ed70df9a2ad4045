/* quota.c: see quota.h. */
#include "compat.h"

#include "db.h"
#include "plan.h"
#include "quota.h"
#include "response.h"
#include "store_usage.h"
#include "util.h"


time_t
next_utc_midnight(time_t t)
{
	return (t / SECONDS_PER_DAY + 1) * SECONDS_PER_DAY;
}

enum qre_err
quota_check(struct req *r)
{
	const struct plan_limits *pl = plan_limits(r->auth.plan);
	time_t now = time(NULL), reset = next_utc_midnight(now);
	long long calls;
	enum db_rc rc;

	if (pl->daily == PLAN_UNLIMITED) {
		/* A number all the same: clients parse these as integers. */
		resp_header(r, "X-RateLimit-Limit", "%ld", QUOTA_UNLIMITED_VALUE);
		resp_header(r, "X-RateLimit-Remaining", "%ld",
		    QUOTA_UNLIMITED_VALUE);
		resp_header(r, "X-RateLimit-Reset", "%lld", (long long)reset);
		return QRE_E_OK;
	}
	if ((rc = usage_count_call(r->db, r->auth.account_id, &calls)) != DB_OK)
		return rc == DB_DOWN ? QRE_E_DB_DOWN : QRE_E_INTERNAL;
	resp_header(r, "X-RateLimit-Limit", "%ld", pl->daily);
	resp_header(r, "X-RateLimit-Remaining", "%lld",
	    calls >= pl->daily ? 0 : pl->daily - calls);
	resp_header(r, "X-RateLimit-Reset", "%lld", (long long)reset);
	if (calls > pl->daily) {
		resp_header(r, "Retry-After", "%lld", (long long)(reset - now));
		return req_fail(r, QRE_E_QUOTA, "The %s plan allows %ld API "
		    "calls a day; the quota resets at 00:00 UTC", pl->name,
		    pl->daily);
	}
	return QRE_E_OK;
}
