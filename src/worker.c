/* worker.c: see worker.h. */
#include "compat.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <time.h>

#include <curl/curl.h>
#include <unistd.h>

#include "auth.h"
#include "db.h"
#include "json_body.h"
#include "log.h"
#include "quota.h"
#include "redirect_cache.h"
#include "request.h"
#include "response.h"
#include "router.h"
#include "routes.h"
#include "scan_buffer.h"
#include "worker.h"

#define WORKER_TICK_MS 1000	/* longest wait before checking for a stop */

static volatile sig_atomic_t worker_stop;

static void
on_stop(int sig)
{
	(void)sig;
	worker_stop = 1;
}

/* "application/json", optionally with parameters such as charset. */
static int
is_json_type(const char *ct)
{
	size_t n = strlen("application/json");

	if (ct == NULL || strncasecmp(ct, "application/json", n) != 0)
		return 0;
	return ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ';
}

static int
has_body(enum http_method m)
{
	return m == HTTP_POST || m == HTTP_PUT || m == HTTP_PATCH;
}

static enum qre_err
dispatch(struct req *r, const struct route *routes, size_t nroutes)
{
	const struct route *rt;
	char allow[64];
	enum qre_err e;

	rt = router_match(routes, nroutes, r, &e, allow, sizeof(allow));
	if (rt == NULL) {
		if (e == QRE_E_METHOD) {
			resp_header(r, "Allow", "%s", allow);
			return req_fail(r, e, "%s is not allowed on %s; use %s",
			    r->method_name, r->path, allow);
		}
		return e;
	}
	/* Every authenticated call counts, an oversized one too. */
	if ((rt->flags & ROUTE_AUTH) && ((e = auth_check(r)) != QRE_E_OK ||
	    (e = quota_check(r)) != QRE_E_OK))
		return e;
	if (r->content_length > r->cfg->max_body)
		return req_fail(r, QRE_E_TOO_LARGE, "The request body is larger "
		    "than %ld bytes", r->cfg->max_body);
	if (has_body(r->method) && (e = req_read_body(r)) != QRE_E_OK)
		return e;
	if (rt->flags & ROUTE_JSON) {
		if (r->body_len > 0 && !is_json_type(r->content_type))
			return req_fail(r, QRE_E_MEDIA_TYPE, "Content-Type must "
			    "be application/json, not '%s'",
			    r->content_type ? r->content_type : "");
		if ((e = json_body_parse(r)) != QRE_E_OK)
			return e;
	}
	return rt->handler(r);
}

void
worker_handle(FCGX_Request *fcgx, const struct qre_config *cfg,
    struct worker_state *ws)
{
	worker_handle_routes(fcgx, cfg, ws, qre_routes, qre_nroutes);
}

void
worker_handle_routes(FCGX_Request *fcgx, const struct qre_config *cfg,
    struct worker_state *ws, const struct route *routes, size_t nroutes)
{
	struct db *db = ws->db;
	struct req r;
	enum qre_err e;

	req_init(&r, fcgx, cfg, db);
	r.cache = ws->cache;
	r.scans = ws->scans;
	r.salt = &ws->salt;
	db_request_begin(db);
	e = dispatch(&r, routes, nroutes);
	if (e != QRE_E_OK && r.status == 0) {
		if (e == QRE_E_DB_DOWN)
			resp_header(&r, "Retry-After", "%ld", cfg->db_retry_after);
		if (qre_err_status(e) >= 500)
			log_err("%s %s: %s (%s)", r.method_name, r.path,
			    qre_err_code(e), db_error(db));
		resp_error(&r, e);
	} else if (r.status == 0) {
		log_err("%s %s: handler returned without answering",
		    r.method_name, r.path);
		resp_error(&r, QRE_E_INTERNAL);
	}
	req_free(&r);
}

static void
state_free(struct worker_state *ws)
{
	redirect_cache_free(ws->cache);
	scan_buffer_free(ws->scans);
	db_free(ws->db);
}

static int
state_init(struct worker_state *ws, const struct qre_config *cfg)
{
	memset(ws, 0, sizeof(*ws));
	scan_salt_init(&ws->salt);
	if ((ws->db = db_new(cfg)) == NULL ||
	    (ws->cache = redirect_cache_new(cfg->redirect_cache_ttl)) == NULL ||
	    (ws->scans = scan_buffer_new(cfg)) == NULL) {
		state_free(ws);
		return -1;
	}
	return 0;
}

int
worker_main(int listen_fd, const struct qre_config *cfg)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLEXCLUSIVE };
	struct worker_state ws;
	struct sigaction sa;
	sigset_t block, waitmask;
	FCGX_Request fcgx;
	int ep, rc = 0;

	/* Stop signals wait while a request is in hand (see epoll_pwait). */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &waitmask);
	sigdelset(&waitmask, SIGTERM);
	sigdelset(&waitmask, SIGINT);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGPIPE, &sa, NULL);

	/* libcurl for the webhooks' test ping; once per process. */
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		log_warn("worker: curl_global_init failed: test pings will fail");
	if (state_init(&ws, cfg) == -1) {
		log_err("worker: out of memory");
		return 1;
	}
	if (db_connect(ws.db) != DB_OK)
		log_warn("worker: database not reachable yet: %s",
		    db_error(ws.db));
	/*
	 * EPOLLEXCLUSIVE wakes one idle worker per connection rather than
	 * all of them; the socket is non-blocking, so a worker that lost
	 * the race to accept() just goes back to waiting.
	 */
	if ((ep = epoll_create1(EPOLL_CLOEXEC)) == -1 ||
	    epoll_ctl(ep, EPOLL_CTL_ADD, listen_fd, &ev) == -1) {
		log_err("worker: epoll: %s", strerror(errno));
		state_free(&ws);
		return 1;
	}
	FCGX_InitRequest(&fcgx, listen_fd, 0);
	while (!worker_stop) {
		int n = epoll_pwait(ep, &ev, 1, WORKER_TICK_MS, &waitmask);

		if (n == -1 && errno != EINTR) {
			log_err("worker: epoll_pwait: %s", strerror(errno));
			rc = 1;
			break;
		}
		if (n == 1 && (n = FCGX_Accept_r(&fcgx)) >= 0) {
			worker_handle(&fcgx, cfg, &ws);
			FCGX_Finish_r(&fcgx);
		} else if (n < 0 && n != -1 && n != -EAGAIN &&
		    n != -EWOULDBLOCK && n != -EINTR && n != -ECONNABORTED)
			log_warn("worker: accept: %s", strerror(-n));
	}
	FCGX_Free(&fcgx, 0);
	close(ep);
	/* Stopping or reloading: the writer stores what is buffered first. */
	state_free(&ws);
	return rc;
}
