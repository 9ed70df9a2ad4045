/*
 * scan_buffer.h: a worker's scans on their way to the database.
 * Redirects push scans here and answer at once; a writer thread of the
 * worker, with its own database connection, stores them as multi-row
 * statements when scan_batch are waiting or the oldest is scan_flush_ms
 * old, and everything that is left when the worker stops or reloads.
 * A kill -9 of a worker loses at most its last scan_flush_ms of scans
 * (plus one batch being written).  While the database is down up to
 * SCAN_BUFFER_MAX scans wait; beyond that new ones are dropped (logged).
 */
#ifndef QRE_SCAN_BUFFER_H
#define QRE_SCAN_BUFFER_H

#include <stddef.h>

#include "config.h"
#include "scan.h"

#define SCAN_BUFFER_MAX 20000		/* scans held while the database is down */
#define SCAN_RETRY_MS 1000		/* after a failed write */

struct scan_buffer;

/* Start the writer thread; NULL on failure. */
struct scan_buffer *scan_buffer_new(const struct qre_config *cfg);
/* Store what is left, stop the thread, free.  NULL-safe. */
void scan_buffer_free(struct scan_buffer *);
/* Queue a copy of s; -1 when the buffer is full (s is dropped). */
int scan_buffer_push(struct scan_buffer *, const struct scan *s);
/* Scans not yet stored. */
size_t scan_buffer_pending(struct scan_buffer *);

#endif
