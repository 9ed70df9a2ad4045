/* request.c: see request.h. */
#include "util.h"
#include "compat.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "request.h"
#include "text.h"
#include "worker.h"

static const struct {
	const char *name;
	enum http_method m;
} methods[] = {
	{ "GET", HTTP_GET }, { "HEAD", HTTP_HEAD }, { "POST", HTTP_POST },
	{ "PUT", HTTP_PUT }, { "PATCH", HTTP_PATCH }, { "DELETE", HTTP_DELETE },
	{ "OPTIONS", HTTP_OPTIONS },
};

void
req_init(struct req *r, FCGX_Request *fcgx, const struct qre_config *cfg,
    struct worker_state *ws)
{
	const char *uri, *q, *cl;
	size_t plen;

	memset(r, 0, sizeof(*r));
	r->fcgx = fcgx;
	r->cfg = cfg;
	r->ws = ws;
	r->db = ws->db;
	r->method_name = req_env(r, "REQUEST_METHOD");
	if (r->method_name == NULL)
		r->method_name = "";
	r->method = HTTP_OTHER;
	for (size_t i = 0; i < QRE_NELEM(methods); i++)
		if (strcmp(r->method_name, methods[i].name) == 0)
			r->method = methods[i].m;

	/* The raw URI, so that "%2F" or "%00" never turn into path syntax. */
	uri = req_env(r, "REQUEST_URI");
	if (uri == NULL)
		uri = "/";
	q = strchr(uri, '?');
	plen = q ? (size_t)(q - uri) : strlen(uri);
	if (plen >= sizeof(r->path))
		plen = 0;	/* routes as "", which is a 404 */
	memcpy(r->path, uri, plen);
	r->path[plen] = '\0';
	r->query = q ? q + 1 : "";

	r->authorization = req_env(r, "HTTP_AUTHORIZATION");
	r->content_type = req_env(r, "CONTENT_TYPE");
	r->content_length = -1;
	if ((cl = req_env(r, "CONTENT_LENGTH")) != NULL && *cl != '\0') {
		char *end;
		long long v = strtoll(cl, &end, 10);

		r->content_length = (*end == '\0' && v >= 0) ? v : -1;
	}
}

void
req_free(struct req *r)
{
	if (r == NULL)
		return;
	free(r->body);
	r->body = NULL;
	if (r->json != NULL)
		json_object_put(r->json);
	r->json = NULL;
}

const char *
req_env(const struct req *r, const char *name)
{
	return FCGX_GetParam(name, r->fcgx->envp);
}

enum qre_err
req_read_body(struct req *r)
{
	size_t max = (size_t)r->cfg->max_body, want, cap;
	int n;

	if (r->body != NULL)
		return QRE_E_OK;
	if (r->content_length > (long long)max)
		return req_fail(r, QRE_E_TOO_LARGE,
		    "The request body is larger than %zu bytes", max);
	/* Without a length, read until EOF but never past max + 1. */
	want = r->content_length >= 0 ? (size_t)r->content_length : max + 1;
	cap = want + 1;
	if ((r->body = malloc(cap)) == NULL)
		return QRE_E_INTERNAL;
	n = want > 0 ? FCGX_GetStr(r->body, (int)want, r->fcgx->in) : 0;
	if (n < 0)
		n = 0;
	r->body_len = (size_t)n;
	r->body[r->body_len] = '\0';
	if (r->body_len > max)
		return req_fail(r, QRE_E_TOO_LARGE,
		    "The request body is larger than %zu bytes", max);
	return QRE_E_OK;
}

enum qre_err
req_fail(struct req *r, enum qre_err e, const char *fmt, ...)
{
	char raw[REQ_ERRMSG_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	/* A cut message still names the field: it comes first. */
	n = vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	if (n < 0) {
		r->errmsg[0] = '\0';	/* the table's message */
		return e;
	}
	/*
	 * Messages quote input (ids from the path, values cut at a byte
	 * count): made valid UTF-8 here, once for every caller, since the
	 * message goes out in a JSON string.
	 */
	(void)utf8_clean(r->errmsg, sizeof(r->errmsg), raw,
	    (size_t)n < sizeof(raw) ? (size_t)n : sizeof(raw) - 1,
	    (size_t)n >= sizeof(raw));
	return e;
}

int
url_decode(const char *src, size_t len, char *dst, size_t dstsz, int plus_space)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		int c = (unsigned char)src[i];

		if (c == '%') {
			int hi, lo;

			if (i + 2 >= len || (hi = hex_digit(src[i + 1])) < 0 ||
			    (lo = hex_digit(src[i + 2])) < 0)
				return -1;
			c = hi * 16 + lo;
			i += 2;
		} else if (c == '+' && plus_space)
			c = ' ';
		if (c == '\0' || o + 1 >= dstsz)
			return -1;
		dst[o++] = (char)c;
	}
	dst[o] = '\0';
	return 0;
}

int
req_query(const struct req *r, const char *name, char *buf, size_t bufsz)
{
	size_t nlen = strlen(name);
	const char *p = r->query;

	while (*p != '\0') {
		const char *amp = strchr(p, '&');
		size_t plen = amp ? (size_t)(amp - p) : strlen(p);

		if (plen >= nlen && strncmp(p, name, nlen) == 0 &&
		    (plen == nlen || p[nlen] == '=')) {
			const char *v = plen == nlen ? p + plen : p + nlen + 1;
			size_t vlen = plen == nlen ? 0 : plen - nlen - 1;

			return url_decode(v, vlen, buf, bufsz, 1) == 0 ? 1 : -1;
		}
		if (amp == NULL)
			break;
		p = amp + 1;
	}
	return 0;
}

enum qre_err
req_query_int(struct req *r, const char *name, long long min, long long max,
    long long *out)
{
	char buf[32], *end;
	const char *digits;
	long long v;
	int got = req_query(r, name, buf, sizeof(buf));

	if (got == 0)
		return QRE_E_OK;
	digits = buf + (buf[0] == '-');
	/* No "+2", " 5" or "0x10": what strtoll would let through. */
	if (got < 0 || *digits == '\0' ||
	    strspn(digits, "0123456789") != strlen(digits))
		return req_fail(r, QRE_E_BAD_FIELD, "%s must be an integer", name);
	errno = 0;
	v = strtoll(buf, &end, 10);
	if (errno != 0 || v < min || v > max)
		return req_fail(r, QRE_E_UNPROCESSABLE,
		    "%s must be between %lld and %lld", name, min, max);
	*out = v;
	return QRE_E_OK;
}
