/* store_scans.c: see store_scans.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/rand.h>

#include "compat.h"
#include "util.h"
#include "sql_batch.h"
#include "store_scans.h"
#include "timefmt.h"

#define DAY_LEN 11			/* "YYYY-MM-DD" */
#define DATETIME_MAX_MS 253402300799999LL	/* 9999-12-31 23:59:59.999 */
#define ROLLUP_VALUE_MAX 255		/* scan_daily.value */
#define ROLLUP_DIMS 8			/* rows one scan adds at most */
#define SCAN_COLS 10			/* parameters of one scans row */
#define ROLLUP_COLS 5			/* parameters of one scan_daily row */
/* One argument array serves every statement of a flush. */
#define ARGS_PER_SCAN (ROLLUP_DIMS * ROLLUP_COLS > SCAN_COLS ? \
	ROLLUP_DIMS * ROLLUP_COLS : SCAN_COLS)

/* One scan_daily increment before merging. */
struct rollup {
	long long code_id;
	char day[DAY_LEN];
	const char *dim;
	char value[ROLLUP_VALUE_MAX + 1];
	long long scans;
};

/* The day and time columns of a scan, from its milliseconds. */
static void
scan_times(long long at_ms, char day[DAY_LEN], char stamp[32])
{
	time_t t;
	struct tm tm;

	/* DATETIME ends with 9999: an open range's end is clamped there. */
	if (at_ms > DATETIME_MAX_MS)
		at_ms = DATETIME_MAX_MS;
	if (at_ms < 0)
		at_ms = 0;
	t = (time_t)(at_ms / 1000);

	gmtime_r(&t, &tm);
	strftime(day, DAY_LEN, "%Y-%m-%d", &tm);
	if (stamp != NULL)
		snprintf(stamp, 32, "%s %02d:%02d:%02d.%03lld", day, tm.tm_hour,
		    tm.tm_min, tm.tm_sec, at_ms % 1000);
}

/* The host of a referrer URL ("" when it has none), for grouping. */
static void
referrer_host(const char *ref, char *out, size_t outsz)
{
	const char *p = strstr(ref, "://"), *end;
	size_t n;

	out[0] = '\0';
	if (p == NULL)
		return;
	p += 3;
	end = p + strcspn(p, "/?#");
	n = (size_t)(end - p);
	if (n >= outsz)
		n = outsz - 1;
	memcpy(out, p, n);
	out[n] = '\0';
}

static int
cmp_rollup(const void *a, const void *b)
{
	const struct rollup *x = a, *y = b;
	int c;

	if (x->code_id != y->code_id)
		return x->code_id < y->code_id ? -1 : 1;
	if ((c = strcmp(x->day, y->day)) != 0)
		return c;
	if ((c = strcmp(x->dim, y->dim)) != 0)
		return c;
	return strcmp(x->value, y->value);
}

static void
add_rollup(struct rollup *r, size_t *n, long long code_id, const char *day,
    const char *dim, const char *value, long long scans)
{
	struct rollup *e = &r[(*n)++];

	e->code_id = code_id;
	memcpy(e->day, day, DAY_LEN);
	e->dim = dim;
	strlcpy(e->value, value ? value : "", sizeof(e->value));
	e->scans = scans;
}

/* Sorted, equal keys summed: returns the new count. */
static size_t
merge_rollups(struct rollup *r, size_t n)
{
	size_t out = 0;

	qsort(r, n, sizeof(*r), cmp_rollup);
	for (size_t i = 0; i < n; i++) {
		if (out > 0 && cmp_rollup(&r[out - 1], &r[i]) == 0)
			r[out - 1].scans += r[i].scans;
		else
			r[out++] = r[i];
	}
	return out;
}

struct batches {
	struct sql_batch scans, rollups, visitors;
	int ready;
};

static struct batches batches;

static int
batches_init(void)
{
	if (batches.ready)
		return 0;
	/*
	 * IGNORE: a code deleted while its scans waited here fails their
	 * foreign key; those rows are skipped, the rest of the batch stays.
	 */
	if (sql_batch_init(&batches.scans, "INSERT IGNORE INTO scans (code_id, "
	    "scanned_at, country, city, device, os, browser, referrer, is_bot, "
	    "visitor_hash) VALUES", SCAN_COLS, "") == -1 ||
	    sql_batch_init(&batches.rollups, "INSERT IGNORE INTO scan_daily (code_id, "
	    "day, dim, value, scans) VALUES", ROLLUP_COLS,
	    "ON DUPLICATE KEY UPDATE scans = scans + VALUES(scans)") == -1 ||
	    sql_batch_init(&batches.visitors, "INSERT IGNORE INTO scan_visitors "
	    "(code_id, day, visitor_hash) VALUES", 3, "") == -1)
		return -1;
	batches.ready = 1;
	return 0;
}

