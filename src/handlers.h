/* handlers.h: every route's handler; the table is in routes.c. */
#ifndef QRE_HANDLERS_H
#define QRE_HANDLERS_H

#include "db.h"
#include "errors.h"
#include "request.h"

enum qre_err api_health(struct req *);
enum qre_err api_codes_generate(struct req *);
enum qre_err api_codes_list(struct req *);
enum qre_err api_codes_get(struct req *);
enum qre_err api_codes_update(struct req *);
/* DELETE /api/codes/:id and DELETE /api/v1/codes/{id}: one and the same. */
enum qre_err api_codes_delete(struct req *);
enum qre_err api_tokens_create(struct req *);
enum qre_err api_tokens_list(struct req *);
enum qre_err api_tokens_revoke(struct req *);
enum qre_err api_v1_create(struct req *);
enum qre_err api_v1_list(struct req *);
enum qre_err api_v1_get(struct req *);
enum qre_err api_v1_update(struct req *);
enum qre_err api_v1_image(struct req *);
enum qre_err api_v1_scans(struct req *);
enum qre_err api_v1_stats(struct req *);
enum qre_err api_webhooks_create(struct req *);
enum qre_err api_webhooks_list(struct req *);
enum qre_err api_webhooks_get(struct req *);
enum qre_err api_webhooks_update(struct req *);
enum qre_err api_webhooks_delete(struct req *);
enum qre_err api_webhooks_test(struct req *);
enum qre_err api_webhooks_deliveries(struct req *);
enum qre_err api_webhooks_delivery(struct req *);
enum qre_err api_webhooks_retry(struct req *);
enum qre_err redirect_handle(struct req *);

#endif
