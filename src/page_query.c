/*
 * page_query.c: see page_query.h.  The request's side of keyset
 * pagination; the cursor itself (page_cursor.c) is below the request
 * layer, where the store uses it.
 */
#include "compat.h"

#include <string.h>

#include "page_query.h"

enum qre_err
page_cursor_query(struct req *r, enum page_cursor_kind kind,
    const char *numbered, struct page_cursor *pc)
{
	char buf[PAGE_CURSOR_BUF + 1];	/* one more: too long is seen as such */
	char skip[2];
	int got = req_query(r, "cursor", buf, sizeof(buf));

	memset(pc, 0, sizeof(*pc));
	if (got == 0)
		return QRE_E_OK;
	pc->given = 1;
	/* Which rows come next is said once: by the cursor or by the number. */
	if (req_query(r, numbered, skip, sizeof(skip)) != 0)
		return req_fail(r, QRE_E_BAD_REQUEST, "cursor and %s cannot be "
		    "combined: follow nextCursor, or ask for a %s", numbered,
		    numbered);
	if (got > 0 && buf[0] == '\0')
		return QRE_E_OK;
	if (got < 0 || page_cursor_decode(kind, buf, &pc->key) == -1)
		return req_fail(r, QRE_E_BAD_FIELD, "cursor must be empty (the "
		    "first page) or a nextCursor of this listing");
	pc->has_key = 1;
	return QRE_E_OK;
}
