/*
 * webhook_sign.h: webhook secrets and the two signatures every delivery
 * carries.  A secret is "whsec_" and the base64 of 24 random bytes, as
 * Standard Webhooks has it.
 *   X-Qregg-Signature: sha256=<hex HMAC-SHA256(secret string, body)>
 *   webhook-signature: v1,<base64 HMAC-SHA256(key, "id.timestamp.body")>
 * where key is the base64-decoded part after "whsec_".
 */
#ifndef QRE_WEBHOOK_SIGN_H
#define QRE_WEBHOOK_SIGN_H

#include <stddef.h>

#define WEBHOOK_SECRET_PREFIX "whsec_"
#define WEBHOOK_SECRET_BYTES 24
#define WEBHOOK_SECRET_MAX 64		/* "whsec_" + 32 base64 characters */
#define SIG_QREGG_MAX 72		/* "sha256=" + 64 hex */
#define SIG_STANDARD_MAX 52		/* "v1," + 44 base64 */

int webhook_secret_new(char out[WEBHOOK_SECRET_MAX + 1]);
void sign_qregg(const char *secret, const char *body, size_t len,
    char out[SIG_QREGG_MAX + 1]);
/* -1 when the secret is not "whsec_<base64>". */
int sign_standard(const char *secret, const char *msg_id, long long ts,
    const char *body, size_t len, char out[SIG_STANDARD_MAX + 1]);

#endif
