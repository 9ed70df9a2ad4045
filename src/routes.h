/*
 * routes.h: the application's route table (routes.c), which the worker
 * hands to router_match().  Above the router: the router matches any
 * table and knows no handler.
 */
#ifndef QRE_ROUTES_H
#define QRE_ROUTES_H

#include <stddef.h>

#include "router.h"

extern const struct route qre_routes[];
extern const size_t qre_nroutes;

#endif
