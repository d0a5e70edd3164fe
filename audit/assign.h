/* assign.h: allocating a round's cases to auditors (SPEC §6). */
#ifndef CASEAUDIT_ASSIGN_H
#define CASEAUDIT_ASSIGN_H

#include "audit/error.h"
#include "audit/store/store.h"

typedef struct assign_auditor {
    const char *name;
    const char *team;     /* the auditor's teams, joined with ';'; NULL: none */
    long capacity;        /* -1: no limit */
    long load;            /* out: cases given */
} assign_auditor;

typedef struct assign_case {
    const char *id;
    const char *team;     /* the case's team, NULL: none */
    const char *worker;   /* the allocated worker, NULL: none */
    int auditor;          /* out: index into the auditors, -1 when none */
} assign_case;

/* Gives each case to one auditor who is neither of the case's team nor its worker,
 * within capacities, so that the loads of the auditors without a capacity differ
 * by at most one. Whenever such an allocation exists it is found: it is a flow
 * problem (source -> case -> eligible auditor -> sink, the balance and capacities
 * as bounds on the auditor -> sink edges), solved by max flow. Among the balanced
 * allocations it takes one whose largest load (of anyone) is smallest, with the
 * auditors with a capacity holding no more than the others where that is possible;
 * within those bounds the cases go in turn to the least loaded auditor who can
 * take them without leaving others unplaceable.
 * Pure and deterministic: the result depends only on the order of the cases (the
 * round's §5 key order) and of the auditors (by name).
 * On success every case's auditor and every auditor's load are set. On failure
 * every case's auditor is -1 and every load 0: CA_REFUSED when no balanced valid
 * allocation exists (err->problems lists each case that could not be placed and
 * why), CA_SYSTEM when out of memory. */
int assign_solve(assign_auditor *auditors, int nauditors, assign_case *cases, long ncases, ca_error *err);

typedef struct assign_result {
    int nauditors;
    assign_auditor *auditors;   /* owned: assign_result_free; names owned too */
    long assigned, kept;        /* kept: graded cases whose auditor stays */
    int nnotes;
    char **notes;               /* from importing --auditors FILE (e.g. a team spelling taken) */
} assign_result;

typedef struct assign_request {
    const char *round;
    const char *auditors_file;  /* imported into the people register first; NULL: none */
    int encoding;               /* of that file (enum csvr_encoding) */
    int no_team_rule;           /* assign a round whose cases have no teams */
} assign_request;

void assign_result_free(assign_result *r);

/* Imports the auditors file into the people register (when given), then assigns the
 * round's ungraded cases to the register's active auditors (graded ones keep their
 * auditor), all in one transaction. When some case cannot be placed nothing is stored:
 * err->problems lists each case and why. On success *out is owned by the caller
 * (assign_result_free); on failure it is empty and nothing is changed. */
int assign_round(ca_db *db, const assign_request *q, assign_result *out, ca_error *err);

#endif
