/*
 * api_tokens.c: POST /api/tokens, GET /api/tokens, DELETE /api/tokens/:name.
 * A token is shown once, at creation; afterwards only its name and times.
 */
#include <string.h>

#include <json-c/json.h>
#include <openssl/crypto.h>

#include "compat.h"
#include "db.h"
#include "handlers.h"
#include "json_body.h"
#include "response.h"
#include "store_tokens.h"
#include "text.h"
#include "timefmt.h"
#include "token.h"

/* Names are what users tell tokens apart by: printable, 1..200 characters. */
static enum qre_err
check_token_name(struct req *r, const char *name, size_t len)
{
	if (is_blank(name, len))
		return req_fail(r, QRE_E_UNPROCESSABLE, "name must not be empty");
	if (utf8_chars(name, len) > TOKEN_NAME_MAX)
		return req_fail(r, QRE_E_UNPROCESSABLE,
		    "name must be at most %d characters", TOKEN_NAME_MAX);
	if (has_control_chars(name, len))
		return req_fail(r, QRE_E_UNPROCESSABLE,
		    "name must not contain control characters");
	return QRE_E_OK;
}

enum qre_err
api_tokens_create(struct req *r)
{
	char token[TOKEN_STR_MAX], ts[RFC3339_LEN];
	unsigned char hash[TOKEN_HASH_LEN];
	struct json_object *data;
	const char *name = NULL;
	size_t len = 0;
	int present, full;
	enum qre_err e;
	enum db_rc rc;

	if ((e = json_get_string(r, r->json, "name", &name, &len, &present)))
		return e;
	if (!present)
		return req_fail(r, QRE_E_BAD_FIELD, "name is required");
	if ((e = check_token_name(r, name, len)))
		return e;
	if (token_generate(token, sizeof(token)) == -1)
		return QRE_E_INTERNAL;
	token_hash(token, strlen(token), hash);
	rc = token_insert(r->db, r->auth.account_id, name, hash, &full);
	if (rc == DB_DUPLICATE)
		return req_fail(r, QRE_E_CONFLICT,
		    "name: a token named '%s' already exists", name);
	if (rc != DB_OK)
		return db_answer(rc);
	if (full)
		return req_fail(r, QRE_E_PLAN_LIMIT, "An account may have %d "
		    "active tokens; revoke one first", TOKENS_PER_ACCOUNT);
	data = json_object_new_object();
	json_object_object_add(data, "name", json_object_new_string(name));
	json_object_object_add(data, "token", json_object_new_string(token));
	json_object_object_add(data, "createdAt",
	    json_object_new_string(rfc3339(time(NULL), ts)));
	OPENSSL_cleanse(token, sizeof(token));
	resp_ok(r, 201, data, "Store this token now: it is not shown again");
	return QRE_E_OK;
}

static void
add_token(const struct token_row *row, void *arg)
{
	struct json_object *list = arg, *t = json_object_new_object();
	char ts[RFC3339_LEN];

	json_object_object_add(t, "name", json_object_new_string(row->name));
	json_object_object_add(t, "createdAt",
	    json_object_new_string(rfc3339(row->created_at, ts)));
	json_object_object_add(t, "lastUsed", row->last_used_at == 0 ? NULL :
	    json_object_new_string(rfc3339(row->last_used_at, ts)));
	json_object_array_add(list, t);
}

enum qre_err
api_tokens_list(struct req *r)
{
	struct json_object *data, *list = json_object_new_array();
	enum db_rc rc;

	rc = token_list(r->db, r->auth.account_id, 0, add_token, list);
	if (rc != DB_OK) {
		json_object_put(list);
		return db_answer(rc);
	}
	data = json_object_new_object();
	json_object_object_add(data, "tokens", list);
	resp_ok(r, 200, data, NULL);
	return QRE_E_OK;
}

enum qre_err
api_tokens_revoke(struct req *r)
{
	const char *name = r->params[0];
	int found;
	enum db_rc rc;

	rc = token_revoke(r->db, r->auth.account_id, name, &found);
	if (rc != DB_OK)
		return db_answer(rc);
	if (!found)
		return req_fail(r, QRE_E_NOT_FOUND, "No token named '%s'", name);
	resp_ok(r, 200, NULL, "Token revoked");
	return QRE_E_OK;
}
