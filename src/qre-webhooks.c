/*
 * qre-webhooks: the webhook sender, started by cron every minute.
 *
 * It takes a database-level lock (GET_LOCK), so that overlapping runs
 * and several hosts never send the same delivery twice, then for about
 * webhook_run_seconds: turns new events into deliveries, sends each
 * endpoint's oldest due delivery (one in flight per endpoint keeps its
 * order) concurrently with the libcurl multi interface, records every
 * attempt, and polls again at once while there is work, else after a
 * second.  SIGTERM ends the run after the calls in flight; a call cut
 * short stays pending and is sent by the next run (receivers tell
 * repeats apart by webhook-id).
 */
#include "util.h"
#include "compat.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "config.h"
#include "db.h"
#include "log.h"
#include "store_webhooks.h"
#include "webhook_deliver.h"
#include "webhook_http.h"

#define POLL_MS 1000			/* wait between idle rounds */
#define ROUND_MS 250			/* a round drives calls this long at most */
#define POLL_SLICE_MS 50		/* one wait for socket activity */
#define WEBHOOKS_MAX 4096		/* endpoints handled per round */
#define LOCK_NAME "qre_webhooks"
#define SETTLE_MS 2000			/* see scan_watermark() */
#define WATERMARKS 64			/* rounds of max-id history kept */
#define RETENTION_DAYS "30"		/* finished deliveries kept this long */
#define PRUNE_ROWS "10000"		/* rows deleted per run at most */

static volatile sig_atomic_t stopping;

static void
on_stop(int sig)
{
	(void)sig;
	stopping = 1;
}

struct round {
	struct webhook *hooks;
	size_t n;
};

static void
collect(const struct webhook *w, void *arg)
{
	struct round *r = arg;

	if (r->n < WEBHOOKS_MAX)
		r->hooks[r->n++] = *w;
}

/*
 * One call in flight, with its own copy of its endpoint: the list is
 * read again every round, and a call may outlive several rounds.
 */
struct job {
	struct webhook_call call;
	struct webhook w;
	struct delivery d;
	int busy;
};

/* Calls in flight across rounds: at most one per endpoint. */
struct flight {
	CURLM *multi;
	struct job *jobs;
	size_t njobs;
	int inflight;
	/* finish_calls()' scratch: the calls that ended, and how. */
	struct job **done;
	struct webhook_outcome *outcomes;
	long long *acked;		/* their delivery ids, when 2xx */
};

static int
endpoint_busy(const struct flight *f, long long webhook_id)
{
	for (size_t i = 0; i < f->njobs; i++)
		if (f->jobs[i].busy && f->jobs[i].w.id == webhook_id)
			return 1;
	return 0;
}

static struct job *
free_job(struct flight *f)
{
	for (size_t i = 0; i < f->njobs; i++)
		if (!f->jobs[i].busy)
			return &f->jobs[i];
	return NULL;
}

/* Start w's oldest due delivery in j; 1 started, 0 none. */
static int
start_head(struct db *db, const struct qre_config *cfg, struct flight *f,
    struct job *j, const struct webhook *w, time_t now)
{
	struct webhook_call_limits lim = { cfg->webhook_allow_cidrs,
	    cfg->webhook_connect_timeout_ms, cfg->webhook_timeout_ms };
	struct webhook_outcome o = { 0 };
	char why[512];
	int found = 0;

	if (delivery_head(db, w->id, !w->is_active, &j->d, &found) != DB_OK ||
	    !found)
		return 0;
	if (j->d.next_attempt_at > now) {
		delivery_free_body(&j->d);
		return 0;
	}
	j->w = *w;
	if (webhook_call_init(&j->call, &lim, &j->w, &j->d, why,
	    sizeof(why)) == -1) {
		/* Refused before sending (e.g. SSRF): a failed attempt. */
		strlcpy(o.error, why, sizeof(o.error));
		webhook_settle(db, cfg, &j->w, &j->d, &o, now);
		delivery_free_body(&j->d);
		return 0;
	}
	curl_easy_setopt(j->call.easy, CURLOPT_PRIVATE, j);
	curl_multi_add_handle(f->multi, j->call.easy);
	j->busy = 1;
	f->inflight++;
	return 1;
}

/*
 * Record every call that has finished, all in one transaction and before
 * anything else is done, so that the time between a receiver's answer
 * and its record (when a kill -9 would send it again) stays as short as
 * the database allows; then start each endpoint's next after a 2xx.
 */
