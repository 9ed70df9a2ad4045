/* redirect_cache.c: see redirect_cache.h. */
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "redirect_cache.h"

struct slot {
	char short_code[SHORT_CODE_LEN + 1];
	uint64_t gen;
	time_t fetched;
	struct redirect_target t;
};

struct redirect_cache {
	long ttl;
	struct slot slots[REDIRECT_CACHE_SLOTS];
};

static size_t
slot_index(const char *s)
{
	return fnv1a(s) % REDIRECT_CACHE_SLOTS;
}

struct redirect_cache *
redirect_cache_new(long ttl)
{
	struct redirect_cache *c = calloc(1, sizeof(*c));

	if (c != NULL)
		c->ttl = ttl;
	return c;
}

void
redirect_cache_free(struct redirect_cache *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < REDIRECT_CACHE_SLOTS; i++)
		free(c->slots[i].t.target);
	free(c);
}

const struct redirect_target *
redirect_cache_get(struct redirect_cache *c, const char *short_code,
    uint64_t gen, time_t now)
{
	const struct redirect_target *t = redirect_cache_get_stale(c,
	    short_code, gen);
	const struct slot *s;

	if (t == NULL)
		return NULL;
	s = &c->slots[slot_index(short_code)];
	return now - s->fetched >= c->ttl || now < s->fetched ? NULL : t;
}

const struct redirect_target *
redirect_cache_get_stale(struct redirect_cache *c, const char *short_code,
    uint64_t gen)
{
	struct slot *s;

	if (c == NULL || c->ttl <= 0)
		return NULL;
	s = &c->slots[slot_index(short_code)];
	if (strcmp(s->short_code, short_code) != 0 || s->gen != gen)
		return NULL;
	return &s->t;
}

void
redirect_cache_put(struct redirect_cache *c, const char *short_code,
    uint64_t gen, time_t now, const struct redirect_target *t)
{
	struct slot *s;
	char *copy = NULL;

	if (c == NULL || c->ttl <= 0 || strlen(short_code) > SHORT_CODE_LEN)
		return;
	if (t->target != NULL && (copy = malloc(t->target_len + 1)) == NULL)
		return;
	if (copy != NULL) {
		memcpy(copy, t->target, t->target_len);
		copy[t->target_len] = '\0';
	}
	s = &c->slots[slot_index(short_code)];
	free(s->t.target);
	memcpy(s->short_code, short_code, strlen(short_code) + 1);
	s->gen = gen;
	s->fetched = now;
	s->t = *t;
	s->t.target = copy;
}
