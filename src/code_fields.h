/*
 * code_fields.h: validation of the code fields both API surfaces accept
 * (api-reference.md, "Input limits"), each refusal naming the field:
 * 400 for a wrong JSON type, 422 for a value out of range.
 */
#ifndef QRE_CODE_FIELDS_H
#define QRE_CODE_FIELDS_H

#include "errors.h"
#include "request.h"
#include "store_codes.h"

struct json_object;

/* Optional "name"-like field (field names it): 1..200 printable characters. */
enum qre_err field_name(struct req *r, struct json_object *obj,
    const char *field, struct code *c, int *present);
/*
 * A destination of 1..CODE_TARGET_BYTES bytes: "http(s)://..." of at
 * most 2,048 characters is a URL, anything else is text.  want forces
 * one kind.
 */
enum qre_err field_destination(struct req *r, const char *field,
    const char *s, size_t len, enum code_target want, struct code *c);
/* A static code's data: 1..CODE_DATA_BYTES bytes, copied into c->data. */
enum qre_err field_data(struct req *r, const char *field, const char *s,
    size_t len, struct code *c);
/* The "customization" object into c->style (defaults when absent). */
enum qre_err field_customization(struct req *r, struct json_object *obj,
    struct code *c);
/* 1 if s[0..len) is an http(s) URL we accept as a destination. */
int is_http_url(const char *s, size_t len);
/* Fill a render_spec for c (encoding c->data). */
void code_render_spec(const struct code *c, struct render_spec *spec);

#endif
