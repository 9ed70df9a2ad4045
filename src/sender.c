/* sender.c: see sender.h. */
#include "util.h"
#include "compat.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "config.h"
#include "db.h"
#include "log.h"
#include "sender.h"
#include "store_webhooks.h"
#include "webhook_deliver.h"
#include "webhook_http.h"

#define POLL_MS 1000			/* wait between idle rounds */
#define ROUND_MS 250			/* a round drives calls this long at most */
#define POLL_SLICE_MS 50		/* one wait for socket activity */
#define WEBHOOKS_MAX 4096		/* endpoints handled per round */
#define SETTLE_MS 2000			/* see scan_watermark() */
#define WATERMARKS 64			/* rounds of max-id history kept */
#define RETENTION_DAYS "30"		/* finished deliveries kept this long */
#define PRUNE_ROWS "10000"		/* rows deleted per run at most */

/*
 * One call in flight, with its own copy of its endpoint: the list is
 * read again every round, and a call may outlive several rounds.
 */
struct sender_job {
	struct webhook_call call;
	struct webhook w;
	struct delivery d;
	int busy;
};

struct sender {
	struct db *db;
	const struct qre_config *cfg;
	struct webhook_call_limits limits;
	const volatile sig_atomic_t *stopping;
	long long deadline;		/* CLOCK_MONOTONIC ms: the run ends */
	/* This round's endpoints, read again every round. */
	struct webhook *hooks;
	size_t nhooks;
	/* Calls in flight across rounds: at most one per endpoint. */
	CURLM *multi;
	struct sender_job *jobs;
	size_t njobs;
	int inflight;
	/* finish_calls()' scratch: the calls that ended, and how. */
	struct sender_job **done;
	struct webhook_outcome *outcomes;
	struct delivery_ack *acked;	/* those answered 2xx */
	/* scan_watermark()'s history of max ids, a ring. */
	struct { long long at_ms, max_id; } seen[WATERMARKS];
	size_t nseen;
};

struct sender *
sender_new(struct db *db, const struct qre_config *cfg,
    const volatile sig_atomic_t *stopping)
{
	struct sender *s;
	size_t n = (size_t)cfg->webhook_concurrency;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->db = db;
	s->cfg = cfg;
	s->limits.allow_cidrs = cfg->webhook_allow_cidrs;
	s->limits.connect_timeout_ms = cfg->webhook_connect_timeout_ms;
	s->limits.timeout_ms = cfg->webhook_timeout_ms;
	s->stopping = stopping;
	if ((s->hooks = calloc(WEBHOOKS_MAX, sizeof(*s->hooks))) == NULL ||
	    (s->multi = curl_multi_init()) == NULL ||
	    (s->jobs = calloc(n, sizeof(*s->jobs))) == NULL ||
	    (s->done = calloc(n, sizeof(*s->done))) == NULL ||
	    (s->outcomes = calloc(n, sizeof(*s->outcomes))) == NULL ||
	    (s->acked = calloc(n, sizeof(*s->acked))) == NULL)
		goto fail;
	s->njobs = n;
	/* The last round must end before cron starts the next run. */
	s->deadline = clock_ms(CLOCK_MONOTONIC) +
	    cfg->webhook_run_seconds * 1000L - cfg->webhook_timeout_ms;
	return s;
fail:
	sender_free(s);
	return NULL;
}

void
sender_free(struct sender *s)
{
	if (s == NULL)
		return;
	if (s->multi != NULL)
		curl_multi_cleanup(s->multi);
	free(s->hooks);
	free(s->jobs);
	free(s->done);
	free(s->outcomes);
	free(s->acked);
	free(s);
}

static void
collect(const struct webhook *w, void *arg)
{
	struct sender *s = arg;

	if (s->nhooks < WEBHOOKS_MAX)
		s->hooks[s->nhooks++] = *w;
}

static int
endpoint_busy(const struct sender *s, long long webhook_id)
{
	for (size_t i = 0; i < s->njobs; i++)
		if (s->jobs[i].busy && s->jobs[i].w.id == webhook_id)
			return 1;
	return 0;
}

static struct sender_job *
free_job(struct sender *s)
{
	for (size_t i = 0; i < s->njobs; i++)
		if (!s->jobs[i].busy)
			return &s->jobs[i];
	return NULL;
}

