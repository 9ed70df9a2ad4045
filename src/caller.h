/*
 * caller.h: who is calling, once a bearer token has been checked.  Below
 * request.h so that the tokens table (store_tokens.h) and qre-admin can
 * fill one without the FastCGI request.
 */
#ifndef QRE_CALLER_H
#define QRE_CALLER_H

#include "plan.h"

/* Who is calling, once auth_check() has passed. */
struct auth {
	int ok;
	long long account_id;
	long long token_id;
	enum plan plan;
};

#endif
