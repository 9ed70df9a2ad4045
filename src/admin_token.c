/* admin_token.c: qre-admin token create | token list | token revoke. */
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "admin.h"
#include "compat.h"
#include "store_tokens.h"
#include "text.h"
#include "timefmt.h"
#include "token.h"

static int
create(struct admin_ctx *ctx, int argc, char **argv)
{
	static const char *const names[] = { "account", "name" };
	const char *v[2];
	char token[TOKEN_STR_MAX];
	unsigned char hash[TOKEN_HASH_LEN];
	long long id;
	size_t len;
	enum db_rc rc;
	int st, full;

	if (admin_options(argc, argv, names, v, 2, 1) == -1)
		return ADMIN_USAGE;
	len = strlen(v[1]);
	if (is_blank(v[1], len) || utf8_chars(v[1], len) > TOKEN_NAME_MAX ||
	    has_control_chars(v[1], len)) {
		fprintf(stderr, "qre-admin: the name must be 1..%d printable "
		    "characters\n", TOKEN_NAME_MAX);
		return ADMIN_USAGE;
	}
	if ((st = admin_account_id(ctx, v[0], &id)) != ADMIN_OK)
		return st;
	if (token_generate(token, sizeof(token)) == -1) {
		fprintf(stderr, "qre-admin: no random bytes\n");
		return ADMIN_DB;
	}
	token_hash(token, strlen(token), hash);
	rc = token_insert(ctx->db, id, v[1], hash, &full);
	if (rc == DB_DUPLICATE) {
		fprintf(stderr, "qre-admin: %s has a token named '%s' already\n",
		    v[0], v[1]);
		return ADMIN_NOT_DONE;
	}
	if (rc != DB_OK)
		return admin_db_failed(ctx, "token create");
	if (full) {
		OPENSSL_cleanse(token, sizeof(token));
		fprintf(stderr, "qre-admin: %s has %d active tokens, the most "
		    "an account may have; revoke one first\n", v[0],
		    TOKENS_PER_ACCOUNT);
		return ADMIN_NOT_DONE;
	}
	/* The only time the token is shown: alone on stdout, for scripts. */
	printf("%s\n", token);
	OPENSSL_cleanse(token, sizeof(token));
	fprintf(stderr, "qre-admin: token '%s' created for %s; it is not "
	    "shown again\n", v[1], v[0]);
	return ADMIN_OK;
}

static void
print_row(const struct token_row *row, void *arg)
{
	char c[RFC3339_LEN], u[RFC3339_LEN], r[RFC3339_LEN];

	(void)arg;
	printf("%s\t%s\t%s\t%s\t%s\n", row->email, row->name,
	    rfc3339(row->created_at, c),
	    row->last_used_at ? rfc3339(row->last_used_at, u) : "-",
	    row->revoked_at ? rfc3339(row->revoked_at, r) : "-");
}

static int
list(struct admin_ctx *ctx, int argc, char **argv)
{
	static const char *const names[] = { "account" };
	const char *v[1];
	long long id = 0;
	int st;

	if (admin_options(argc, argv, names, v, 1, 0) == -1)
		return ADMIN_USAGE;
	if (v[0] != NULL && (st = admin_account_id(ctx, v[0], &id)) != ADMIN_OK)
		return st;
	printf("account\tname\tcreated\tlast_used\trevoked\n");
	if (token_list(ctx->db, id, 1, print_row, NULL) != DB_OK)
		return admin_db_failed(ctx, "token list");
	return ADMIN_OK;
}

static int
revoke(struct admin_ctx *ctx, int argc, char **argv)
{
	static const char *const names[] = { "account", "name" };
	const char *v[2];
	long long id;
	int st, found;

	if (admin_options(argc, argv, names, v, 2, 1) == -1)
		return ADMIN_USAGE;
	if ((st = admin_account_id(ctx, v[0], &id)) != ADMIN_OK)
		return st;
	if (token_revoke(ctx->db, id, v[1], &found) != DB_OK)
		return admin_db_failed(ctx, "token revoke");
	if (!found) {
		fprintf(stderr, "qre-admin: %s has no live token named '%s'\n",
		    v[0], v[1]);
		return ADMIN_NOT_DONE;
	}
	printf("token '%s' of %s revoked\n", v[1], v[0]);
	return ADMIN_OK;
}

const struct admin_cmd admin_token_create_cmd = {
	.name = "token create",
	.usage = "--account EMAIL --name NAME",
	.run = create,
};

const struct admin_cmd admin_token_list_cmd = {
	.name = "token list",
	.usage = "[--account EMAIL]",
	.run = list,
};

const struct admin_cmd admin_token_revoke_cmd = {
	.name = "token revoke",
	.usage = "--account EMAIL --name NAME",
	.run = revoke,
};
