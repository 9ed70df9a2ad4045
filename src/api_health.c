/*
 * api_health.c: GET /healthz for load balancers and the stack: 200 when
 * the worker can reach the database, 503 (with Retry-After) when not.
 */
#include <json-c/json.h>

#include "compat.h"
#include "db.h"
#include "handlers.h"
#include "response.h"

enum qre_err
api_health(struct req *r)
{
	static const char sql[] = "SELECT 1";
	struct json_object *data;
	long long one = 0;
	struct db_col cols[] = { DBC_I64(&one) };
	int found;
	enum db_rc rc;

	rc = db_query_row(r->db, sql, NULL, 0, cols, QRE_NELEM(cols), &found);
	if (rc != DB_OK || !found || one != 1)
		return req_fail(r, QRE_E_DB_DOWN,
		    "The database is unreachable; try again shortly");
	data = json_object_new_object();
	json_object_object_add(data, "status", json_object_new_string("ok"));
	json_object_object_add(data, "database", json_object_new_string("ok"));
	resp_ok(r, 200, data, NULL);
	return QRE_E_OK;
}
