/* scan_spool.c: see scan_spool.h. */
#include "compat.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scan_spool.h"
#include "util.h"

#define SPOOL_PREFIX "scans-"
#define SPOOL_SUFFIX ".spool"
#define RECORD_MAGIC 0x51534331u	/* "QSC1" */
#define RECORD_HEAD 8			/* magic, body length, checksum */

/* The record's checksum: FNV-1a over its body, folded to 16 bits. */
static uint16_t
record_sum(const unsigned char *p, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 16777619u;
	return (uint16_t)(h ^ (h >> 16));
}

int
scan_spool_dir(const char *dir, char *err, size_t errsz)
{
	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		snprintf(err, errsz, "cannot create %s: %s", dir, strerror(errno));
		return -1;
	}
	return 0;
}

static int
set_name(struct scan_spool_file *f, const char *dir, const char *host,
    const char *base)
{
	if ((size_t)snprintf(f->path, sizeof(f->path), "%s/%s", dir, base) >=
	    sizeof(f->path) || (size_t)snprintf(f->name, sizeof(f->name),
	    "%s/%s", host, base) >= sizeof(f->name))
		return -1;
	return 0;
}

int
scan_spool_create(const char *dir, const char *host, struct scan_spool_file *f,
    char *err, size_t errsz)
{
	static unsigned int seq;
	char base[128];

	f->fd = -1;
	snprintf(base, sizeof(base), SPOOL_PREFIX "%ld-%lld-%u" SPOOL_SUFFIX,
	    (long)getpid(), clock_ms(CLOCK_REALTIME), seq++);
	if (set_name(f, dir, host, base) == -1) {
		snprintf(err, errsz, "spool path too long in %s", dir);
		return -1;
	}
	if ((f->fd = open(f->path, O_RDWR | O_CREAT | O_EXCL | O_APPEND |
	    O_CLOEXEC, 0600)) == -1) {
		snprintf(err, errsz, "%s: %s", f->path, strerror(errno));
		return -1;
	}
	/* Ours for as long as this process lives: nobody adopts it. */
	if (flock(f->fd, LOCK_EX | LOCK_NB) == -1) {
		snprintf(err, errsz, "flock %s: %s", f->path, strerror(errno));
		scan_spool_close(f, 1);
		return -1;
	}
	f->size = 0;
	return 0;
}

int
scan_spool_adopt(const char *dir, const char *host, const char *skip,
    struct scan_spool_file *f)
{
	struct dirent *de;
	DIR *d;
	int found = 0;

	f->fd = -1;
	if ((d = opendir(dir)) == NULL)
		return 0;
	while (!found && (de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		struct stat st;

		if (strncmp(de->d_name, SPOOL_PREFIX, strlen(SPOOL_PREFIX)) != 0 ||
		    len < strlen(SPOOL_SUFFIX) || strcmp(de->d_name + len -
		    strlen(SPOOL_SUFFIX), SPOOL_SUFFIX) != 0)
			continue;
		if (set_name(f, dir, host, de->d_name) == -1 ||
		    (skip != NULL && strcmp(f->path, skip) == 0))
			continue;
		if ((f->fd = open(f->path, O_RDONLY | O_CLOEXEC)) == -1)
			continue;
		/* Held: its worker lives (or another thread adopted it). */
		if (flock(f->fd, LOCK_EX | LOCK_NB) == -1 ||
		    fstat(f->fd, &st) == -1 ||
		    /* Replayed and unlinked by another meanwhile. */
		    st.st_nlink == 0) {
			close(f->fd);
			f->fd = -1;
			continue;
		}
		f->size = st.st_size;
		found = 1;
	}
	closedir(d);
	return found;
}

void
scan_spool_close(struct scan_spool_file *f, int remove)
{
	if (f == NULL || f->fd == -1)
		return;
	/* Unlink while still locked: an adopter never sees it half gone. */
	if (remove)
		unlink(f->path);
	close(f->fd);
	f->fd = -1;
}

static unsigned char *
put(unsigned char *p, const void *v, size_t n)
{
	memcpy(p, v, n);
	return p + n;
}

/* A short string: one length byte, then the bytes. */
static unsigned char *
put_str8(unsigned char *p, const char *s, size_t max)
{
	size_t n = s ? strnlen(s, max) : 0;

	*p++ = (unsigned char)n;
	return put(p, s ? s : "", n);
}

size_t
scan_record_encode(const struct scan *s, unsigned char *buf)
{
	unsigned char *p = buf + RECORD_HEAD;
	uint32_t magic = RECORD_MAGIC;
	uint16_t ref_len = (uint16_t)strnlen(s->referrer, SCAN_REFERRER_MAX);
	uint16_t body, sum;

	p = put(p, &s->code_id, sizeof(s->code_id));
	p = put(p, &s->account_id, sizeof(s->account_id));
	p = put(p, &s->at_ms, sizeof(s->at_ms));
	p = put_str8(p, s->public_id, SCAN_PUBLIC_ID_LEN);
	p = put_str8(p, s->short_code, SCAN_SHORT_CODE_LEN);
	p = put(p, s->country, 2);
	*p++ = (unsigned char)s->device;
	*p++ = (unsigned char)(s->is_bot != 0);
	p = put_str8(p, s->os, SCAN_UA_NAME_MAX);
	p = put_str8(p, s->browser, SCAN_UA_NAME_MAX);
	p = put_str8(p, s->city, SCAN_CITY_MAX);
	p = put(p, &ref_len, sizeof(ref_len));
	p = put(p, s->referrer, ref_len);
	p = put(p, s->visitor, VISITOR_HASH_LEN);
	body = (uint16_t)(p - buf - RECORD_HEAD);
	sum = record_sum(buf + RECORD_HEAD, body);
	memcpy(buf, &magic, 4);
	memcpy(buf + 4, &body, 2);
	memcpy(buf + 6, &sum, 2);
	return (size_t)(p - buf);
}

/* Take n bytes at *p within end; -1 past the end. */
static int
take(const unsigned char **p, const unsigned char *end, void *out, size_t n)
{
	if ((size_t)(end - *p) < n)
		return -1;
	memcpy(out, *p, n);
	*p += n;
	return 0;
}

static int
take_str8(const unsigned char **p, const unsigned char *end, char *out,
    size_t max)
{
	unsigned char n;

	if (take(p, end, &n, 1) == -1 || n > max || take(p, end, out, n) == -1)
		return -1;
	out[n] = '\0';
	return 0;
}

/* One record's body into r; -1 when it does not parse. */
static int
decode_body(const unsigned char *p, const unsigned char *end,
    struct scan_rec *r)
{
	struct scan *s = &r->s;
	unsigned char dev, bot;
	uint16_t ref_len;

