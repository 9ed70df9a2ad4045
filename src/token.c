/* token.c: see token.h. */
#include <string.h>
#include <strings.h>

#include <openssl/sha.h>

#include "random.h"
#include "token.h"

int
token_generate(char *out, size_t outsz)
{
	if (outsz < TOKEN_PREFIX_LEN + TOKEN_RANDOM_LEN + 1)
		return -1;
	memcpy(out, TOKEN_PREFIX, TOKEN_PREFIX_LEN);
	return random_base62(out + TOKEN_PREFIX_LEN, TOKEN_RANDOM_LEN);
}

int
token_well_formed(const char *s, size_t len)
{
	if (len < TOKEN_PREFIX_LEN + TOKEN_RANDOM_MIN ||
	    len > TOKEN_PREFIX_LEN + TOKEN_RANDOM_MAX)
		return 0;
	if (memcmp(s, TOKEN_PREFIX, TOKEN_PREFIX_LEN) != 0)
		return 0;
	return is_base62(s + TOKEN_PREFIX_LEN, len - TOKEN_PREFIX_LEN);
}

void
token_hash(const char *s, size_t len, unsigned char hash[TOKEN_HASH_LEN])
{
	SHA256((const unsigned char *)s, len, hash);
}

const char *
token_from_header(const char *h, size_t *len)
{
	const char *tok, *end;

	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0)
		return NULL;
	tok = h + 7;
	while (*tok == ' ')
		tok++;
	end = tok + strlen(tok);
	while (end > tok && end[-1] == ' ')
		end--;
	if (!token_well_formed(tok, (size_t)(end - tok)))
		return NULL;
	*len = (size_t)(end - tok);
	return tok;
}
