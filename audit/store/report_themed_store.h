/* report_themed_store.h: what the report's "Themed audits" section (SPEC §9, §15)
 * reads: the audits of themed rounds, which the monthly figures never count.
 * Same conventions as report_store.h. Nothing here writes. */
#ifndef CASEAUDIT_REPORT_THEMED_STORE_H
#define CASEAUDIT_REPORT_THEMED_STORE_H

#include <stdint.h>

#include "audit/store/report_store.h"

typedef struct rs_themed_audit {
    int64_t round_id;
    const char *label, *theme, *filter;   /* filter "" when none was stored */
    long eligible, sampled;               /* the round's frame after exclusions (sum N_h), and drawn (sum n_h) */
    int grade;                            /* the audited grade */
    int moderated;                        /* the current outcome's grade, 0 when not moderated */
    int judged;                           /* the grade of the audit record that outcome judged */
} rs_themed_audit;

/* The current audits (as at sc->asat) of themed rounds dated sc->from..sc->to, by round label. */
int rs_themed_each(ca_db *db, const rs_scope *sc, int (*fn)(void *ctx, const rs_themed_audit *a), void *ctx,
                   ca_error *err);

#endif
