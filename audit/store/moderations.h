/* moderations.h: moderation picks and outcomes (SPEC §8), as stored. */
#ifndef CASEAUDIT_STORE_MODERATIONS_H
#define CASEAUDIT_STORE_MODERATIONS_H

#include "audit/store/store.h"

typedef struct moderation_list_row {
    const char *round, *case_id, *plan_type, *age_band, *team, *auditor;
    int audited_grade;
    ca_day audit_date;
    int moderated_grade;                       /* 0 when no outcome yet */
    const char *moderator, *reason;            /* NULL when none */
    ca_day moderation_date;                    /* -1 when none */
} moderation_list_row;

/* The audits picked for moderation, by round label and list order: those of the
 * round called ROUND, or (ROUND NULL) those whose current audit is dated FROM..TO;
 * pending: only those without an outcome. */
int moderation_picks(ca_db *db, const char *round, ca_day from, ca_day to, int pending,
                    int (*visit)(void *u, const moderation_list_row *r), void *u, ca_error *err);

#endif
