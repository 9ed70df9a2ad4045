/*
 * webhook_sign.h: webhook secrets and the two signatures every delivery
 * carries.  A secret is "whsec_" and the base64 of 24 random bytes, as
 * Standard Webhooks has it.
 *   X-Qregg-Signature: sha256=<hex HMAC-SHA256(secret string, body)>
 *   webhook-signature: v1,<base64 HMAC-SHA256(key, "id.timestamp.body")>
 * where key is the base64-decoded part after "whsec_".
 *
 * During a rotation (the previous secret still honoured for
 * webhook_secret_overlap_hours) X-Qregg-Signature stays with the previous
 * secret, so that a receiver which holds one secret and compares that one
 * header (the contract's verify) keeps working until the overlap ends;
 * X-Qregg-Signature-New carries the new secret's, and webhook-signature
 * carries both ("v1,<new> v1,<old>"), so a receiver that already holds
 * the new secret verifies too.
 */
#ifndef QRE_WEBHOOK_SIGN_H
#define QRE_WEBHOOK_SIGN_H

#include <stddef.h>

#define WEBHOOK_SECRET_PREFIX "whsec_"
#define WEBHOOK_SECRET_BYTES 24
#define WEBHOOK_SECRET_MAX 64		/* "whsec_" + 32 base64 characters */
#define SIG_QREGG_MAX 72		/* "sha256=" + 64 hex */
#define SIG_STANDARD_MAX 52		/* "v1," + 44 base64 */

#define SIG_STANDARD_LIST_MAX (2 * SIG_STANDARD_MAX + 1)	/* two, a space */

/* The signature headers of one attempt. */
struct webhook_sigs {
	char qregg[SIG_QREGG_MAX + 1];		/* X-Qregg-Signature */
	char qregg_new[SIG_QREGG_MAX + 1];	/* X-Qregg-Signature-New, or "" */
	char standard[SIG_STANDARD_LIST_MAX + 1];	/* webhook-signature */
};

int webhook_secret_new(char out[WEBHOOK_SECRET_MAX + 1]);
/*
 * Sign body (delivery msg_id, attempt time ts) with secret, and with
 * previous when it is not NULL (a rotation's overlap).  -1 when secret is
 * malformed; a malformed previous secret only signs nothing.
 */
int webhook_sign(const char *secret, const char *previous, const char *msg_id,
    long long ts, const char *body, size_t len, struct webhook_sigs *out);
void sign_qregg(const char *secret, const char *body, size_t len,
    char out[SIG_QREGG_MAX + 1]);
/* -1 when the secret is not "whsec_<base64>". */
int sign_standard(const char *secret, const char *msg_id, long long ts,
    const char *body, size_t len, char out[SIG_STANDARD_MAX + 1]);

#endif
