/*
 * code_view.h: a code as the codes API shows it, and its image as a
 * data URI.  Images are not stored: they are rendered again from the
 * code's data and style (a 300 px QR PNG takes well under a millisecond).
 */
#ifndef QRE_CODE_VIEW_H
#define QRE_CODE_VIEW_H

#include "errors.h"
#include "render.h"
#include "request.h"
#include "store_codes.h"

struct json_object;

/* Render c; RENDER_EINPUT becomes 422 with the renderer's reason. */
enum qre_err code_image(struct req *r, const struct code *c,
    struct render_result *img);
/* "data:image/png;base64,..." as a JSON string (NULL when out of memory). */
struct json_object *image_data_uri(const struct render_result *img);
/* "<public_url>/<shortCode>" into buf; -1 if it does not fit. */
int short_url(const struct req *r, const char *short_code, char *buf,
    size_t bufsz);
/* The code's fields; with_image adds imageBase64 (rendered here). */
enum qre_err code_json(struct req *r, const struct code *c, int with_image,
    struct json_object **out);

/* The code as the v1 API shows it. */
struct json_object *code_v1_json(const struct req *r, const struct code *c);
/* A lifecycle event's payload about c (malloc'd string, NULL: no memory). */
char *code_event_json(const struct req *r, const struct code *c);

#endif
