/* store_tokens.c: see store_tokens.h. */
#include <string.h>

#include <openssl/crypto.h>

#include "compat.h"
#include "store_accounts.h"
#include "store_tokens.h"

enum db_rc
token_insert(struct db *db, long long account_id, const char *name,
    const unsigned char hash[TOKEN_HASH_LEN], int *full)
{
	/* active_name is NULL once revoked: the live ones, from the index. */
	static const char count_sql[] =
	    "SELECT COUNT(active_name) FROM tokens WHERE account_id = ?";
	static const char sql[] = "INSERT INTO tokens (account_id, name, "
	    "token_hash, created_at) VALUES (?, ?, ?, UTC_TIMESTAMP(3))";
	struct db_arg args[] = { DBA_I64(account_id), DBA_STR(name),
	    DBA_BIN(hash, TOKEN_HASH_LEN) };
	long long live = 0;
	enum db_rc rc;

	*full = 0;
	if ((rc = db_begin(db)) != DB_OK)
		return rc;
	if ((rc = account_lock_count(db, account_id, count_sql, &live)) != DB_OK)
		goto fail;
	if (live >= TOKENS_PER_ACCOUNT) {
		*full = 1;
		goto fail;
	}
	if ((rc = db_exec(db, sql, args, QRE_NELEM(args), NULL, NULL)) != DB_OK)
		goto fail;
	return db_commit(db);
fail:
	db_rollback(db);
	return rc;
}

enum db_rc
token_lookup(struct db *db, const unsigned char hash[TOKEN_HASH_LEN],
    struct auth *out, long long *idle, int *found)
{
	static const char sql[] = "SELECT t.id, t.account_id, t.token_hash, "
	    "a.plan, COALESCE(TIMESTAMPDIFF(SECOND, t.last_used_at, "
	    "UTC_TIMESTAMP(3)), -1) FROM tokens t JOIN accounts a "
	    "ON a.id = t.account_id WHERE t.token_hash = ? "
	    "AND t.revoked_at IS NULL";
	struct db_arg args[] = { DBA_BIN(hash, TOKEN_HASH_LEN) };
	unsigned char stored[TOKEN_HASH_LEN];
	char plan[16];
	struct db_col cols[] = { DBC_I64(&out->token_id),
	    DBC_I64(&out->account_id), DBC_BIN(stored, sizeof(stored)),
	    DBC_STR(plan, sizeof(plan)), DBC_I64(idle) };
	enum db_rc rc;

	rc = db_query_row(db, sql, args, QRE_NELEM(args), cols,
	    QRE_NELEM(cols), found);
	if (rc != DB_OK || !*found)
		return rc;
	/*
	 * The index found the row by hash; compare again in constant time
	 * so that no code path's timing depends on how much of it matched.
	 */
	if (cols[2].len != TOKEN_HASH_LEN ||
	    CRYPTO_memcmp(stored, hash, TOKEN_HASH_LEN) != 0) {
		*found = 0;
		return DB_OK;
	}
	if (plan_parse(plan, &out->plan) == -1)
		out->plan = PLAN_FREE;
	return DB_OK;
}

enum db_rc
token_touch(struct db *db, long long token_id, long interval)
{
	static const char sql[] = "UPDATE tokens SET last_used_at = "
	    "UTC_TIMESTAMP(3) WHERE id = ? AND (last_used_at IS NULL OR "
	    "last_used_at < UTC_TIMESTAMP(3) - INTERVAL ? SECOND)";
	struct db_arg args[] = { DBA_I64(token_id), DBA_I64(interval) };

	return db_exec(db, sql, args, QRE_NELEM(args), NULL, NULL);
}

enum db_rc
token_revoke(struct db *db, long long account_id, const char *name, int *found)
{
	static const char sql[] = "UPDATE tokens SET revoked_at = "
	    "UTC_TIMESTAMP(3) WHERE account_id = ? AND name = ? "
	    "AND revoked_at IS NULL";
	struct db_arg args[] = { DBA_I64(account_id), DBA_STR(name) };
	unsigned long long n = 0;
	enum db_rc rc;

	rc = db_exec(db, sql, args, QRE_NELEM(args), &n, NULL);
	*found = n > 0;
	return rc;
}

enum db_rc
token_list(struct db *db, long long account_id, int with_revoked,
    void (*each)(const struct token_row *, void *), void *arg)
{
	/*
	 * Two statements, not one with "? = 0 OR ...": a prepared statement's
	 * ORs on parameters keep the server from using the account's index.
	 */
	static const char account_sql[] = "SELECT t.name, t.created_at, "
	    "t.last_used_at, t.revoked_at, a.email FROM tokens t "
	    "JOIN accounts a ON a.id = t.account_id "
	    "WHERE t.account_id = ? AND t.revoked_at IS NULL ORDER BY t.id";
	static const char all_sql[] = "SELECT t.name, t.created_at, "
	    "t.last_used_at, t.revoked_at, a.email FROM tokens t "
	    "JOIN accounts a ON a.id = t.account_id "
	    "WHERE (? = 0 OR t.account_id = ?) ORDER BY t.id";
	struct db_arg one[] = { DBA_I64(account_id) };
	struct db_arg all[] = { DBA_I64(account_id), DBA_I64(account_id) };
	struct token_row row;
	struct db_col cols[] = { DBC_STR(row.name, sizeof(row.name)),
	    DBC_TS(&row.created_at), DBC_TS(&row.last_used_at),
	    DBC_TS(&row.revoked_at), DBC_STR(row.email, sizeof(row.email)) };
	struct db_result res;
	enum db_rc rc;
	int f;

	/* The API lists one account's live tokens; qre-admin everything. */
	if (!with_revoked && account_id != 0)
		rc = db_query(db, account_sql, one, 1, cols, QRE_NELEM(cols), &res);
	else
		rc = db_query(db, all_sql, all, 2, cols, QRE_NELEM(cols), &res);
	if (rc != DB_OK)
		return rc;
	while ((f = db_fetch(&res)) == 1)
		each(&row, arg);
	db_done(&res);
	return f < 0 ? DB_ERROR : DB_OK;
}
