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
    int corrected_since;                       /* the auditor corrected the grade after this outcome */
} moderation_list_row;

/* The audits picked for moderation, by round label and list order: those of the
 * round called ROUND, or (ROUND NULL) those whose current audit is dated FROM..TO;
 * pending: only those without an outcome. */
int moderation_picks(ca_db *db, const char *round, ca_day from, ca_day to, int pending,
                    int (*visit)(void *u, const moderation_list_row *r), void *u, ca_error *err);

/* The current audit of CASE_ID in the round called ROUND, as a moderation needs it. */
typedef struct moderation_target {
    long round_id, audit_id;
    int audited;               /* the audited grade */
    char auditor[256];
    ca_day audit_date;
    long previous;             /* the current outcome's id, 0 when not moderated */
    int planned;               /* picked for moderation */
    char round[64];            /* the round's label */
    /* The current outcome, when previous: what it says, to tell a re-sent row from a change. */
    int prev_grade;
    char prev_moderator[256];
    ca_day prev_date;
    char prev_reason[1024];    /* "" when none */
} moderation_target;
/* 1 and *out filled when the case has an audit in that round, 0 when not, CA_ERR. */
int moderation_target_find(ca_db *db, const char *round, const char *case_id, moderation_target *out,
                           ca_error *err);
/* The same for a case whose current audit is dated FROM..TO (a quarter given for a
 * round): returns how many rounds have one (0, 1, or more: then *out is the first by
 * round label), CA_ERR on failure. */
int moderation_target_find_dated(ca_db *db, ca_day from, ca_day to, const char *case_id, moderation_target *out,
                                 ca_error *err);

/* How many audits in scope (as pick_candidates) are already picked for moderation. */
int pick_count(ca_db *db, const char *round, ca_day from, ca_day to, long *n, ca_error *err);

typedef struct moderation_new {
    long round_id;
    const char *case_id;
    long audit_id;             /* the audit as the manager saw it */
    int grade;
    const char *moderator;
    ca_day date;
    const char *reason;        /* NULL: none */
    int planned;
    long corrects;             /* the outcome this one replaces, 0 when none */
} moderation_new;
/* Records an outcome (marking the one it corrects replaced). Inside the caller's transaction. */
int moderation_insert(ca_db *db, const moderation_new *m, ca_error *err);

/* The current audits in scope that are neither moderated nor picked yet, by round and
 * case id: those of the round called ROUND, or (ROUND NULL) those dated FROM..TO. */
typedef struct pick_candidate_row {
    long round_id;
    const char *round, *case_id, *auditor;
    int grade;
} pick_candidate_row;
int pick_candidates(ca_db *db, const char *round, ca_day from, ca_day to,
                    int (*visit)(void *u, const pick_candidate_row *r), void *u, ca_error *err);

/* Records that an audit was picked for moderation (why: "inadequate" or "sample"). */
int pick_insert(ca_db *db, long round_id, const char *case_id, const char *why, const char *seed_hex,
                ca_error *err);

#endif
