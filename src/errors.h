/*
 * errors.h: every error kind the API can answer, in one X-macro table:
 * kind, HTTP status, machine code, default message.  The enum, the
 * status lookup and the JSON envelope are generated from it so they
 * cannot drift (t/unit/test_errors.c checks the table).
 */
#ifndef QRE_ERRORS_H
#define QRE_ERRORS_H

#define QRE_ERRORS(X)							\
	X(OK,		200, "ok",			"OK")			\
	X(BAD_JSON,	400, "invalid_json",		"The request body is not valid JSON") \
	X(BAD_FIELD,	400, "invalid_field",		"A field has the wrong type") \
	X(BAD_REQUEST,	400, "bad_request",		"The request is malformed") \
	X(UNAUTHORIZED,	401, "unauthorized",		"Missing, malformed, revoked or unknown bearer token") \
	X(PLAN_LIMIT,	403, "plan_limit_reached",	"The plan's limit is reached") \
	X(NOT_FOUND,	404, "not_found",		"No such resource")	\
	X(METHOD,	405, "method_not_allowed",	"Method not allowed on this resource") \
	X(CONFLICT,	409, "conflict",		"The resource already exists") \
	X(TOO_LARGE,	413, "payload_too_large",	"The request body is larger than the limit") \
	X(MEDIA_TYPE,	415, "unsupported_media_type",	"The request body must be application/json") \
	X(UNPROCESSABLE, 422, "unprocessable",		"A value is out of range or cannot be encoded") \
	X(RATE_LIMITED,	429, "rate_limited",		"Too many requests for this API key") \
	X(QUOTA,	429, "daily_quota_exceeded",	"The plan's daily API calls are used up") \
	X(INTERNAL,	500, "internal_error",		"Internal error") \
	X(DB_DOWN,	503, "service_unavailable",	"The database is unavailable; try again shortly")

enum qre_err {
#define QRE_ERR_ENUM(kind, status, code, msg) QRE_E_##kind,
	QRE_ERRORS(QRE_ERR_ENUM)
#undef QRE_ERR_ENUM
	QRE_E__COUNT
};

int qre_err_status(enum qre_err);
const char *qre_err_code(enum qre_err);
const char *qre_err_message(enum qre_err);
const char *http_reason(int status);

#endif
