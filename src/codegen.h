/*
 * codegen.h: change counters that every worker of one qre-fcgi sees.
 * The master maps them (shared, anonymous) before it forks; a worker
 * that changes, creates or deletes a code bumps the counter of its short
 * code's bucket after the commit, and a worker's redirect cache trusts an
 * entry only while that counter is what it was when the entry was read.
 * So a destination change is seen by the very next request everywhere,
 * without a database read per redirect.
 *
 * Without codegen_init() (qre-admin, tests) every read returns a fresh
 * value, which makes every cache entry stale: safe, just uncached.
 */
#ifndef QRE_CODEGEN_H
#define QRE_CODEGEN_H

#include <stdint.h>

#define CODEGEN_BUCKETS 65536	/* 512 KiB of counters */

/* Map the counters; -1 on failure (then nothing is cached). */
int codegen_init(void);
/* The counter of short_code's bucket. */
uint64_t codegen_read(const char *short_code);
/* Bump it: call after the change is committed. */
void codegen_bump(const char *short_code);

#endif
