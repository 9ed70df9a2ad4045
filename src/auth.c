/* auth.c: see auth.h. */
#include <string.h>

#include <openssl/crypto.h>

#include "auth.h"
#include "db.h"
#include "log.h"
#include "store_tokens.h"
#include "token.h"

enum qre_err
auth_check(struct req *r)
{
	unsigned char hash[TOKEN_HASH_LEN];
	const char *tok;
	long long idle = -1;
	size_t len;
	int found;
	enum db_rc rc;

	memset(&r->auth, 0, sizeof(r->auth));
	if (r->authorization == NULL || *r->authorization == '\0')
		return req_fail(r, QRE_E_UNAUTHORIZED,
		    "Missing Authorization: Bearer token");
	if ((tok = token_from_header(r->authorization, &len)) == NULL)
		return req_fail(r, QRE_E_UNAUTHORIZED, "Malformed bearer token: "
		    "expected 'Authorization: Bearer qre_...'");
	token_hash(tok, len, hash);
	rc = token_lookup(r->db, hash, &r->auth, &idle, &found);
	OPENSSL_cleanse(hash, sizeof(hash));
	if (rc == DB_DOWN)
		return QRE_E_DB_DOWN;
	if (rc != DB_OK)
		return QRE_E_INTERNAL;
	if (!found)
		return req_fail(r, QRE_E_UNAUTHORIZED,
		    "Unknown or revoked bearer token");
	r->auth.ok = 1;
	if (idle < 0 || idle >= r->cfg->token_touch_interval) {
		/*
		 * lastUsed is advisory: a failed write is only logged (by
		 * db.c), unless the connection itself is gone, when nothing
		 * else in this request could work either.
		 */
		if (token_touch(r->db, r->auth.token_id,
		    r->cfg->token_touch_interval) == DB_DOWN)
			return QRE_E_DB_DOWN;
	}
	return QRE_E_OK;
}
