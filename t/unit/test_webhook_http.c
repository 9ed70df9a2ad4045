/*
 * test_webhook_http.c: the texts failed calls are recorded with: ours,
 * stable, whatever libcurl and OpenSSL say in their own words.
 */
#include <errno.h>
#include <string.h>

#include <openssl/x509_vfy.h>

#include "tap.h"
#include "webhook_http.h"

static const char *
text(CURLcode res, long err, long verify, int connected)
{
	static char out[DELIVERY_ERROR_MAX + 1];
	struct webhook_failure f = { res, err, verify, connected, 3000, 10000 };

	webhook_failure_text(&f, out, sizeof(out));
	return out;
}

int
main(void)
{
	is_str(text(CURLE_COULDNT_CONNECT, ECONNREFUSED, 0, 0),
	    "connection refused", "refused");
	is_str(text(CURLE_COULDNT_CONNECT, EHOSTUNREACH, 0, 0),
	    "host unreachable", "no route to the host");
	is_str(text(CURLE_COULDNT_CONNECT, ENETUNREACH, 0, 0),
	    "network unreachable", "no route to the network");
	is_str(text(CURLE_COULDNT_CONNECT, 0, 0, 0), "could not connect",
	    "another connect failure");
	is_str(text(CURLE_OPERATION_TIMEDOUT, 0, 0, 1),
	    "timed out after 10000 ms", "connected, no answer in time");
	is_str(text(CURLE_OPERATION_TIMEDOUT, 0, 0, 0),
	    "timed out connecting after 3000 ms", "not connected in time");
	is_str(text(CURLE_SSL_CONNECT_ERROR, 0, 0, 1), "TLS handshake failed",
	    "handshake");
	is_str(text(CURLE_PEER_FAILED_VERIFICATION, 0,
	    X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, 1), "certificate not trusted",
	    "self-signed");
	is_str(text(CURLE_PEER_FAILED_VERIFICATION, 0,
	    X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, 1),
	    "certificate not trusted", "unknown issuer");
	is_str(text(CURLE_PEER_FAILED_VERIFICATION, 0,
	    X509_V_ERR_CERT_HAS_EXPIRED, 1), "certificate expired", "expired");
	is_str(text(CURLE_PEER_FAILED_VERIFICATION, 0, X509_V_OK, 1),
	    "certificate does not match the host name",
	    "chain good, name wrong (curl's own check)");
	is_str(text(CURLE_PEER_FAILED_VERIFICATION, 0,
	    X509_V_ERR_HOSTNAME_MISMATCH, 1),
	    "certificate does not match the host name", "name wrong (OpenSSL's)");
	is_str(text(CURLE_SSL_CIPHER, 0, 0, 1), "TLS error", "no common cipher");
	is_str(text(CURLE_GOT_NOTHING, 0, 0, 1),
	    "connection closed without an answer", "empty reply");
	is_str(text(CURLE_RECV_ERROR, ECONNRESET, 0, 1),
	    "connection lost while receiving", "reset");
	is_str(text(CURLE_WEIRD_SERVER_REPLY, 0, 0, 1), "malformed HTTP answer",
	    "not HTTP");
	is_str(text(CURLE_TOO_MANY_REDIRECTS, 0, 0, 1),
	    "request failed (libcurl error 47)", "anything else: curl's number");
	{
		char small[8];
		struct webhook_failure f = { CURLE_COULDNT_CONNECT, ECONNREFUSED,
		    0, 0, 3000, 10000 };

		webhook_failure_text(&f, small, sizeof(small));
		is_str(small, "connect", "cut to the buffer, terminated");
	}
	return done_testing();
}
