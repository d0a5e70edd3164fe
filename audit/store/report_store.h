/* report_store.h: what the quarterly report (SPEC §9) reads, and nothing else.
 *
 * Each function reads one kind of row and hands every row to a callback, so that
 * the report counts in memory without holding a million rows. A callback returns
 * CA_OK to go on, or CA_ERR (with err filled) to stop; the function then returns
 * CA_ERR. Strings handed to a callback are valid only during the call. Dates are
 * ISO yyyy-mm-dd; "as at" is the first instant not counted (the day after the
 * as-at day, or "9999-12-31" for now). Nothing here writes.
 */
#ifndef CASEAUDIT_REPORT_STORE_H
#define CASEAUDIT_REPORT_STORE_H

#include <stdint.h>

#include "audit/date.h"
#include "audit/store/store.h"

struct ca_stmt;

typedef struct rs_scope {
    char from[CA_DATE_ISO_LEN], to[CA_DATE_ISO_LEN];  /* audit dates read, inclusive */
    char asat[CA_DATE_ISO_LEN];                       /* records entered before it count */
    char ref[CA_DATE_ISO_LEN];                        /* "today" for due dates */
} rs_scope;

/* The largest audit id (0 when none). */
int rs_max_audit_id(ca_db *db, int64_t *out, ca_error *err);

/* The (round, case)s whose audit a correction had replaced by the as-at time. */
int rs_corrected_each(ca_db *db, const rs_scope *sc, int (*fn)(void *ctx, int64_t round_id, const char *case_id),
                      void *ctx, ca_error *err);

/* The moderations current at the as-at time. */
typedef struct rs_moderation {
    int64_t round_id, audit_id;
    const char *case_id;
    int grade, planned;
    int judged;             /* the grade of the audit record it judged (SPEC §8) */
} rs_moderation;
int rs_moderations_each(ca_db *db, const rs_scope *sc, int (*fn)(void *ctx, const rs_moderation *m), void *ctx,
                        ca_error *err);

/* The audits current at the as-at time and dated from sc->from to sc->to. A level
 * that want[] does not ask for (plan, age, team, auditor) is "" (not read: a column
 * not decoded is time saved a million times). A missing team reads "(no team)". */
typedef struct rs_audit {
    int64_t id, round_id;
    const char *stratum, *audit_date;
    const char *level[4];      /* plan type, age band, team, auditor */
    int grade;
    struct ca_stmt *stmt_;     /* private: the row, for rs_audit_case */
} rs_audit;
/* The audit's case id, read only when asked for (most rows never need it). */
const char *rs_audit_case(const rs_audit *a);
int rs_audits_each(ca_db *db, const rs_scope *sc, const int want[4], int (*fn)(void *ctx, const rs_audit *a),
                   void *ctx, ca_error *err);

/* The strata of a round's design: name and N_h. */
int rs_strata_each(ca_db *db, int64_t round_id, int (*fn)(void *ctx, const char *stratum, long frame_n), void *ctx,
                   ca_error *err);

/* A round's sampled cases (sum of n_h), and when it was due before sc->ref the
 * audits current at the as-at time (*graded), else *graded = -1. */
int rs_round_progress(ca_db *db, const rs_scope *sc, int64_t round_id, long *sampled, long *graded, ca_error *err);

/* Every domain, in its order. */
int rs_domains_each(ca_db *db, int (*fn)(void *ctx, const char *code, const char *label), void *ctx,
                    ca_error *err);

/* Every audit's domain grades. */
int rs_audit_domains_each(ca_db *db, int (*fn)(void *ctx, int64_t audit_id, const char *code, int grade), void *ctx,
                          ca_error *err);

/* The actions entered before the as-at time that were raised by an audit dated
 * from sc->from to sc->to: known(ctx, id) says yes quickly for the audits the caller
 * already knows are in the period; any other is looked up. done: done by then;
 * overdue: not done by then and due before sc->ref. */
int rs_actions_each(ca_db *db, const rs_scope *sc, int (*known)(void *ctx, int64_t audit_id),
                    int (*fn)(void *ctx, int done, int overdue), void *ctx, ca_error *err);

#endif
