/*
 * store_webhooks.h: endpoints, the lifecycle event outbox, deliveries and
 * their attempts.  See schema/003_webhooks.sql for how they fit.
 */
#ifndef QRE_STORE_WEBHOOKS_H
#define QRE_STORE_WEBHOOKS_H

#include <time.h>

#include "db.h"
#include "ids.h"
#include "page_cursor.h"
#include "scan.h"
#include "store_scans.h"
#include "webhook_sign.h"

#define WEBHOOK_URL_MAX 2048
#define WEBHOOK_EVENTS_BUF 64		/* "scan,code.created,code.updated,code.deleted" */
#define DELIVERY_ERROR_MAX 255
#define WEBHOOKS_PER_ACCOUNT 25		/* endpoints one account may have */

struct webhook {
	long long id;
	char public_id[CODE_ID_LEN + 1];
	long long account_id;
	char url[WEBHOOK_URL_MAX + 1];
	char events[WEBHOOK_EVENTS_BUF];
	char secret[WEBHOOK_SECRET_MAX + 1];
	char previous_secret[WEBHOOK_SECRET_MAX + 1];	/* "" when none */
	time_t previous_until;
	int is_active;
	char disabled_reason[201];
	time_t failing_since;			/* 0 when not failing */
	long long event_cursor, scan_cursor;
	time_t created_at, updated_at;
};

struct delivery {
	long long id;
	char public_id[CODE_ID_LEN + 1];
	long long webhook_id;
	char event[16];
	long long items;
	char *body;				/* malloc'd by the fetch */
	size_t body_len;
	char status[12];
	long long attempts;
	time_t next_attempt_at, created_at;
	long long last_code;			/* 0 when none */
	char last_error[DELIVERY_ERROR_MAX + 1];
};

/* One attempt as the deliveries log shows it. */
struct attempt_row {
	long long id;				/* the listing's sort key */
	char delivery_id[CODE_ID_LEN + 1];
	char event[16];
	char status[12];
	long long items, attempts;
	time_t attempted_at;
	long long response_code;		/* -1 when none */
	char error[DELIVERY_ERROR_MAX + 1];
	long long duration_ms;
};

/*
 * New endpoint: its cursors start at what exists now.  *full is set, and
 * nothing stored, when w->account_id has WEBHOOKS_PER_ACCOUNT endpoints
 * (counted under a lock on the account row, so parallel creates cannot
 * pass the limit).
 */
enum db_rc webhook_insert(struct db *, struct webhook *w, int *full);
enum db_rc webhook_get(struct db *, long long account_id, const char *public_id,
    struct webhook *w, int *found);
/* account_id 0: every active endpoint (the sender). */
enum db_rc webhook_list(struct db *, long long account_id,
    void (*each)(const struct webhook *, void *), void *arg);
/* url, events, secrets, is_active, disabled_reason, failing_since. */
enum db_rc webhook_update(struct db *, const struct webhook *w);
/*
 * What the sender learns about an endpoint: failing since (0: not
 * failing), or disabled (is_active 0 with a reason).  Never re-enables.
 */
enum db_rc webhook_set_health(struct db *, long long webhook_id, int is_active,
    const char *disabled_reason, time_t failing_since);
/* Scans from now on only (an endpoint that has just subscribed to scan). */
enum db_rc webhook_scans_from_now(struct db *, long long webhook_id);
enum db_rc webhook_delete(struct db *, long long account_id,
    const char *public_id, int *found);

/*
 * Record a lifecycle event (in the caller's transaction) when one of the
 * account's endpoints wants that type.
 */
enum db_rc event_add(struct db *, long long account_id, const char *type,
    const char *payload, size_t len);

/*
 * A code is being deleted (in the caller's transaction): its scans that
 * some scan endpoint of the account has not passed yet become one "scan"
 * event: {"cursors": {"<webhook id>": scan cursor, ...}, "items": [...]},
 * each item carrying its scan id; an endpoint sends the items past its
 * own cursor as it stood at the delete.
 */
enum db_rc event_add_code_scans(struct db *, long long account_id,
    long long code_id);
/*
 * Lock an endpoint's row for the caller's transaction: its cursors move
 * only under this lock, so a code's delete sees them settled.
 */
