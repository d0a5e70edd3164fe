/* report.h: the quarterly report (SPEC §9) as one model, built once from the
 * database; every format is rendered from it, so every number agrees. */
#ifndef CASEAUDIT_REPORT_H
#define CASEAUDIT_REPORT_H

#include "audit/store/db.h"
#include "moderation/period.h"
#include "moderation/stats.h"

enum report_dim { BY_PLAN, BY_AGE, BY_TEAM, BY_AUDITOR, REPORT_NDIMS };
const char *report_dim_name(enum report_dim d);   /* "plan", "age", "team", "auditor" */

typedef struct report_level {
    char name[128];
    int order;              /* sort key within the dimension */
    long audits;
    long final[5];          /* by grade 1..4 */
    long moderated, downgraded;
} report_level;

typedef struct report_breakdown {
    enum report_dim dim;
    int nlevels;
    report_level *levels;   /* in display order */
} report_breakdown;

typedef struct report_domain {
    char code[64], label[128];
    long audits, good_or_better;
} report_domain;

typedef struct report_trend {
    char label[32];
    long audits;
    long final[5];
} report_trend;

typedef struct report {
    ca_period period;
    ca_day as_at;                   /* -1: now */
    long audits, rounds, sampled, overdue;
    long audited[5], final[5];      /* by grade 1..4 */
    stats_estimate estimate[5];     /* design-weighted share of all open cases, by final grade */
    long moderated, agreed, downgraded, upgraded, unplanned;
    long transitions[4][4];         /* audited grade x moderated grade */
    int top_from, top_to;           /* the most common downgrade, 0 when none */
    long top_n;
    stats_kappa_result kappa, kappa_linear;
    double sign_test_p;
    int nby;
    report_breakdown by[REPORT_NDIMS];
    int ndomains;
    report_domain *domains;
    long actions_raised, actions_done, actions_open, actions_overdue;
    int ntrend;
    report_trend trend[4];          /* this period first, then the quarters before it */
} report;

/* Builds the model for the period as it stood at the end of as_at (-1: now); dims
 * are the breakdowns wanted. *out is owned by the caller: report_free. */
int report_build(ca_db *db, const ca_period *period, ca_day as_at, const enum report_dim *dims, int ndims,
                 report *out, ca_error *err);
void report_free(report *r);

#endif
