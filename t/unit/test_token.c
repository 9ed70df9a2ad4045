/* test_token.c: token shape, header parsing, hashing, base62 randomness. */
#include <string.h>

#include "random.h"
#include "tap.h"
#include "token.h"

int
main(void)
{
	char tok[TOKEN_STR_MAX], other[TOKEN_STR_MAX], hdr[256], buf[64];
	unsigned char h1[TOKEN_HASH_LEN], h2[TOKEN_HASH_LEN];
	const char *p;
	size_t len;
	int counts[62] = { 0 }, min = 1 << 30, max = 0;

	ok(token_generate(tok, sizeof(tok)) == 0, "generate");
	is_int(strlen(tok), TOKEN_PREFIX_LEN + TOKEN_RANDOM_LEN, "length");
	ok(strncmp(tok, "qre_", 4) == 0, "prefix");
	ok(token_well_formed(tok, strlen(tok)), "well formed");
	token_generate(other, sizeof(other));
	ok(strcmp(tok, other) != 0, "two tokens differ");
	ok(token_generate(buf, 10) == -1, "refuses a short buffer");

	ok(!token_well_formed("qre_short", 9), "too short refused");
	ok(!token_well_formed("abc_0123456789012345678901234567890123", 38),
	    "wrong prefix refused");
	ok(!token_well_formed("qre_0123456789012345678901234567890-", 36),
	    "non-base62 refused");

	snprintf(hdr, sizeof(hdr), "Bearer %s", tok);
	p = token_from_header(hdr, &len);
	ok(p != NULL && len == strlen(tok) && memcmp(p, tok, len) == 0,
	    "Bearer header parsed");
	snprintf(hdr, sizeof(hdr), "bearer   %s  ", tok);
	ok(token_from_header(hdr, &len) != NULL && len == strlen(tok),
	    "scheme case-insensitive, spaces trimmed");
	snprintf(hdr, sizeof(hdr), "Basic %s", tok);
	ok(token_from_header(hdr, &len) == NULL, "Basic refused");
	snprintf(hdr, sizeof(hdr), "Bearer %s", tok + 4);
	ok(token_from_header(hdr, &len) == NULL, "missing qre_ refused");
	ok(token_from_header(NULL, &len) == NULL, "no header");
	ok(token_from_header("Bearer", &len) == NULL, "scheme only");

	token_hash(tok, strlen(tok), h1);
	token_hash(tok, strlen(tok), h2);
	ok(memcmp(h1, h2, sizeof(h1)) == 0, "hash is stable");
	token_hash(other, strlen(other), h2);
	ok(memcmp(h1, h2, sizeof(h1)) != 0, "hashes differ");
	/* SHA-256("abc") */
	token_hash("abc", 3, h1);
	ok(h1[0] == 0xba && h1[1] == 0x78 && h1[31] == 0xad, "SHA-256 vector");

	/* 62,000 characters: each letter near 1000, none missing. */
	for (int i = 0; i < 1000; i++) {
		char s[63];

		random_base62(s, 62);
		for (int k = 0; k < 62; k++)
			counts[strchr(BASE62_ALPHABET, s[k]) - BASE62_ALPHABET]++;
	}
	for (int k = 0; k < 62; k++) {
		if (counts[k] < min)
			min = counts[k];
		if (counts[k] > max)
			max = counts[k];
	}
	ok(min > 800 && max < 1200, "base62 is uniform (min %d, max %d)", min, max);
	ok(is_base62("Ab3xY7z", 7), "is_base62 yes");
	ok(!is_base62("Ab3-Y7z", 7), "is_base62 no");
	ok(!is_base62("", 0), "is_base62 empty");
	return done_testing();
}
