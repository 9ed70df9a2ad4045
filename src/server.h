/*
 * server.h: the pre-fork master of qre-fcgi.  It owns the listening
 * socket, forks the workers, respawns one that dies (backing off when
 * they die in a loop), reloads on SIGHUP by replacing the workers with
 * ones running the new config, and on SIGTERM/SIGINT lets the workers
 * finish the request in hand before it exits.  Workers die with it
 * (PR_SET_PDEATHSIG), so nothing is left orphaned.
 */
#ifndef QRE_SERVER_H
#define QRE_SERVER_H

#include "config.h"

#define SERVER_WORKERS_MAX 256
#define SERVER_QUICK_DEATH_MS 2000	/* a worker dying sooner is "in a loop" */
#define SERVER_BACKOFF_MIN_MS 100
#define SERVER_BACKOFF_MAX_MS 10000
#define SERVER_RESIGNAL_MS 1000		/* repeat SIGTERM while stopping */
#define SERVER_RETIRING_MAX 1024	/* old workers tracked across reloads */

/* Run the master with cfg (loaded from cfg->path); returns the exit status. */
int server_run(struct qre_config *cfg);

#endif
