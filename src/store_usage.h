/* store_usage.h: API calls per account per UTC day (daily_usage). */
#ifndef QRE_STORE_USAGE_H
#define QRE_STORE_USAGE_H

#include "db.h"

/*
 * Count one call for today and return the count including it.  One
 * statement: concurrent calls each see their own number, so the quota
 * cannot be raced past.
 */
enum db_rc usage_count_call(struct db *, long long account_id, long long *calls);

#endif
