/*
 * webhook_http.h: one delivery attempt as a libcurl easy handle, for the
 * sender's multi handle or a synchronous ping.  The destination is
 * checked against the SSRF rules and its address pinned (a name; an
 * address literal is connected to as it is); redirects are not
 * followed; only http and https; connect and total timeouts; the
 * receiver's body is read and dropped (only its status and Retry-After
 * count).  Headers: Content-Type, User-Agent, X-Qregg-Signature (and
 * X-Qregg-Signature-New during a rotation's overlap, see webhook_sign.h),
 * webhook-id, webhook-timestamp and webhook-signature.
 *
 * A call that fails is recorded with a stable text of ours ("connection
 * refused", "certificate not trusted", "timed out after 10000 ms"), the
 * same whatever the versions of libcurl and OpenSSL; their own words go
 * to the log.
 */
#ifndef QRE_WEBHOOK_HTTP_H
#define QRE_WEBHOOK_HTTP_H

#include <curl/curl.h>

#include "ssrf.h"
#include "store_webhooks.h"

#define WEBHOOK_USER_AGENT "qre-webhooks/1.0"

struct webhook_call {
	CURL *easy;
	struct curl_slist *headers;
	struct curl_slist *pin;		/* CURLOPT_RESOLVE: the checked address */
	char errbuf[CURL_ERROR_SIZE];
	char host[SSRF_HOST_MAX + 1];	/* for the log */
	int port;
	long connect_timeout_ms, timeout_ms;
	long long started_ms;
	long retry_after;		/* seconds, -1 when not sent */
	void *arg;			/* the caller's */
};

/* What the operator allows every call (from the config's webhook_*). */
struct webhook_call_limits {
	const char *allow_cidrs;	/* private ranges allowed (ssrf.h) */
	long connect_timeout_ms, timeout_ms;
};

/* Set up a call; -1 with why when the URL may not be reached (SSRF). */
int webhook_call_init(struct webhook_call *call,
    const struct webhook_call_limits *lim, const struct webhook *w,
    const struct delivery *d, char *why, size_t whysz);
void webhook_call_free(struct webhook_call *call);

struct webhook_outcome {
	long code;			/* HTTP status, 0 when none */
	char error[DELIVERY_ERROR_MAX + 1];	/* "" when the answer was 2xx */
	long long duration_ms;
	long retry_after;
	int ok;				/* 2xx */
};
/* What a finished call came to (res from curl_easy_perform or the multi). */
void webhook_call_outcome(struct webhook_call *call, CURLcode res,
    struct webhook_outcome *out);

/* What is known of a call that failed, for webhook_failure_text(). */
struct webhook_failure {
	CURLcode res;
	long os_errno;			/* CURLINFO_OS_ERRNO */
	long verify_result;		/* CURLINFO_SSL_VERIFYRESULT */
	int connected;			/* the TCP connection was made */
	long connect_timeout_ms, timeout_ms;
};
/* The stable text a failed call is recorded and shown with. */
void webhook_failure_text(const struct webhook_failure *f, char *out,
    size_t outsz);

#endif
