/*
 * scan_spool.h: a worker's scans on disk before they are in the database.
 *
 * Every scan a redirect records is appended, as one record, to the
 * worker's segment file under <state_dir>/spool, before the redirect is
 * answered; the worker's writer thread reads the file back and stores
 * the records in batches.  The database keeps, in the transaction of
 * each batch, how many bytes of the file are stored (scan_spools), so a
 * file is replayed from exactly there after a crash: a scan is stored
 * once, whether the worker was killed, the database was down or both.
 *
 * A worker holds an exclusive flock(2) on its own file for its life;
 * a file nobody holds is an orphan (its worker died) and the first
 * writer thread that locks it replays and removes it.
 */
#ifndef QRE_SCAN_SPOOL_H
#define QRE_SCAN_SPOOL_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

#include "scan.h"

#define SCAN_SPOOL_NAME_MAX 255		/* scan_spools.name: host/file */
#define SCAN_RECORD_MAX 1400		/* bytes of one encoded scan, at most */
#define SCAN_UA_NAME_MAX 32		/* os and browser names kept */

/* One spool file, open and locked by this process. */
struct scan_spool_file {
	int fd;				/* -1 when none */
	char path[PATH_MAX];
	char name[SCAN_SPOOL_NAME_MAX + 1];	/* its key in scan_spools */
	off_t size;			/* bytes in the file */
};

/* A decoded record: the scan, with room for its os and browser names. */
struct scan_rec {
	struct scan s;
	char os[SCAN_UA_NAME_MAX + 1];
	char browser[SCAN_UA_NAME_MAX + 1];
};

/* Create <dir> if needed (0700). 0 or -1 with err set. */
int scan_spool_dir(const char *dir, char *err, size_t errsz);
/* A new, empty, locked file of this process in dir; 0 or -1 (err set). */
int scan_spool_create(const char *dir, const char *host,
    struct scan_spool_file *f, char *err, size_t errsz);
/*
 * Lock a file of dir whose process is gone (skipping skip, the caller's
 * own): 1 with f filled, 0 when there is none.
 */
int scan_spool_adopt(const char *dir, const char *host, const char *skip,
    struct scan_spool_file *f);
/* Close f (and unlink it when remove is set).  NULL-safe, idempotent. */
void scan_spool_close(struct scan_spool_file *f, int remove);

/* Encode s into buf (SCAN_RECORD_MAX bytes): the record's length. */
size_t scan_record_encode(const struct scan *s, unsigned char *buf);
/*
 * Decode whole records from buf[0..len) into recs (at most max): returns
 * the bytes they took; *n how many.  A record that does not check out
 * (a torn write at the end of a file after a crash) stops it, *bad set.
 */
size_t scan_record_decode(const unsigned char *buf, size_t len,
    struct scan_rec *recs, size_t max, size_t *n, int *bad);

#endif
