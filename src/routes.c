/*
 * routes.c: the route table.  Order matters only between a literal
 * segment and a ":param" at the same place (the literal comes first).
 */
#include "compat.h"
#include "handlers.h"
#include "routes.h"

const struct route qre_routes[] = {
	{ HTTP_GET,	"/healthz",		api_health,	  ROUTE_PUBLIC },
	{ HTTP_POST,	"/api/codes/generate",	api_codes_generate, ROUTE_AUTH | ROUTE_JSON },
	{ HTTP_GET,	"/api/codes",		api_codes_list,	  ROUTE_AUTH },
	{ HTTP_GET,	"/api/codes/:id",	api_codes_get,	  ROUTE_AUTH },
	{ HTTP_PUT,	"/api/codes/:id",	api_codes_update, ROUTE_AUTH | ROUTE_JSON },
	{ HTTP_DELETE,	"/api/codes/:id",	api_codes_delete, ROUTE_AUTH },
	{ HTTP_POST,	"/api/tokens",		api_tokens_create, ROUTE_AUTH | ROUTE_JSON },
	{ HTTP_GET,	"/api/tokens",		api_tokens_list,  ROUTE_AUTH },
	{ HTTP_DELETE,	"/api/tokens/:name",	api_tokens_revoke, ROUTE_AUTH },
	{ HTTP_POST,	"/api/v1/codes",	api_v1_create,	  ROUTE_AUTH | ROUTE_JSON },
	{ HTTP_GET,	"/api/v1/codes",	api_v1_list,	  ROUTE_AUTH },
	{ HTTP_GET,	"/api/v1/codes/:id",	api_v1_get,	  ROUTE_AUTH },
	{ HTTP_PATCH,	"/api/v1/codes/:id",	api_v1_update,	  ROUTE_AUTH | ROUTE_JSON },
	{ HTTP_DELETE,	"/api/v1/codes/:id",	api_codes_delete, ROUTE_AUTH },
	{ HTTP_GET,	"/api/v1/codes/:id/image", api_v1_image,  ROUTE_AUTH },
	{ HTTP_GET,	"/api/v1/codes/:id/scans", api_v1_scans,  ROUTE_AUTH },
	{ HTTP_GET,	"/api/v1/codes/:id/stats", api_v1_stats,  ROUTE_AUTH },
	{ HTTP_POST,	"/api/v1/webhooks",	api_webhooks_create, ROUTE_AUTH | ROUTE_JSON },
	{ HTTP_GET,	"/api/v1/webhooks",	api_webhooks_list, ROUTE_AUTH },
	{ HTTP_GET,	"/api/v1/webhooks/:id",	api_webhooks_get, ROUTE_AUTH },
	{ HTTP_PATCH,	"/api/v1/webhooks/:id",	api_webhooks_update, ROUTE_AUTH | ROUTE_JSON },
	{ HTTP_DELETE,	"/api/v1/webhooks/:id",	api_webhooks_delete, ROUTE_AUTH },
	{ HTTP_POST,	"/api/v1/webhooks/:id/test", api_webhooks_test, ROUTE_AUTH },
	{ HTTP_GET,	"/api/v1/webhooks/:id/deliveries", api_webhooks_deliveries, ROUTE_AUTH },
	{ HTTP_GET,	"/api/v1/webhooks/:id/deliveries/:delivery", api_webhooks_delivery, ROUTE_AUTH },
	{ HTTP_POST,	"/api/v1/webhooks/:id/deliveries/:delivery/retry", api_webhooks_retry, ROUTE_AUTH },
	/* Last: any one-segment path not matched above is a short code. */
	{ HTTP_GET,	"/:shortCode",		redirect_handle,  ROUTE_PUBLIC },
};
const size_t qre_nroutes = QRE_NELEM(qre_routes);
