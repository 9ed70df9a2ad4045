/*
 * scan_buffer.c: see scan_buffer.h.  Requests append each scan to the
 * worker's spool file (scan_spool.h) under a mutex, with one write(2):
 * once it returns the scan survives the process.  The writer thread
 * reads the file back from where the database says it is stored and
 * stores batches on its own connection, the file's mark in the same
 * transaction; it also replays files whose workers died.  A request
 * never waits for the database, only for its own write.
 */
#include "compat.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "log.h"
#include "scan_buffer.h"
#include "scan_spool.h"
#include "store_scans.h"
#include "util.h"

#define STOP_RETRY_MS 3000	/* how long a stopping writer keeps trying */
#define ADOPT_EVERY_MS 2000	/* how often orphaned files are looked for */
#define ROTATE_BYTES (8L << 20)	/* a new file once this much is all stored */
#define READ_CHUNK (SCAN_RECORD_MAX * 512)
#define HOST_MAX 64

struct scan_buffer {
	pthread_mutex_t lock;
	pthread_cond_t wake;		/* batch full, or stop */
	pthread_t thread;
	int started, stopping;

	/* Under the lock: the request thread's side. */
	struct scan_spool_file own;
	long long own_stored;		/* bytes of own in the database */
	long long oldest_ms;		/* first scan not yet stored, 0 none */
	size_t waiting;			/* scans appended, not yet stored */
	long long max_bytes;
	unsigned long long dropped;

	/* The writer thread's. */
	size_t batch;
	long flush_ms;
	char dir[PATH_MAX], host[HOST_MAX];
	struct db *db;
	unsigned char *chunk;
	struct scan_rec *recs;
	struct scan *scans;
	long long next_adopt_ms;
};

/*
 * Store one batch of f from *stored on (*n scans): 1 a batch was stored,
 * 0 nothing left to store (up to size), -1 the database refused.
 */
static int
store_batch(struct scan_buffer *b, const struct scan_spool_file *f,
    long long size, long long *stored, size_t *n)
{
	struct spool_mark mark;
	size_t want, used;
	ssize_t got;
	int bad;
	enum db_rc rc;

	*n = 0;
	if (*stored >= size)
		return 0;
	want = (size_t)(size - *stored) < READ_CHUNK ?
	    (size_t)(size - *stored) : READ_CHUNK;
	if ((got = pread(f->fd, b->chunk, want, (off_t)*stored)) <= 0) {
		log_err("scans: reading %s: %s", f->path,
		    got == 0 ? "short file" : strerror(errno));
		return -1;
	}
	used = scan_record_decode(b->chunk, (size_t)got, b->recs, b->batch, n,
	    &bad);
	if (*n == 0) {
		if (!bad)
			return 0;
		/* Only a crash leaves a torn record, at the end of its file. */
		log_err("scans: %s: a damaged record at byte %lld; the rest "
		    "of the file (%lld bytes) is skipped", f->path, *stored,
		    size - *stored);
		*stored = size;
		return 1;
	}
	for (size_t i = 0; i < *n; i++)
		b->scans[i] = b->recs[i].s;
	mark.name = f->name;
	mark.stored = *stored + (long long)used;
	db_request_begin(b->db);
	if ((rc = scans_store(b->db, b->scans, *n, &mark)) != DB_OK) {
		log_warn("scans: %zu scans of %s wait for the database: %s", *n,
		    f->name, db_error(b->db));
		return -1;
	}
	*stored = mark.stored;
	return 1;
}

/* Done with a file whose scans are all stored: remove it and its mark. */
static void
retire(struct scan_buffer *b, struct scan_spool_file *f)
{
	scan_spool_close(f, 1);
	if (spool_mark_drop(b->db, f->name) != DB_OK)
		log_warn("scans: forgetting %s: %s", f->name, db_error(b->db));
}

/*
 * Replay one file a dead worker left, from its mark to its end.
 * 0 when all of it is stored, -1 when the database failed (the file is
 * released for a later try).
 */
