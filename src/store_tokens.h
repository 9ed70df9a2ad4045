/* store_tokens.h: the tokens table (hashes only, never a token). */
#ifndef QRE_STORE_TOKENS_H
#define QRE_STORE_TOKENS_H

#include <time.h>

#include "caller.h"
#include "db.h"
#include "token.h"

#define TOKEN_NAME_MAX 200		/* characters, as the reference says */
#define TOKEN_NAME_BUF (TOKEN_NAME_MAX * 4 + 1)	/* UTF-8 bytes */
/* Live tokens one account may have, whatever its plan. */
#define TOKENS_PER_ACCOUNT 100

struct token_row {
	char name[TOKEN_NAME_BUF];
	time_t created_at;
	time_t last_used_at;		/* 0 when never used */
	time_t revoked_at;		/* 0 when live */
	char email[256];		/* qre-admin's listing only */
};

/*
 * DB_DUPLICATE when the account has a live token of that name.  *full is
 * set, and nothing stored, when it has TOKENS_PER_ACCOUNT live tokens
 * already; the count is taken with the account's row locked, so parallel
 * inserts cannot pass the limit.
 */
enum db_rc token_insert(struct db *, long long account_id, const char *name,
    const unsigned char hash[TOKEN_HASH_LEN], int *full);
/*
 * The live token with this hash, with its account and plan; *idle is the
 * seconds since it was last used (-1 when never).
 */
enum db_rc token_lookup(struct db *, const unsigned char hash[TOKEN_HASH_LEN],
    struct auth *out, long long *idle, int *found);
/* Set last_used_at unless someone did so in the last interval seconds. */
enum db_rc token_touch(struct db *, long long token_id, long interval);
/* Revoke the account's live token of that name; *found 0 when none. */
enum db_rc token_revoke(struct db *, long long account_id, const char *name,
    int *found);
/* Each token of the account (account_id 0: every account), oldest first. */
enum db_rc token_list(struct db *, long long account_id, int with_revoked,
    void (*each)(const struct token_row *, void *), void *arg);

#endif
