/*
 * sender.h: the webhook sender's machinery, for qre-webhooks.  One run:
 * turn new events into deliveries, send each endpoint's oldest due
 * delivery (one in flight per endpoint keeps its order) concurrently
 * with the libcurl multi interface, record every attempt, and poll
 * again at once while there is work, else after a second.  All of its
 * state is in struct sender.
 *
 * The caller holds the lock SENDER_LOCK (db_lock_get) on the same
 * connection before sender_run(), which checks every round that it
 * still does, and ends the run when it does not.
 */
#ifndef QRE_SENDER_H
#define QRE_SENDER_H

#include <signal.h>

#include "config.h"
#include "db.h"

#define SENDER_LOCK "qre_webhooks"	/* one sender at a time, all hosts */

struct sender;

/*
 * A sender on db for cfg (both must outlive it) that stops starting
 * calls once *stopping is set; the run ends webhook_run_seconds from
 * now, less a call's timeout.  NULL when out of memory.
 */
struct sender *sender_new(struct db *db, const struct qre_config *cfg,
    const volatile sig_atomic_t *stopping);
/* NULL-safe; the calls must have been drained. */
void sender_free(struct sender *);
/* Retention: what no endpoint needs any more, a bounded amount per run. */
void sender_prune(struct sender *);
/*
 * Poll, package and send until the run's end, *stopping or a lost lock;
 * with once, a single round (after waiting for the scan watermark).
 */
void sender_run(struct sender *, int once);
/* No new call starts; those in flight finish and are recorded. */
void sender_drain(struct sender *);

#endif
