/* router.c: see router.h. */
#include "compat.h"

#include <stdio.h>
#include <string.h>

#include "router.h"

static const char *const method_names[] = {
	[HTTP_GET] = "GET", [HTTP_HEAD] = "HEAD", [HTTP_POST] = "POST",
	[HTTP_PUT] = "PUT", [HTTP_PATCH] = "PATCH", [HTTP_DELETE] = "DELETE",
	[HTTP_OPTIONS] = "OPTIONS", [HTTP_OTHER] = "",
};

/* 1 if path fits pattern; decoded ":name" segments go to params. */
static int
path_match(const char *pattern, const char *path,
    char params[REQ_PARAMS_MAX][REQ_PARAM_MAX], size_t *nparams)
{
	size_t np = 0;

	for (;;) {
		const char *pe, *se;
		size_t plen, slen;

		if (*pattern != '/' || *path != '/')
			return 0;
		pattern++;
		path++;
		pe = strchr(pattern, '/');
		se = strchr(path, '/');
		plen = pe ? (size_t)(pe - pattern) : strlen(pattern);
		slen = se ? (size_t)(se - path) : strlen(path);
		if (pattern[0] == ':') {
			if (slen == 0 || np == REQ_PARAMS_MAX ||
			    url_decode(path, slen, params[np], REQ_PARAM_MAX, 0) != 0)
				return 0;
			np++;
		} else if (plen != slen || memcmp(pattern, path, plen) != 0)
			return 0;
		pattern += plen;
		path += slen;
		if (*pattern == '\0' && *path == '\0')
			break;
	}
	*nparams = np;
	return 1;
}

static int
method_listed(const char *allow, const char *m)
{
	size_t n = strlen(m);

	for (const char *p = allow; (p = strstr(p, m)) != NULL; p += n)
		if ((p == allow || p[-1] == ' ') && (p[n] == ',' || p[n] == '\0'))
			return 1;
	return 0;
}

const struct route *
router_match(const struct route *routes, size_t n, struct req *r,
    enum qre_err *err, char *allow, size_t allowsz)
{
	char params[REQ_PARAMS_MAX][REQ_PARAM_MAX];
	size_t np, alen = 0;
	int path_seen = 0;

	allow[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		const struct route *rt = &routes[i];
		int method_ok;

		if (!path_match(rt->pattern, r->path, params, &np))
			continue;
		/* HEAD is answered wherever GET is, without the body. */
		method_ok = rt->method == r->method ||
		    (rt->method == HTTP_GET && r->method == HTTP_HEAD);
		if (method_ok) {
			memcpy(r->params, params, sizeof(params));
			r->nparams = np;
			return rt;
		}
		path_seen = 1;
		/* /healthz is also a one-segment path: name each method once. */
		if (method_listed(allow, method_names[rt->method]))
			continue;
		if (alen + 10 < allowsz) {
			int w = snprintf(allow + alen, allowsz - alen, "%s%s",
			    alen ? ", " : "", method_names[rt->method]);

			if (w > 0 && (size_t)w < allowsz - alen)
				alen += (size_t)w;
		}
	}
	*err = path_seen ? QRE_E_METHOD : QRE_E_NOT_FOUND;
	return NULL;
}