enum db_rc webhook_lock(struct db *, long long webhook_id);

/* Rows past a cursor, for the sender (oldest first, settled ones only). */
struct event_row {
	long long id;
	char type[16];
	char *payload;			/* valid during the callback */
	size_t len;
	long long created_ms;		/* Unix time in milliseconds */
};
struct scan_event_row {
	long long id;
	char public_id[CODE_ID_LEN + 1], short_code[SHORT_CODE_LEN + 1];
	struct scan_row scan;		/* as the v1 API lists it */
};
enum db_rc events_after(struct db *, long long account_id, long long cursor,
    long long limit, void (*each)(const struct event_row *, void *), void *arg);
enum db_rc scan_events_after(struct db *, long long account_id,
    long long cursor, long long upto, long long limit,
    void (*each)(const struct scan_event_row *, void *), void *arg);

/* The highest scan id there is (0 when none). */
enum db_rc scans_max_id(struct db *, long long *max_id);
/* Make every pending delivery of the endpoint due now (re-enabled). */
enum db_rc deliveries_due_now(struct db *, long long webhook_id);
/*
 * A new delivery in state status: "pending" (the sender's), or "failed"
 * for a test ping that the API sends itself and settles afterwards, so
 * that the sender never picks it up.
 */
enum db_rc delivery_insert(struct db *, long long webhook_id, const char *event,
    long long items, const char *body, size_t len, const char *status,
    struct delivery *out);
enum db_rc webhook_set_cursors(struct db *, long long webhook_id,
    long long event_cursor, long long scan_cursor);
enum db_rc deliveries_pending(struct db *, long long webhook_id,
    long long *count);
/*
 * The endpoint's next pending delivery (its body malloc'd): a test ping
 * first, then the oldest; with pings_only, a ping or nothing (an endpoint
 * that is switched off can still be tested).
 */
enum db_rc delivery_head(struct db *, long long webhook_id, int pings_only,
    struct delivery *d, int *found);

/* One delivery as a client polls it (a test ping's outcome). */
struct delivery_state {
	char public_id[CODE_ID_LEN + 1];
	char event[16];
	char status[12];			/* pending, delivered, failed */
	long long attempts;
	long long last_code;			/* 0 when none */
	char last_error[DELIVERY_ERROR_MAX + 1];
	long long duration_ms;			/* of the last attempt; -1 none */
	time_t created_at;
};
enum db_rc delivery_get(struct db *, long long webhook_id,
    const char *public_id, struct delivery_state *st, int *found);
void delivery_free_body(struct delivery *);
/* A receiver's 2xx for a delivery: its status code and the call's time. */
struct delivery_ack {
	long long id, code, duration_ms;
};
/*
 * Mark these pending deliveries delivered (with their code and time), in
 * one statement: the first thing the sender writes once receivers have
 * answered 2xx; their log rows follow (delivery_attempt_log()).
 */
enum db_rc deliveries_acknowledged(struct db *, const struct delivery_ack *,
    size_t n);
/* An attempt's row in the delivery log. */
enum db_rc delivery_attempt_log(struct db *, const struct delivery *d,
    long long response_code, const char *error, long long duration_ms);
/*
 * After an attempt: log it, then set the delivery's status ("delivered",
 * "pending" with next_attempt_at, or "failed"); in the caller's
 * transaction if it has one.
 */
enum db_rc delivery_attempted(struct db *, const struct delivery *d,
    const char *status, time_t next_attempt_at, long long response_code,
    const char *error, long long duration_ms);
/*
 * The endpoint's attempts, newest first (by id): limit of them after
 * the key "after" (a cursor), or when after is NULL, after skipping
 * offset of them.
 */
enum db_rc delivery_attempts_list(struct db *, long long webhook_id,
    const struct page_key *after, long long limit, long long offset,
    void (*each)(const struct attempt_row *, void *), void *arg);
enum db_rc delivery_attempts_count(struct db *, long long webhook_id,
    long long *total);
/*
 * Make a delivery of the endpoint due now.  *state: 0 no such delivery,
 * 1 queued, 2 already acknowledged (never sent twice).
 */
enum db_rc delivery_retry(struct db *, long long webhook_id,
    const char *public_id, int *state);

#endif