/* Start w's oldest due delivery in j; 1 started, 0 none. */
static int
start_head(struct sender *s, struct sender_job *j, const struct webhook *w,
    time_t now)
{
	struct webhook_outcome o = { 0 };
	char why[512];
	int found = 0;

	if (delivery_head(s->db, w->id, !w->is_active, &j->d, &found) !=
	    DB_OK || !found)
		return 0;
	if (j->d.next_attempt_at > now) {
		delivery_free_body(&j->d);
		return 0;
	}
	j->w = *w;
	/*
	 * A test ping goes where the endpoint points now: someone may have
	 * changed it after this round read the endpoints, and is waiting.
	 */
	if (strcmp(j->d.event, "ping") == 0 && (webhook_get(s->db,
	    w->account_id, w->public_id, &j->w, &found) != DB_OK || !found)) {
		delivery_free_body(&j->d);
		return 0;
	}
	if (webhook_call_init(&j->call, &s->limits, &j->w, &j->d, why,
	    sizeof(why)) == -1) {
		/* Refused before sending (e.g. SSRF): a failed attempt. */
		strlcpy(o.error, why, sizeof(o.error));
		webhook_settle(s->db, s->cfg, &j->w, &j->d, &o, now, 0);
		delivery_free_body(&j->d);
		return 0;
	}
	curl_easy_setopt(j->call.easy, CURLOPT_PRIVATE, j);
	curl_multi_add_handle(s->multi, j->call.easy);
	j->busy = 1;
	s->inflight++;
	return 1;
}

/*
 * Record every call that has finished, all in one transaction and before
 * anything else is done, so that the time between a receiver's answer
 * and its record (when a kill -9 would send it again) stays as short as
 * the database allows; then start each endpoint's next after a 2xx.
 */
static int
finish_calls(struct sender *s, int *started)
{
	struct webhook_outcome *outs = s->outcomes;
	struct sender_job **done = s->done;
	struct delivery_ack *acked = s->acked;
	CURLMsg *m;
	size_t n = 0, nacked = 0;
	int left, began, recorded;

	*started = 0;
	while (n < s->njobs &&
	    (m = curl_multi_info_read(s->multi, &left)) != NULL) {
		struct sender_job *j;

		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &j);
		webhook_call_outcome(&j->call, m->data.result, &outs[n]);
		done[n++] = j;
	}
	if (n == 0)
		return 0;
	/* What receivers acknowledged goes in one statement, first of all. */
	for (size_t i = 0; i < n; i++)
		if (outs[i].ok) {
			acked[nacked].id = done[i]->d.id;
			acked[nacked].code = outs[i].code;
			acked[nacked++].duration_ms = outs[i].duration_ms;
		}
	recorded = deliveries_acknowledged(s->db, acked, nacked) == DB_OK;
	if (!recorded)
		log_err("webhooks: recording %zu acknowledged deliveries: %s",
		    nacked, db_error(s->db));
	/* The rest of what the calls mean, together. */
	began = db_begin(s->db) == DB_OK;
	for (size_t i = 0; i < n; i++)
		if (webhook_settle(s->db, s->cfg, &done[i]->w, &done[i]->d,
		    &outs[i], time(NULL), recorded) != DB_OK)
			log_err("webhooks: recording delivery %s: %s",
			    done[i]->d.public_id, db_error(s->db));
	if (began && db_commit(s->db) != DB_OK)
		log_err("webhooks: recording %zu deliveries: %s", n,
		    db_error(s->db));
	for (size_t i = 0; i < n; i++) {
		struct sender_job *j = done[i];
		struct webhook w;

		curl_multi_remove_handle(s->multi, j->call.easy);
		webhook_call_free(&j->call);
		delivery_free_body(&j->d);
		j->busy = 0;
		s->inflight--;
		/* The endpoint's next delivery keeps its order and goes now. */
		w = j->w;
		if (outs[i].ok && !*s->stopping && start_head(s, j, &w,
		    time(NULL)))
			(*started)++;
	}
	return (int)n;
}

/*
 * Between other database work: let curl read what has arrived and record
 * finished calls at once, without waiting.
 */
static int
pump(struct sender *s)
{
	int running = 0, started;

	if (s->inflight == 0)
		return 0;
	curl_multi_perform(s->multi, &running);
	return finish_calls(s, &started);
}

/*
 * Start the due deliveries of every idle endpoint, then drive the calls
 * for up to ROUND_MS: a slow receiver holds up only its own endpoint.
 * Returns how many calls finished.
 */
static int
send_round(struct sender *s)
{
	long long until = clock_ms(CLOCK_MONOTONIC) + ROUND_MS;
	int running = 0, done = 0, started;

	for (size_t i = 0; i < s->nhooks && !*s->stopping; i++) {
		struct sender_job *j;

		if (s->inflight >= s->cfg->webhook_concurrency)
			break;
		if (endpoint_busy(s, s->hooks[i].id) ||
		    (j = free_job(s)) == NULL)
			continue;
		start_head(s, j, &s->hooks[i], time(NULL));
	}
	while (s->inflight > 0 && clock_ms(CLOCK_MONOTONIC) < until) {
		curl_multi_perform(s->multi, &running);
		done += finish_calls(s, &started);
		/* A new handle has no socket to wait on yet: start it first. */
		if (s->inflight > 0 && started == 0)
			curl_multi_poll(s->multi, NULL, 0, POLL_SLICE_MS, NULL);
	}
	return done;
}

