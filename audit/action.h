/* action.h: actions raised by audits (SPEC §7). */
#ifndef CASEAUDIT_ACTION_H
#define CASEAUDIT_ACTION_H

#include "audit/date.h"
#include "audit/store/store.h"

/* Marks action ID done on DATE (not in the future), once. One transaction. */
int action_done(ca_db *db, long id, ca_day date, ca_error *err);

#endif
