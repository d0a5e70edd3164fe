/* report.h: the quarterly report (SPEC §9) as one model, built once from the
 * database, with every figure computed here (shares, intervals, rates) and, for
 * public papers, the cells to hide marked by report_suppress. Every format is
 * rendered from it (moderation/render/) and computes nothing, so every number
 * agrees and every format hides the same cells. */
#ifndef CASEAUDIT_REPORT_H
#define CASEAUDIT_REPORT_H

#include "audit/setting.h"
#include "audit/store/store.h"
#include "moderation/period.h"
#include "moderation/stats.h"

enum report_dim { BY_PLAN, BY_AGE, BY_TEAM, BY_AUDITOR, REPORT_NDIMS };
const char *report_dim_name(enum report_dim d);   /* "plan", "age", "team", "auditor" */

/* An auditor's downgrade rate on fewer moderations than this is flagged as resting on few. */
#define REPORT_FEW_MODERATIONS 5

/* The cells of a breakdown's row that suppression may hide: a bit each. */
#define REPORT_HIDE_AUDITS (1u << 0)
#define REPORT_HIDE_FINAL(g) (1u << (g))          /* the count of final grade g, 1..4 */
#define REPORT_HIDE_MODERATED (1u << 5)
#define REPORT_HIDE_DOWNGRADED (1u << 6)
#define REPORT_HIDE_SHARE(g) (1u << (6 + (g)))    /* the share of final grade g and its interval */
#define REPORT_HIDE_RATE (1u << 11)               /* the downgrade rate and its interval */

typedef struct report_level {
    char name[128];
    int order;              /* sort key within the dimension */
    long audits;
    long final[5];          /* by grade 1..4 */
    long moderated, downgraded;
    stats_prop share[5];    /* final[g] of audits, with its Wilson interval */
    stats_prop downgrade_rate;  /* downgraded of moderated */
    unsigned hidden;        /* REPORT_HIDE_* bits set by report_suppress */
} report_level;

typedef struct report_breakdown {
    enum report_dim dim;
    int nlevels;
    report_level *levels;   /* in display order */
} report_breakdown;

typedef struct report_domain {
    char code[64], label[128];
    long audits, good_or_better;
    stats_prop share;       /* good_or_better of audits */
} report_domain;

typedef struct report_trend {
    char label[32];
    long audits;
    long final[5];
    stats_prop share[5];    /* final[g] of audits */
} report_trend;

/* A themed (deep-dive) round with audits in the period (SPEC §15): its own section,
 * never in the monthly figures. Filled by report_themed_read (report_themed.c). */
typedef struct report_themed {
    char label[64], theme[304], filter[640];
    long eligible, sampled;     /* its frame after exclusions (sum of N_h), and cases drawn */
    long audits;                /* audits dated in the period */
    long final[5];              /* by final grade 1..4 */
    stats_prop final_share[5];  /* final[g] of audits, with its Wilson interval */
    long moderated, agreed, downgraded, upgraded;
} report_themed;

typedef struct report {
    ca_settings settings;           /* the council's name ("" when not set) and the protective marking */
    ca_period period;
    ca_day as_at;                   /* -1: now */
    char produced_at[32];           /* when it was built, by the clock: "yyyy-mm-ddThh:mm:ssZ" */
    ca_day produced_on;             /* that day */
    long audits, rounds, sampled, overdue;
    double completion;              /* audits of sampled; NAN when nothing was sampled */
    long audited[5], final[5];      /* by grade 1..4 */
    stats_prop audited_share[5], final_share[5];
    stats_estimate estimate[5];     /* design-weighted share of all open cases, by final grade */
    long strata;                    /* strata of the covered rounds with an audit in the period */
    long lonely_strata;             /* of which with one audit (of a frame of more than one) */
    long covered_cases, frame_cases; /* the cases of those strata; of every stratum of the covered rounds */
    double coverage;                /* covered_cases of frame_cases; NAN without rounds */
    long moderated, agreed, downgraded, upgraded, unplanned;
    stats_prop moderated_share;     /* moderated of audits */
    stats_prop agreed_share, downgraded_share, upgraded_share;  /* of moderated */
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
    long suppress_below;            /* K of report_suppress; 0: nothing hidden */
    int nthemed;
    report_themed *themed;          /* themed rounds, by label; only they count here */
} report;

/* Builds the model for the period as it stood at the end of as_at (-1: now, by the
 * database's clock); dims are the breakdowns wanted. Reads only, in one consistent
 * view. On success *out is owned by the caller: report_free; on error it is left
 * empty (nothing to free) and err says why (out of memory: CA_SYSTEM). Nothing is
 * hidden until report_suppress. */
int report_build(ca_db *db, const ca_period *period, ca_day as_at, const enum report_dim *dims, int ndims,
                 report *out, ca_error *err);
void report_free(report *r);

/* Hides, in the breakdowns, what a public paper must not show (SPEC §9): counts
 * from 1 to k-1; every share, rate and interval computed from a hidden count; and,
 * wherever a sum (a row's audits over its four grades, a column's levels over the
 * report's total) would have exactly one hidden member, the smallest shown member
 * besides, repeated until no sum has exactly one, so that no hidden count is a
 * total minus shown cells. Sets r->suppress_below = k; k 0 hides nothing. */
void report_suppress(report *r, long k);

/* Whether a row's cell is hidden (bit: REPORT_HIDE_*). */
static inline int report_hidden(const report_level *l, unsigned bit) { return (l->hidden & bit) != 0; }

#endif
