/*
 * scan.h: one scan of a dynamic code, as the redirect records it.  No
 * address: only a keyed hash of (address, User-Agent) under the day's
 * salt, good for counting that day's unique visitors and nothing else.
 */
#ifndef QRE_SCAN_H
#define QRE_SCAN_H

#include "useragent.h"

#define SCAN_REFERRER_MAX 1024		/* bytes kept of a Referer */
#define SCAN_CITY_MAX 100
#define VISITOR_HASH_LEN 16

struct scan {
	long long code_id;
	long long account_id;
	long long at_ms;			/* Unix time in milliseconds */
	char country[3];			/* "" when unknown */
	char city[SCAN_CITY_MAX + 1];		/* "" unless configured */
	enum ua_device device;
	const char *os, *browser;		/* static strings or NULL */
	char referrer[SCAN_REFERRER_MAX + 1];	/* "" when none */
	int is_bot;
	unsigned char visitor[VISITOR_HASH_LEN];
};

#endif