/* Time stamps of n scans, kept alive while their rows are bound. */
struct stamps {
	char day[DAY_LEN];
	char stamp[32];
};

static enum db_rc
insert_rows(struct db *db, const struct scan *s, size_t n,
    struct stamps *st, struct db_arg *args)
{
	for (size_t i = 0; i < n; i++) {
		struct db_arg *a = args + i * SCAN_COLS;

		a[0] = DBA_I64(s[i].code_id);
		a[1] = DBA_STR(st[i].stamp);
		a[2] = s[i].country[0] ? DBA_STR(s[i].country) : DBA_NUL;
		a[3] = s[i].city[0] ? DBA_STR(s[i].city) : DBA_NUL;
		a[4] = DBA_STR(ua_device_name(s[i].device));
		a[5] = s[i].os ? DBA_STR(s[i].os) : DBA_NUL;
		a[6] = s[i].browser ? DBA_STR(s[i].browser) : DBA_NUL;
		a[7] = s[i].referrer[0] ? DBA_STR(s[i].referrer) : DBA_NUL;
		a[8] = DBA_I64(s[i].is_bot);
		a[9] = DBA_BIN(s[i].visitor, VISITOR_HASH_LEN);
	}
	return sql_batch_exec(db, &batches.scans, args, n, NULL);
}

/* A non-bot scan's visitor key, for sorting into (code, day) groups. */
struct visitor_key {
	long long code_id;
	const char *day;
	const unsigned char *visitor;
};

static int
cmp_visitor(const void *a, const void *b)
{
	const struct visitor_key *x = a, *y = b;
	int c;

	if (x->code_id != y->code_id)
		return x->code_id < y->code_id ? -1 : 1;
	if ((c = strcmp(x->day, y->day)) != 0)
		return c;
	return memcmp(x->visitor, y->visitor, VISITOR_HASH_LEN);
}

/*
 * New visitors of each (code, day): the batch sorted by (code, day,
 * visitor) and each group's distinct hashes sent as one INSERT IGNORE,
 * whose affected rows are the visitors not seen before that day.
 */
static enum db_rc
count_uniques(struct db *db, const struct scan *s, size_t n,
    const struct stamps *st, struct db_arg *args, struct rollup *r,
    size_t *nr)
{
	struct visitor_key *keys;
	size_t nk = 0, i = 0;
	enum db_rc rc = DB_OK;

	if ((keys = calloc(n, sizeof(*keys))) == NULL)
		return DB_ERROR;
	for (size_t j = 0; j < n; j++)
		if (!s[j].is_bot) {
			keys[nk].code_id = s[j].code_id;
			keys[nk].day = st[j].day;
			keys[nk].visitor = s[j].visitor;
			nk++;
		}
	qsort(keys, nk, sizeof(*keys), cmp_visitor);
	while (i < nk && rc == DB_OK) {
		unsigned long long fresh = 0;
		size_t k = 0, g = i;

		for (; g < nk && keys[g].code_id == keys[i].code_id &&
		    strcmp(keys[g].day, keys[i].day) == 0; g++) {
			if (g > i && memcmp(keys[g].visitor, keys[g - 1].visitor,
			    VISITOR_HASH_LEN) == 0)
				continue;	/* twice in this batch: one row */
			args[k * 3] = DBA_I64(keys[g].code_id);
			args[k * 3 + 1] = DBA_STR(keys[g].day);
			args[k * 3 + 2] = DBA_BIN(keys[g].visitor, VISITOR_HASH_LEN);
			k++;
		}
		rc = sql_batch_exec(db, &batches.visitors, args, k, &fresh);
		if (rc == DB_OK && fresh > 0)
			add_rollup(r, nr, keys[i].code_id, keys[i].day, "unique",
			    "", (long long)fresh);
		i = g;
	}
	free(keys);
	return rc;
}

