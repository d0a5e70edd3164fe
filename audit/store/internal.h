/* internal.h: helpers shared by the storage layer's own files; not for operations. */
#ifndef CASEAUDIT_STORE_INTERNAL_H
#define CASEAUDIT_STORE_INTERNAL_H

#include "audit/store/db.h"

/* A date column read back: its day, or -1 when NULL or unreadable. */
ca_day store_day(ca_stmt *s, int col);
/* A text column, or NULL when it is NULL. */
const char *store_text_or_null(ca_stmt *s, int col);
/* Runs SQL (with :now and :id) that marks record ID replaced at the clock's now. */
int store_supersede(ca_db *db, const char *sql, long id, ca_error *err);

#endif
