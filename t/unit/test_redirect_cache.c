/*
 * test_redirect_cache.c: a worker's cache of short codes: a hit, a miss,
 * the ttl, a generation change, the stale read used while the database
 * is down, eviction when two codes share a slot, a cache with ttl 0.
 */
#include "compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "redirect_cache.h"
#include "tap.h"
#include "util.h"

static struct redirect_target
target(long long id, char *url)
{
	struct redirect_target t;

	memset(&t, 0, sizeof(t));
	t.found = 1;
	t.code_id = id;
	t.account_id = 9;
	t.is_active = 1;
	t.target_type = TARGET_URL;
	t.target = url;		/* the cache copies it */
	t.target_len = strlen(url);
	return t;
}

/* Two short codes that land in the same slot. */
static void
clashing_codes(char *a, char *b)
{
	static char seen[REDIRECT_CACHE_SLOTS][SHORT_CODE_LEN + 1];

	for (unsigned i = 0; i < 1000000; i++) {
		char code[SHORT_CODE_LEN + 1];
		size_t slot;

		(void)snprintf(code, sizeof(code), "c%06u", i % 1000000);
		slot = fnv1a(code) % REDIRECT_CACHE_SLOTS;
		if (seen[slot][0] != '\0') {
			memcpy(a, seen[slot], sizeof(code));
			memcpy(b, code, sizeof(code));
			return;
		}
		memcpy(seen[slot], code, sizeof(code));
	}
	abort();	/* 8192 slots: a clash comes long before */
}

int
main(void)
{
	struct redirect_cache *c = redirect_cache_new(60);
	const struct redirect_target *got;
	struct redirect_target t, missing;
	char a[SHORT_CODE_LEN + 1], b[SHORT_CODE_LEN + 1];
	static char url[32], url_b[] = "https://b.test/",
	    url_ca[] = "https://clash-a.test/", url_cb[] = "https://clash-b.test/";

	ok(c != NULL, "redirect_cache_new");
	ok(redirect_cache_get(c, "abc1234", 1, 1000) == NULL, "empty: a miss");

	strlcpy(url, "https://a.test/", sizeof(url));
	t = target(5, url);
	redirect_cache_put(c, "abc1234", 1, 1000, &t);
	url[0] = 'X';	/* the cache keeps its own copy */
	got = redirect_cache_get(c, "abc1234", 1, 1030);
	ok(got != NULL, "a hit within the ttl");
	is_int(got ? got->code_id : 0, 5, "the entry's code id");
	is_str(got ? got->target : NULL, "https://a.test/", "its own copy of "
	    "the target");
	ok(redirect_cache_get(c, "abc1235", 1, 1030) == NULL, "another code: "
	    "a miss");
	ok(redirect_cache_get(c, "abc1234", 1, 1059) != NULL, "at ttl - 1: hit");
	ok(redirect_cache_get(c, "abc1234", 1, 1060) == NULL, "at the ttl: miss");
	ok(redirect_cache_get(c, "abc1234", 1, 999) == NULL, "a clock that went "
	    "back: miss");
	ok(redirect_cache_get(c, "abc1234", 2, 1001) == NULL, "a new "
	    "generation: miss");

	got = redirect_cache_get_stale(c, "abc1234", 1);
	ok(got != NULL && got->code_id == 5, "stale: found however old");
	ok(redirect_cache_get_stale(c, "abc1234", 2) == NULL, "stale: not "
	    "under another generation");
	ok(redirect_cache_get_stale(c, "zzz", 1) == NULL, "stale: a miss");

	/* "Not found" is remembered too. */
	memset(&missing, 0, sizeof(missing));
	redirect_cache_put(c, "nope123", 1, 1000, &missing);
	got = redirect_cache_get(c, "nope123", 1, 1001);
	ok(got != NULL && !got->found && got->target == NULL,
	    "a code that does not exist is a hit with found = 0");

	/* Putting again replaces (and frees) the old target. */
	t = target(6, url_b);
	redirect_cache_put(c, "abc1234", 3, 2000, &t);
	got = redirect_cache_get(c, "abc1234", 3, 2000);
	is_str(got ? got->target : NULL, "https://b.test/", "a put replaces");

	clashing_codes(a, b);
	t = target(7, url_ca);
	redirect_cache_put(c, a, 1, 3000, &t);
	t = target(8, url_cb);
	redirect_cache_put(c, b, 1, 3000, &t);
	ok(redirect_cache_get(c, a, 1, 3000) == NULL, "%s and %s share a slot: "
	    "the first is evicted", a, b);
	got = redirect_cache_get(c, b, 1, 3000);
	is_int(got ? got->code_id : 0, 8, "the second is there");

	redirect_cache_put(c, "toolong12", 1, 3000, &t);
	ok(redirect_cache_get(c, "toolong12", 1, 3000) == NULL,
	    "a code longer than a short code is not kept");
	redirect_cache_free(c);

	c = redirect_cache_new(0);
	redirect_cache_put(c, "abc1234", 1, 1000, &t);
	ok(redirect_cache_get(c, "abc1234", 1, 1000) == NULL, "ttl 0: no cache");
	ok(redirect_cache_get_stale(c, "abc1234", 1) == NULL, "ttl 0: no stale");
	redirect_cache_free(c);
	redirect_cache_free(NULL);
	ok(redirect_cache_get(NULL, "abc1234", 1, 1000) == NULL, "NULL cache: "
	    "a miss");
	return done_testing();
}
