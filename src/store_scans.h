/*
 * store_scans.h: the scans table, its daily rollups and unique visitors,
 * and the day's visitor salt.
 */
#ifndef QRE_STORE_SCANS_H
#define QRE_STORE_SCANS_H

#include <stddef.h>

#include "db.h"
#include "page_cursor.h"
#include "scan.h"

#define VISITOR_SALT_LEN 32

/* Where a batch of scans came from: a spool file, and its bytes stored. */
struct spool_mark {
	const char *name;		/* scan_spools.name */
	long long stored;		/* bytes of the file stored with this batch */
};

/*
 * Store scans[0..n) in one transaction: the rows, the rollups of the
 * non-bot ones (per day: total, unique, country, device, os, browser,
 * referrer host), codes.scans, and (mark not NULL) how much of their
 * spool file is stored.  On failure nothing is stored.
 */
enum db_rc scans_store(struct db *, const struct scan *scans, size_t n,
    const struct spool_mark *mark);
/* Bytes of a spool file already stored (0 when it has no mark). */
enum db_rc spool_mark_get(struct db *, const char *name, long long *stored);
/* The file is gone: forget its mark. */
enum db_rc spool_mark_drop(struct db *, const char *name);
/* One stored scan as the v1 API lists it. */
struct scan_row {
	long long id;			/* with at_ms, the listing's sort key */
	long long at_ms;
	char country[3], city[SCAN_CITY_MAX * 4 + 1];
	char device[16], os[33], browser[33];
	char referrer[SCAN_REFERRER_MAX * 4 + 1];
	int has_country, has_city, has_os, has_browser, has_referrer;
	int is_bot;
};

/* A time range: [from_ms, to_ms). */
enum db_rc scans_count(struct db *, long long code_id, long long from_ms,
    long long to_ms, long long *total);
/*
 * Newest first (scanned_at, then id): limit rows after the key "after"
 * (a cursor), or when after is NULL, after skipping offset rows.
 */
enum db_rc scans_list(struct db *, long long code_id, long long from_ms,
    long long to_ms, const struct page_key *after, long long limit,
    long long offset, void (*each)(const struct scan_row *, void *),
    void *arg);

/* One rollup sum: dim ("total", "country", ...), value, day or "". */
struct stat_row {
	char dim[16];
	char value[256];
	char day[11];
	long long scans;
};
/*
 * Sums from scan_daily for days [from_day, to_day] ("YYYY-MM-DD"):
 * per dimension and value over the range (day ""), and the per-day
 * total and unique rows.
 */
enum db_rc stats_query(struct db *, long long code_id, const char *from_day,
    const char *to_day, void (*each)(const struct stat_row *, void *),
    void *arg);

/* Today's salt (made by the first worker to ask; older ones deleted). */
enum db_rc visitor_salt_today(struct db *, unsigned char salt[VISITOR_SALT_LEN]);

#endif