static enum db_rc
write_rollups(struct db *db, struct rollup *r, size_t nr, struct db_arg *args)
{
	for (size_t i = 0; i < nr; i++) {
		struct db_arg *a = args + i * ROLLUP_COLS;

		a[0] = DBA_I64(r[i].code_id);
		a[1] = DBA_STR(r[i].day);
		a[2] = DBA_STR(r[i].dim);
		a[3] = DBA_STR(r[i].value);
		a[4] = DBA_I64(r[i].scans);
	}
	return sql_batch_exec(db, &batches.rollups, args, nr, NULL);
}

/*
 * A scan of a code deleted before the scan was stored: its row cannot be
 * kept (the code is gone), but a scan endpoint of the account must still
 * hear of it.  An outbox "scan" event without cursors goes to every scan
 * endpoint (these scans were never in "scans" for any cursor to pass).
 */
static enum db_rc
scan_of_gone_code(struct db *db, const struct scan *s)
{
	static const char sql[] = "INSERT INTO events (account_id, type, "
	    "payload, created_at) SELECT ?, 'scan', JSON_OBJECT('items', "
	    "JSON_ARRAY(JSON_OBJECT('code', JSON_OBJECT('id', ?, 'shortCode', "
	    "?), 'scan', JSON_OBJECT('timestamp', ?, 'country', ?, 'city', ?, "
	    "'device', ?, 'os', ?, 'browser', ?, 'referrer', ?)))), "
	    "UTC_TIMESTAMP(3) FROM DUAL WHERE EXISTS (SELECT 1 FROM webhooks "
	    "WHERE account_id = ? AND FIND_IN_SET('scan', events))";
	char ts[RFC3339_MS_LEN];
	struct db_arg args[] = {
		DBA_I64(s->account_id), DBA_STR(s->public_id),
		DBA_STR(s->short_code), DBA_STR(rfc3339_ms(s->at_ms, ts)),
		s->country[0] ? DBA_STR(s->country) : DBA_NUL,
		s->city[0] ? DBA_STR(s->city) : DBA_NUL,
		DBA_STR(ua_device_name(s->device)),
		s->os ? DBA_STR(s->os) : DBA_NUL,
		s->browser ? DBA_STR(s->browser) : DBA_NUL,
		s->referrer[0] ? DBA_STR(s->referrer) : DBA_NUL,
		DBA_I64(s->account_id),
	};

	return db_exec(db, sql, args, QRE_NELEM(args), NULL, NULL);
}

/* The people's scans of a code that is gone become events. */
static enum db_rc
gone_to_outbox(struct db *db, const struct scan *s, size_t n, long long code_id)
{
	enum db_rc rc;

	for (size_t i = 0; i < n; i++)
		if (s[i].code_id == code_id && !s[i].is_bot &&
		    (rc = scan_of_gone_code(db, &s[i])) != DB_OK)
			return rc;
	return DB_OK;
}

/*
 * codes.scans += the non-bot scans of each code (from the totals).  A
 * code the update does not find was deleted while its scans waited:
 * they go to the outbox instead.
 */
static enum db_rc
bump_counters(struct db *db, const struct rollup *r, size_t nr,
    const struct scan *s, size_t n)
{
	static const char sql[] =
	    "UPDATE codes SET scans = scans + ? WHERE id = ?";

	for (size_t i = 0; i < nr; i++) {
		struct db_arg args[2];
		long long sum = r[i].scans;
		unsigned long long changed = 0;
		enum db_rc rc;

		if (strcmp(r[i].dim, "total") != 0)
			continue;
		/* Sum the code's days: the rollups are sorted by code. */
		while (i + 1 < nr && r[i + 1].code_id == r[i].code_id) {
			i++;
			if (strcmp(r[i].dim, "total") == 0)
				sum += r[i].scans;
		}
		args[0] = DBA_I64(sum);
		args[1] = DBA_I64(r[i].code_id);
		if ((rc = db_exec(db, sql, args, 2, &changed, NULL)) != DB_OK ||
		    (changed == 0 && (rc = gone_to_outbox(db, s, n,
		    r[i].code_id)) != DB_OK))
			return rc;
	}
	return DB_OK;
}

/* In the batch's transaction: the file is stored this far. */
static enum db_rc
spool_mark_set(struct db *db, const struct spool_mark *mark)
{
	static const char sql[] = "INSERT INTO scan_spools (name, stored, "
	    "updated_at) VALUES (?, ?, UTC_TIMESTAMP(3)) ON DUPLICATE KEY "
	    "UPDATE stored = VALUES(stored), updated_at = VALUES(updated_at)";
	struct db_arg args[] = { DBA_STR(mark->name), DBA_I64(mark->stored) };

	return db_exec(db, sql, args, QRE_NELEM(args), NULL, NULL);
}

