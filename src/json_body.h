/*
 * json_body.h: the request body as JSON.  Strict RFC 8259 parsing,
 * UTF-8 validated, nesting bounded (a nesting bomb is a 400, not a stack
 * overflow), no member given twice, no "\u0000" in member names; the
 * top level must be an object.  A lone surrogate escape ("\ud800") is
 * 400 invalid_field naming the field.  Members we do not know are
 * ignored.  The getters say which field had the wrong type, for the
 * error message.
 */
#ifndef QRE_JSON_BODY_H
#define QRE_JSON_BODY_H

#include <stddef.h>

#include "errors.h"
#include "request.h"

#define JSON_DEPTH_MAX 16	/* our bodies nest two or three levels */
#define JSON_MEMBERS_MAX 64	/* members of one object; ours have under 20 */
#define JSON_NAME_CMP_MAX 256	/* bytes of a decoded name compared for duplicates */

/* Parse r->body into r->json. */
enum qre_err json_body_parse(struct req *r);
/* Parse buf (for tests and tools); NULL with a reason on failure. */
struct json_object *json_parse_object(const char *buf, size_t len,
    char *why, size_t whysz);

/*
 * Getters on an object (r->json or a nested one).  Absent fields leave
 * *present 0; a wrong type is QRE_E_BAD_FIELD naming the field.
 */
enum qre_err json_get_string(struct req *r, struct json_object *obj,
    const char *field, const char **out, size_t *len, int *present);
enum qre_err json_get_bool(struct req *r, struct json_object *obj,
    const char *field, int *out, int *present);
enum qre_err json_get_int(struct req *r, struct json_object *obj,
    const char *field, long long *out, int *present);
enum qre_err json_get_object(struct req *r, struct json_object *obj,
    const char *field, struct json_object **out, int *present);

#endif
