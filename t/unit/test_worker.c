/*
 * test_worker.c: worker_handle() answers a request given in memory (no
 * socket, no database): 404 and 405 from the router, 401 before any
 * database read, 413 and 415 before the handler, the JSON error
 * envelope, and a 500 for a handler that answers nothing.
 */
#include "compat.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "config.h"
#include "db.h"
#include "fcgi_mem.h"
#include "response.h"
#include "router.h"
#include "tap.h"
#include "worker.h"

static struct qre_config cfg;
static struct worker_state ws;
static struct fcgi_mem m;
static int handler_ran;

/* {"got": <the body's "a">}: proof that the handler saw the parsed body. */
static enum qre_err
echo(struct req *r)
{
	struct json_object *a = NULL, *data = json_object_new_object();

	handler_ran++;
	if (r->json != NULL)
		json_object_object_get_ex(r->json, "a", &a);
	json_object_object_add(data, "got", json_object_get(a));
	resp_ok(r, 200, data, NULL);
	return QRE_E_OK;
}

static enum qre_err
silent(struct req *r)
{
	handler_ran++;
	return QRE_E_OK;
}

static const struct route test_routes[] = {
	{ HTTP_POST,	"/echo",	echo,	ROUTE_JSON },
	{ HTTP_PUT,	"/echo",	echo,	ROUTE_PUBLIC },
	{ HTTP_GET,	"/silent",	silent,	ROUTE_PUBLIC },
};

/* A request: method, URI, then NAME, value pairs up to NULL. */
static void
request(const struct route *routes, size_t n, const char *method,
    const char *uri, const char *body, ...)
{
	va_list ap;
	const char *name;

	fcgi_mem_init(&m);
	fcgi_mem_param(&m, "REQUEST_METHOD", method);
	fcgi_mem_param(&m, "REQUEST_URI", uri);
	va_start(ap, body);
	while ((name = va_arg(ap, const char *)) != NULL)
		fcgi_mem_param(&m, name, va_arg(ap, const char *));
	va_end(ap);
	if (body != NULL)
		fcgi_mem_body(&m, body, strlen(body));
	handler_ran = 0;
	if (routes == NULL)
		worker_handle(&m.req, &cfg, &ws);
	else
		worker_handle_routes(&m.req, &cfg, &ws, routes, n);
}

/* The answer's JSON body, its error code and message. */
static void
is_error(const char *code, const char *message, const char *what)
{
	struct json_object *o, *err = NULL, *v;
	const char *body = fcgi_mem_answer_body(&m);

	o = body != NULL ? json_tokener_parse(body) : NULL;
	ok(o != NULL && json_object_object_get_ex(o, "success", &v) &&
	    json_object_get_boolean(v) == 0, "%s: success is false", what);
	json_object_object_get_ex(o, "error", &err);
	is_str(json_object_object_get_ex(err, "code", &v) ?
	    json_object_get_string(v) : NULL, code, "%s: code", what);
	if (message != NULL)
		is_str(json_object_object_get_ex(err, "message", &v) ?
		    json_object_get_string(v) : NULL, message, "%s: message",
		    what);
	json_object_put(o);
}

