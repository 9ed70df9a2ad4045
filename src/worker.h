/*
 * worker.h: one pre-forked worker: waits for a FastCGI connection,
 * answers it, repeats.  SIGTERM is only delivered while the worker waits
 * for work, so a request in hand is always finished before it exits.
 */
#ifndef QRE_WORKER_H
#define QRE_WORKER_H

#include <stddef.h>

#include <fcgiapp.h>

#include "config.h"
#include "scan_salt.h"

struct db;
struct redirect_cache;
struct route;
struct scan_buffer;

/* What a worker keeps between requests. */
struct worker_state {
	struct db *db;
	struct redirect_cache *cache;
	struct scan_buffer *scans;
	struct scan_salt salt;		/* today's visitor salt */
};

/* Serve on listen_fd until SIGTERM/SIGINT; returns the exit status. */
int worker_main(int listen_fd, const struct qre_config *cfg);
/* Answer one accepted request (the dispatcher; also used by tests). */
void worker_handle(FCGX_Request *fcgx, const struct qre_config *cfg,
    struct worker_state *ws);
/* The same with a route table of the caller's (what unit tests use). */
void worker_handle_routes(FCGX_Request *fcgx, const struct qre_config *cfg,
    struct worker_state *ws, const struct route *routes, size_t nroutes);

#endif
