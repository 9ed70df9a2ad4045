/*
 * auth.h: bearer tokens on every /api/ request.  No token is cached in a
 * worker, so a revoke takes effect on the very next request everywhere;
 * the lookup is one indexed read, and lastUsed is written at most once
 * per token_touch_interval.
 */
#ifndef QRE_AUTH_H
#define QRE_AUTH_H

#include "errors.h"
#include "request.h"

/* Fill r->auth; QRE_E_UNAUTHORIZED, QRE_E_DB_DOWN or QRE_E_OK. */
enum qre_err auth_check(struct req *r);

#endif
