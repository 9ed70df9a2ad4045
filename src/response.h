/*
 * response.h: the only code that writes HTTP to FastCGI.  Handlers build
 * json-c objects and hand them over; errors go through the QRE_ERRORS
 * table so every failure has the same envelope.
 */
#ifndef QRE_RESPONSE_H
#define QRE_RESPONSE_H

#include <stddef.h>

#include "errors.h"
#include "request.h"

struct json_object;

/* Add "Name: value" to the answer; -1 if the header space is full. */
int resp_header(struct req *r, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Send status, content type and body (no body for HEAD). */
void resp_send(struct req *r, int status, const char *content_type,
    const void *body, size_t len);
/*
 * {"success": true, "data": data[, "message": message]}.  Takes
 * ownership of data (which may be NULL: no "data" member).
 */
void resp_ok(struct req *r, int status, struct json_object *data,
    const char *message);
/* What the "pagination" of a v1 listing says. */
struct resp_page {
	long long page;		/* the page asked for (not when by cursor) */
	long long per, total;
	int by_cursor;		/* asked by cursor: no page, a nextCursor */
	const char *next;	/* the next page's cursor; NULL on the last */
};
/*
 * {"success": true, "data": list, "pagination": {"page", "perPage",
 * "total", "totalPages"}}; asked by cursor, "pagination" has "perPage",
 * "total", "totalPages" and "nextCursor" (null on the last page).
 * Takes ownership of list.
 */
void resp_page(struct req *r, struct json_object *list,
    const struct resp_page *pg);
/* {"success": false, "error": {"code", "message"}} from the table. */
void resp_error(struct req *r, enum qre_err e);

#endif
