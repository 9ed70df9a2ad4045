/*
 * redirect_cache.h: a worker's memory of short codes it has looked up
 * (found or not), so that a redirect needs no database read.  An entry
 * is trusted only while its codegen counter is unchanged (a change made
 * through any worker of this qre-fcgi) and for at most ttl seconds (a
 * change made elsewhere: another host, or by hand in SQL).
 */
#ifndef QRE_REDIRECT_CACHE_H
#define QRE_REDIRECT_CACHE_H

#include <stdint.h>
#include <time.h>

#include "store_codes.h"

#define REDIRECT_CACHE_SLOTS 8192	/* direct-mapped; a clash evicts */

struct redirect_target {
	int found;
	long long code_id;
	long long account_id;
	char public_id[CODE_ID_LEN + 1];
	int is_active;
	enum code_target target_type;
	char *target;			/* owned by the cache */
	size_t target_len;
};

struct redirect_cache;

struct redirect_cache *redirect_cache_new(long ttl);
void redirect_cache_free(struct redirect_cache *);
/* The entry for short_code if still valid under gen, else NULL. */
const struct redirect_target *redirect_cache_get(struct redirect_cache *,
    const char *short_code, uint64_t gen, time_t now);
/*
 * The entry for short_code under gen however old: what a redirect answers
 * while the database is down (nothing was changed through this host).
 */
const struct redirect_target *redirect_cache_get_stale(
    struct redirect_cache *, const char *short_code, uint64_t gen);
/* Remember t (its target is copied) as read under gen. */
void redirect_cache_put(struct redirect_cache *, const char *short_code,
    uint64_t gen, time_t now, const struct redirect_target *t);

#endif