static int
replay_orphan(struct scan_buffer *b, struct scan_spool_file *f)
{
	long long stored = 0;
	int r;
	size_t n;

	db_request_begin(b->db);
	if (spool_mark_get(b->db, f->name, &stored) != DB_OK) {
		scan_spool_close(f, 0);
		return -1;
	}
	log_info("scans: storing %s from byte %lld of %lld", f->name, stored,
	    (long long)f->size);
	while ((r = store_batch(b, f, f->size, &stored, &n)) == 1)
		;
	if (r == -1) {
		scan_spool_close(f, 0);
		return -1;
	}
	retire(b, f);
	return 0;
}

static void
adopt_orphans(struct scan_buffer *b)
{
	struct scan_spool_file f;
	long long now = clock_ms(CLOCK_MONOTONIC);

	if (now < b->next_adopt_ms)
		return;
	b->next_adopt_ms = now + ADOPT_EVERY_MS;
	while (scan_spool_adopt(b->dir, b->host, b->own.path, &f) == 1)
		if (replay_orphan(b, &f) == -1)
			break;
}

/*
 * All of the own file is stored and it is big: start a new one (under
 * the lock, so no scan goes to the old one after), then drop the old.
 */
static void
rotate(struct scan_buffer *b)
{
	struct scan_spool_file old, fresh;
	char err[256];

	pthread_mutex_lock(&b->lock);
	if (b->own_stored != (long long)b->own.size ||
	    b->own.size < ROTATE_BYTES) {
		pthread_mutex_unlock(&b->lock);
		return;
	}
	if (scan_spool_create(b->dir, b->host, &fresh, err, sizeof(err)) == -1) {
		pthread_mutex_unlock(&b->lock);
		log_err("scans: %s", err);
		return;
	}
	old = b->own;
	b->own = fresh;
	b->own_stored = 0;
	pthread_mutex_unlock(&b->lock);
	retire(b, &old);
}

static void *
writer_main(void *arg)
{
	struct scan_buffer *b = arg;
	long long stop_deadline = 0, retry_at = 0;
	int draining = 0;

	for (;;) {
		long long now = clock_ms(CLOCK_REALTIME), pending, size, stored;
		long long due;
		size_t n;
		int r;

		pthread_mutex_lock(&b->lock);
		if (b->stopping && stop_deadline == 0)
			stop_deadline = now + STOP_RETRY_MS;
		pending = (long long)b->own.size - b->own_stored;
		due = draining || b->waiting >= b->batch ? now :
		    b->oldest_ms + b->flush_ms;
		if (retry_at > due)
			due = retry_at;
		if (!b->stopping && (pending == 0 || now < due)) {
			struct timespec until;

			if (pending == 0)
				due = now + ADOPT_EVERY_MS;
			pthread_mutex_unlock(&b->lock);
			adopt_orphans(b);
			pthread_mutex_lock(&b->lock);
			/* A push wakes us when a batch is full or the first comes. */
			until.tv_sec = (time_t)(due / 1000);
			until.tv_nsec = (long)(due % 1000) * 1000000L;
			if (!b->stopping && b->waiting < b->batch)
				pthread_cond_timedwait(&b->wake, &b->lock, &until);
			pthread_mutex_unlock(&b->lock);
			continue;
		}
		if (b->stopping && (pending == 0 || now >= stop_deadline)) {
			pthread_mutex_unlock(&b->lock);
			break;
		}
		size = (long long)b->own.size;
		stored = b->own_stored;
		pthread_mutex_unlock(&b->lock);

		r = store_batch(b, &b->own, size, &stored, &n);
		pthread_mutex_lock(&b->lock);
		b->own_stored = stored;
		b->waiting = b->waiting > n ? b->waiting - n : 0;
		if (b->own_stored == (long long)b->own.size)
			b->waiting = 0;
		/* More is on disk: store it now, not after flush_ms. */
		draining = r == 1 && b->own_stored < (long long)b->own.size;
		if (b->waiting == 0)
			b->oldest_ms = 0;
		retry_at = r == -1 && !b->stopping ?
		    clock_ms(CLOCK_REALTIME) + SCAN_RETRY_MS : 0;
		pthread_mutex_unlock(&b->lock);
		if (r == 1) {
			rotate(b);
			adopt_orphans(b);
		} else if (r == -1 && b->stopping)
			nanosleep(&(struct timespec){ 0, 200 * 1000000L }, NULL);
	}
	return NULL;
}

