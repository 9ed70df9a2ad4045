/*
 * test_scan_spool.c: spool records read back as they were written, a
 * torn or damaged record stops the reading where it is, and only files
 * nobody holds can be adopted.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "compat.h"
#include "scan_spool.h"
#include "tap.h"

static void
sample(struct scan *s, int i)
{
	memset(s, 0, sizeof(*s));
	s->code_id = 1000 + i;
	s->account_id = 7;
	snprintf(s->public_id, sizeof(s->public_id), "Pub%013d", i);
	snprintf(s->short_code, sizeof(s->short_code), "Sc%05d", i);
	s->at_ms = 1700000000123LL + i;
	memcpy(s->country, i % 2 ? "DE" : "\0\0", 3);
	s->device = i % 2 ? UA_MOBILE : UA_DESKTOP;
	s->os = i % 2 ? "iOS" : NULL;
	s->browser = "Safari";
	s->is_bot = i == 3;
	snprintf(s->city, sizeof(s->city), "%s", i % 2 ? "Zürich" : "");
	if (i == 2)
		memset(s->referrer, 'r', SCAN_REFERRER_MAX);	/* the longest */
	else
		snprintf(s->referrer, sizeof(s->referrer), "https://ref%d.example/", i);
	memset(s->visitor, 0xA0 + i, VISITOR_HASH_LEN);
}

static int
same(const struct scan *a, const struct scan *b)
{
	return a->code_id == b->code_id && a->account_id == b->account_id &&
	    strcmp(a->public_id, b->public_id) == 0 &&
	    strcmp(a->short_code, b->short_code) == 0 &&
	    a->at_ms == b->at_ms && strcmp(a->country, b->country) == 0 &&
	    a->device == b->device && a->is_bot == b->is_bot &&
	    ((a->os == NULL && b->os == NULL) || (a->os && b->os &&
	    strcmp(a->os, b->os) == 0)) && strcmp(a->browser, b->browser) == 0 &&
	    strcmp(a->city, b->city) == 0 &&
	    strcmp(a->referrer, b->referrer) == 0 &&
	    memcmp(a->visitor, b->visitor, VISITOR_HASH_LEN) == 0;
}

int
main(void)
{
	static unsigned char buf[8 * SCAN_RECORD_MAX];
	static struct scan_rec recs[8];
	struct scan in[5];
	struct scan_spool_file own, adopted;
	size_t len = 0, used, n, first = 0;
	char dir[] = "/tmp/qre-spool-XXXXXX", err[256];
	int bad, fds[2];
	pid_t pid;

	for (int i = 0; i < 5; i++) {
		size_t l;

		sample(&in[i], i);
		l = scan_record_encode(&in[i], buf + len);
		ok(l > 8 && l <= SCAN_RECORD_MAX, "record %d: %zu bytes", i, l);
		if (i == 0)
			first = l;
		len += l;
	}
	used = scan_record_decode(buf, len, recs, 8, &n, &bad);
	is_int(n, 5, "five records read back");
	is_int(used, len, "... using every byte");
	ok(!bad, "... none damaged");
	for (int i = 0; i < 5; i++)
		ok(same(&in[i], &recs[i].s), "record %d is what was written", i);

	used = scan_record_decode(buf, len, recs, 2, &n, &bad);
	is_int(n, 2, "at most max records");
	used = scan_record_decode(buf, len - 3, recs, 8, &n, &bad);
	is_int(n, 4, "a torn last record is not read");
	ok(!bad, "... and is not called damaged (it may still be written)");
	buf[first + 20] ^= 0x40;
	used = scan_record_decode(buf, len, recs, 8, &n, &bad);
	is_int(n, 1, "a damaged second record stops the reading after the first");
	ok(bad, "... and says so");
	is_int(used, first, "... at its start");

	/* Files: ours is locked; a dead process's can be adopted, once. */
	ok(mkdtemp(dir) != NULL, "a spool directory");
	ok(scan_spool_create(dir, "hostA", &own, err, sizeof(err)) == 0,
	    "create a file: %s", err);
	ok(strncmp(own.name, "hostA/scans-", 12) == 0, "its mark name: %s",
	    own.name);
	ok(scan_spool_adopt(dir, "hostA", NULL, &adopted) == 0,
	    "a file this process holds is not adopted");
	if (pipe(fds) == -1)
		return 1;
	if ((pid = fork()) == 0) {
		struct scan_spool_file f;
		unsigned char rec[SCAN_RECORD_MAX];
		size_t l = scan_record_encode(&in[1], rec);

		if (scan_spool_create(dir, "hostA", &f, err, sizeof(err)) == -1 ||
		    write(f.fd, rec, l) != (ssize_t)l)
			_exit(1);
		(void)!write(fds[1], "x", 1);
		pause();
		_exit(0);
	}
	close(fds[1]);
	{
		char c;

		ok(read(fds[0], &c, 1) == 1, "a second process made its file");
	}
	ok(scan_spool_adopt(dir, "hostA", own.path, &adopted) == 0,
	    "... which is not adopted while it lives");
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	ok(scan_spool_adopt(dir, "hostA", own.path, &adopted) == 1,
	    "after its kill -9 its file is adopted");
	ok(adopted.size > 0, "... with its record (%lld bytes)",
	    (long long)adopted.size);
	{
		struct scan_spool_file again;

		ok(scan_spool_adopt(dir, "hostA", own.path, &again) == 0,
		    "... by one adopter only");
	}
	scan_spool_close(&adopted, 1);
	ok(access(adopted.path, F_OK) == -1, "a stored file is removed");
	scan_spool_close(&own, 1);
	rmdir(dir);
	return done_testing();
}
