/*
 * scan_buffer.c: see scan_buffer.h.  Two arrays: requests append to the
 * "filling" one under a mutex; the writer thread swaps it for the empty
 * "writing" one when a write is due and stores that without holding the
 * lock, on its own database connection.  A request therefore never waits
 * for the database, only (for nanoseconds) for the swap.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util.h"
#include "db.h"
#include "log.h"
#include "scan_buffer.h"
#include "store_scans.h"

#define STOP_RETRY_MS 3000	/* how long a stopping writer keeps trying */

struct scan_buffer {
	pthread_mutex_t lock;
	pthread_cond_t wake;		/* batch full, or stop */
	pthread_t thread;
	int started, stopping;

	struct scan *filling, *writing;
	size_t filling_len, writing_len;	/* writing_len > 0: a failed write */
	long long oldest_ms;		/* of the filling array */
	size_t batch;
	long flush_ms;
	unsigned long long dropped, written;

	struct db *db;			/* the writer thread's own */
};

/* Store b->writing; the lock is not held.  0 or -1. */
static int
write_out(struct scan_buffer *b)
{
	enum db_rc rc;

	db_request_begin(b->db);
	if ((rc = scans_store(b->db, b->writing, b->writing_len)) != DB_OK) {
		log_warn("scans: %zu scans kept for a retry: %s", b->writing_len,
		    db_error(b->db));
		return -1;
	}
	b->written += b->writing_len;
	b->writing_len = 0;
	return 0;
}

/* Move the filling array to writing (both under the lock). */
static void
swap_locked(struct scan_buffer *b)
{
	struct scan *t;
	size_t room;

	if (b->writing_len == 0) {
		t = b->writing;
		b->writing = b->filling;
		b->filling = t;
		b->writing_len = b->filling_len;
		b->filling_len = 0;
		return;
	}
	/* A write failed earlier: append what fits behind it. */
	room = SCAN_BUFFER_MAX - b->writing_len;
	if (room > b->filling_len)
		room = b->filling_len;
	memcpy(b->writing + b->writing_len, b->filling, room * sizeof(*b->filling));
	b->writing_len += room;
	memmove(b->filling, b->filling + room,
	    (b->filling_len - room) * sizeof(*b->filling));
	b->filling_len -= room;
}

static void *
writer_main(void *arg)
{
	struct scan_buffer *b = arg;
	long long stop_deadline = 0, retry_at = 0;
	int failed = 0;

	pthread_mutex_lock(&b->lock);
	for (;;) {
		long long now = clock_ms(CLOCK_REALTIME), due;
		struct timespec until;

		if (b->stopping && stop_deadline == 0)
			stop_deadline = now + STOP_RETRY_MS;
		due = b->filling_len > 0 ? b->oldest_ms + b->flush_ms : now + 1000;
		if (failed)
			due = retry_at;
		if (!b->stopping && b->filling_len < b->batch && now < due &&
		    !(b->writing_len > 0 && !failed)) {
			/* Waits for the deadline, a full batch or a stop. */
			until.tv_sec = (time_t)(due / 1000);
			until.tv_nsec = (long)(due % 1000) * 1000000L;
			pthread_cond_timedwait(&b->wake, &b->lock, &until);
			continue;
		}
		if (b->filling_len == 0 && b->writing_len == 0) {
			if (b->stopping)
				break;
			failed = 0;
			continue;
		}
		swap_locked(b);
		if (b->filling_len == 0)
			b->oldest_ms = 0;
		else
			b->oldest_ms = now;
		pthread_mutex_unlock(&b->lock);
		failed = write_out(b) == -1;
		if (failed)
			retry_at = clock_ms(CLOCK_REALTIME) + SCAN_RETRY_MS;
		pthread_mutex_lock(&b->lock);
		if (failed && b->stopping && clock_ms(CLOCK_REALTIME) >= stop_deadline) {
			log_err("scans: stopping with %zu scans unwritten: %s",
			    b->writing_len + b->filling_len, db_error(b->db));
			break;
		}
		if (failed && b->stopping) {
			pthread_mutex_unlock(&b->lock);
			nanosleep(&(struct timespec){ 0, 200 * 1000000L }, NULL);
			pthread_mutex_lock(&b->lock);
			failed = 0;	/* try again at once */
		}
	}
	pthread_mutex_unlock(&b->lock);
	return NULL;
}

struct scan_buffer *
scan_buffer_new(const struct qre_config *cfg)
{
	struct scan_buffer *b;
	sigset_t all, old;
	int err;

	if ((b = calloc(1, sizeof(*b))) == NULL)
		return NULL;
	pthread_mutex_init(&b->lock, NULL);
	pthread_cond_init(&b->wake, NULL);
	b->batch = (size_t)cfg->scan_batch;
	b->flush_ms = cfg->scan_flush_ms;
	if ((b->filling = calloc(SCAN_BUFFER_MAX, sizeof(*b->filling))) == NULL ||
	    (b->writing = calloc(SCAN_BUFFER_MAX, sizeof(*b->writing))) == NULL ||
	    (b->db = db_new(cfg)) == NULL)
		goto fail;
	/* Signals are the request thread's business: block them here. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	err = pthread_create(&b->thread, NULL, writer_main, b);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err != 0) {
		log_err("scans: cannot start the writer thread: %s", strerror(err));
		goto fail;
	}
	b->started = 1;
	return b;
fail:
	scan_buffer_free(b);
	return NULL;
}

void
scan_buffer_free(struct scan_buffer *b)
{
	if (b == NULL)
		return;
	if (b->started) {
		/* Stop or reload: the writer stores what is left, then ends. */
		pthread_mutex_lock(&b->lock);
		b->stopping = 1;
		pthread_cond_signal(&b->wake);
		pthread_mutex_unlock(&b->lock);
		pthread_join(b->thread, NULL);
	}
	db_free(b->db);
	free(b->filling);
	free(b->writing);
	pthread_cond_destroy(&b->wake);
	pthread_mutex_destroy(&b->lock);
	free(b);
}

int
scan_buffer_push(struct scan_buffer *b, const struct scan *s)
{
	int rc = 0;

	pthread_mutex_lock(&b->lock);
	if (b->filling_len == SCAN_BUFFER_MAX) {
		if (b->dropped++ % 1000 == 0)
			log_err("scans: buffer full (database down?); %llu "
			    "scans dropped", b->dropped);
		rc = -1;
	} else {
		if (b->filling_len == 0)
			b->oldest_ms = s->at_ms;
		b->filling[b->filling_len++] = *s;
		/* The first scan sets the writer's deadline; a full batch ends it. */
		if (b->filling_len == 1 || b->filling_len == b->batch)
			pthread_cond_signal(&b->wake);
	}
	pthread_mutex_unlock(&b->lock);
	return rc;
}

size_t
scan_buffer_pending(struct scan_buffer *b)
{
	size_t n;

	pthread_mutex_lock(&b->lock);
	n = b->filling_len + b->writing_len;
	pthread_mutex_unlock(&b->lock);
	return n;
}
