/* store_accounts.c: see store_accounts.h. */
#include <string.h>

#include "compat.h"
#include "store_accounts.h"

enum db_rc
account_add(struct db *db, const char *email, enum plan plan, long long *id)
{
	static const char sql[] = "INSERT INTO accounts (email, plan, "
	    "created_at, updated_at) VALUES (?, ?, UTC_TIMESTAMP(3), "
	    "UTC_TIMESTAMP(3))";
	struct db_arg args[] = { DBA_STR(email), DBA_STR(plan_name(plan)) };
	unsigned long long iid = 0;
	enum db_rc rc;

	rc = db_exec(db, sql, args, QRE_NELEM(args), NULL, &iid);
	*id = (long long)iid;
	return rc;
}

enum db_rc
account_find(struct db *db, const char *email, long long *id, enum plan *plan,
    int *found)
{
	static const char sql[] =
	    "SELECT id, plan FROM accounts WHERE email = ?";
	struct db_arg args[] = { DBA_STR(email) };
	char pbuf[16];
	struct db_col cols[] = { DBC_I64(id), DBC_STR(pbuf, sizeof(pbuf)) };
	enum db_rc rc;

	rc = db_query_row(db, sql, args, 1, cols, QRE_NELEM(cols), found);
	if (rc == DB_OK && *found && plan_parse(pbuf, plan) == -1)
		*plan = PLAN_FREE;
	return rc;
}

enum db_rc
account_set_plan(struct db *db, long long id, enum plan plan)
{
	static const char sql[] = "UPDATE accounts SET plan = ?, "
	    "updated_at = UTC_TIMESTAMP(3) WHERE id = ?";
	struct db_arg args[] = { DBA_STR(plan_name(plan)), DBA_I64(id) };

	return db_exec(db, sql, args, QRE_NELEM(args), NULL, NULL);
}

enum db_rc
account_lock_count(struct db *db, long long id, const char *count_sql,
    long long *n)
{
	static const char lock_sql[] =
	    "SELECT id FROM accounts WHERE id = ? FOR UPDATE";
	struct db_arg args[] = { DBA_I64(id) };
	long long locked;
	struct db_col lock_cols[] = { DBC_I64(&locked) };
	struct db_col count_cols[] = { DBC_I64(n) };
	enum db_rc rc;
	int found;

	*n = 0;
	if ((rc = db_query_row(db, lock_sql, args, 1, lock_cols, 1, &found)) !=
	    DB_OK)
		return rc;
	return db_query_row(db, count_sql, args, 1, count_cols, 1, &found);
}
