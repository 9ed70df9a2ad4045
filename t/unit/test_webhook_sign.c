/*
 * test_webhook_sign.c: the two signatures, against the Standard Webhooks
 * reference example and an HMAC computed independently (openssl dgst).
 */
#include <string.h>

#include "tap.h"
#include "webhook_sign.h"

int
main(void)
{
	char secret[WEBHOOK_SECRET_MAX + 1], other[WEBHOOK_SECRET_MAX + 1];
	char q[SIG_QREGG_MAX + 1], s[SIG_STANDARD_MAX + 1];
	/* The example of the Standard Webhooks specification. */
	const char *key = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
	const char *body = "{\"test\": 2432232314}";

	ok(webhook_secret_new(secret) == 0, "new secret");
	ok(strncmp(secret, "whsec_", 6) == 0 && strlen(secret) == 38,
	    "whsec_ and 32 base64 characters: %s", secret);
	webhook_secret_new(other);
	ok(strcmp(secret, other) != 0, "two secrets differ");

	ok(sign_standard(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body,
	    strlen(body), s) == 0, "standard signature");
	is_str(s, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
	    "matches the specification's example");
	ok(sign_standard("nope", "id", 1, body, strlen(body), s) == -1,
	    "a secret without whsec_ is refused");

	/* printf -n 'hello' | openssl dgst -sha256 -hmac 'whsec_k' */
	sign_qregg("whsec_k", "hello", 5, q);
	is_str(q, "sha256=ed062bccdd01c342966e8dfc464c30860272e6180000bfb40df1ab8865fa2ed0",
	    "X-Qregg-Signature over the body");
	return done_testing();
}
