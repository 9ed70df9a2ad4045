/* store_accounts.h: the accounts table. */
#ifndef QRE_STORE_ACCOUNTS_H
#define QRE_STORE_ACCOUNTS_H

#include "db.h"
#include "plan.h"

#define EMAIL_MAX 254

/* DB_DUPLICATE when the email is taken. */
enum db_rc account_add(struct db *, const char *email, enum plan, long long *id);
/* DB_OK with *found 0 when there is no such account. */
enum db_rc account_find(struct db *, const char *email, long long *id,
    enum plan *plan, int *found);
enum db_rc account_set_plan(struct db *, long long id, enum plan);
/*
 * In the caller's transaction: lock the account's row, then run
 * count_sql (one "?" for the account id, one integer column) into *n.
 * Creates that check a per-account limit so queue behind each other,
 * and parallel requests cannot pass it.
 */
enum db_rc account_lock_count(struct db *, long long id,
    const char *count_sql, long long *n);

#endif
