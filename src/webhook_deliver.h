/*
 * webhook_deliver.h: turning events into deliveries, and what an attempt
 * means for a delivery and its endpoint.  qre-webhooks sends; the API
 * only queues a test ping here for it.
 */
#ifndef QRE_WEBHOOK_DELIVER_H
#define QRE_WEBHOOK_DELIVER_H

#include <time.h>

#include "config.h"
#include "db.h"
#include "store_webhooks.h"
#include "webhook_http.h"

/* 1 if the endpoint subscribed to type ("scan", "code.created", ...). */
int webhook_wants(const struct webhook *w, const char *type);
/*
 * Make deliveries of what lies past w's cursors (one per lifecycle
 * event, scans in batches of webhook_batch) and move the cursors, in one
 * transaction.  Scans are taken up to the id scan_mark (see
 * qre-webhooks' scan_watermark()).  *made says how many.
 */
enum db_rc webhook_package(struct db *, const struct qre_config *,
    struct webhook *w, long long scan_mark, int *made);
/* The body of a test ping to w (malloc'd; NULL when out of memory). */
char *webhook_ping_body(const struct webhook *w, long long now_ms,
    size_t *len);
/*
 * Record an attempt (a 2xx that deliveries_acknowledged() recorded
 * already, acknowledged set, only gets its log row): a test ping is tried once and leaves the endpoint's
 * health alone; otherwise 2xx delivered; 410 failed and the endpoint
 * disabled; anything else tried again after retry_delay(), and the
 * endpoint disabled once it has failed for webhook_disable_after_hours
 * (its deliveries are kept).
 */
enum db_rc webhook_settle(struct db *, const struct qre_config *,
    struct webhook *w, const struct delivery *d,
    const struct webhook_outcome *o, time_t now, int acknowledged);

#endif
