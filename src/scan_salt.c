/* scan_salt.c: see scan_salt.h. */
#include "compat.h"

#include <string.h>

#include <openssl/rand.h>

#include "db.h"
#include "log.h"
#include "scan_salt.h"
#include "util.h"


void
scan_salt_init(struct scan_salt *ss)
{
	memset(ss, 0, sizeof(*ss));
	ss->day = -1;
}

int
scan_salt_get(struct scan_salt *ss, struct db *db, long long now_ms)
{
	long day = (long)(now_ms / 1000 / SECONDS_PER_DAY);

	if (ss->day == day && (!ss->local || now_ms < ss->retry_ms))
		return 0;
	if (visitor_salt_today(db, ss->key) == DB_OK) {
		ss->day = day;
		ss->local = 0;
		return 0;
	}
	ss->retry_ms = now_ms + SCAN_SALT_RETRY_MS;
	if (ss->day == day)
		return 0;	/* still the stand-in; the database is still down */
	/*
	 * The database is down and this worker has no salt for today (it
	 * started during the outage, or the day turned): a salt of its own
	 * keeps the scan, at the price of counting a visitor it shares with
	 * other workers twice.  The shared salt is fetched again next time.
	 */
	if (RAND_bytes(ss->key, VISITOR_SALT_LEN) != 1)
		return -1;
	log_warn("scans: no visitor salt from the database (%s); using this "
	    "worker's own until it is back", db_error(db));
	ss->day = day;
	ss->local = 1;
	return 0;
}
