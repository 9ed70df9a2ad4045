/*
 * test_sql_batch.c: the statement text of each batch kind (256, 32, 8
 * and 1 rows) and how sql_batch_exec splits n rows among them.  The
 * database is this file's db_exec(), which records each call: the
 * linker takes it before libqre's db.o, which nothing else here needs.
 */
#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "sql_batch.h"
#include "tap.h"

#define CALLS_MAX 64

static struct call {
	const char *sql;
	const struct db_arg *args;
	size_t nargs;
} calls[CALLS_MAX];
static size_t ncalls;
static size_t fail_at = (size_t)-1;	/* the call that answers DB_DOWN */

enum db_rc
db_exec(struct db *db, const char *sql, const struct db_arg *args,
    size_t nargs, unsigned long long *affected, unsigned long long *insert_id)
{
	(void)db;
	(void)insert_id;
	if (ncalls == fail_at)
		return DB_DOWN;
	if (ncalls < CALLS_MAX)
		calls[ncalls] = (struct call){ sql, args, nargs };
	ncalls++;
	*affected = nargs / 2;
	return DB_OK;
}

/* Occurrences of needle in s. */
static size_t
count(const char *s, const char *needle)
{
	size_t n = 0;

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s += strlen(needle);
	}
	return n;
}

/* The row counts of the calls, "256 32 8 1 ...". */
static const char *
split(const struct sql_batch *b)
{
	static char out[512];
	size_t len = 0;

	out[0] = '\0';
	for (size_t i = 0; i < ncalls && i < CALLS_MAX; i++) {
		int w = snprintf(out + len, sizeof(out) - len, "%s%zu",
		    i ? " " : "", calls[i].nargs / b->ncols);

		if (w < 0 || (size_t)w >= sizeof(out) - len)
			break;
		len += (size_t)w;
	}
	return out;
}

int
main(void)
{
	static struct db_arg args[DB_MAX_ARGS];
	struct sql_batch b;
	unsigned long long affected;

	is_int(sql_batch_init(&b, "INSERT INTO t (a, b) VALUES", 2,
	    "ON DUPLICATE KEY UPDATE a = a"), 0, "sql_batch_init");
	is_int(b.rows[0], 256, "kind 0: 256 rows");
	is_int(b.rows[1], 32, "kind 1: 32 rows");
	is_int(b.rows[2], 8, "kind 2: 8 rows");
	is_int(b.rows[3], 1, "kind 3: 1 row");
	is_str(b.sql[3], "INSERT INTO t (a, b) VALUES (?, ?) ON DUPLICATE KEY "
	    "UPDATE a = a", "the one-row statement");
	is_str(b.sql[2], "INSERT INTO t (a, b) VALUES (?, ?),(?, ?),(?, ?),"
	    "(?, ?),(?, ?),(?, ?),(?, ?),(?, ?) ON DUPLICATE KEY UPDATE a = a",
	    "the eight-row statement");
	is_int(count(b.sql[1], "(?, ?)"), 32, "32 row tuples");
	is_int(count(b.sql[0], "(?, ?)"), 256, "256 row tuples");
	is_int(count(b.sql[0], "?"), 512, "512 parameters");
	is_int(strlen(b.sql[0]), strlen("INSERT INTO t (a, b) VALUES ") +
	    256 * strlen("(?, ?)") + 255 + strlen(" ON DUPLICATE KEY UPDATE "
	    "a = a"), "no stray bytes in the 256-row statement");

	affected = 0;
	ncalls = 0;
	is_int(sql_batch_exec(NULL, &b, args, 0, &affected), DB_OK, "0 rows");
	is_int(ncalls, 0, "0 rows: no statement");

	ncalls = 0;
	is_int(sql_batch_exec(NULL, &b, args, 256 + 2 * 32 + 8 + 3, &affected),
	    DB_OK, "331 rows");
	is_str(split(&b), "256 32 32 8 1 1 1", "331 = 256 + 2*32 + 8 + 3");
	is_int(affected, 331, "the affected rows add up");
	ok(calls[0].sql == b.sql[0] && calls[1].sql == b.sql[1] &&
	    calls[3].sql == b.sql[2] && calls[4].sql == b.sql[3],
	    "each chunk runs its kind's statement (the cache keys on it)");
	ok(calls[0].args == args && calls[1].args == args + 512 &&
	    calls[2].args == args + 576 && calls[3].args == args + 640 &&
	    calls[4].args == args + 656 && calls[6].args == args + 660,
	    "each chunk starts where the last one ended");

	ncalls = 0;
	(void)sql_batch_exec(NULL, &b, args, 7, NULL);
	is_str(split(&b), "1 1 1 1 1 1 1", "7 rows: seven singles");
	ncalls = 0;
	(void)sql_batch_exec(NULL, &b, args, 40, NULL);
	is_str(split(&b), "32 8", "40 rows: 32 + 8");
	ncalls = 0;
	(void)sql_batch_exec(NULL, &b, args, 512, NULL);
	is_str(split(&b), "256 256", "512 rows: two 256s");

	ncalls = 0;
	fail_at = 1;
	affected = 0;
	is_int(sql_batch_exec(NULL, &b, args, 300, &affected), DB_DOWN,
	    "a failed chunk is the answer");
	is_int(ncalls, 1, "no chunk runs after it");
	is_int(affected, 256, "only the chunks that ran are counted");
	fail_at = (size_t)-1;
	sql_batch_free(&b);
	ok(b.sql[0] == NULL && b.sql[3] == NULL, "sql_batch_free clears");

	is_int(sql_batch_init(&b, "INSERT", 17, ""), -1,
	    "17 columns * 256 rows is past DB_MAX_ARGS: -1");
	is_int(sql_batch_init(&b, "INSERT", 0, ""), -1, "0 columns: -1");
	is_int(sql_batch_init(&b, "INSERT INTO u (x) VALUES", 16, ""), 0,
	    "16 columns fit");
	sql_batch_free(&b);
	return done_testing();
}
