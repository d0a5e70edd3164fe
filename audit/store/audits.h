/* audits.h: audit grades, their domain grades and actions (SPEC §7), as stored.
 *
 * "The current audit" of a case in a round is the one no correction has replaced
 * (the audit_current view); the database keeps it to one per case.
 */
#ifndef CASEAUDIT_STORE_AUDITS_H
#define CASEAUDIT_STORE_AUDITS_H

#include "audit/store/store.h"

/* A case on a round's list, as the grading rules need it. Strings owned by the
 * struct: release with audit_target_free. */
typedef struct audit_target {
    char *worker;          /* the case's allocated worker; NULL when none */
    char *auditor;         /* the allocated auditor; NULL when not assigned */
    char *team;            /* the case's team as the round drew it; NULL when none */
    long current;          /* the current audit's id, 0 when not graded */
} audit_target;
void audit_target_free(audit_target *t);

/* Returns 1 and fills *out when CASE_ID is on the round's list, 0 when it is not,
 * CA_ERR on failure. */
int audit_target_find(ca_db *db, long round_id, const char *case_id, audit_target *out, ca_error *err);

/* When CASE_ID is not on the list but an id there differs from it only by leading
 * zeros (a spreadsheet dropped them), copies that id into twin and returns 1. */
int round_case_zero_twin(ca_db *db, long round_id, const char *case_id, char *twin, size_t len, ca_error *err);

typedef struct audit_new {
    long round_id;
    const char *case_id;
    int grade;             /* 1..4 */
    const char *auditor;
    ca_day date;
    const char *note;      /* NULL: none */
    long corrects;         /* the audit this one replaces, 0 when none */
    int stand_in;          /* graded by someone other than the allocated auditor */
} audit_new;
/* Records an audit (and marks the one it corrects as replaced, at the clock's now);
 * *id is the new audit's id. Inside the caller's transaction. */
int audit_insert(ca_db *db, const audit_new *a, long *id, ca_error *err);
/* What audit ID records, to tell a re-sent row from a change: its domains as
 * "code=grade;..." by code, its actions as "text|due;..." (due ISO or empty) by id.
 * Strings owned: audit_recorded_free. 1 when found, 0 when not, CA_ERR. */
typedef struct audit_recorded {
    int grade;
    ca_day date;
    char *auditor, *note, *domains, *actions;   /* note NULL when none */
} audit_recorded;
int audit_recorded_find(ca_db *db, long id, audit_recorded *out, ca_error *err);
void audit_recorded_free(audit_recorded *r);

int audit_domain_insert(ca_db *db, long audit_id, const char *domain, int grade, ca_error *err);

/* An action raised by an audit; due -1 for none; *id is the action's id. */
int action_insert(ca_db *db, long audit_id, long round_id, const char *case_id, const char *text, const char *owner,
                  ca_day due, long *id, ca_error *err);

/* The action ID: fills done (its completion date, -1 when open), case_id and round
 * label (caller's buffers). 0 when there is no such action, 1 when found. */
int action_find(ca_db *db, long id, ca_day *done, char *case_id, size_t case_len, char *round, size_t round_len,
                ca_error *err);
int action_set_done(ca_db *db, long id, ca_day date, ca_error *err);

typedef struct action_row {
    long id;
    const char *round, *case_id, *text, *owner, *auditor;   /* owner NULL when none */
    ca_day due, done;                                       /* -1 when none */
} action_row;
/* Actions by id; round NULL for all rounds; open: only those not done; overdue: only
 * those not done whose due date is before today. */
int actions_list(ca_db *db, const char *round, int open, int overdue, ca_day today,
                 int (*visit)(void *u, const action_row *r), void *u, ca_error *err);

/* Adds a domain after the others. */
int domain_insert(ca_db *db, const char *code, const char *label, ca_error *err);

#endif