enum db_rc
spool_mark_get(struct db *db, const char *name, long long *stored)
{
	static const char sql[] = "SELECT stored FROM scan_spools WHERE name = ?";
	struct db_arg args[] = { DBA_STR(name) };
	struct db_col cols[] = { DBC_I64(stored) };
	int found;

	*stored = 0;
	return db_query_row(db, sql, args, 1, cols, 1, &found);
}

enum db_rc
spool_mark_drop(struct db *db, const char *name)
{
	static const char sql[] = "DELETE FROM scan_spools WHERE name = ?";
	struct db_arg args[] = { DBA_STR(name) };

	return db_exec(db, sql, args, 1, NULL, NULL);
}

enum db_rc
scans_store(struct db *db, const struct scan *s, size_t n,
    const struct spool_mark *mark)
{
	struct stamps *st = NULL;
	struct db_arg *args = NULL;
	struct rollup *r = NULL;
	size_t nr = 0;
	enum db_rc rc = DB_ERROR;

	if (n == 0)
		return DB_OK;
	if (batches_init() == -1 ||
	    (st = calloc(n, sizeof(*st))) == NULL ||
	    (args = calloc(n * ARGS_PER_SCAN, sizeof(*args))) == NULL ||
	    (r = calloc(n * ROLLUP_DIMS, sizeof(*r))) == NULL)
		goto fail;
	/* Rollups of the non-bot scans, in memory first. */
	for (size_t i = 0; i < n; i++) {
		char host[ROLLUP_VALUE_MAX + 1];

		scan_times(s[i].at_ms, st[i].day, st[i].stamp);
		add_rollup(r, &nr, s[i].code_id, st[i].day, "all", "", 1);
		if (s[i].is_bot)
			continue;	/* kept, flagged, not counted */
		referrer_host(s[i].referrer, host, sizeof(host));
		add_rollup(r, &nr, s[i].code_id, st[i].day, "total", "", 1);
		add_rollup(r, &nr, s[i].code_id, st[i].day, "country",
		    s[i].country, 1);
		add_rollup(r, &nr, s[i].code_id, st[i].day, "device",
		    ua_device_name(s[i].device), 1);
		add_rollup(r, &nr, s[i].code_id, st[i].day, "os", s[i].os, 1);
		add_rollup(r, &nr, s[i].code_id, st[i].day, "browser",
		    s[i].browser, 1);
		add_rollup(r, &nr, s[i].code_id, st[i].day, "referrer", host, 1);
	}
	nr = merge_rollups(r, nr);
	if ((rc = db_begin(db)) != DB_OK)
		goto fail;
	/*
	 * The codes rows are locked first, in id order (the rollups are
	 * sorted by code): two writers storing scans of the same codes then
	 * queue instead of deadlocking on the shared locks that the scans'
	 * foreign key checks would take first.
	 */
	if ((rc = bump_counters(db, r, nr, s, n)) != DB_OK ||
	    (rc = insert_rows(db, s, n, st, args)) != DB_OK)
		goto rollback;
	/* count_uniques appends one "unique" row per (code, day). */
	if ((rc = count_uniques(db, s, n, st, args, r, &nr)) != DB_OK)
		goto rollback;
	if ((rc = write_rollups(db, r, nr, args)) != DB_OK ||
	    (mark != NULL && (rc = spool_mark_set(db, mark)) != DB_OK))
		goto rollback;
	rc = db_commit(db);
	goto fail;
rollback:
	db_rollback(db);
fail:
	free(r);
	free(args);
	free(st);
	return rc;
}

enum db_rc
visitor_salt_today(struct db *db, unsigned char salt[VISITOR_SALT_LEN])
{
	static const char make_sql[] = "INSERT IGNORE INTO visitor_salts "
	    "(day, salt) VALUES (UTC_DATE(), ?)";
	static const char get_sql[] =
	    "SELECT salt FROM visitor_salts WHERE day = UTC_DATE()";
	static const char drop_sql[] =
	    "DELETE FROM visitor_salts WHERE day < UTC_DATE()";
	unsigned char fresh[VISITOR_SALT_LEN];
	struct db_arg args[] = { DBA_BIN(fresh, sizeof(fresh)) };
	struct db_col cols[] = { DBC_BIN(salt, VISITOR_SALT_LEN) };
	enum db_rc rc;
	int found;

	if (RAND_bytes(fresh, sizeof(fresh)) != 1)
		return DB_ERROR;
	/* The first worker of the day wins; the others read its salt. */
	if ((rc = db_exec(db, make_sql, args, 1, NULL, NULL)) != DB_OK ||
	    (rc = db_query_row(db, get_sql, NULL, 0, cols, 1, &found)) != DB_OK)
		return rc;
	if (!found)
		return DB_ERROR;
	return db_exec(db, drop_sql, NULL, 0, NULL, NULL);
}

