/*
 * store_codes.h: the codes table, shared by both API surfaces.  Every
 * call takes the account id: another account's code is simply not found.
 */
#ifndef QRE_STORE_CODES_H
#define QRE_STORE_CODES_H

#include <time.h>

#include "db.h"
#include "ids.h"
#include "page_cursor.h"
#include "plan.h"
#include "render.h"

/*
 * Limits in characters are what the contract promises; the byte limits
 * beside them are what buffers and columns hold.  Both are checked where
 * a field is parsed (code_fields.c); t/unit/test_schema_limits.c checks
 * the schema's columns against these.
 */
#define CODE_NAME_MAX 200		/* characters: codes.name VARCHAR(200) */
#define CODE_NAME_BYTES (CODE_NAME_MAX * 4)	/* UTF-8 takes at most 4 */
#define CODE_NAME_BUF (CODE_NAME_BYTES + 1)
#define CODE_URL_MAX 2048		/* characters of a target URL */
#define CODE_DATA_BYTES RENDER_DATA_MAX	/* codes.data: what is encoded */
#define CODE_DATA_BUF (CODE_DATA_BYTES + 1)
/* codes.target: a URL or text destination; a static code encodes it. */
#define CODE_TARGET_BYTES RENDER_DATA_MAX
#define CODE_TARGET_BUF (CODE_TARGET_BYTES + 1)
#define CODE_FORMAT_BUF 33
#define CODE_COLOR_BUF 12		/* "#RRGGBB" or "transparent" */

enum code_target { TARGET_NONE, TARGET_URL, TARGET_TEXT };

struct code_style {
	char color[CODE_COLOR_BUF];
	char background[CODE_COLOR_BUF];
	int size;
	char ecc;
	int margin;			/* RENDER_MARGIN_DEFAULT when unset */
	int size_auto;			/* not stored: no size was asked for */
};

struct code {
	long long id;
	long long account_id;
	char public_id[CODE_ID_LEN + 1];
	int has_name;
	char name[CODE_NAME_BUF];
	enum render_kind kind;
	char barcode_format[CODE_FORMAT_BUF];	/* "" for QR */
	enum render_format format;
	char data[CODE_DATA_BUF];		/* what the image encodes */
	size_t data_len;
	int is_dynamic;
	char short_code[SHORT_CODE_LEN + 1];	/* "" when static */
	enum code_target target_type;
	char target[CODE_TARGET_BUF];		/* dynamic destination */
	size_t target_len;
	int is_active;
	struct code_style style;
	long long scans;
	time_t created_at, updated_at;
	long long created_ms;		/* created_at to the millisecond */
};

/* 1 when a and b differ in what an update writes. */
int code_changed(const struct code *a, const struct code *b);

/* Which codes a listing wants. */
enum code_filter { CODES_ALL, CODES_QR, CODES_BARCODE };

/*
 * Changes take the payload of their lifecycle event (code.created,
 * code.updated, code.deleted), written in the same transaction for the
 * account's webhooks; NULL for none.
 *
 * Insert c for the account, within the plan's limits (checked under a
 * lock on the account row, so concurrent creates cannot pass them).
 * DB_OK with *over set to the limit that was hit ("saved" or "dynamic",
 * NULL when inserted); DB_DUPLICATE on a public id or short code clash.
 */
enum db_rc code_insert(struct db *, long long account_id, enum plan,
    struct code *c, const char **over, const char *event);
enum db_rc code_get(struct db *, long long account_id, const char *public_id,
    struct code *c, int *found);
/* The dynamic code with this short code, whatever its account. */
enum db_rc code_by_short(struct db *, const char *short_code, struct code *c,
    int *found);
enum db_rc code_count(struct db *, long long account_id, enum code_filter,
    long long *total);
/*
 * Newest first (created_at, then id): limit codes after the key "after"
 * (a cursor), or when after is NULL, after skipping offset codes.
 */
enum db_rc code_list(struct db *, long long account_id, enum code_filter,
    const struct page_key *after, long long limit, long long offset,
    void (*each)(const struct code *, void *), void *arg);
/* Write back name, data, target, is_active of c (found by id+account). */
enum db_rc code_update(struct db *, long long account_id, struct code *c,
    const char *event);
enum db_rc code_delete(struct db *, long long account_id, const char *public_id,
    int *found, const char *event);

#endif
