/* store_usage.c: see store_usage.h. */
#include "compat.h"
#include "store_usage.h"

enum db_rc
usage_count_call(struct db *db, long long account_id, long long *calls)
{
	/*
	 * LAST_INSERT_ID(expr) hands the incremented value back through the
	 * insert id of this very statement; a first call of the day inserts
	 * and leaves the insert id at 0.
	 */
	static const char sql[] = "INSERT INTO daily_usage (account_id, day, "
	    "calls) VALUES (?, UTC_DATE(), 1) ON DUPLICATE KEY UPDATE "
	    "calls = LAST_INSERT_ID(calls + 1)";
	struct db_arg args[] = { DBA_I64(account_id) };
	unsigned long long id = 0;
	enum db_rc rc;

	rc = db_exec(db, sql, args, QRE_NELEM(args), NULL, &id);
	*calls = id == 0 ? 1 : (long long)id;
	return rc;
}
