/* response.c: see response.h. */
#include "compat.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "log.h"
#include "response.h"

int
resp_header(struct req *r, const char *name, const char *fmt, ...)
{
	size_t room = sizeof(r->headers) - r->headers_len;
	char *p = r->headers + r->headers_len;
	va_list ap;
	int n, m;

	n = snprintf(p, room, "%s: ", name);
	if (n < 0 || (size_t)n >= room)
		goto full;
	va_start(ap, fmt);
	m = vsnprintf(p + n, room - (size_t)n, fmt, ap);
	va_end(ap);
	if (m < 0 || (size_t)(n + m + 2) >= room)
		goto full;
	memcpy(p + n + m, "\r\n", 3);
	r->headers_len += (size_t)(n + m + 2);
	return 0;
full:
	r->headers[r->headers_len] = '\0';
	log_err("response header space full at %s", name);
	return -1;
}

void
resp_send(struct req *r, int status, const char *content_type,
    const void *body, size_t len)
{
	FCGX_Stream *out = r->fcgx->out;
	char head[256];
	int n;

	if (r->status != 0) {
		log_err("%s %s: answered twice", r->method_name, r->path);
		return;
	}
	r->status = status;
	/* libfcgi's own FCGX_FPrintF knows no %zu: format here instead. */
	n = snprintf(head, sizeof(head), "Status: %d %s\r\nContent-Type: %s\r\n"
	    "Content-Length: %zu\r\n", status, http_reason(status),
	    content_type, len);
	if (n < 0 || (size_t)n >= sizeof(head)) {
		log_err("response head too long for %s", content_type);
		n = snprintf(head, sizeof(head), "Status: 500 Internal Server "
		    "Error\r\nContent-Length: 0\r\n");
		len = 0;
	}
	FCGX_PutStr(head, n, out);
	if (r->headers_len > 0)
		FCGX_PutStr(r->headers, (int)r->headers_len, out);
	FCGX_PutStr("\r\n", 2, out);
	if (r->method != HTTP_HEAD && len > 0)
		FCGX_PutStr(body, (int)len, out);
}

static void
resp_json(struct req *r, int status, struct json_object *obj)
{
	size_t len;
	const char *s;

	s = json_object_to_json_string_length(obj,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
	if (s == NULL) {
		static const char oom[] = "{\"success\":false,\"error\":"
		    "{\"code\":\"internal_error\",\"message\":\"Out of memory\"}}";

		resp_send(r, 500, "application/json", oom, sizeof(oom) - 1);
		return;
	}
	resp_send(r, status, "application/json", s, len);
}

void
resp_ok(struct req *r, int status, struct json_object *data,
    const char *message)
{
	struct json_object *env = json_object_new_object();

	json_object_object_add(env, "success", json_object_new_boolean(1));
	if (data != NULL)
		json_object_object_add(env, "data", data);
	if (message != NULL)
		json_object_object_add(env, "message",
		    json_object_new_string(message));
	resp_json(r, status, env);
	json_object_put(env);
}

void
resp_page(struct req *r, struct json_object *list, const struct resp_page *pg)
{
	struct json_object *env = json_object_new_object();
	struct json_object *p = json_object_new_object();

	/* Page mode keeps exactly the members it always had. */
	if (!pg->by_cursor)
		json_object_object_add(p, "page", json_object_new_int64(pg->page));
	json_object_object_add(p, "perPage", json_object_new_int64(pg->per));
	json_object_object_add(p, "total", json_object_new_int64(pg->total));
	json_object_object_add(p, "totalPages",
	    json_object_new_int64((pg->total + pg->per - 1) / pg->per));
	if (pg->by_cursor)
		json_object_object_add(p, "nextCursor", pg->next != NULL ?
		    json_object_new_string(pg->next) : NULL);
	json_object_object_add(env, "success", json_object_new_boolean(1));
	json_object_object_add(env, "data", list);
	json_object_object_add(env, "pagination", p);
	resp_json(r, 200, env);
	json_object_put(env);
}

void
resp_error(struct req *r, enum qre_err e)
{
	struct json_object *env = json_object_new_object();
	struct json_object *err = json_object_new_object();
	const char *msg = r->errmsg[0] ? r->errmsg : qre_err_message(e);

	json_object_object_add(err, "code",
	    json_object_new_string(qre_err_code(e)));
	json_object_object_add(err, "message", json_object_new_string(msg));
	json_object_object_add(env, "success", json_object_new_boolean(0));
	json_object_object_add(env, "error", err);
	resp_json(r, qre_err_status(e), env);
	json_object_put(env);
}
