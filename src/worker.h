/*
 * worker.h: one pre-forked worker: waits for a FastCGI connection,
 * answers it, repeats.  SIGTERM is only delivered while the worker waits
 * for work, so a request in hand is always finished before it exits.
 */
#ifndef QRE_WORKER_H
#define QRE_WORKER_H

#include <fcgiapp.h>

#include "config.h"

struct db;
struct redirect_cache;
struct scan_buffer;

/* What a worker keeps between requests. */
struct worker_state {
	struct db *db;
	struct redirect_cache *cache;
	struct scan_buffer *scans;
	unsigned char salt[32];		/* today's visitor salt */
	long salt_day;			/* its day number, -1 before the first */
	int salt_local;			/* a stand-in while the database is down */
	long long salt_retry_ms;	/* when to ask the database again */
};

/* Serve on listen_fd until SIGTERM/SIGINT; returns the exit status. */
int worker_main(int listen_fd, const struct qre_config *cfg);
/* Answer one accepted request (the dispatcher; also used by tests). */
void worker_handle(FCGX_Request *fcgx, const struct qre_config *cfg,
    struct worker_state *ws);

#endif
