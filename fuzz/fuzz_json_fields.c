/*
 * fuzz_json_fields.c: libFuzzer target for a request body as the
 * handlers take it: json_body_parse(), then the field validators of
 * code_fields.c on what it gives (field_name, field_destination with
 * each wanted kind, field_data, field_customization), at the top level
 * and in "payload" as the v1 API has it.  Every input must be parsed or
 * refused with a reason, with no crash, leak or out-of-bounds access
 * under ASan and UBSan; what a validator accepts must fit where it was
 * copied and keep to the limits the API reference states.  Built and run
 * by "fuzz/run SECONDS json_fields".
 *
 * Input: the body, as is (fuzz/json.dict has the member names).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "code_fields.h"
#include "json_body.h"
#include "text.h"

/*
 * Error messages must be valid UTF-8 (they go out in JSON): req_fail()
 * makes them so, whatever a validator quotes (field_color() cuts the
 * value at 40 bytes, possibly inside a character).
 */
#define CHECK_FIELD_MESSAGES 1

int LLVMFuzzerTestOneInput(const uint8_t *in, size_t len);

/* Member names the validators are given: those of both API surfaces. */
static const char *const names[] = { "name", "title" };
static const char *const strings[] = { "data", "url", "text", "destination",
	"targetUrl", "targetData" };

/* A refusal says why, in text a JSON string can carry. */
static void
check_refusal(const struct req *r, int strict)
{
	size_t n = strlen(r->errmsg);

	if (n == 0 || (strict && !utf8_valid(r->errmsg, n)))
		abort();
}

static void
check_name(struct req *r, struct json_object *obj, const char *field,
    struct code *c)
{
	int present = 0;

	memset(c->name, 0x5A, sizeof(c->name));
	r->errmsg[0] = '\0';
	if (field_name(r, obj, field, c, &present) != QRE_E_OK) {
		check_refusal(r, CHECK_FIELD_MESSAGES);
		return;
	}
	if (!present)
		return;
	/* NUL-terminated inside the buffer, the characters the limit says. */
	if (memchr(c->name, '\0', sizeof(c->name)) == NULL)
		abort();
	if (!utf8_valid(c->name, strlen(c->name)) ||
	    utf8_chars(c->name, strlen(c->name)) > CODE_NAME_MAX ||
	    has_control_chars(c->name, strlen(c->name)) || !c->has_name)
		abort();
}

static void
check_destination(struct req *r, const char *field, const char *s,
    size_t n, struct code *c)
{
	static const enum code_target wants[] = { TARGET_NONE, TARGET_URL,
		TARGET_TEXT };

	for (size_t k = 0; k < sizeof(wants) / sizeof(*wants); k++) {
		memset(c->target, 0x5A, sizeof(c->target));
		c->target_len = 0;
		r->errmsg[0] = '\0';
		if (field_destination(r, field, s, n, wants[k], c) != QRE_E_OK) {
			check_refusal(r, CHECK_FIELD_MESSAGES);
			continue;
		}
		if (c->target_len != n || n == 0 || n >= sizeof(c->target) ||
		    c->target[n] != '\0' || memcmp(c->target, s, n) != 0)
			abort();
		if (wants[k] != TARGET_NONE && c->target_type != wants[k])
			abort();
		if (c->target_type == TARGET_URL && (!is_http_url(s, n) ||
		    utf8_chars(s, n) > CODE_URL_MAX))
			abort();
	}
	memset(c->data, 0x5A, sizeof(c->data));
	c->data_len = 0;
	r->errmsg[0] = '\0';
	if (field_data(r, field, s, n, c) != QRE_E_OK)
		check_refusal(r, CHECK_FIELD_MESSAGES);
	else if (c->data_len != n || n == 0 || n >= sizeof(c->data) ||
	    c->data[n] != '\0' || memcmp(c->data, s, n) != 0)
		abort();
}

static void
check_customization(struct req *r, struct json_object *obj, struct code *c)
{
	const struct code_style *st = &c->style;

	r->errmsg[0] = '\0';
	if (field_customization(r, obj, c) != QRE_E_OK) {
		check_refusal(r, CHECK_FIELD_MESSAGES);
		return;
	}
	if (st->size < RENDER_SIZE_MIN || st->size > RENDER_SIZE_MAX ||
	    (st->margin != RENDER_MARGIN_DEFAULT && (st->margin < 0 ||
	    st->margin > RENDER_MARGIN_MAX)) || strchr("LMQH", st->ecc) == NULL ||
	    st->ecc == '\0' || memchr(st->color, '\0', sizeof(st->color)) == NULL ||
	    memchr(st->background, '\0', sizeof(st->background)) == NULL)
		abort();
}

static void
check_fields(struct req *r, struct json_object *obj, struct code *c)
{
	const char *s;
	size_t n;
	int present, b;
	long long v;

	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		check_name(r, obj, names[i], c);
	for (size_t i = 0; i < sizeof(strings) / sizeof(*strings); i++) {
		s = NULL;
		n = 0;
		r->errmsg[0] = '\0';
		if (json_get_string(r, obj, strings[i], &s, &n, &present) !=
		    QRE_E_OK) {
			check_refusal(r, 1);
			continue;
		}
		if (!present)
			continue;
		/* What the getter gives is one C string of valid UTF-8. */
		if (s == NULL || strlen(s) != n || !utf8_valid(s, n))
			abort();
		check_destination(r, strings[i], s, n, c);
	}
	check_customization(r, obj, c);
	r->errmsg[0] = '\0';
	if (json_get_bool(r, obj, "isActive", &b, &present) != QRE_E_OK)
		check_refusal(r, 1);
	r->errmsg[0] = '\0';
	if (json_get_int(r, obj, "size", &v, &present) != QRE_E_OK)
		check_refusal(r, 1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *in, size_t len)
{
	struct json_object *payload = NULL;
	struct code *c = NULL;
	struct req r;
	int present = 0;

	memset(&r, 0, sizeof(r));
	if ((r.body = malloc(len + 1)) == NULL)
		return 0;
	memcpy(r.body, in, len);
	r.body[len] = '\0';
	r.body_len = len;
	if (json_body_parse(&r) != QRE_E_OK) {
		check_refusal(&r, 1);
		if (r.json != NULL)
			abort();	/* a refusal keeps nothing */
		goto done;
	}
	if (r.json == NULL || !json_object_is_type(r.json, json_type_object))
		abort();
	if ((c = calloc(1, sizeof(*c))) == NULL)
		goto done;
	c->kind = RENDER_QR;
	check_fields(&r, r.json, c);
	r.errmsg[0] = '\0';
	if (json_get_object(&r, r.json, "payload", &payload, &present) !=
	    QRE_E_OK)
		check_refusal(&r, 1);
	else if (present)
		check_fields(&r, payload, c);
done:
	free(c);
	req_free(&r);
	return 0;
}
