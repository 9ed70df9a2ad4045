/*
 * scan_buffer.h: a worker's scans on their way to the database.
 * Redirects push scans here and answer at once: each scan is appended to
 * the worker's spool file (scan_spool.h) first, so it survives a kill -9
 * of the worker and any database outage.  A writer thread of the worker,
 * with its own database connection, stores them as multi-row statements
 * when scan_batch are waiting or the oldest is scan_flush_ms old, and
 * replays the files of workers that died, each scan exactly once.  Only
 * when a worker holds scan_spool_max_mb of unstored scans are new ones
 * dropped (logged).
 */
#ifndef QRE_SCAN_BUFFER_H
#define QRE_SCAN_BUFFER_H

#include <stddef.h>

#include "config.h"
#include "scan.h"

#define SCAN_RETRY_MS 1000		/* after a failed write */

struct scan_buffer;

/* Start the writer thread; NULL on failure. */
struct scan_buffer *scan_buffer_new(const struct qre_config *cfg);
/* Store what is left, stop the thread, free.  NULL-safe. */
void scan_buffer_free(struct scan_buffer *);
/* Spool s; -1 when it could not be kept (full spool or disk: dropped). */
int scan_buffer_push(struct scan_buffer *, const struct scan *s);
/* About how many of this worker's scans are not stored yet. */
size_t scan_buffer_pending(struct scan_buffer *);

#endif
