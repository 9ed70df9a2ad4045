/*
 * webhook_http.h: one delivery attempt as a libcurl easy handle, for the
 * sender's multi handle or a synchronous ping.  The destination is
 * checked against the SSRF rules and its address pinned (a name; an
 * address literal is connected to as it is); redirects are not
 * followed; only http and https; connect and total timeouts; the
 * receiver's body is read and dropped (only its status and Retry-After
 * count).  Headers: Content-Type, User-Agent, X-Qregg-Signature (and
 * X-Qregg-Signature-Previous while an old secret is still honoured),
 * webhook-id, webhook-timestamp and webhook-signature.
 */
#ifndef QRE_WEBHOOK_HTTP_H
#define QRE_WEBHOOK_HTTP_H

#include <curl/curl.h>

#include "config.h"
#include "store_webhooks.h"

#define WEBHOOK_USER_AGENT "qre-webhooks/1.0"

struct webhook_call {
	CURL *easy;
	struct curl_slist *headers;
	struct curl_slist *pin;		/* CURLOPT_RESOLVE: the checked address */
	char errbuf[CURL_ERROR_SIZE];
	long long started_ms;
	long retry_after;		/* seconds, -1 when not sent */
	void *arg;			/* the caller's */
};

/* Set up a call; -1 with why when the URL may not be reached (SSRF). */
int webhook_call_init(struct webhook_call *call, const struct qre_config *cfg,
    const struct webhook *w, const struct delivery *d, char *why, size_t whysz);
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

#endif
