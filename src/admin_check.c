/* admin_check.c: qre-admin check: the config parses, the database answers. */
#include <stdio.h>

#include "admin.h"
#include "compat.h"

static int
run(struct admin_ctx *ctx, int argc, char **argv)
{
	static const char sql[] = "SELECT COUNT(*) FROM schema_migrations";
	long long n = 0;
	struct db_col cols[] = { DBC_I64(&n) };
	int found;

	(void)argv;
	if (argc != 0)
		return ADMIN_USAGE;
	printf("config %s: ok\n", ctx->cfg->path);
	if (db_query_row(ctx->db, sql, NULL, 0, cols, 1, &found) != DB_OK)
		return admin_db_failed(ctx, "database");
	printf("database %s: ok, %lld migrations applied\n", ctx->cfg->db_name, n);
	return ADMIN_OK;
}

const struct admin_cmd admin_check_cmd = {
	.name = "check",
	.usage = "",
	.run = run,
};
