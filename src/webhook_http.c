/* webhook_http.c: see webhook_http.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/x509_vfy.h>

#include "util.h"
#include "compat.h"
#include "log.h"
#include "ssrf.h"
#include "webhook_http.h"
#include "webhook_retry.h"
#include "webhook_sign.h"

/* The receiver's body is not ours to keep. */
static size_t
drop_body(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

static size_t
read_header(char *p, size_t size, size_t n, void *arg)
{
	struct webhook_call *call = arg;
	size_t len = size * n;
	char value[64];

	if (len > 12 && strncasecmp(p, "Retry-After:", 12) == 0) {
		size_t v = len - 12;

		if (v >= sizeof(value))
			v = sizeof(value) - 1;
		memcpy(value, p + 12, v);
		value[v] = '\0';
		value[strcspn(value, "\r\n")] = '\0';
		call->retry_after = retry_after_parse(value, time(NULL));
	}
	return len;
}

static int
add_header(struct webhook_call *call, const char *name, const char *value)
{
	char line[512];
	struct curl_slist *l;

	if ((size_t)snprintf(line, sizeof(line), "%s: %s", name, value) >=
	    sizeof(line))
		return -1;
	if ((l = curl_slist_append(call->headers, line)) == NULL)
		return -1;
	call->headers = l;
	return 0;
}

int
webhook_call_init(struct webhook_call *call,
    const struct webhook_call_limits *lim, const struct webhook *w,
    const struct delivery *d, char *why, size_t whysz)
{
	struct ssrf_target t;
	struct webhook_sigs sigs;
	char ts[24];
	long long stamp = (long long)time(NULL);
	int old = w->previous_secret[0] != '\0' && w->previous_until > time(NULL);

	memset(call, 0, sizeof(*call));
	call->retry_after = -1;
	/* Checked now, at send time, and the checked address is used. */
	if (ssrf_check(w->url, lim->allow_cidrs, &t, why, whysz) == -1)
		return -1;
	strlcpy(call->host, t.host, sizeof(call->host));
	call->port = t.port;
	call->connect_timeout_ms = lim->connect_timeout_ms;
	call->timeout_ms = lim->timeout_ms;
	if ((call->easy = curl_easy_init()) == NULL ||
	    (t.resolve[0] != '\0' &&
	    (call->pin = curl_slist_append(NULL, t.resolve)) == NULL)) {
		snprintf(why, whysz, "out of memory");
		goto fail;
	}
	snprintf(ts, sizeof(ts), "%lld", stamp);
	/* During a secret rotation both secrets sign (webhook_sign.h). */
	if (webhook_sign(w->secret, old ? w->previous_secret : NULL,
	    d->public_id, stamp, d->body, d->body_len, &sigs) == -1) {
		snprintf(why, whysz, "the endpoint's secret is malformed");
		goto fail;
	}
	if (add_header(call, "Content-Type", "application/json") ||
	    add_header(call, "User-Agent", WEBHOOK_USER_AGENT) ||
	    add_header(call, "X-Qregg-Signature", sigs.qregg) ||
	    (sigs.qregg_new[0] != '\0' &&
	    add_header(call, "X-Qregg-Signature-New", sigs.qregg_new)) ||
	    add_header(call, "webhook-id", d->public_id) ||
	    add_header(call, "webhook-timestamp", ts) ||
	    add_header(call, "webhook-signature", sigs.standard) ||
	    add_header(call, "Expect", ""))
		goto oom;
	curl_easy_setopt(call->easy, CURLOPT_URL, w->url);
	if (call->pin != NULL)
		curl_easy_setopt(call->easy, CURLOPT_RESOLVE, call->pin);
	curl_easy_setopt(call->easy, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(call->easy, CURLOPT_FOLLOWLOCATION, 0L);
	/* A proxy would resolve the host itself: the pin would not hold. */
	curl_easy_setopt(call->easy, CURLOPT_PROXY, "");
	curl_easy_setopt(call->easy, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(call->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(call->easy, CURLOPT_CONNECTTIMEOUT_MS,
	    lim->connect_timeout_ms);
	curl_easy_setopt(call->easy, CURLOPT_TIMEOUT_MS, lim->timeout_ms);
	curl_easy_setopt(call->easy, CURLOPT_HTTPHEADER, call->headers);
	curl_easy_setopt(call->easy, CURLOPT_POST, 1L);
	curl_easy_setopt(call->easy, CURLOPT_POSTFIELDS, d->body);
	curl_easy_setopt(call->easy, CURLOPT_POSTFIELDSIZE_LARGE,
	    (curl_off_t)d->body_len);
	curl_easy_setopt(call->easy, CURLOPT_WRITEFUNCTION, drop_body);
	curl_easy_setopt(call->easy, CURLOPT_HEADERFUNCTION, read_header);
	curl_easy_setopt(call->easy, CURLOPT_HEADERDATA, call);
	curl_easy_setopt(call->easy, CURLOPT_ERRORBUFFER, call->errbuf);
	curl_easy_setopt(call->easy, CURLOPT_PRIVATE, call);
	call->started_ms = clock_ms(CLOCK_MONOTONIC);
	return 0;
oom:
	snprintf(why, whysz, "out of memory");
fail:
	webhook_call_free(call);
	return -1;
}

void
webhook_call_free(struct webhook_call *call)
{
	if (call->easy != NULL)
		curl_easy_cleanup(call->easy);
	curl_slist_free_all(call->headers);
	curl_slist_free_all(call->pin);
	call->easy = NULL;
	call->headers = NULL;
	call->pin = NULL;
}

/* curl's codes for a failed TLS set-up on our side or theirs. */
static int
tls_error(CURLcode res)
{
	switch (res) {
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_ENGINE_INITFAILED:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_SHUTDOWN_FAILED:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_CLIENTCERT:
		return 1;
	default:
		return 0;
	}
}

void
webhook_failure_text(const struct webhook_failure *f, char *out, size_t outsz)
{
	const char *s = NULL;

	switch (f->res) {
	case CURLE_COULDNT_CONNECT:
		s = f->os_errno == ECONNREFUSED ? "connection refused" :
		    f->os_errno == ENETUNREACH ? "network unreachable" :
		    f->os_errno == EHOSTUNREACH ? "host unreachable" :
		    "could not connect";
		break;
	case CURLE_OPERATION_TIMEDOUT:
		if (f->connected)
			snprintf(out, outsz, "timed out after %ld ms", f->timeout_ms);
		else
			snprintf(out, outsz, "timed out connecting after %ld ms",
			    f->connect_timeout_ms < f->timeout_ms ?
			    f->connect_timeout_ms : f->timeout_ms);
		return;
	case CURLE_COULDNT_RESOLVE_HOST:
		s = "host name not resolved";
		break;
	case CURLE_SSL_CONNECT_ERROR:
		s = "TLS handshake failed";
		break;
	case CURLE_PEER_FAILED_VERIFICATION:
		s = f->verify_result == X509_V_OK ||
		    f->verify_result == X509_V_ERR_HOSTNAME_MISMATCH ?
		    "certificate does not match the host name" :
		    f->verify_result == X509_V_ERR_CERT_HAS_EXPIRED ?
		    "certificate expired" :
		    f->verify_result == X509_V_ERR_CERT_NOT_YET_VALID ?
		    "certificate not yet valid" : "certificate not trusted";
		break;
	case CURLE_GOT_NOTHING:
		s = "connection closed without an answer";
		break;
	case CURLE_SEND_ERROR:
		s = "connection lost while sending";
		break;
	case CURLE_RECV_ERROR:
		s = "connection lost while receiving";
		break;
	case CURLE_PARTIAL_FILE:
		s = "answer cut short";
		break;
	case CURLE_WEIRD_SERVER_REPLY:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_BAD_CONTENT_ENCODING:
		s = "malformed HTTP answer";
		break;
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_URL_MALFORMAT:
		s = "malformed url";
		break;
	case CURLE_OUT_OF_MEMORY:
		s = "out of memory";
		break;
	default:
		if (tls_error(f->res))
			s = "TLS error";
		break;
	}
	if (s != NULL)
		snprintf(out, outsz, "%s", s);
	else
		/* curl's codes are part of its ABI: stable across versions. */
		snprintf(out, outsz, "request failed (libcurl error %d)",
		    (int)f->res);
}

void
webhook_call_outcome(struct webhook_call *call, CURLcode res,
    struct webhook_outcome *out)
{
	memset(out, 0, sizeof(*out));
	out->duration_ms = clock_ms(CLOCK_MONOTONIC) - call->started_ms;
	out->retry_after = call->retry_after;
	if (res != CURLE_OK) {
		struct webhook_failure f = { res, 0, X509_V_OK, 0,
		    call->connect_timeout_ms, call->timeout_ms };
		curl_off_t connect_us = 0;

		curl_easy_getinfo(call->easy, CURLINFO_OS_ERRNO, &f.os_errno);
		curl_easy_getinfo(call->easy, CURLINFO_SSL_VERIFYRESULT,
		    &f.verify_result);
		curl_easy_getinfo(call->easy, CURLINFO_CONNECT_TIME_T, &connect_us);
		f.connected = connect_us > 0;
		webhook_failure_text(&f, out->error, sizeof(out->error));
		/* The library's own words, for the operator. */
		log_info("webhooks: %s port %d: %s (%s)", call->host, call->port,
		    out->error, call->errbuf[0] ? call->errbuf :
		    curl_easy_strerror(res));
		return;
	}
	curl_easy_getinfo(call->easy, CURLINFO_RESPONSE_CODE, &out->code);
	out->ok = out->code >= 200 && out->code < 300;
	if (!out->ok)
		snprintf(out->error, sizeof(out->error), "HTTP %ld", out->code);
}
