/*
 * plan.h: the plans and their limits, in one table (api-reference.md,
 * "Plans").  PLAN_UNLIMITED marks what enterprise does not count.
 */
#ifndef QRE_PLAN_H
#define QRE_PLAN_H

#define PLAN_UNLIMITED (-1L)

/*        name         saved codes     dynamic codes   API calls a day */
#define QRE_PLANS(X)							\
	X(FREE,       "free",       5L,             2L,             100L)	\
	X(PRO,        "pro",        50L,            30L,            5000L)	\
	X(ENTERPRISE, "enterprise", PLAN_UNLIMITED, PLAN_UNLIMITED, PLAN_UNLIMITED)

enum plan {
#define QRE_PLAN_ENUM(id, name, saved, dynamic, daily) PLAN_##id,
	QRE_PLANS(QRE_PLAN_ENUM)
#undef QRE_PLAN_ENUM
};

struct plan_limits {
	const char *name;
	long saved;		/* codes in the library (dynamic ones included) */
	long dynamic;		/* dynamic codes */
	long daily;		/* API calls per UTC day */
};

const struct plan_limits *plan_limits(enum plan);
const char *plan_name(enum plan);
int plan_parse(const char *s, enum plan *out);

#endif
