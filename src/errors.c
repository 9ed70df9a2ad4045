/* errors.c: lookups generated from the QRE_ERRORS table. */
#include <stddef.h>

#include "errors.h"

static const struct {
	int status;
	const char *code;
	const char *message;
} qre_err_table[] = {
#define QRE_ERR_ROW(kind, status, code, msg) { status, code, msg },
	QRE_ERRORS(QRE_ERR_ROW)
#undef QRE_ERR_ROW
};

static int
qre_err_valid(enum qre_err e)
{
	return (int)e >= 0 && e < QRE_E__COUNT;
}

int
qre_err_status(enum qre_err e)
{
	return qre_err_valid(e) ? qre_err_table[e].status : 500;
}

const char *
qre_err_code(enum qre_err e)
{
	return qre_err_valid(e) ? qre_err_table[e].code : "internal_error";
}

const char *
qre_err_message(enum qre_err e)
{
	return qre_err_valid(e) ? qre_err_table[e].message : "Internal error";
}

/* The reason phrases qre can send; anything else falls back to a class. */
const char *
http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 301: return "Moved Permanently";
	case 302: return "Found";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 410: return "Gone";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Entity";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default:  return status < 400 ? "OK" : status < 500 ?
	    "Bad Request" : "Internal Server Error";
	}
}
