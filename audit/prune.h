/* prune.h: data minimisation (SPEC §3). Deletes the case rows of snapshots that
 * no round needs; rounds keep their own copy of the cases they drew and their
 * strata counts, so lists, reports and estimates do not change. */
#ifndef CASEAUDIT_PRUNE_H
#define CASEAUDIT_PRUNE_H

#include "audit/date.h"
#include "audit/store/store.h"

typedef struct prune_result {
    long snapshots;   /* snapshots that lose case rows */
    long case_rows;   /* case rows deleted (or that would be, with dry_run) */
} prune_result;

/* Without a cutoff (before < 0): every case row of each snapshot that no round
 * drew from. Never the latest snapshot (greatest as-of date), whatever the cutoff:
 * the month's draw needs it.
 * With a cutoff: also, in snapshots whose as-of date is before it, every case row
 * that is on no round's list. dry_run counts without deleting. One transaction. */
int prune_run(ca_db *db, ca_day before, int dry_run, prune_result *out, ca_error *err);

/* Deletes round LABEL (its list and allocation) when it has no grade: a graded round
 * can never be deleted. One transaction, event-logged; on error nothing is changed. */
int round_delete(ca_db *db, const char *label, ca_error *err);

/* Deletes snapshot ID when no round drew from it. One transaction, event-logged. */
int snapshot_delete(ca_db *db, long id, ca_error *err);
#endif
