/* worklist.h: what the web front end's pages list (SPEC §14), as stored: an
 * auditor's cases, what each auditor has outstanding, and a case's audit history.
 * Strings in a visited row are valid only during the call; a visitor returning
 * non-zero stops the listing (that value is returned).
 */
#ifndef CASEAUDIT_STORE_WORKLIST_H
#define CASEAUDIT_STORE_WORKLIST_H

#include "audit/store/store.h"

typedef struct worklist_row {
    const char *round, *case_id, *plan_type, *age_band, *team;   /* team NULL when none */
    ca_day due;            /* the round's due date, -1 when none */
    int grade;             /* the current audit's grade, 0 when not graded */
    ca_day audit_date;     /* -1 when not graded */
} worklist_row;

/* The cases allocated to AUDITOR (as the register spells the name), newest
 * round first, in list order. With round and case_id both given, only that case. */
int worklist_auditor(ca_db *db, const char *auditor, const char *round, const char *case_id,
                     int (*visit)(void *u, const worklist_row *r), void *u, ca_error *err);

/* Each auditor's allocated cases not yet graded, by auditor. */
int worklist_outstanding(ca_db *db, int (*visit)(void *u, const char *auditor, long n), void *u, ca_error *err);

typedef struct audit_history_row {
    int grade;
    ca_day audit_date;
    const char *auditor, *note, *entered_at, *entered_by;   /* note NULL when none */
    int current;           /* no correction has replaced it */
} audit_history_row;

/* Every audit of CASE_ID in round ROUND_ID, oldest first. */
int audit_history(ca_db *db, long round_id, const char *case_id,
                  int (*visit)(void *u, const audit_history_row *r), void *u, ca_error *err);

#endif
