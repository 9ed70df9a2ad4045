/* webhook_sign.c: see webhook_sign.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "webhook_sign.h"

#define SIGN_BODY_MAX (16 * 1024 * 1024)	/* a delivery body, bytes */

int
webhook_secret_new(char out[WEBHOOK_SECRET_MAX + 1])
{
	unsigned char raw[WEBHOOK_SECRET_BYTES];
	size_t p = strlen(WEBHOOK_SECRET_PREFIX);

	if (RAND_bytes(raw, sizeof(raw)) != 1)
		return -1;
	memcpy(out, WEBHOOK_SECRET_PREFIX, p);
	EVP_EncodeBlock((unsigned char *)out + p, raw, sizeof(raw));
	return 0;
}

void
sign_qregg(const char *secret, const char *body, size_t len,
    char out[SIG_QREGG_MAX + 1])
{
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	HMAC(EVP_sha256(), secret, (int)strlen(secret),
	    (const unsigned char *)body, len, mac, &n);
	memcpy(out, "sha256=", 7);
	for (unsigned int i = 0; i < n && i < 32; i++)
		snprintf(out + 7 + i * 2, 3, "%02x", mac[i]);
}

int
sign_standard(const char *secret, const char *msg_id, long long ts,
    const char *body, size_t len, char out[SIG_STANDARD_MAX + 1])
{
	size_t plen = strlen(WEBHOOK_SECRET_PREFIX), klen, head, total;
	unsigned char key[WEBHOOK_SECRET_MAX], mac[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	char *msg;
	int dec;

	if (strncmp(secret, WEBHOOK_SECRET_PREFIX, plen) != 0 ||
	    (klen = strlen(secret + plen)) == 0 || klen > sizeof(key) ||
	    len > SIGN_BODY_MAX)
		return -1;
	if ((dec = EVP_DecodeBlock(key, (const unsigned char *)secret + plen,
	    (int)klen)) < 0)
		return -1;
	/* DecodeBlock counts the padding as bytes: take it off. */
	for (size_t i = klen; i > 0 && secret[plen + i - 1] == '='; i--)
		dec--;
	head = strlen(msg_id) + 24;
	total = head + len;
	if ((msg = malloc(total + 1)) == NULL)
		return -1;
	head = (size_t)snprintf(msg, head, "%s.%lld.", msg_id, ts);
	memcpy(msg + head, body, len);
	HMAC(EVP_sha256(), key, dec, (const unsigned char *)msg, head + len,
	    mac, &n);
	free(msg);
	memcpy(out, "v1,", 3);
	EVP_EncodeBlock((unsigned char *)out + 3, mac, (int)n);
	return 0;
}

int
webhook_sign(const char *secret, const char *previous, const char *msg_id,
    long long ts, const char *body, size_t len, struct webhook_sigs *out)
{
	char old[SIG_STANDARD_MAX + 1];

	memset(out, 0, sizeof(*out));
	if (sign_standard(secret, msg_id, ts, body, len, out->standard) == -1)
		return -1;
	if (previous == NULL || previous[0] == '\0') {
		sign_qregg(secret, body, len, out->qregg);
		return 0;
	}
	/* The overlap: see webhook_sign.h. */
	sign_qregg(previous, body, len, out->qregg);
	sign_qregg(secret, body, len, out->qregg_new);
	if (sign_standard(previous, msg_id, ts, body, len, old) == 0) {
		size_t n = strlen(out->standard), m = strlen(old);

		if (n + 1 + m < sizeof(out->standard)) {
			out->standard[n] = ' ';
			memcpy(out->standard + n + 1, old, m + 1);
		}
	}
	return 0;
}
