/*
 * token.h: API tokens.  A token is "qre_" followed by TOKEN_RANDOM_LEN
 * base62 characters (about 238 bits); only its SHA-256 is stored.
 */
#ifndef QRE_TOKEN_H
#define QRE_TOKEN_H

#include <stddef.h>

#define TOKEN_PREFIX "qre_"
#define TOKEN_PREFIX_LEN 4
#define TOKEN_RANDOM_LEN 40		/* what we issue */
#define TOKEN_RANDOM_MIN 32		/* what the reference requires */
#define TOKEN_RANDOM_MAX 128		/* longer is not ours */
#define TOKEN_STR_MAX (TOKEN_PREFIX_LEN + TOKEN_RANDOM_MAX + 1)
#define TOKEN_HASH_LEN 32

/* A fresh token into out (TOKEN_STR_MAX bytes); -1 if the CSPRNG failed. */
int token_generate(char *out, size_t outsz);
/* 1 if s has the token shape: prefix and 32..128 base62 characters. */
int token_well_formed(const char *s, size_t len);
void token_hash(const char *s, size_t len, unsigned char hash[TOKEN_HASH_LEN]);
/*
 * The token out of an Authorization header value ("Bearer <token>", the
 * scheme case-insensitive as RFC 7235 says); NULL when absent or malformed.
 */
const char *token_from_header(const char *authorization, size_t *len);

#endif
