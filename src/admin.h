/*
 * admin.h: qre-admin's commands, one file each (admin_*.c), each with an
 * entry in the table of qre-admin.c.  Exit statuses are shared.
 */
#ifndef QRE_ADMIN_H
#define QRE_ADMIN_H

#include "config.h"
#include "db.h"

enum admin_exit {
	ADMIN_OK = 0,
	ADMIN_NOT_DONE = 1,	/* not found, exists already, or at a limit */
	ADMIN_USAGE = 2,	/* wrong arguments */
	ADMIN_CONFIG = 3,	/* the config file is missing or wrong */
	ADMIN_DB = 4,		/* the database is unreachable or failed */
};

struct admin_ctx {
	struct qre_config *cfg;
	struct db *db;
};

struct admin_cmd {
	const char *name;	/* "token create" */
	const char *usage;	/* "--account EMAIL --name NAME" */
	int (*run)(struct admin_ctx *, int argc, char **argv);
};

extern const struct admin_cmd admin_migrate_cmd;
extern const struct admin_cmd admin_check_cmd;
extern const struct admin_cmd admin_account_add_cmd;
extern const struct admin_cmd admin_account_plan_cmd;
extern const struct admin_cmd admin_token_create_cmd;
extern const struct admin_cmd admin_token_list_cmd;
extern const struct admin_cmd admin_token_revoke_cmd;

/*
 * Parse "--name value" options into values[] by the names in names[];
 * every name is required.  Returns 0, or -1 after printing why.
 */
int admin_options(int argc, char **argv, const char *const names[],
    const char *values[], size_t n, int required);
/* Report a database failure; returns ADMIN_DB. */
int admin_db_failed(struct admin_ctx *, const char *what);
/* The account id for an email, or an exit status. */
int admin_account_id(struct admin_ctx *, const char *email, long long *id);

#endif
