/*
 * test_webhook_sign.c: the two signatures, against the Standard Webhooks
 * reference example and an HMAC computed independently (openssl dgst).
 */
#include <stdio.h>
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

	/* The headers of an attempt, outside and during a rotation. */
	{
		struct webhook_sigs sg;
		char want_new[SIG_STANDARD_MAX + 1], want_old[SIG_STANDARD_MAX + 1],
		    both[2 * SIG_STANDARD_MAX + 2], qn[SIG_QREGG_MAX + 1],
		    qo[SIG_QREGG_MAX + 1];
		const char *newer = key, *older = secret;

		sign_standard(newer, "id1", 7, "b", 1, want_new);
		sign_standard(older, "id1", 7, "b", 1, want_old);
		sign_qregg(newer, "b", 1, qn);
		sign_qregg(older, "b", 1, qo);
		snprintf(both, sizeof(both), "%s %s", want_new, want_old);

		ok(webhook_sign(newer, NULL, "id1", 7, "b", 1, &sg) == 0,
		    "signed with one secret");
		is_str(sg.qregg, qn, "X-Qregg-Signature: the secret");
		is_str(sg.qregg_new, "", "no X-Qregg-Signature-New");
		is_str(sg.standard, want_new, "webhook-signature: one entry");

		ok(webhook_sign(newer, older, "id1", 7, "b", 1, &sg) == 0,
		    "signed during a rotation");
		is_str(sg.qregg, qo, "X-Qregg-Signature: the previous secret, "
		    "which receivers not yet changed hold");
		is_str(sg.qregg_new, qn, "X-Qregg-Signature-New: the new secret");
		is_str(sg.standard, both, "webhook-signature: new, then old");

		ok(webhook_sign(newer, "", "id1", 7, "b", 1, &sg) == 0 &&
		    sg.qregg_new[0] == '\0' && strcmp(sg.qregg, qn) == 0,
		    "an empty previous secret is no rotation");
		ok(webhook_sign(newer, "broken", "id1", 7, "b", 1, &sg) == 0 &&
		    strcmp(sg.standard, want_new) == 0,
		    "a malformed previous secret adds no webhook-signature entry");
		ok(webhook_sign("broken", older, "id1", 7, "b", 1, &sg) == -1,
		    "a malformed secret: -1");
	}
	return done_testing();
}
