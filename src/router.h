/*
 * router.h: a table of (method, path pattern) -> handler.  A pattern is
 * literal segments and ":name" segments, each matching one non-empty
 * segment (decoded into req->params in order).  A path that matches with
 * another method is a 405 with Allow; no match at all is a 404.
 */
#ifndef QRE_ROUTER_H
#define QRE_ROUTER_H

#include <stddef.h>

#include "errors.h"
#include "request.h"

typedef enum qre_err (*handler_fn)(struct req *);

enum route_flags {
	ROUTE_PUBLIC = 0,
	ROUTE_AUTH = 1 << 0,	/* bearer token required */
	ROUTE_JSON = 1 << 1,	/* body must be a JSON object */
};

struct route {
	enum http_method method;
	const char *pattern;
	handler_fn handler;
	unsigned int flags;
};

/*
 * The route for r, or NULL with *err set to QRE_E_NOT_FOUND or
 * QRE_E_METHOD (then *allow holds "GET, POST" and so on).
 */
const struct route *router_match(const struct route *routes, size_t n,
    struct req *r, enum qre_err *err, char *allow, size_t allowsz);

#endif
