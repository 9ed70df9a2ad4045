/*
 * request.h: one struct req per FastCGI request, built by req_init(),
 * freed by req_free() in one place (worker.c).  Handlers read the method,
 * path parameters, query and parsed JSON body from it, and answer through
 * response.h.  Nothing here outlives the request.
 */
#ifndef QRE_REQUEST_H
#define QRE_REQUEST_H

#include <stddef.h>

#include <fcgiapp.h>

#include "config.h"
#include "errors.h"
#include "plan.h"

#define REQ_PATH_MAX 2048	/* longer paths are 404 (414 is not ours) */
#define REQ_PARAMS_MAX 4	/* ":name" segments in one route */
#define REQ_PARAM_MAX 256	/* bytes of one decoded path segment */
#define REQ_HEADERS_MAX 8192	/* extra response header bytes (Location up to 2 KiB) */
#define REQ_ERRMSG_MAX 512	/* an error message naming the field */

struct db;
struct json_object;
struct worker_state;

enum http_method { HTTP_GET, HTTP_HEAD, HTTP_POST, HTTP_PUT, HTTP_PATCH,
	HTTP_DELETE, HTTP_OPTIONS, HTTP_OTHER };

/* Who is calling, once auth_check() has passed. */
struct auth {
	int ok;
	long long account_id;
	long long token_id;
	enum plan plan;
};

struct req {
	FCGX_Request *fcgx;
	const struct qre_config *cfg;
	struct db *db;
	struct worker_state *ws;	/* the worker's caches and scan buffer */

	enum http_method method;
	const char *method_name;
	char path[REQ_PATH_MAX];	/* raw path of REQUEST_URI, no query */
	const char *query;		/* raw query string, "" if none */
	const char *authorization;
	const char *content_type;
	long long content_length;	/* -1 when not given */

	char params[REQ_PARAMS_MAX][REQ_PARAM_MAX];	/* decoded ":name" segments */
	size_t nparams;

	char *body;			/* NUL-terminated, or NULL */
	size_t body_len;
	struct json_object *json;	/* parsed body (json_body.c), owned */

	struct auth auth;

	/* response state */
	char headers[REQ_HEADERS_MAX];	/* extra "Name: value\r\n" lines */
	size_t headers_len;
	char errmsg[REQ_ERRMSG_MAX];	/* overrides the table's message */
	int status;			/* 0 until answered */
};

/* Fill r from the FastCGI parameters; the body is read later. */
void req_init(struct req *r, FCGX_Request *fcgx, const struct qre_config *cfg,
    struct worker_state *ws);
void req_free(struct req *r);
/* Read the body up to cfg->max_body; QRE_E_TOO_LARGE past it. */
enum qre_err req_read_body(struct req *r);
/* A parameter of the FastCGI environment (e.g. "GEOIP_COUNTRY_CODE"). */
const char *req_env(const struct req *r, const char *name);
/*
 * The value of "name" in the query string, percent-decoded into buf;
 * 1 found, 0 absent, -1 malformed or too long.
 */
int req_query(const struct req *r, const char *name, char *buf, size_t bufsz);
/*
 * A whole-number query parameter in [min, max]: digits and an optional
 * minus only.  Absent leaves *out alone; a malformed one is 400, out of
 * range 422, both naming the parameter.
 */
enum qre_err req_query_int(struct req *r, const char *name, long long min,
    long long max, long long *out);
/*
 * Set a message for the error about to be returned; returns e.  The
 * message is made valid UTF-8 (bytes that are not become U+FFFD) and is
 * cut, if it must be, between characters.
 */
enum qre_err req_fail(struct req *r, enum qre_err e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/*
 * Percent-decode src[0..len) into dst ('+' is a space only in query
 * strings); -1 on bad escapes, a NUL byte or overflow.
 */
int url_decode(const char *src, size_t len, char *dst, size_t dstsz,
    int plus_space);

#endif
