/* handlers.h: every route's handler; the table is in routes.c. */
#ifndef QRE_HANDLERS_H
#define QRE_HANDLERS_H

#include "errors.h"
#include "request.h"

enum qre_err api_health(struct req *);
enum qre_err api_tokens_create(struct req *);
enum qre_err api_tokens_list(struct req *);
enum qre_err api_tokens_revoke(struct req *);

#endif
