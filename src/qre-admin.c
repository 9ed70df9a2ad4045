/*
 * qre-admin: migrations, accounts, plans, tokens and a config/database
 * check.  Each command is one file (admin_*.c) with one table entry here.
 */
#include "compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "admin.h"
#include "log.h"
#include "store_accounts.h"

static const struct admin_cmd *const commands[] = {
	&admin_migrate_cmd,
	&admin_check_cmd,
	&admin_account_add_cmd,
	&admin_account_plan_cmd,
	&admin_token_create_cmd,
	&admin_token_list_cmd,
	&admin_token_revoke_cmd,
};

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: qre-admin [-c config] command [options]\n"
	    "commands:\n");
	for (size_t i = 0; i < QRE_NELEM(commands); i++)
		fprintf(fp, "  %s%s%s\n", commands[i]->name,
		    commands[i]->usage[0] ? " " : "", commands[i]->usage);
}

int
admin_options(int argc, char **argv, const char *const names[],
    const char *values[], size_t n, int required)
{
	for (size_t i = 0; i < n; i++)
		values[i] = NULL;
	for (int a = 0; a < argc; a++) {
		size_t i;

		for (i = 0; i < n; i++)
			if (strncmp(argv[a], "--", 2) == 0 &&
			    strcmp(argv[a] + 2, names[i]) == 0)
				break;
		if (i == n) {
			fprintf(stderr, "qre-admin: unknown option '%s'\n", argv[a]);
			return -1;
		}
		if (a + 1 >= argc) {
			fprintf(stderr, "qre-admin: --%s needs a value\n", names[i]);
			return -1;
		}
		values[i] = argv[++a];
	}
	for (size_t i = 0; required && i < n; i++)
		if (values[i] == NULL) {
			fprintf(stderr, "qre-admin: --%s is required\n", names[i]);
			return -1;
		}
	return 0;
}

int
admin_db_failed(struct admin_ctx *ctx, const char *what)
{
	fprintf(stderr, "qre-admin: %s: %s\n", what, db_error(ctx->db));
	return ADMIN_DB;
}

int
admin_account_id(struct admin_ctx *ctx, const char *email, long long *id)
{
	enum plan plan;
	int found;

	if (account_find(ctx->db, email, id, &plan, &found) != DB_OK)
		return admin_db_failed(ctx, "account lookup");
	if (!found) {
		fprintf(stderr, "qre-admin: no account '%s'\n", email);
		return ADMIN_NOT_DONE;
	}
	return ADMIN_OK;
}

int
main(int argc, char *argv[])
{
	static struct qre_config cfg;
	const char *path = QRE_CONFIG_DEFAULT_PATH;
	struct admin_ctx ctx;
	char err[1024], name[64];
	int ch, rc;

	log_init("qre-admin", LOG_LVL_WARN);
	while ((ch = getopt(argc, argv, "+c:h")) != -1) {
		switch (ch) {
		case 'c':
			path = optarg;
			break;
		case 'h':
			usage(stdout);
			return ADMIN_OK;
		default:
			usage(stderr);
			return ADMIN_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1) {
		usage(stderr);
		return ADMIN_USAGE;
	}
	for (size_t i = 0; i < QRE_NELEM(commands); i++) {
		const struct admin_cmd *cmd = commands[i];
		int words = strchr(cmd->name, ' ') ? 2 : 1;

		if (words == 2) {
			if (argc < 2 || (size_t)snprintf(name, sizeof(name),
			    "%s %s", argv[0], argv[1]) >= sizeof(name))
				continue;
		} else if (strlcpy(name, argv[0], sizeof(name)) >= sizeof(name))
			continue;
		if (strcmp(name, cmd->name) != 0)
			continue;
		if (config_load(path, &cfg, err, sizeof(err)) == -1) {
			fprintf(stderr, "qre-admin: %s\n", err);
			return ADMIN_CONFIG;
		}
		log_set_level((enum log_level)cfg.log_level);
		ctx.cfg = &cfg;
		if ((ctx.db = db_new(&cfg)) == NULL) {
			fprintf(stderr, "qre-admin: out of memory\n");
			return ADMIN_DB;
		}
		rc = cmd->run(&ctx, argc - words, argv + words);
		if (rc == ADMIN_USAGE)
			fprintf(stderr, "usage: qre-admin %s%s%s\n", cmd->name,
			    cmd->usage[0] ? " " : "", cmd->usage);
		db_free(ctx.db);
		return rc;
	}
	fprintf(stderr, "qre-admin: unknown command '%s'\n", argv[0]);
	usage(stderr);
	return ADMIN_USAGE;
}
