/* admin_migrate.c: qre-admin migrate [--dir DIR]. */
#include <stdio.h>

#include "admin.h"
#include "migrate.h"

static void
say(const char *file)
{
	printf("applied %s\n", file);
}

static int
run(struct admin_ctx *ctx, int argc, char **argv)
{
	static const char *const names[] = { "dir" };
	const char *values[1];
	char err[1024];
	int n;

	if (admin_options(argc, argv, names, values, 1, 0) == -1)
		return ADMIN_USAGE;
	n = migrate_run(ctx->db, values[0] ? values[0] : ctx->cfg->schema_dir,
	    say, err, sizeof(err));
	if (n < 0) {
		fprintf(stderr, "qre-admin: migrate: %s\n", err);
		return ADMIN_DB;
	}
	printf("%d migration%s applied; the schema is up to date\n", n,
	    n == 1 ? "" : "s");
	return ADMIN_OK;
}

const struct admin_cmd admin_migrate_cmd = {
	.name = "migrate",
	.usage = "[--dir DIR]",
	.run = run,
};
