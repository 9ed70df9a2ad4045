/*
 * test_response.c: what response.c writes to FastCGI: the status line
 * and headers, the JSON envelope of resp_ok, the error envelope of
 * resp_error (the table's message or the request's own), no body for
 * HEAD, one answer per request, and a full header space.
 */
#include "compat.h"

#include <string.h>

#include <json-c/json.h>

#include "fcgi_mem.h"
#include "response.h"
#include "tap.h"

static struct fcgi_mem m;
static struct req r;

static void
fresh(enum http_method method)
{
	fcgi_mem_init(&m);
	memset(&r, 0, sizeof(r));
	r.fcgx = &m.req;
	r.method = method;
	r.method_name = method == HTTP_HEAD ? "HEAD" : "GET";
}

int
main(void)
{
	char value[REQ_HEADERS_MAX];
	int n;

	fresh(HTTP_GET);
	resp_send(&r, 201, "text/plain", "hi", 2);
	is_str(fcgi_mem_output(&m), "Status: 201 Created\r\nContent-Type: "
	    "text/plain\r\nContent-Length: 2\r\n\r\nhi", "status line, type, "
	    "length, body");
	is_int(r.status, 201, "the status is remembered");
	resp_send(&r, 500, "text/plain", "again", 5);
	is_str(fcgi_mem_answer_body(&m), "hi", "a second answer is dropped");

	fresh(HTTP_HEAD);
	resp_send(&r, 200, "image/png", "\x89PNG", 4);
	is_str(fcgi_mem_output(&m), "Status: 200 OK\r\nContent-Type: image/png"
	    "\r\nContent-Length: 4\r\n\r\n", "HEAD: the length, no body");

	fresh(HTTP_GET);
	is_int(resp_header(&r, "Location", "https://x.test/%s", "a b"), 0,
	    "resp_header: room");
	is_int(resp_header(&r, "Retry-After", "%d", 5), 0, "a second header");
	resp_send(&r, 302, "text/plain", NULL, 0);
	is_str(fcgi_mem_output(&m), "Status: 302 Found\r\nContent-Type: "
	    "text/plain\r\nContent-Length: 0\r\nLocation: https://x.test/a b\r\n"
	    "Retry-After: 5\r\n\r\n", "headers after the fixed ones, in order");

	fresh(HTTP_GET);
	resp_ok(&r, 200, json_object_new_int(3), NULL);
	is_str(fcgi_mem_answer_body(&m), "{\"success\":true,\"data\":3}",
	    "resp_ok: the envelope");
	ok(fcgi_mem_has_header(&m, "Content-Type: application/json"),
	    "resp_ok: application/json");

	fresh(HTTP_GET);
	resp_ok(&r, 201, NULL, "Made /a/b");
	is_str(fcgi_mem_answer_body(&m), "{\"success\":true,\"message\":"
	    "\"Made /a/b\"}", "no data, a message (slashes not escaped)");
	ok(fcgi_mem_has_header(&m, "Status: 201 Created"), "resp_ok: its status");

	fresh(HTTP_GET);
	resp_error(&r, QRE_E_NOT_FOUND);
	ok(fcgi_mem_has_header(&m, "Status: 404 Not Found"), "resp_error: 404");
	is_str(fcgi_mem_answer_body(&m), "{\"success\":false,\"error\":{\"code\":"
	    "\"not_found\",\"message\":\"No such resource\"}}",
	    "the error envelope with the table's message");

	fresh(HTTP_GET);
	(void)req_fail(&r, QRE_E_UNPROCESSABLE, "size must be \"%d\"", 9);
	resp_error(&r, QRE_E_UNPROCESSABLE);
	ok(fcgi_mem_has_header(&m, "Status: 422 Unprocessable Entity"),
	    "resp_error: 422");
	is_str(fcgi_mem_answer_body(&m), "{\"success\":false,\"error\":{\"code\":"
	    "\"unprocessable\",\"message\":\"size must be \\\"9\\\"\"}}",
	    "the request's own message, JSON-escaped");

	fresh(HTTP_HEAD);
	resp_error(&r, QRE_E_DB_DOWN);
	ok(fcgi_mem_has_header(&m, "Status: 503 Service Unavailable"),
	    "HEAD: 503");
	is_str(fcgi_mem_answer_body(&m), "", "HEAD: no error body");

	/* The header space: full is -1, and what was there is kept. */
	fresh(HTTP_GET);
	memset(value, 'v', sizeof(value) - 1);
	value[sizeof(value) - 1] = '\0';
	is_int(resp_header(&r, "A", "1"), 0, "a small header");
	is_int(resp_header(&r, "Big", "%s", value), -1, "a header past the "
	    "room: -1");
	is_str(r.headers, "A: 1\r\n", "the headers before it are kept");
	n = (int)(sizeof(r.headers) - r.headers_len - strlen("B: \r\n") - 1);
	value[n] = '\0';
	is_int(resp_header(&r, "B", "%s", value), 0, "a header that just fits");
	is_int(r.headers_len, sizeof(r.headers) - 1, "the space is full");
	return done_testing();
}
