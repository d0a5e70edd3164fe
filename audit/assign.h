/* assign.h: allocating a round's cases to auditors (SPEC §6). */
#ifndef CASEAUDIT_ASSIGN_H
#define CASEAUDIT_ASSIGN_H

#include "audit/store/db.h"

typedef struct assign_auditor {
    const char *name;
    const char *team;     /* NULL: none */
    long capacity;        /* -1: no limit */
    long load;            /* out: cases given */
} assign_auditor;

typedef struct assign_case {
    const char *id;
    const char *team;     /* the case's team, NULL: none */
    const char *worker;   /* the allocated worker, NULL: none */
    int auditor;          /* out: index into the auditors, -1 when none could be found */
} assign_case;

/* Gives each case (in the order given: the round's key order) to one auditor, never
 * one of the case's own team nor its own worker, within capacities, levelling the
 * loads: every auditor may take one more case only when none can take it at the
 * current level (augmenting paths move earlier cases where that frees a place).
 * Auditors are tried least-loaded first, then in the order given (by name).
 * Pure and deterministic. Returns how many cases could not be placed. */
long assign_solve(assign_auditor *auditors, int nauditors, assign_case *cases, long ncases);

typedef struct assign_result {
    int nauditors;
    assign_auditor *auditors;   /* owned: assign_result_free; names owned too */
    long assigned, kept;        /* kept: graded cases whose auditor stays */
} assign_result;

void assign_result_free(assign_result *r);

/* Reads the auditors CSV (name, team, optional capacity), assigns the round's
 * ungraded cases and stores it all in one transaction. When some case cannot be
 * placed nothing is stored: err->problems lists each case and why. */
int assign_round(ca_db *db, const char *round, const char *auditors_csv, assign_result *out, ca_error *err);

#endif