void
sender_drain(struct sender *s)
{
	int running = 0, started;

	while (s->inflight > 0) {
		curl_multi_perform(s->multi, &running);
		finish_calls(s, &started);
		if (s->inflight > 0)
			curl_multi_poll(s->multi, NULL, 0, POLL_SLICE_MS, NULL);
	}
}

/*
 * The lock belongs to the database session: check every round that this
 * session still holds it, which a silent reconnect would have lost, and
 * take it again if no one else has.  1 held, 0 another holds it, -1 an
 * error.
 */
static int
lock_check(struct sender *s)
{
	int held;

	if ((held = db_lock_held(s->db, SENDER_LOCK)) != 0)
		return held;
	return db_lock_get(s->db, SENDER_LOCK, 0);
}

/*
 * The highest scan id that was visible at least SETTLE_MS ago: ids are
 * taken at insert and seen at commit, so a smaller id may still appear
 * for a moment after a larger one; past this mark none can.
 */
static long long
scan_watermark(struct sender *s)
{
	long long now = clock_ms(CLOCK_MONOTONIC), mark = 0, max_id = 0;

	if (scans_max_id(s->db, &max_id) == DB_OK) {
		s->seen[s->nseen % WATERMARKS].at_ms = now;
		s->seen[s->nseen % WATERMARKS].max_id = max_id;
		s->nseen++;
	}
	for (size_t i = 0; i < WATERMARKS && i < s->nseen; i++)
		if (now - s->seen[i].at_ms >= SETTLE_MS &&
		    s->seen[i].max_id > mark)
			mark = s->seen[i].max_id;
	return mark;
}

void
sender_prune(struct sender *s)
{
	static const char *const sqls[] = {
		"DELETE FROM deliveries WHERE status <> 'pending' AND "
		    "updated_at < UTC_TIMESTAMP() - INTERVAL " RETENTION_DAYS
		    " DAY LIMIT " PRUNE_ROWS,
		"DELETE FROM events WHERE created_at < UTC_TIMESTAMP() - "
		    "INTERVAL 1 DAY AND id <= (SELECT COALESCE(MIN(event_cursor), "
		    "(SELECT MAX(id) FROM events)) FROM webhooks) LIMIT " PRUNE_ROWS,
	};

	for (size_t i = 0; i < QRE_NELEM(sqls); i++)
		if (db_exec(s->db, sqls[i], NULL, 0, NULL, NULL) != DB_OK)
			log_warn("webhooks: pruning: %s", db_error(s->db));
}

/* Package every endpoint's new events, pumping answers in between. */
static int
package_all(struct sender *s)
{
	long long mark;
	int work = 0, made;

	work += pump(s);
	mark = scan_watermark(s);
	for (size_t i = 0; i < s->nhooks && !*s->stopping; i++) {
		if (webhook_package(s->db, s->cfg, &s->hooks[i], mark,
		    &made) == DB_OK)
			work += made;
		else
			log_warn("webhooks: packaging for %s: %s",
			    s->hooks[i].public_id, db_error(s->db));
		work += pump(s);
	}
	return work;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

void
sender_run(struct sender *s, int once)
{
	int locked, work;

	if (once) {
		/* One round: the scan watermark needs one sample SETTLE_MS old. */
		scan_watermark(s);
		sleep_ms(SETTLE_MS);
	}
	while (!*s->stopping && clock_ms(CLOCK_MONOTONIC) < s->deadline) {
		db_request_begin(s->db);
		if ((locked = lock_check(s)) != 1) {
			log_warn("webhooks: the lock is lost (%s); ending the run",
			    locked == 0 ? "another run holds it" :
			    db_error(s->db));
			break;
		}
		s->nhooks = 0;
		if (webhook_list(s->db, 0, collect, s) != DB_OK) {
			log_warn("webhooks: %s", db_error(s->db));
			if (once)
				break;
			sleep(1);
			continue;
		}
		if (s->nhooks == WEBHOOKS_MAX)
			log_warn("webhooks: more than %d active endpoints; the "
			    "newest wait", WEBHOOKS_MAX);
		work = package_all(s);
		if (!*s->stopping)
			work += send_round(s);
		if (once && s->inflight == 0)
			break;
		if (work == 0 && s->inflight == 0 && !*s->stopping)
			sleep_ms(POLL_MS);
	}
}
