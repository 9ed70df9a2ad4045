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
#define WEBHOOKS_MAX 4096		/* endpoints handled per round */
#define LOCK_NAME "qre_webhooks"

static volatile sig_atomic_t stopping;

static void
on_stop(int sig)
{
	(void)sig;
	stopping = 1;
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
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

/* One in-flight call and what it is for. */
struct job {
	struct webhook_call call;
	struct webhook *w;
	struct delivery d;
	int started;
};

/* Send the due heads concurrently; returns how many were sent. */
static int
send_round(struct db *db, const struct qre_config *cfg, struct round *r)
{
	struct job *jobs;
	CURLM *multi;
	size_t njobs = 0;
	int running = 0, sent = 0;
	time_t now = time(NULL);

	if ((jobs = calloc(r->n, sizeof(*jobs))) == NULL ||
	    (multi = curl_multi_init()) == NULL) {
		free(jobs);
		return 0;
	}
	curl_multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
	    cfg->webhook_concurrency);
	for (size_t i = 0; i < r->n; i++) {
		struct job *j = &jobs[njobs];
		char why[512];
		int found = 0;

		if (!r->hooks[i].is_active)
			continue;
		if (delivery_head(db, r->hooks[i].id, &j->d, &found) != DB_OK ||
		    !found)
			continue;
		if (j->d.next_attempt_at > now) {
			delivery_free_body(&j->d);
			continue;
		}
		j->w = &r->hooks[i];
		if (webhook_call_init(&j->call, cfg, j->w, &j->d, why,
		    sizeof(why)) == -1) {
			/* Refused before sending (e.g. SSRF): a failed attempt. */
			struct webhook_outcome o = { 0 };

			strlcpy(o.error, why, sizeof(o.error));
			webhook_settle(db, cfg, j->w, &j->d, &o, now);
			delivery_free_body(&j->d);
			continue;
		}
		curl_easy_setopt(j->call.easy, CURLOPT_PRIVATE, j);
		curl_multi_add_handle(multi, j->call.easy);
		j->started = 1;
		njobs++;
	}
	do {
		CURLMsg *m;
		int left;

		curl_multi_perform(multi, &running);
		while ((m = curl_multi_info_read(multi, &left)) != NULL) {
			struct webhook_outcome o;
			struct job *j;

			if (m->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &j);
			webhook_call_outcome(&j->call, m->data.result, &o);
			if (webhook_settle(db, cfg, j->w, &j->d, &o, time(NULL)) !=
			    DB_OK)
				log_err("webhooks: recording delivery %s: %s",
				    j->d.public_id, db_error(db));
			curl_multi_remove_handle(multi, j->call.easy);
			webhook_call_free(&j->call);
			delivery_free_body(&j->d);
			j->started = 0;
			sent++;
		}
		if (running > 0)
			curl_multi_poll(multi, NULL, 0, 100, NULL);
	} while (running > 0 && !stopping);
	/* Stopped mid-flight: what did not finish stays pending. */
	for (size_t i = 0; i < njobs; i++)
		if (jobs[i].started) {
			curl_multi_remove_handle(multi, jobs[i].call.easy);
			webhook_call_free(&jobs[i].call);
			delivery_free_body(&jobs[i].d);
		}
	curl_multi_cleanup(multi);
	free(jobs);
	return sent;
}

static int
take_lock(struct db *db, int take)
{
	static const char get_sql[] = "SELECT GET_LOCK('" LOCK_NAME "', 0)";
	static const char rel_sql[] = "SELECT RELEASE_LOCK('" LOCK_NAME "')";
	long long got = 0;
	struct db_col cols[] = { DBC_I64(&got) };
	int found;

	if (db_query_row(db, take ? get_sql : rel_sql, NULL, 0, cols, 1,
	    &found) != DB_OK)
		return -1;
	return found && got == 1 ? 1 : 0;
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
		db_free(db);
		return locked == 0 ? 0 : 1;
	}
	deadline = now_ms() + cfg.webhook_run_seconds * 1000L;
	while (!stopping && now_ms() < deadline) {
		struct round r = { hooks, 0 };
		int work = 0, made;

		db_request_begin(db);
		if (webhook_list(db, 0, collect, &r) != DB_OK) {
			log_warn("webhooks: %s", db_error(db));
			sleep(1);
			continue;
		}
		for (size_t i = 0; i < r.n && !stopping; i++)
			if (webhook_package(db, &cfg, &r.hooks[i], &made) == DB_OK)
				work += made;
			else
				log_warn("webhooks: packaging for %s: %s",
				    r.hooks[i].public_id, db_error(db));
		if (!stopping)
			work += send_round(db, &cfg, &r);
		if (once)
			break;
		if (work == 0 && !stopping) {
			struct timespec ts = { 0, POLL_MS * 1000000L };

			nanosleep(&ts, NULL);
		}
	}
	take_lock(db, 0);
	db_free(db);
	curl_global_cleanup();
	return 0;
}
