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
#define SCAN_PUBLIC_ID_LEN 16			/* CODE_ID_LEN */
#define SCAN_SHORT_CODE_LEN 7			/* SHORT_CODE_LEN */

struct scan {
	long long code_id;
	long long account_id;
	/* The code's public names, for a webhook should it be deleted first. */
	char public_id[SCAN_PUBLIC_ID_LEN + 1];
	char short_code[SCAN_SHORT_CODE_LEN + 1];
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
