/*
 * test_page_cursor.c: cursors as base64url of (kind, ms, id), against
 * strings made independently (perl pack "a1 Q> Q>" and MIME::Base64),
 * the strictness of decoding, and filling a page of per + 1 rows.
 */
#include <stdio.h>
#include <string.h>

#include "page_cursor.h"
#include "tap.h"

static int
decodes(enum page_cursor_kind kind, const char *s, long long ms, long long id)
{
	struct page_key k = { -1, -1 };

	return page_cursor_decode(kind, s, &k) == 0 && k.at_ms == ms &&
	    k.id == id;
}

static int
refused(enum page_cursor_kind kind, const char *s)
{
	struct page_key k = { -7, -7 };

	return page_cursor_decode(kind, s, &k) == -1 && k.at_ms == -7 &&
	    k.id == -7;
}

int
main(void)
{
	static const struct {
		enum page_cursor_kind kind;
		long long ms, id;
		const char *s;
	} known[] = {
		{ PAGE_CURSOR_SCANS, 1704067200123LL, 42, "UwAAAYzCUfR7AAAAAAAAACo" },
		{ PAGE_CURSOR_CODES, 0, 1, "QwAAAAAAAAAAAAAAAAAAAAE" },
		{ PAGE_CURSOR_ATTEMPTS, 0, 9223372036854775807LL,
		    "QQAAAAAAAAAAf_________8" },
		{ PAGE_CURSOR_SCANS, PAGE_KEY_MS_MAX, 9223372036854775807LL,
		    "UwAA5nfSH9v_f_________8" },
	};
	char buf[PAGE_CURSOR_BUF], bad[64];
	struct page_key key = { 1704067200123LL, 42 };
	struct page_fill f;
	const char *s;

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		struct page_key k = { known[i].ms, known[i].id };

		is_str(page_cursor_encode(known[i].kind, &k, buf), known[i].s,
		    "encode %c %lld %lld", known[i].kind, known[i].ms, known[i].id);
		is_int(strlen(buf), PAGE_CURSOR_LEN, "%d characters", PAGE_CURSOR_LEN);
		ok(decodes(known[i].kind, known[i].s, known[i].ms, known[i].id),
		    "decode %s", known[i].s);
	}

	/* Another listing's cursor, or one of a kind that does not exist. */
	ok(refused(PAGE_CURSOR_CODES, "UwAAAYzCUfR7AAAAAAAAACo"),
	    "a scans cursor is not a codes cursor");
	ok(refused(PAGE_CURSOR_ATTEMPTS, "UwAAAYzCUfR7AAAAAAAAACo"),
	    "nor an attempts cursor");
	ok(refused(PAGE_CURSOR_SCANS, "cwAAAYzCUfR7AAAAAAAAACo"), "kind 's' is not 'S'");

	/* Shapes. */
	ok(refused(PAGE_CURSOR_SCANS, ""), "empty");
	ok(refused(PAGE_CURSOR_SCANS, "UwAAAYzCUfR7AAAAAAAAAC"), "22 characters");
	ok(refused(PAGE_CURSOR_SCANS, "UwAAAYzCUfR7AAAAAAAAACoA"), "24 characters");
	ok(refused(PAGE_CURSOR_SCANS, "UwAAAYzCUfR7AAAAAAAAACo="), "padding");
	ok(refused(PAGE_CURSOR_SCANS, "UwAAAYzCUfR+AAAAAAAAACo"), "'+' (standard base64)");
	ok(refused(PAGE_CURSOR_SCANS, "UwAAAYzCUfR/AAAAAAAAACo"), "'/' (standard base64)");
	ok(refused(PAGE_CURSOR_SCANS, "UwAAAYzCUfR AAAAAAAAACo"), "a space");
	ok(refused(PAGE_CURSOR_SCANS, "UwAAAYzCUfR.AAAAAAAAACo"), "a dot");
	memcpy(bad, "UwAAAYzCUfR7AAAAAAAAACo", PAGE_CURSOR_BUF);
	bad[5] = '\x80';
	ok(refused(PAGE_CURSOR_SCANS, bad), "a byte past ASCII");
	/* 'o' is 40: its low 2 bits are padding; 'p' (41) sets one. */
	ok(refused(PAGE_CURSOR_SCANS, "UwAAAYzCUfR7AAAAAAAAACp"),
	    "padding bits set: a second spelling of the same key");
	ok(refused(PAGE_CURSOR_SCANS, "UwAAAYzCUfR7AAAAAAAAACr"), "the other padding bit");

	/* Values out of range (made with perl as above). */
	ok(refused(PAGE_CURSOR_SCANS, "UwAA5nfSH9wAAAAAAAAAAAE"),
	    "time 253402300800000 (past 9999-12-31)");
	ok(refused(PAGE_CURSOR_SCANS, "U4AAAAAAAAAAAAAAAAAAAAE"),
	    "time with the top bit set (negative)");
	ok(refused(PAGE_CURSOR_SCANS, "UwAAAYzCUfR7AAAAAAAAAAA"), "id 0");
	ok(refused(PAGE_CURSOR_SCANS, "UwAAAYzCUfR7gAAAAAAAACo"), "id negative");
	ok(refused(PAGE_CURSOR_ATTEMPTS, "QQAAAAAAAAABAAAAAAAAACo"),
	    "an attempts cursor with a time");

	/* Round trips at the edges. */
	key.at_ms = 0;
	key.id = 1;
	ok(decodes(PAGE_CURSOR_SCANS, page_cursor_encode(PAGE_CURSOR_SCANS, &key,
	    buf), 0, 1), "round trip: time 0, id 1");
	key.at_ms = 1234567890123LL;
	key.id = 987654321;
	ok(decodes(PAGE_CURSOR_CODES, page_cursor_encode(PAGE_CURSOR_CODES, &key,
	    buf), 1234567890123LL, 987654321), "round trip: a codes key");

	/* A page of 3 from up to 4 rows. */
	page_fill_init(&f, 3);
	for (long long id = 10; id > 7; id--) {
		struct page_key k = { 1000 + id, id };

		ok(page_fill_take(&f, &k), "row %lld is in the page", id);
	}
	is_str(page_fill_next(&f, PAGE_CURSOR_SCANS, buf), NULL,
	    "3 rows of 3: no row past the page, no next cursor");
	key.at_ms = 1007;
	key.id = 7;
	ok(!page_fill_take(&f, &key), "a fourth row is past the page");
	s = page_fill_next(&f, PAGE_CURSOR_SCANS, buf);
	ok(s != NULL && decodes(PAGE_CURSOR_SCANS, s, 1008, 8),
	    "then the next cursor is the key of the page's last row (8)");
	page_fill_init(&f, 3);
	is_str(page_fill_next(&f, PAGE_CURSOR_SCANS, buf), NULL,
	    "an empty page: no next cursor");
	return done_testing();
}
