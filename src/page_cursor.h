/*
 * page_cursor.h: keyset pagination.  A listing sorted newest first by
 * (time, id) is continued after the last row a client saw instead of
 * after N skipped rows, so every page costs the same however deep it
 * is, and rows added meanwhile neither repeat nor hide older ones.
 *
 * The cursor a client holds is opaque: base64url (no padding) of 17
 * bytes, a kind byte naming the listing, then the row's time in Unix
 * milliseconds and its id, both big-endian.  Decoding is strict: one
 * spelling per key, the kind of the listing asked, values in range.
 * A cursor only positions a listing: every query keeps its own account,
 * code or webhook condition, so another's cursor shows nothing of theirs.
 */
#ifndef QRE_PAGE_CURSOR_H
#define QRE_PAGE_CURSOR_H

#include "errors.h"

#define PAGE_CURSOR_BYTES 17		/* kind, ms, id */
#define PAGE_CURSOR_LEN 23		/* base64url characters of 17 bytes */
#define PAGE_CURSOR_BUF (PAGE_CURSOR_LEN + 1)
#define PAGE_KEY_MS_MAX 253402300799999LL	/* DATETIME's end: 9999-12-31 23:59:59.999 */

/* Which listing a cursor belongs to (its first byte). */
enum page_cursor_kind {
	PAGE_CURSOR_SCANS = 'S',	/* a code's scans: scanned_at, id */
	PAGE_CURSOR_CODES = 'C',	/* an account's codes: created_at, id */
	PAGE_CURSOR_ATTEMPTS = 'A',	/* a webhook's delivery attempts: id only */
};

/* The sort key of one row: at_ms is 0 for a listing sorted by id alone. */
struct page_key {
	long long at_ms;
	long long id;
};

/* What a listing request asked for with "cursor". */
struct page_cursor {
	int given;		/* "cursor" in the query: keyset mode */
	int has_key;		/* 0: "cursor=" empty, the first page */
	struct page_key key;	/* the last row of the previous page */
};

/* out gets PAGE_CURSOR_LEN characters and a NUL; returns out. */
char *page_cursor_encode(enum page_cursor_kind, const struct page_key *,
    char out[PAGE_CURSOR_BUF]);
/* 0 with *key set, or -1 when s is not a cursor of this kind. */
int page_cursor_decode(enum page_cursor_kind, const char *s,
    struct page_key *key);
/*
 * Filling a page: the store is asked for per + 1 rows; the extra one
 * only says that a next page exists, which then starts after the key
 * of the page's last row.
 */
struct page_fill {
	long long per;		/* rows the page holds */
	long long n;		/* rows taken so far */
	int more;		/* a row past the page was seen */
	struct page_key last;	/* key of the page's last row */
};

void page_fill_init(struct page_fill *, long long per);
/* 1 when the row with this key belongs to the page, 0 when past it. */
int page_fill_take(struct page_fill *, const struct page_key *);
/* The next page's cursor into buf, or NULL on the last page. */
const char *page_fill_next(const struct page_fill *, enum page_cursor_kind,
    char buf[PAGE_CURSOR_BUF]);

#endif