/* "YYYY-MM-DD HH:MM:SS.mmm" of a millisecond time, for range bounds. */
static void
ms_stamp(long long ms, char out[32])
{
	char day[DAY_LEN];

	scan_times(ms, day, out);
}


enum db_rc
scans_count(struct db *db, long long code_id, long long from_ms,
    long long to_ms, long long *total)
{
	static const char sql[] = "SELECT COUNT(*) FROM scans WHERE "
	    "code_id = ? AND scanned_at >= ? AND scanned_at < ?";
	/* Whole days: one rollup row a day instead of one index entry a scan. */
	static const char days_sql[] = "SELECT COALESCE(SUM(scans), 0) FROM "
	    "scan_daily WHERE code_id = ? AND dim = 'all' AND day >= ? AND "
	    "day <= ?";
	char from[32], to[32];
	struct db_arg args[3];
	struct db_col cols[] = { DBC_I64(total) };
	int found, days = from_ms % MS_PER_DAY == 0 && to_ms % MS_PER_DAY == 0;

	if (days) {
		char d1[DAY_LEN], d2[DAY_LEN];

		scan_times(from_ms, d1, NULL);
		scan_times(to_ms - 1, d2, NULL);	/* the last day, inclusive */
		args[0] = DBA_I64(code_id);
		args[1] = DBA_STR(d1);
		args[2] = DBA_STR(d2);
		return db_query_row(db, days_sql, args, 3, cols, 1, &found);
	}
	ms_stamp(from_ms, from);
	ms_stamp(to_ms, to);
	args[0] = DBA_I64(code_id);
	args[1] = DBA_STR(from);
	args[2] = DBA_STR(to);
	return db_query_row(db, sql, args, 3, cols, 1, &found);
}

