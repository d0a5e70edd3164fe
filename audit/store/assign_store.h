/* assign_store.h: what the allocation of auditors (audit/assign.c) reads and writes. */
#ifndef CASEAUDIT_ASSIGN_STORE_H
#define CASEAUDIT_ASSIGN_STORE_H

#include "audit/assign.h"
#include "audit/store/store.h"

/* Reads the round's cases that have no grade yet, in the §5 key order (sort key,
 * then case id); *kept counts the graded ones, which keep their auditor. On success
 * *cases (*ncases entries, strings owned) is the caller's: assign_store_cases_free.
 * On failure *cases is NULL and *ncases 0. */
int assign_store_cases(ca_db *db, long round_id, assign_case **cases, long *ncases, long *kept,
                       ca_error *err);
void assign_store_cases_free(assign_case *cases, long ncases);

/* Records the auditors (name, team, capacity: updated when already known) and gives
 * each case its auditor, with one event per case. Call inside the command's
 * transaction: on failure the caller rolls back. */
int assign_store_save(ca_db *db, const char *round, long round_id, const assign_auditor *auditors,
                      int nauditors, const assign_case *cases, long ncases, ca_error *err);

#endif
