/* admin_account.c: qre-admin account add | account plan. */
#include <stdio.h>
#include <string.h>

#include "admin.h"
#include "compat.h"
#include "store_accounts.h"

static int
parse_plan(const char *s, enum plan *plan)
{
	if (plan_parse(s, plan) == -1) {
		fprintf(stderr, "qre-admin: plan must be free, pro or "
		    "enterprise, not '%s'\n", s);
		return -1;
	}
	return 0;
}

static int
add(struct admin_ctx *ctx, int argc, char **argv)
{
	static const char *const names[] = { "email", "plan" };
	const char *v[2];
	enum plan plan = PLAN_FREE;
	long long id;
	enum db_rc rc;

	if (admin_options(argc, argv, names, v, 2, 0) == -1)
		return ADMIN_USAGE;
	if (v[0] == NULL) {
		fprintf(stderr, "qre-admin: --email is required\n");
		return ADMIN_USAGE;
	}
	if (v[1] != NULL && parse_plan(v[1], &plan) == -1)
		return ADMIN_USAGE;
	if (strlen(v[0]) > EMAIL_MAX || strchr(v[0], '@') == NULL) {
		fprintf(stderr, "qre-admin: '%s' is not an email address\n", v[0]);
		return ADMIN_USAGE;
	}
	rc = account_add(ctx->db, v[0], plan, &id);
	if (rc == DB_DUPLICATE) {
		fprintf(stderr, "qre-admin: account '%s' exists already\n", v[0]);
		return ADMIN_NOT_DONE;
	}
	if (rc != DB_OK)
		return admin_db_failed(ctx, "account add");
	printf("account %s added on the %s plan\n", v[0], plan_name(plan));
	return ADMIN_OK;
}

static int
plan(struct admin_ctx *ctx, int argc, char **argv)
{
	static const char *const names[] = { "email", "plan" };
	const char *v[2];
	enum plan p;
	long long id;
	int rc;

	if (admin_options(argc, argv, names, v, 2, 1) == -1)
		return ADMIN_USAGE;
	if (parse_plan(v[1], &p) == -1)
		return ADMIN_USAGE;
	if ((rc = admin_account_id(ctx, v[0], &id)) != ADMIN_OK)
		return rc;
	if (account_set_plan(ctx->db, id, p) != DB_OK)
		return admin_db_failed(ctx, "account plan");
	printf("account %s is now on the %s plan\n", v[0], plan_name(p));
	return ADMIN_OK;
}

const struct admin_cmd admin_account_add_cmd = {
	.name = "account add",
	.usage = "--email EMAIL [--plan free|pro|enterprise]",
	.run = add,
};

const struct admin_cmd admin_account_plan_cmd = {
	.name = "account plan",
	.usage = "--email EMAIL --plan free|pro|enterprise",
	.run = plan,
};
