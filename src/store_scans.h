/*
 * store_scans.h: the scans table, its daily rollups and unique visitors,
 * and the day's visitor salt.
 */
#ifndef QRE_STORE_SCANS_H
#define QRE_STORE_SCANS_H

#include <stddef.h>

#include "db.h"
#include "scan.h"

#define VISITOR_SALT_LEN 32

/*
 * Store scans[0..n) in one transaction: the rows, the rollups of the
 * non-bot ones (per day: total, unique, country, device, os, browser,
 * referrer host) and codes.scans.  On failure nothing is stored.
 */
enum db_rc scans_store(struct db *, const struct scan *scans, size_t n);
/* Today's salt (made by the first worker to ask; older ones deleted). */
enum db_rc visitor_salt_today(struct db *, unsigned char salt[VISITOR_SALT_LEN]);

#endif
