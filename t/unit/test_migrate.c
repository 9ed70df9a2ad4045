/* test_migrate.c: the SQL statement splitter. */
#include <string.h>

#include "migrate.h"
#include "tap.h"

static char got[8][256];
static int n;

static int
collect(const char *s, size_t len, void *arg)
{
	(void)arg;
	if (n < 8 && len < sizeof(got[0])) {
		memcpy(got[n], s, len);
		got[n][len] = '\0';
	}
	n++;
	return 0;
}

static int
split(const char *sql)
{
	n = 0;
	memset(got, 0, sizeof(got));
	return sql_split(sql, strlen(sql), collect, NULL);
}

int
main(void)
{
	ok(split("CREATE TABLE a (x INT);\nCREATE TABLE b (y INT);\n") == 0,
	    "two statements");
	is_int(n, 2, "count");
	is_str(got[0], "CREATE TABLE a (x INT)", "first");
	is_str(got[1], "\nCREATE TABLE b (y INT)", "second");
	split("INSERT INTO t VALUES ('a;b', \"c;d\", `e;f`);");
	is_int(n, 1, "semicolons in quotes do not split");
	split("-- a comment; with a semicolon\nSELECT 1;");
	is_int(n, 1, "comment semicolon ignored");
	split("/* x; y */ SELECT 1; # z;\n");
	is_int(n, 2, "block comment kept with its statement; hash comment "
	    "passed on as a statement the caller skips");
	split("SELECT 'it\\'s;'; SELECT 2");
	is_int(n, 2, "escaped quote, last statement without ';'");
	ok(split("SELECT 'open") == -1, "unterminated quote refused");
	ok(split("/* open") == -1, "unterminated comment refused");
	split("  ;  ; \n");
	is_int(n, 0, "empty statements skipped");
	return done_testing();
}
