/*
 * useragent.h: what kind of client scanned a code, from its User-Agent,
 * by three ordered tables (bots, operating systems, browsers): the first
 * row whose token occurs in the string wins.  Link-preview fetchers and
 * crawlers are bots: their scans are kept but flagged and not counted.
 */
#ifndef QRE_USERAGENT_H
#define QRE_USERAGENT_H

#include <stddef.h>

#define UA_CACHE_SLOTS 256
#define UA_CACHE_LEN_MAX 512	/* longer strings are classified each time */

enum ua_device { UA_DESKTOP, UA_MOBILE, UA_TABLET, UA_BOT };

struct ua_info {
	enum ua_device device;
	const char *os;		/* "iOS", "Android", ...; NULL when unknown */
	const char *browser;	/* "Safari", "Chrome", ...; or the bot's name */
	int is_bot;
};

void ua_classify(const char *ua, struct ua_info *out);
/*
 * The same through a small per-process memory of recent strings: a
 * code's scanners share a handful of User-Agents, and matching ~100
 * tokens costs more than the lookup.
 */
void ua_classify_cached(const char *ua, struct ua_info *out);
const char *ua_device_name(enum ua_device);

#endif
