/* rounds.h: rounds (SPEC §5) as the storage layer keeps them.
 *
 * Lookups fill caller-owned structs; listings call a visitor once per row, in the
 * order stated, and stop early when it returns non-zero (that value is returned).
 * Strings in a visited row are valid only during the call.
 */
#ifndef CASEAUDIT_STORE_ROUNDS_H
#define CASEAUDIT_STORE_ROUNDS_H

#include "audit/store/store.h"

typedef struct round_info {
    long id;
    char label[64];
    long snapshot_id;
    ca_day as_of;          /* the snapshot's as-of date */
    char seed[17];         /* 16 hex digits */
    ca_day due;            /* -1: none */
} round_info;

/* The round called LABEL, in any of the forms a spreadsheet makes of a monthly label
 * (date_month_label: Nov-26, 01/11/2026...). CA_ERR with CA_REFUSED ("there is no round …") when there
 * is none; *out is unchanged on error. */
int round_by_label(ca_db *db, const char *label, round_info *out, ca_error *err);

typedef struct round_stratum_row {
    const char *stratum;   /* levels joined with | */
    long frame_n, sample_n;
} round_stratum_row;
/* A round's strata in stratum order. */
int round_strata(ca_db *db, long round_id, int (*visit)(void *u, const round_stratum_row *r), void *u,
                 ca_error *err);

typedef struct round_case_row {
    const char *case_id, *plan_type, *age_band, *team, *worker, *auditor;   /* NULL when empty */
    const char *stratum;
    double probability, weight;
} round_case_row;
/* A round's list in list order (stratum, then key). */
int round_cases(ca_db *db, long round_id, int (*visit)(void *u, const round_case_row *r), void *u,
                ca_error *err);

typedef struct round_progress_row {
    const char *label, *seed;
    long snapshot_id;
    ca_day as_of, due;     /* due -1: none */
    long sampled, graded, overdue, moderated;
    const char *theme;     /* a themed round's theme (SPEC §15); NULL for a monthly round */
} round_progress_row;
/* Every round with its progress as at TODAY (overdue: ungraded past the due date), by label. */
int rounds_progress(ca_db *db, ca_day today, int (*visit)(void *u, const round_progress_row *r), void *u,
                    ca_error *err);

/* Chasing (SPEC §13). The scope: the round ROUND_ID when it is above 0; else every
 * round when ALL; else the rounds that have an ungraded case. A case is returned
 * when it has a current audit (by its auditor or a stand-in). days_overdue is
 * TODAY minus the round's due date: above 0 late, below 0 the days left; 0 and
 * has_due 0 when the round has no due date. */
typedef struct round_outstanding_row {
    const char *round;
    const char *auditor;   /* NULL: cases not allocated */
    ca_day due;            /* -1: none */
    long allocated, returned, outstanding;
    int has_due;
    long days_overdue;
} round_outstanding_row;
/* Per round and auditor, by round label, then auditor name (the unallocated last). */
int rounds_outstanding(ca_db *db, long round_id, int all, ca_day today,
                       int (*visit)(void *u, const round_outstanding_row *r), void *u, ca_error *err);

typedef struct round_outstanding_case_row {
    const char *round, *case_id;
    const char *auditor;   /* NULL: not allocated */
    ca_day due;            /* -1: none */
    int has_due;
    long days_overdue;
} round_outstanding_case_row;
/* The ungraded cases in scope, by round, auditor (as above), then list order. */
int rounds_outstanding_cases(ca_db *db, long round_id, int all, ca_day today,
                             int (*visit)(void *u, const round_outstanding_case_row *r), void *u, ca_error *err);

/* The audit domains (SPEC §2) in their order: code and label. */
int domains_list(ca_db *db, int (*visit)(void *u, const char *code, const char *label), void *u, ca_error *err);

/* How many grades (audit records) round ROUND_ID has. */
int round_grades(ca_db *db, long round_id, long *n, ca_error *err);
/* Removes round ROUND_ID with its strata, list and picks (inside the caller's transaction). */
int round_remove(ca_db *db, long round_id, ca_error *err);
#endif