static int
finish_calls(struct db *db, const struct qre_config *cfg, struct flight *f,
    int *started)
{
	struct webhook_outcome *outs = f->outcomes;
	struct job **done = f->done;
	long long *acked = f->acked;
	CURLMsg *m;
	size_t n = 0, nacked = 0;
	int left, began;

	*started = 0;
	while (n < f->njobs &&
	    (m = curl_multi_info_read(f->multi, &left)) != NULL) {
		struct job *j;

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
		if (outs[i].ok)
			acked[nacked++] = done[i]->d.id;
	if (deliveries_acknowledged(db, acked, nacked) != DB_OK)
		log_err("webhooks: recording %zu acknowledged deliveries: %s",
		    nacked, db_error(db));
	began = n > 1 && db_begin(db) == DB_OK;
	for (size_t i = 0; i < n; i++)
		if (webhook_settle(db, cfg, &done[i]->w, &done[i]->d, &outs[i],
		    time(NULL)) != DB_OK)
			log_err("webhooks: recording delivery %s: %s",
			    done[i]->d.public_id, db_error(db));
	if (began && db_commit(db) != DB_OK)
		log_err("webhooks: recording %zu deliveries: %s", n,
		    db_error(db));
	for (size_t i = 0; i < n; i++) {
		struct job *j = done[i];
		struct webhook w;

		curl_multi_remove_handle(f->multi, j->call.easy);
		webhook_call_free(&j->call);
		delivery_free_body(&j->d);
		j->busy = 0;
		f->inflight--;
		/* The endpoint's next delivery keeps its order and goes now. */
		w = j->w;
		if (outs[i].ok && !stopping && start_head(db, cfg, f, j, &w,
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
pump(struct db *db, const struct qre_config *cfg, struct flight *f)
{
	int running = 0, started;

	if (f->inflight == 0)
		return 0;
	curl_multi_perform(f->multi, &running);
	return finish_calls(db, cfg, f, &started);
}

/*
 * Start the due deliveries of every idle endpoint, then drive the calls
 * for up to ROUND_MS: a slow receiver holds up only its own endpoint.
 * Returns how many calls finished.
 */
static int
send_round(struct db *db, const struct qre_config *cfg, struct flight *f,
    struct round *r)
{
	long long until = clock_ms(CLOCK_MONOTONIC) + ROUND_MS;
	int running = 0, done = 0, started;

	for (size_t i = 0; i < r->n && !stopping; i++) {
		struct job *j;

		if (f->inflight >= cfg->webhook_concurrency)
			break;
		if (endpoint_busy(f, r->hooks[i].id) || (j = free_job(f)) == NULL)
			continue;
		start_head(db, cfg, f, j, &r->hooks[i], time(NULL));
	}
	while (f->inflight > 0 && clock_ms(CLOCK_MONOTONIC) < until) {
		curl_multi_perform(f->multi, &running);
		done += finish_calls(db, cfg, f, &started);
		/* A new handle has no socket to wait on yet: start it first. */
		if (f->inflight > 0 && started == 0)
			curl_multi_poll(f->multi, NULL, 0, POLL_SLICE_MS, NULL);
	}
	return done;
}

/* Stopping: no new call starts; those in flight finish and are recorded. */
static void
drain(struct db *db, const struct qre_config *cfg, struct flight *f)
{
	int running = 0, started;

	while (f->inflight > 0) {
		curl_multi_perform(f->multi, &running);
		finish_calls(db, cfg, f, &started);
		if (f->inflight > 0)
			curl_multi_poll(f->multi, NULL, 0, POLL_SLICE_MS, NULL);
	}
}

/*
 * GET_LOCK belongs to the database session: take it, or (every round)
 * check that this session still holds it, which a silent reconnect
 * would have lost.  1 held, 0 another holds it, -1 an error.
 */
static int
take_lock(struct db *db, int take)
{
	static const char get_sql[] =
	    "SELECT COALESCE(GET_LOCK('" LOCK_NAME "', 0), -1)";
	static const char rel_sql[] = "SELECT RELEASE_LOCK('" LOCK_NAME "')";
	long long got = 0;
	struct db_col cols[] = { DBC_I64(&got) };
	int found;

	if (db_query_row(db, take ? get_sql : rel_sql, NULL, 0, cols, 1,
	    &found) != DB_OK || !found || got < 0)
		return -1;
	if (take == 1 && got == 1)
		return 1;
	if (take == 1)
		return 0;
	return 1;
}

static int
still_locked(struct db *db)
{
	static const char mine_sql[] = "SELECT COALESCE(IS_USED_LOCK('"
	    LOCK_NAME "') = CONNECTION_ID(), 0)";
	long long mine = 0;
	struct db_col cols[] = { DBC_I64(&mine) };
	int found;

	if (db_query_row(db, mine_sql, NULL, 0, cols, 1, &found) != DB_OK)
		return -1;
	if (found && mine == 1)
		return 1;
	return take_lock(db, 1);
}

/*
 * The highest scan id that was visible at least SETTLE_MS ago: ids are
 * taken at insert and seen at commit, so a smaller id may still appear
 * for a moment after a larger one; past this mark none can.
 */
static long long
scan_watermark(struct db *db)
{
	static struct { long long at_ms, max_id; } seen[WATERMARKS];
	static size_t next;
	long long now = clock_ms(CLOCK_MONOTONIC), mark = 0, max_id = 0;

	if (scans_max_id(db, &max_id) == DB_OK) {
		seen[next % WATERMARKS].at_ms = now;
		seen[next % WATERMARKS].max_id = max_id;
		next++;
	}
	for (size_t i = 0; i < WATERMARKS && i < next; i++)
		if (now - seen[i].at_ms >= SETTLE_MS && seen[i].max_id > mark)
			mark = seen[i].max_id;
	return mark;
}

/* Retention: what no endpoint needs any more, a bounded amount per run. */
static void
prune(struct db *db)
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
		if (db_exec(db, sqls[i], NULL, 0, NULL, NULL) != DB_OK)
			log_warn("webhooks: pruning: %s", db_error(db));
}

static void
usage(FILE *fp, int status)
{
	fprintf(fp, "usage: qre-webhooks [-1h] [-c config]\n");
	exit(status);
}

int
main(int argc, char *argv[])
{
	static struct qre_config cfg;
	static struct webhook hooks[WEBHOOKS_MAX];
	struct flight f = { 0 };
	const char *path = QRE_CONFIG_DEFAULT_PATH;
	struct sigaction sa;
	struct db *db;
	long long deadline;
	char err[1024];
	int ch, once = 0, locked;

	log_init("qre-webhooks", LOG_LVL_INFO);
	while ((ch = getopt(argc, argv, "1c:h")) != -1) {
		switch (ch) {
		case '1':
			once = 1;
			break;
		case 'c':
			path = optarg;
			break;
		case 'h':
			usage(stdout, 0);
			break;
		default:
			usage(stderr, 2);
		}
	}
	if (optind != argc)
		usage(stderr, 2);
	if (config_load(path, &cfg, err, sizeof(err)) == -1)
		fatal("%s", err);
	log_set_level((enum log_level)cfg.log_level);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		fatal("curl_global_init failed");
	if ((db = db_new(&cfg)) == NULL)
		fatal("out of memory");
	if (db_connect(db) != DB_OK)
		fatal("database: %s", db_error(db));
	if ((locked = take_lock(db, 1)) != 1) {
		if (locked == 0)
			log_info("another qre-webhooks holds the lock; exiting");
		else
			log_err("cannot take the lock: %s", db_error(db));
		db_free(db);
		return locked == 0 ? 0 : 1;
	}
	if ((f.multi = curl_multi_init()) == NULL ||
	    (f.jobs = calloc((size_t)cfg.webhook_concurrency,
	    sizeof(*f.jobs))) == NULL ||
	    (f.done = calloc((size_t)cfg.webhook_concurrency,
	    sizeof(*f.done))) == NULL ||
	    (f.outcomes = calloc((size_t)cfg.webhook_concurrency,
	    sizeof(*f.outcomes))) == NULL ||
	    (f.acked = calloc((size_t)cfg.webhook_concurrency,
	    sizeof(*f.acked))) == NULL)
		fatal("out of memory");
	f.njobs = (size_t)cfg.webhook_concurrency;
	/* The last round must end before cron starts the next run. */
	deadline = clock_ms(CLOCK_MONOTONIC) + cfg.webhook_run_seconds * 1000L -
	    cfg.webhook_timeout_ms;
	prune(db);
	if (once) {
		/* One round: the scan watermark needs one sample SETTLE_MS old. */
		struct timespec ts = { SETTLE_MS / 1000,
		    (SETTLE_MS % 1000) * 1000000L };

		scan_watermark(db);
		nanosleep(&ts, NULL);
	}
	while (!stopping && clock_ms(CLOCK_MONOTONIC) < deadline) {
		struct round r = { hooks, 0 };
		long long mark;
		int work = 0, made;

		db_request_begin(db);
		if ((locked = still_locked(db)) != 1) {
			log_warn("webhooks: the lock is lost (%s); ending the run",
			    locked == 0 ? "another run holds it" : db_error(db));
			break;
		}
		if (webhook_list(db, 0, collect, &r) != DB_OK) {
			log_warn("webhooks: %s", db_error(db));
			if (once)
				break;
			sleep(1);
			continue;
		}
		if (r.n == WEBHOOKS_MAX)
			log_warn("webhooks: more than %d active endpoints; the "
			    "newest wait", WEBHOOKS_MAX);
		work += pump(db, &cfg, &f);
		mark = scan_watermark(db);
		for (size_t i = 0; i < r.n && !stopping; i++) {
			if (webhook_package(db, &cfg, &r.hooks[i], mark,
			    &made) == DB_OK)
				work += made;
			else
				log_warn("webhooks: packaging for %s: %s",
				    r.hooks[i].public_id, db_error(db));
			work += pump(db, &cfg, &f);
		}
		if (!stopping)
			work += send_round(db, &cfg, &f, &r);
		if (once && f.inflight == 0)
			break;
		if (work == 0 && f.inflight == 0 && !stopping) {
			struct timespec ts = { POLL_MS / 1000,
			    (POLL_MS % 1000) * 1000000L };

			nanosleep(&ts, NULL);
		}
	}
	drain(db, &cfg, &f);
	curl_multi_cleanup(f.multi);
	free(f.jobs);
	free(f.done);
	free(f.outcomes);
	free(f.acked);
	take_lock(db, 0);
	db_free(db);
	curl_global_cleanup();
	return 0;
}