enum db_rc
scans_list(struct db *db, long long code_id, long long from_ms,
    long long to_ms, const struct page_key *after, long long limit,
    long long offset, void (*each)(const struct scan_row *, void *),
    void *arg)
{
	/*
	 * All three read scans_code_time (code_id, scanned_at, and the
	 * primary key id that InnoDB appends) backwards, newest first.
	 * Arithmetic on the DATETIME itself: no session time zone involved.
	 */
	static const char first_sql[] = "SELECT id, TIMESTAMPDIFF(MICROSECOND, "
	    "'1970-01-01 00:00:00', scanned_at) DIV 1000, country, city, "
	    "device, os, browser, referrer, is_bot FROM scans WHERE code_id = ? "
	    "AND scanned_at >= ? AND scanned_at < ? "
	    "ORDER BY scanned_at DESC, id DESC LIMIT ?";
	/*
	 * By cursor: the rows after its key.  FORCE INDEX makes MariaDB
	 * seek to the key (a range on all three parts); left to itself it
	 * may read the index by code_id alone (ref), from the newest scan
	 * down to the cursor, which costs the cursor's depth.
	 */
	static const char after_sql[] = "SELECT id, TIMESTAMPDIFF(MICROSECOND, "
	    "'1970-01-01 00:00:00', scanned_at) DIV 1000, country, city, "
	    "device, os, browser, referrer, is_bot FROM scans FORCE INDEX "
	    "(scans_code_time) WHERE code_id = ? AND scanned_at >= ? AND "
	    "scanned_at < ? AND (scanned_at < ? OR (scanned_at = ? AND "
	    "id < ?)) ORDER BY scanned_at DESC, id DESC LIMIT ?";
	/*
	 * By number: the skipped rows are counted in the index alone (it
	 * holds id), and only the page's rows are read from the table (a
	 * deferred join).
	 */
	static const char deep_sql[] = "SELECT s.id, "
	    "TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', s.scanned_at) "
	    "DIV 1000, s.country, s.city, s.device, s.os, s.browser, "
	    "s.referrer, s.is_bot FROM scans s JOIN (SELECT id FROM scans "
	    "FORCE INDEX (scans_code_time) WHERE code_id = ? AND "
	    "scanned_at >= ? AND scanned_at < ? ORDER BY scanned_at DESC, "
	    "id DESC LIMIT ? OFFSET ?) k USING (id) ORDER BY s.scanned_at DESC, "
	    "s.id DESC";
	char from[32], to[32], at[32];
	struct db_arg args[7];
	size_t nargs = 3;
	const char *sql;
	struct scan_row row;
	long long bot;
	struct db_col cols[] = {
		DBC_I64(&row.id),
		DBC_I64(&row.at_ms),
		DBC_STR(row.country, sizeof(row.country)),
		DBC_STR(row.city, sizeof(row.city)),
		DBC_STR(row.device, sizeof(row.device)),
		DBC_STR(row.os, sizeof(row.os)),
		DBC_STR(row.browser, sizeof(row.browser)),
		DBC_STR(row.referrer, sizeof(row.referrer)),
		DBC_I64(&bot),
	};
	struct db_result res;
	enum db_rc rc;
	int got;

	ms_stamp(from_ms, from);
	ms_stamp(to_ms, to);
	args[0] = DBA_I64(code_id);
	args[1] = DBA_STR(from);
	args[2] = DBA_STR(to);
	if (after != NULL) {
		ms_stamp(after->at_ms, at);
		args[nargs++] = DBA_STR(at);
		args[nargs++] = DBA_STR(at);
		args[nargs++] = DBA_I64(after->id);
		args[nargs++] = DBA_I64(limit);
		sql = after_sql;
	} else if (offset == 0) {
		args[nargs++] = DBA_I64(limit);
		sql = first_sql;
	} else {
		args[nargs++] = DBA_I64(limit);
		args[nargs++] = DBA_I64(offset);
		sql = deep_sql;
	}
	if ((rc = db_query(db, sql, args, nargs, cols, QRE_NELEM(cols), &res)))
		return rc;
	while ((got = db_fetch(&res)) == 1) {
		row.has_country = !cols[2].is_null;
		row.has_city = !cols[3].is_null;
		row.has_os = !cols[5].is_null;
		row.has_browser = !cols[6].is_null;
		row.has_referrer = !cols[7].is_null;
		row.is_bot = bot != 0;
		each(&row, arg);
	}
	db_done(&res);
	return got < 0 ? DB_ERROR : DB_OK;
}

enum db_rc
stats_query(struct db *db, long long code_id, const char *from_day,
    const char *to_day, void (*each)(const struct stat_row *, void *),
    void *arg)
{
	/*
	 * Both read the primary key (code_id, dim, day, value) as ranges:
	 * the cost follows days and distinct values, not scans.
	 */
	/* The dims named: the key then narrows by (code, dim, day range). */
	static const char sums_sql[] = "SELECT dim, value, '', SUM(scans) "
	    "FROM scan_daily WHERE code_id = ? AND dim IN ('total', 'unique', "
	    "'country', 'device', 'os', 'browser', 'referrer') AND day "
	    "BETWEEN ? AND ? GROUP BY dim, value ORDER BY dim, SUM(scans) DESC, "
	    "value";
	static const char days_sql[] = "SELECT dim, '', day, scans FROM "
	    "scan_daily WHERE code_id = ? AND dim IN ('total', 'unique') AND "
	    "day BETWEEN ? AND ? ORDER BY day, dim";
	struct db_arg args[] = { DBA_I64(code_id), DBA_STR(from_day),
	    DBA_STR(to_day) };
	struct stat_row row;
	struct db_col cols[] = {
		DBC_STR(row.dim, sizeof(row.dim)),
		DBC_STR(row.value, sizeof(row.value)),
		DBC_STR(row.day, sizeof(row.day)),
		DBC_I64(&row.scans),
	};
	const char *const queries[] = { sums_sql, days_sql };

	for (size_t q = 0; q < QRE_NELEM(queries); q++) {
		struct db_result res;
		enum db_rc rc;
		int got;

		if ((rc = db_query(db, queries[q], args, QRE_NELEM(args), cols,
		    QRE_NELEM(cols), &res)) != DB_OK)
			return rc;
		while ((got = db_fetch(&res)) == 1)
			each(&row, arg);
		db_done(&res);
		if (got < 0)
			return DB_ERROR;
	}
	return DB_OK;
}
