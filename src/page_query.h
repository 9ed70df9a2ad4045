/*
 * page_query.h: the "cursor" query parameter of a listing request.
 */
#ifndef QRE_PAGE_QUERY_H
#define QRE_PAGE_QUERY_H

#include "errors.h"
#include "page_cursor.h"
#include "request.h"

/*
 * The "cursor" query parameter: absent, empty (the first page by
 * cursor) or a cursor of this kind; anything else is a 400 naming it,
 * and so is a cursor beside the page-number parameter "numbered"
 * ("page", "offset").
 */
enum qre_err page_cursor_query(struct req *, enum page_cursor_kind,
    const char *numbered, struct page_cursor *);

#endif
