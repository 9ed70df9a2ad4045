/* code_ops.c: see code_ops.h. */
#include <stdlib.h>
#include <string.h>

#include "code_ops.h"
#include "code_view.h"
#include "codegen.h"
#include "db.h"
#include "random.h"

enum qre_err
code_load(struct req *r, const char *id, struct code *c)
{
	int found = 0;
	enum db_rc rc;

	/* A malformed id costs no query. */
	if (strlen(id) != CODE_ID_LEN || !is_base62(id, CODE_ID_LEN))
		return req_fail(r, QRE_E_NOT_FOUND, "No code with id '%.40s'", id);
	if ((rc = code_get(r->db, r->auth.account_id, id, c, &found)))
		return db_answer(rc);
	if (!found)
		return req_fail(r, QRE_E_NOT_FOUND, "No code with id '%s'", id);
	return QRE_E_OK;
}

enum qre_err
code_save_new(struct req *r, struct code *c, const char **over, int *clash)
{
	char *event;
	enum db_rc rc;

	*clash = 0;
	c->created_at = c->updated_at = time(NULL);
	if ((event = code_event_json(r, c)) == NULL)
		return QRE_E_INTERNAL;
	rc = code_insert(r->db, r->auth.account_id, r->auth.plan, c, over, event);
	free(event);
	if (rc == DB_DUPLICATE) {
		*clash = 1;
		return QRE_E_OK;
	}
	if (rc != DB_OK)
		return db_answer(rc);
	/* A short code new to the database may be cached as unknown. */
	if (*over == NULL && c->is_dynamic)
		codegen_bump(c->short_code);
	return QRE_E_OK;
}

enum qre_err
code_save_update(struct req *r, struct code *c)
{
	char *event;
	enum db_rc rc;

	c->updated_at = time(NULL);
	if ((event = code_event_json(r, c)) == NULL)
		return QRE_E_INTERNAL;
	rc = code_update(r->db, r->auth.account_id, c, event);
	free(event);
	if (rc != DB_OK)
		return db_answer(rc);
	if (c->is_dynamic)
		codegen_bump(c->short_code);	/* the next redirect sees it */
	return QRE_E_OK;
}

enum qre_err
code_save_delete(struct req *r, const struct code *c)
{
	char *event;
	int found = 0;
	enum db_rc rc;

	if ((event = code_event_json(r, c)) == NULL)
		return QRE_E_INTERNAL;
	rc = code_delete(r->db, r->auth.account_id, c->public_id, &found, event);
	free(event);
	if (rc != DB_OK)
		return db_answer(rc);
	if (!found)
		return req_fail(r, QRE_E_NOT_FOUND, "No code with id '%s'",
		    c->public_id);
	if (c->is_dynamic)
		codegen_bump(c->short_code);	/* its redirect ends now */
	return QRE_E_OK;
}
