/*
 * code_ops.h: what both API surfaces do to a stored code, in one place:
 * find it for the caller (another account's is 404, never 403), and
 * write a change together with its lifecycle event, then tell every
 * worker's redirect cache (codegen) that the short code changed.
 */
#ifndef QRE_CODE_OPS_H
#define QRE_CODE_OPS_H

#include "errors.h"
#include "request.h"
#include "store_codes.h"

/* The caller's code with this public id, or 404. */
enum qre_err code_load(struct req *r, const char *id, struct code *c);
/*
 * Insert c (its ids already drawn) within the plan; *over names the
 * limit that was hit.  DB_DUPLICATE (an id clash) comes back as *clash
 * so the caller can draw new ids and try again.
 */
enum qre_err code_save_new(struct req *r, struct code *c, const char **over,
    int *clash);
enum qre_err code_save_update(struct req *r, struct code *c);
enum qre_err code_save_delete(struct req *r, const struct code *c);

#endif
