/*
 * tap.h: a tiny TAP producer for the C unit tests (one header, no library).
 * Each test program calls plan_lazy(), then ok()/is_int()/is_str(), then
 * returns done_testing(), which prints the plan and the exit status prove
 * and automake's tap-driver.sh expect.
 */
#ifndef QRE_TAP_H
#define QRE_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_run, tap_failed;

static void tap_vresult(int pass, const char *fmt, va_list ap)
{
	tap_run++;
	if (!pass)
		tap_failed++;
	printf("%sok %d - ", pass ? "" : "not ", tap_run);
	vprintf(fmt, ap);
	putchar('\n');
	fflush(stdout);
}

static inline int ok(int pass, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static inline int ok(int pass, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vresult(pass, fmt, ap);
	va_end(ap);
	return pass;
}

#define is_int(got, want, ...) do {					\
	long long is_got_ = (long long)(got), is_want_ = (long long)(want); \
	if (!ok(is_got_ == is_want_, __VA_ARGS__))			\
		printf("#   got: %lld\n#   expected: %lld\n", is_got_, is_want_); \
} while (0)

#define is_str(got, want, ...) do {					\
	const char *is_got_ = (got), *is_want_ = (want);		\
	int is_pass_ = (is_got_ == NULL && is_want_ == NULL) ||		\
	    (is_got_ != NULL && is_want_ != NULL && strcmp(is_got_, is_want_) == 0); \
	if (!ok(is_pass_, __VA_ARGS__))					\
		printf("#   got: '%s'\n#   expected: '%s'\n",		\
		    is_got_ ? is_got_ : "(null)", is_want_ ? is_want_ : "(null)"); \
} while (0)

static inline void diag(const char *msg) { printf("# %s\n", msg); }

static inline int done_testing(void)
{
	printf("1..%d\n", tap_run);
	return tap_failed ? 1 : 0;
}

#endif
