/*
 * qre-webhooks: the webhook sender, started by cron every minute.
 *
 * It takes a database-level lock (GET_LOCK), so that overlapping runs
 * and several hosts never send the same delivery twice, then for about
 * webhook_run_seconds: turns new events into deliveries, sends each
 * endpoint's oldest due delivery (one in flight per endpoint keeps its
 * order) concurrently with the libcurl multi interface, records every
 * attempt, and polls again at once while there is work, else after a
 * second (see sender.h).  SIGTERM ends the run after the calls in
 * flight; a call cut short stays pending and is sent by the next run
 * (receivers tell repeats apart by webhook-id).
 */
#include "util.h"
#include "compat.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "config.h"
#include "db.h"
#include "log.h"
#include "sender.h"

static volatile sig_atomic_t stopping;

static void
on_stop(int sig)
{
	(void)sig;
	stopping = 1;
}

static void
usage(FILE *fp, int status)
{
	fprintf(fp, "usage: qre-webhooks [-1h] [-c config]\n");
	exit(status);
}

/* -1: one round; -c: the config file; -h: usage. */
static void
options(int argc, char *argv[], const char **path, int *once)
{
	int ch;

	while ((ch = getopt(argc, argv, "1c:h")) != -1) {
		switch (ch) {
		case '1':
			*once = 1;
			break;
		case 'c':
			*path = optarg;
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
}

/* SIGTERM and SIGINT end the run gently; a receiver's reset is no signal. */
static void
signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int
main(int argc, char *argv[])
{
	static struct qre_config cfg;
	const char *path = QRE_CONFIG_DEFAULT_PATH;
	struct sender *s;
	struct db *db;
	char err[1024];
	int once = 0, locked;

	log_init("qre-webhooks", LOG_LVL_INFO);
	options(argc, argv, &path, &once);
	if (config_load(path, &cfg, err, sizeof(err)) == -1)
		fatal("%s", err);
	log_set_level((enum log_level)cfg.log_level);
	signals();
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		fatal("curl_global_init failed");
	if ((db = db_new(&cfg)) == NULL)
		fatal("out of memory");
	if (db_connect(db) != DB_OK)
		fatal("database: %s", db_error(db));
	if ((locked = db_lock_get(db, SENDER_LOCK, 0)) != 1) {
		if (locked == 0)
			log_info("another qre-webhooks holds the lock; exiting");
		else
			log_err("cannot take the lock: %s", db_error(db));
		db_free(db);
		return locked == 0 ? 0 : 1;
	}
	if ((s = sender_new(db, &cfg, &stopping)) == NULL)
		fatal("out of memory");
	sender_prune(s);
	sender_run(s, once);
	sender_drain(s);
	sender_free(s);
	db_lock_release(db, SENDER_LOCK);
	db_free(db);
	curl_global_cleanup();
	return 0;
}
