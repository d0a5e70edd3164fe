/* report_themed.c: the themed rounds' section of the report (see report_themed.h). */
#include "moderation/report_themed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/store/report_themed_store.h"

struct themed_build {
    report *out;
    int64_t round_id;   /* the round of the last row; rows come by round */
    int cap;
    ca_error *err;
};

static int on_themed(void *ctx, const rs_themed_audit *a)
{
    struct themed_build *b = ctx;
    report *r = b->out;
    if (r->nthemed == 0 || a->round_id != b->round_id) {
        if (r->nthemed == b->cap) {
            int cap = b->cap ? 2 * b->cap : 4;
            report_themed *t = realloc(r->themed, sizeof *t * (size_t)cap);
            if (!t)
                return ca_fail(b->err, CA_SYSTEM, "out of memory");
            r->themed = t, b->cap = cap;
        }
        report_themed *t = &r->themed[r->nthemed++];
        memset(t, 0, sizeof *t);
        snprintf(t->label, sizeof t->label, "%s", a->label);
        snprintf(t->theme, sizeof t->theme, "%s", a->theme);
        snprintf(t->filter, sizeof t->filter, "%s", a->filter);
        t->eligible = a->eligible, t->sampled = a->sampled;
        b->round_id = a->round_id;
    }
    report_themed *t = &r->themed[r->nthemed - 1];
    int final = a->grade;
    t->audits++;
    if (a->moderated) {
        /* Agreement against the record the moderator saw (SPEC §8); worse is a higher code. */
        t->moderated++;
        t->agreed += a->moderated == a->judged;
        t->downgraded += a->moderated > a->judged;
        t->upgraded += a->moderated < a->judged;
        final = a->moderated;
    }
    if (final >= 1 && final <= 4)
        t->final[final]++;
    return CA_OK;
}

int report_themed_read(ca_db *db, const rs_scope *sc, report *out, ca_error *err)
{
    struct themed_build b = {out, 0, 0, err};
    out->themed = NULL, out->nthemed = 0;
    if (rs_themed_each(db, sc, on_themed, &b, err) != CA_OK) {
        free(out->themed);
        out->themed = NULL, out->nthemed = 0;
        return CA_ERR;
    }
    for (int i = 0; i < out->nthemed; i++)
        for (int g = 1; g <= 4; g++) {
            report_themed *t = &out->themed[i];
            t->final_share[g] = stats_wilson(t->final[g], t->audits);
            /* Limits that are mathematically 0 or 1 are exactly so, as in the monthly figures. */
            if (t->final[g] == 0)
                t->final_share[g].lo = 0;
            if (t->final[g] == t->audits)
                t->final_share[g].hi = 1;
        }
    return CA_OK;
}