	memset(r, 0, sizeof(*r));
	if (take(&p, end, &s->code_id, sizeof(s->code_id)) == -1 ||
	    take(&p, end, &s->account_id, sizeof(s->account_id)) == -1 ||
	    take(&p, end, &s->at_ms, sizeof(s->at_ms)) == -1 ||
	    take_str8(&p, end, s->public_id, SCAN_PUBLIC_ID_LEN) == -1 ||
	    take_str8(&p, end, s->short_code, SCAN_SHORT_CODE_LEN) == -1 ||
	    take(&p, end, s->country, 2) == -1 ||
	    take(&p, end, &dev, 1) == -1 || take(&p, end, &bot, 1) == -1 ||
	    dev > UA_BOT ||
	    take_str8(&p, end, r->os, SCAN_UA_NAME_MAX) == -1 ||
	    take_str8(&p, end, r->browser, SCAN_UA_NAME_MAX) == -1 ||
	    take_str8(&p, end, s->city, SCAN_CITY_MAX) == -1 ||
	    take(&p, end, &ref_len, sizeof(ref_len)) == -1 ||
	    ref_len > SCAN_REFERRER_MAX ||
	    take(&p, end, s->referrer, ref_len) == -1 ||
	    take(&p, end, s->visitor, VISITOR_HASH_LEN) == -1 || p != end)
		return -1;
	s->country[2] = '\0';
	s->referrer[ref_len] = '\0';
	s->device = (enum ua_device)dev;
	s->is_bot = bot;
	s->os = r->os[0] ? r->os : NULL;
	s->browser = r->browser[0] ? r->browser : NULL;
	return 0;
}

size_t
scan_record_decode(const unsigned char *buf, size_t len, struct scan_rec *recs,
    size_t max, size_t *n, int *bad)
{
	size_t off = 0;

	*n = 0;
	*bad = 0;
	while (*n < max && len - off >= RECORD_HEAD) {
		uint32_t magic;
		uint16_t body, sum;

		memcpy(&magic, buf + off, 4);
		memcpy(&body, buf + off + 4, 2);
		memcpy(&sum, buf + off + 6, 2);
		if (magic != RECORD_MAGIC || body > SCAN_RECORD_MAX - RECORD_HEAD) {
			*bad = 1;
			break;
		}
		if (len - off < RECORD_HEAD + (size_t)body)
			break;		/* the rest is not read yet */
		if (record_sum(buf + off + RECORD_HEAD, body) != sum ||
		    decode_body(buf + off + RECORD_HEAD, buf + off + RECORD_HEAD +
		    body, &recs[*n]) == -1) {
			*bad = 1;
			break;
		}
		(*n)++;
		off += RECORD_HEAD + body;
	}
	return off;
}

/* The longest record fits SCAN_RECORD_MAX. */
_Static_assert(RECORD_HEAD + 3 * 8 + 1 + SCAN_PUBLIC_ID_LEN + 1 +
    SCAN_SHORT_CODE_LEN + 2 + 2 + 2 * (1 + SCAN_UA_NAME_MAX) + 1 +
    SCAN_CITY_MAX + 2 + SCAN_REFERRER_MAX + VISITOR_HASH_LEN <=
    SCAN_RECORD_MAX, "a scan record fits SCAN_RECORD_MAX");
