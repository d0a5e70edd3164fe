/* evidence.h: what the inspection evidence pack (SPEC §15) reads, and nothing else.
 *
 * Each function hands every row to a callback, in the order stated; a callback
 * returns CA_OK to go on or CA_ERR (err filled) to stop, and the function then
 * returns CA_ERR. Strings are valid only during the call; NULL where the database
 * holds none. Dates are ISO yyyy-mm-dd. Nothing here writes.
 */
#ifndef CASEAUDIT_STORE_EVIDENCE_H
#define CASEAUDIT_STORE_EVIDENCE_H

#include <stdint.h>

#include "audit/store/store.h"

/* A current audit with its case as the round drew it, how it was chosen, and its
 * current moderation. */
typedef struct ev_audit {
    int64_t id, round_id;
    const char *case_id, *plan_type, *age_band, *team, *worker;
    const char *round, *theme, *theme_filter;   /* theme NULL: a monthly round */
    const char *seed, *stratum, *key;
    long frame_n, sample_n;
    const char *auditor, *audit_date, *note;
    int grade, stand_in;
    long corrections;                            /* earlier records a correction replaced */
    int mod_grade;                               /* 0: not moderated */
    int mod_judged;                              /* the grade of the record the moderator saw */
    const char *moderator, *mod_date, *mod_reason;
    const char *pick;                            /* inadequate | sample; NULL: unplanned or none */
    long mod_corrections;
} ev_audit;
/* The current audits dated FROM..TO, by audit date, round and case id. */
int ev_audits_each(ca_db *db, ca_day from, ca_day to, int (*fn)(void *ctx, const ev_audit *a), void *ctx,
                   ca_error *err);

/* The records a correction replaced for (round, case), oldest first. */
typedef struct ev_correction {
    int grade;
    const char *auditor, *audit_date, *entered_at, *superseded_at;
} ev_correction;
int ev_corrections_each(ca_db *db, int64_t round_id, const char *case_id,
                        int (*fn)(void *ctx, const ev_correction *c), void *ctx, ca_error *err);

/* An audit's domain grades: code and grade, in domain order. */
int ev_domains_each(ca_db *db, int64_t audit_id, int (*fn)(void *ctx, const char *code, int grade), void *ctx,
                    ca_error *err);

/* The actions raised for (round, case), in order of entry. */
typedef struct ev_action {
    const char *text, *owner, *due, *done_date;
} ev_action;
int ev_actions_each(ca_db *db, int64_t round_id, const char *case_id, int (*fn)(void *ctx, const ev_action *a),
                    void *ctx, ca_error *err);

/* A round with a current audit dated FROM..TO: its whole design, by label. */
typedef struct ev_round {
    int64_t id;
    const char *label, *theme, *theme_filter, *seed, *strata, *alloc, *age_bands, *as_of;
    long snapshot_id, size, population, excluded_audited, excluded_pending, excluded_theme;
    int min_per_stratum, exclude_months;
} ev_round;
int ev_rounds_each(ca_db *db, ca_day from, ca_day to, int (*fn)(void *ctx, const ev_round *r), void *ctx,
                   ca_error *err);

#endif
