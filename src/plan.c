/* plan.c: see plan.h. */
#include <string.h>

#include "compat.h"
#include "plan.h"

static const struct plan_limits plans[] = {
#define QRE_PLAN_ROW(id, name, saved, dynamic, daily) { name, saved, dynamic, daily },
	QRE_PLANS(QRE_PLAN_ROW)
#undef QRE_PLAN_ROW
};

const struct plan_limits *
plan_limits(enum plan p)
{
	return (size_t)p < QRE_NELEM(plans) ? &plans[p] : &plans[PLAN_FREE];
}

const char *
plan_name(enum plan p)
{
	return plan_limits(p)->name;
}

int
plan_parse(const char *s, enum plan *out)
{
	for (size_t i = 0; i < QRE_NELEM(plans); i++)
		if (strcmp(s, plans[i].name) == 0) {
			*out = (enum plan)i;
			return 0;
		}
	return -1;
}
