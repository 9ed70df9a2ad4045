/*
 * scan_salt.h: a worker's copy of the day's visitor salt, under which a
 * scan's visitor hash is taken (redirect.c).  The salt is the database's
 * (store_scans.c: visitor_salt_today), fetched once per UTC day; while
 * the database is down a worker without it uses a random one of its own,
 * and asks the database again every SCAN_SALT_RETRY_MS.
 */
#ifndef QRE_SCAN_SALT_H
#define QRE_SCAN_SALT_H

#include "store_scans.h"

#define SCAN_SALT_RETRY_MS 1000	/* a stand-in salt asks the database this often */

struct scan_salt {
	unsigned char key[VISITOR_SALT_LEN];	/* today's visitor salt */
	long day;			/* its day number, -1 before the first */
	int local;			/* a stand-in while the database is down */
	long long retry_ms;		/* when to ask the database again */
};

void scan_salt_init(struct scan_salt *);
/* Make ss->key the salt of now_ms's day; -1 when there is none at all. */
int scan_salt_get(struct scan_salt *ss, struct db *db, long long now_ms);

#endif
