/* test_router.c: literal and ":param" matching, 404 versus 405, decoding. */
#include <string.h>

#include "router.h"
#include "tap.h"

static enum qre_err h(struct req *r) { (void)r; return QRE_E_OK; }
static enum qre_err h2(struct req *r) { (void)r; return QRE_E_OK; }

static const struct route table[] = {
	{ HTTP_GET, "/healthz", h, 0 },
	{ HTTP_POST, "/api/tokens", h, 0 },
	{ HTTP_GET, "/api/tokens", h2, 0 },
	{ HTTP_DELETE, "/api/tokens/:name", h, 0 },
	{ HTTP_GET, "/api/v1/codes/:id/image", h2, 0 },
	{ HTTP_GET, "/:short", h2, 0 },
};

static const struct route *
match(enum http_method m, const char *path, struct req *r, enum qre_err *e,
    char *allow)
{
	memset(r, 0, sizeof(*r));
	r->method = m;
	strncpy(r->path, path, sizeof(r->path) - 1);
	return router_match(table, sizeof(table) / sizeof(table[0]), r, e,
	    allow, 64);
}

int
main(void)
{
	const struct route *rt;
	char allow[64];
	enum qre_err e;
	struct req r;

	rt = match(HTTP_GET, "/healthz", &r, &e, allow);
	ok(rt == &table[0], "literal");
	rt = match(HTTP_HEAD, "/healthz", &r, &e, allow);
	ok(rt == &table[0], "HEAD goes where GET does");
	rt = match(HTTP_GET, "/api/tokens", &r, &e, allow);
	ok(rt == &table[2], "same path, method chooses");
	rt = match(HTTP_PUT, "/api/tokens", &r, &e, allow);
	ok(rt == NULL && e == QRE_E_METHOD, "PUT is 405");
	is_str(allow, "POST, GET", "Allow lists the methods");
	rt = match(HTTP_GET, "/api/nothing", &r, &e, allow);
	ok(rt == NULL && e == QRE_E_NOT_FOUND, "unknown is 404");
	rt = match(HTTP_DELETE, "/api/tokens/my%20ci%2Fkey", &r, &e, allow);
	ok(rt == &table[3] && r.nparams == 1, "param matched");
	is_str(r.params[0], "my ci/key", "param percent-decoded, '+' kept");
	rt = match(HTTP_DELETE, "/api/tokens/a+b", &r, &e, allow);
	is_str(r.params[0], "a+b", "'+' is not a space in a path");
	rt = match(HTTP_DELETE, "/api/tokens/", &r, &e, allow);
	ok(rt == NULL, "empty param does not match");
	rt = match(HTTP_DELETE, "/api/tokens/a/b", &r, &e, allow);
	ok(rt == NULL && e == QRE_E_NOT_FOUND, "extra segment is 404");
	rt = match(HTTP_DELETE, "/api/tokens/a%00b", &r, &e, allow);
	ok(rt == NULL, "%%00 never matches");
	rt = match(HTTP_DELETE, "/api/tokens/a%zz", &r, &e, allow);
	ok(rt == NULL, "bad escape never matches");
	rt = match(HTTP_GET, "/api/v1/codes/Ab3/image", &r, &e, allow);
	ok(rt == &table[4], "param in the middle");
	is_str(r.params[0], "Ab3", "middle param");
	rt = match(HTTP_POST, "/healthz", &r, &e, allow);
	ok(rt == NULL && e == QRE_E_METHOD, "POST /healthz is 405");
	is_str(allow, "GET", "GET named once though two routes match");
	rt = match(HTTP_GET, "", &r, &e, allow);
	ok(rt == NULL && e == QRE_E_NOT_FOUND, "empty path is 404");
	rt = match(HTTP_GET, "//healthz", &r, &e, allow);
	ok(rt == NULL, "double slash is 404");
	return done_testing();
}