int
main(void)
{
	static char big[2048];
	char len[32];

	config_defaults(&cfg);
	cfg.max_body = 1024;
	memset(&ws, 0, sizeof(ws));
	scan_salt_init(&ws.salt);
	if ((ws.db = db_new(&cfg)) == NULL)
		abort();

	/* The application's own routes. */
	request(NULL, 0, "GET", "/api/no/such/thing", NULL, NULL);
	ok(fcgi_mem_has_header(&m, "Status: 404 Not Found"), "unknown path: 404");
	ok(fcgi_mem_has_header(&m, "Content-Type: application/json"),
	    "404: JSON");
	is_error("not_found", "No such resource", "404");

	request(NULL, 0, "DELETE", "/healthz", NULL, NULL);
	ok(fcgi_mem_has_header(&m, "Status: 405 Method Not Allowed"),
	    "DELETE /healthz: 405");
	ok(fcgi_mem_has_header(&m, "Allow: GET"), "405 says Allow: GET");
	is_error("method_not_allowed",
	    "DELETE is not allowed on /healthz; use GET", "405");

	request(NULL, 0, "GET", "/api/codes?page=1", NULL, NULL);
	ok(fcgi_mem_has_header(&m, "Status: 401 Unauthorized"),
	    "no token: 401 (no database asked)");
	is_error("unauthorized", "Missing Authorization: Bearer token", "401");

	request(NULL, 0, "GET", "/api/codes", NULL,
	    "HTTP_AUTHORIZATION", "Basic dXNlcjpwYXNz", NULL);
	ok(fcgi_mem_has_header(&m, "Status: 401 Unauthorized"),
	    "a Basic credential: 401");
	is_error("unauthorized", "Malformed bearer token: expected "
	    "'Authorization: Bearer qre_...'", "malformed token");

	/* A table of the test's own: what happens before a handler runs. */
#define T test_routes, QRE_NELEM(test_routes)
	request(T, "POST", "/echo", "{\"a\":7}",
	    "CONTENT_TYPE", "application/json; charset=utf-8",
	    "CONTENT_LENGTH", "7", NULL);
	ok(fcgi_mem_has_header(&m, "Status: 200 OK"), "JSON body: 200");
	is_str(fcgi_mem_answer_body(&m), "{\"success\":true,\"data\":{\"got\":7}}",
	    "the handler saw the parsed body");

	request(T, "POST", "/echo", "{\"a\":7}", "CONTENT_TYPE", "text/plain",
	    NULL);
	ok(fcgi_mem_has_header(&m, "Status: 415 Unsupported Media Type"),
	    "text/plain: 415");
	is_error("unsupported_media_type", "Content-Type must be "
	    "application/json, not 'text/plain'", "415");
	is_int(handler_ran, 0, "415: the handler did not run");

	request(T, "POST", "/echo", "{\"a\":7}", "CONTENT_TYPE",
	    "application/jsonx", NULL);
	ok(fcgi_mem_has_header(&m, "Status: 415 Unsupported Media Type"),
	    "application/jsonx: 415");

	request(T, "POST", "/echo", "{}", "CONTENT_TYPE", "application/json",
	    "CONTENT_LENGTH", "1025", NULL);
	ok(fcgi_mem_has_header(&m, "Status: 413 Payload Too Large"),
	    "Content-Length past max_body: 413");
	is_error("payload_too_large",
	    "The request body is larger than 1024 bytes", "413");
	is_int(handler_ran, 0, "413: the handler did not run");

	/* No Content-Length: read until max_body + 1. */
	memset(big, ' ', sizeof(big) - 1);
	big[0] = '{';
	big[sizeof(big) - 2] = '}';
	request(T, "PUT", "/echo", big, "CONTENT_TYPE", "application/json", NULL);
	ok(fcgi_mem_has_header(&m, "Status: 413 Payload Too Large"),
	    "a body past max_body without a length: 413");
	is_int(handler_ran, 0, "the handler did not run");

	/* Exactly max_body bytes is fine. */
	big[1023] = '}';
	big[1024] = '\0';
	(void)snprintf(len, sizeof(len), "%d", 1024);
	request(T, "POST", "/echo", big, "CONTENT_TYPE", "application/json",
	    "CONTENT_LENGTH", len, NULL);
	ok(fcgi_mem_has_header(&m, "Status: 200 OK"), "max_body bytes: 200");

	request(T, "POST", "/echo", "{\"a\":", "CONTENT_TYPE",
	    "application/json", NULL);
	ok(fcgi_mem_has_header(&m, "Status: 400 Bad Request"), "bad JSON: 400");
	is_error("invalid_json", NULL, "bad JSON");

	request(T, "GET", "/silent", NULL, NULL);
	is_int(handler_ran, 1, "the silent handler ran");
	ok(fcgi_mem_has_header(&m, "Status: 500 Internal Server Error"),
	    "a handler that answers nothing: 500");
	is_error("internal_error", "Internal error", "500");

	request(T, "HEAD", "/silent", NULL, NULL);
	is_int(handler_ran, 1, "HEAD runs the GET route");
	ok(fcgi_mem_has_header(&m, "Status: 500 Internal Server Error"),
	    "HEAD: the same status");
	ok(fcgi_mem_has_header(&m, "Content-Length: 78"),
	    "HEAD: the GET answer's length");
	is_str(fcgi_mem_answer_body(&m), "", "HEAD: no body");

	db_free(ws.db);
	return done_testing();
}