struct scan_buffer *
scan_buffer_new(const struct qre_config *cfg)
{
	struct scan_buffer *b;
	sigset_t all, old;
	char err[512];
	int e;

	if ((b = calloc(1, sizeof(*b))) == NULL)
		return NULL;
	pthread_mutex_init(&b->lock, NULL);
	pthread_cond_init(&b->wake, NULL);
	b->own.fd = -1;
	b->batch = (size_t)cfg->scan_batch;
	b->flush_ms = cfg->scan_flush_ms;
	b->max_bytes = (long long)cfg->scan_spool_max_mb << 20;
	if (gethostname(b->host, sizeof(b->host)) == -1 || b->host[0] == '\0')
		strlcpy(b->host, "localhost", sizeof(b->host));
	b->host[sizeof(b->host) - 1] = '\0';
	if ((size_t)snprintf(b->dir, sizeof(b->dir), "%s/spool",
	    cfg->state_dir) >= sizeof(b->dir)) {
		log_err("scans: state_dir is too long");
		goto fail;
	}
	if (scan_spool_dir(cfg->state_dir, err, sizeof(err)) == -1 ||
	    scan_spool_dir(b->dir, err, sizeof(err)) == -1 ||
	    scan_spool_create(b->dir, b->host, &b->own, err, sizeof(err)) == -1) {
		log_err("scans: %s", err);
		goto fail;
	}
	if ((b->chunk = malloc(READ_CHUNK)) == NULL ||
	    (b->recs = calloc(b->batch, sizeof(*b->recs))) == NULL ||
	    (b->scans = calloc(b->batch, sizeof(*b->scans))) == NULL ||
	    (b->db = db_new(cfg)) == NULL)
		goto fail;
	/* Signals are the request thread's business: block them here. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	e = pthread_create(&b->thread, NULL, writer_main, b);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (e != 0) {
		log_err("scans: cannot start the writer thread: %s", strerror(e));
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
		/* Stop or reload: the writer stores what it can, then ends. */
		pthread_mutex_lock(&b->lock);
		b->stopping = 1;
		pthread_cond_signal(&b->wake);
		pthread_mutex_unlock(&b->lock);
		pthread_join(b->thread, NULL);
	}
	if (b->own.fd != -1) {
		if (b->db != NULL && b->own_stored == (long long)b->own.size)
			retire(b, &b->own);
		else {
			/* Left for the next worker: unlocked as it closes. */
			log_warn("scans: %lld bytes of %s are not stored yet; "
			    "another worker will store them",
			    (long long)b->own.size - b->own_stored, b->own.path);
			scan_spool_close(&b->own, 0);
		}
	}
	db_free(b->db);
	free(b->chunk);
	free(b->recs);
	free(b->scans);
	pthread_cond_destroy(&b->wake);
	pthread_mutex_destroy(&b->lock);
	free(b);
}

int
scan_buffer_push(struct scan_buffer *b, const struct scan *s)
{
	unsigned char rec[SCAN_RECORD_MAX];
	size_t len = scan_record_encode(s, rec);
	ssize_t w;
	int rc = 0;

	pthread_mutex_lock(&b->lock);
	if ((long long)b->own.size - b->own_stored + (long long)len >
	    b->max_bytes) {
		if (b->dropped++ % 1000 == 0)
			log_err("scans: the spool holds scan_spool_max_mb of "
			    "scans not stored (database down?); %llu dropped",
			    b->dropped);
		rc = -1;
	} else if ((w = write(b->own.fd, rec, len)) != (ssize_t)len) {
		/* Take back half a record (a full disk): the next goes after. */
		if (w > 0 && ftruncate(b->own.fd, b->own.size) == -1)
			log_err("scans: truncating %s: %s", b->own.path,
			    strerror(errno));
		if (b->dropped++ % 1000 == 0)
			log_err("scans: writing %s: %s; %llu dropped", b->own.path,
			    w < 0 ? strerror(errno) : "short write", b->dropped);
		rc = -1;
	} else {
		b->own.size += (off_t)len;
		if (b->waiting++ == 0)
			b->oldest_ms = s->at_ms;
		/* The first scan sets the writer's deadline; a full batch ends it. */
		if (b->waiting == 1 || b->waiting == b->batch)
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
	n = b->waiting;
	pthread_mutex_unlock(&b->lock);
	return n;
}
