/* render_csv.c: the report in long form, section,dimension,level,measure,value,lower,upper,
 * exact values for analysts. */
#include "moderation/render/render.h"

#include <math.h>
#include <string.h>

#include "audit/date.h"
#include "audit/render/output.h"
#include "audit/vocab.h"

/* A row's coordinates: section, dimension, level. */
struct at {
    const char *section, *dim, *level;
};

/* Exact values, in the shortest form that reads back as the same double. */
static void csv_bound(FILE *f, double v)
{
    char buf[40];
    if (!isnan(v))
        out_real_text(v, buf, sizeof buf), fputs(buf, f);
}

static void csv_row(FILE *f, struct at at, const char *measure, const char *value, double lower, double upper)
{
    const char *cells[] = {at.section, at.dim, at.level, measure, value};
    for (int i = 0; i < 5; i++) {
        csv_write_field(f, cells[i] ? cells[i] : "");
        fputc(',', f);
    }
    csv_bound(f, lower);
    fputc(',', f);
    csv_bound(f, upper);
    fputs("\r\n", f);
}

static void csv_num(FILE *f, struct at at, const char *measure, double v, double lo, double hi)
{
    char buf[40];
    out_real_text(v, buf, sizeof buf);
    csv_row(f, at, measure, buf, lo, hi);
}

static void csv_count(FILE *f, struct at at, const char *measure, long n)
{
    char buf[40];
    snprintf(buf, sizeof buf, "%ld", n);
    csv_row(f, at, measure, buf, NAN, NAN);
}

static void csv_prop(FILE *f, struct at at, const char *measure, stats_prop p)
{
    if (p.estimable)
        csv_num(f, at, measure, p.p, p.lo, p.hi);
}

static void csv_headline(const report *r, FILE *f)
{
    char a[CA_DATE_ISO_LEN], b[CA_DATE_ISO_LEN];
    struct at period = {"period", "", ""}, head = {"headline", "", ""};
    date_iso(r->period.from, a);
    date_iso(r->period.to, b);
    /* The marking first, as on every report. */
    csv_row(f, (struct at){"report", "", ""}, "marking", r->settings.marking, NAN, NAN);
    if (r->settings.council[0])
        csv_row(f, (struct at){"report", "", ""}, "council", r->settings.council, NAN, NAN);
    csv_row(f, period, "from", a, NAN, NAN);
    csv_row(f, period, "to", b, NAN, NAN);
    csv_row(f, period, "label", r->period.label, NAN, NAN);
    if (r->as_at >= 0)
        date_iso(r->as_at, a), csv_row(f, period, "as_at", a, NAN, NAN);
    csv_row(f, period, "produced_at", r->produced_at, NAN, NAN);
    csv_count(f, head, "audits", r->audits);
    csv_count(f, head, "rounds", r->rounds);
    csv_count(f, head, "sampled", r->sampled);
    if (!isnan(r->completion))
        csv_num(f, head, "completion_rate", r->completion, NAN, NAN);
    csv_count(f, head, "overdue", r->overdue);
    for (int g = 1; g <= 4; g++) {
        struct at au = {"grades", "audited", grade_key(g)}, fi = {"grades", "final", grade_key(g)};
        csv_count(f, au, "n", r->audited[g]);
        csv_prop(f, au, "p", r->audited_share[g]);
        csv_count(f, fi, "n", r->final[g]);
        csv_prop(f, fi, "p", r->final_share[g]);
        const stats_estimate *e = &r->estimate[g];
        if (e->any)
            csv_num(f, (struct at){"estimated_share", "final", grade_key(g)}, "p", e->p, e->estimable ? e->lo : NAN,
                    e->estimable ? e->hi : NAN);
    }
    struct at est = {"estimated_share", "", ""};
    csv_count(f, est, "strata", r->strata);
    csv_count(f, est, "lonely_strata", r->lonely_strata);
    if (!isnan(r->coverage))
        csv_num(f, est, "coverage", r->coverage, NAN, NAN);
}

static void csv_moderation(const report *r, FILE *f)
{
    csv_count(f, (struct at){"moderation", "", ""}, "moderated", r->moderated);
    const char *on[] = {"agreed", "downgraded", "upgraded"};
    long ov[] = {r->agreed, r->downgraded, r->upgraded};
    const stats_prop *op[] = {&r->agreed_share, &r->downgraded_share, &r->upgraded_share};
    for (int i = 0; i < 3; i++) {
        csv_count(f, (struct at){"moderation", "", on[i]}, "n", ov[i]);
        csv_prop(f, (struct at){"moderation", "", on[i]}, "p", *op[i]);
    }
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) {
            char lvl[64];
            snprintf(lvl, sizeof lvl, "%s>%s", grade_key(i + 1), grade_key(j + 1));
            csv_count(f, (struct at){"moderation", "transition", lvl}, "n", r->transitions[i][j]);
        }
    struct at m = {"moderation", "", ""};
    if (r->kappa.estimable)
        csv_num(f, m, "kappa", r->kappa.value, r->kappa.lo, r->kappa.hi);
    if (r->kappa_linear.estimable)
        csv_num(f, m, "kappa_linear", r->kappa_linear.value, r->kappa_linear.lo, r->kappa_linear.hi);
    csv_num(f, m, "sign_test_p", r->sign_test_p, NAN, NAN);
}

/* A breakdown's count or share: <K when hidden. */
static int csv_hidden(const report *r, FILE *f, struct at at, const char *measure, const report_level *l, unsigned bit)
{
    if (!report_hidden(l, bit))
        return 0;
    char buf[32];
    snprintf(buf, sizeof buf, "<%ld", r->suppress_below);
    csv_row(f, at, measure, buf, NAN, NAN);
    return 1;
}

static void csv_level(const report *r, FILE *f, const char *dim, const report_level *l)
{
    int dim_is_auditor = strcmp(dim, report_dim_name(BY_AUDITOR)) == 0; /* with its rate, as json */
    struct at at = {"by", dim, l->name};
    if (!csv_hidden(r, f, at, "audits", l, REPORT_HIDE_AUDITS))
        csv_count(f, at, "audits", l->audits);
    for (int g = 1; g <= 4; g++)
        if (!csv_hidden(r, f, at, grade_key(g), l, REPORT_HIDE_SHARE(g)) && l->share[g].estimable)
            csv_num(f, at, grade_key(g), l->share[g].p, NAN, NAN);
    if (!csv_hidden(r, f, at, "moderated", l, REPORT_HIDE_MODERATED))
        csv_count(f, at, "moderated", l->moderated);
    if (!csv_hidden(r, f, at, "downgraded", l, REPORT_HIDE_DOWNGRADED))
        csv_count(f, at, "downgraded", l->downgraded);
    if (dim_is_auditor && !csv_hidden(r, f, at, "downgrade_rate", l, REPORT_HIDE_RATE))
        csv_prop(f, at, "downgrade_rate", l->downgrade_rate);
}

static void csv_rest(const report *r, FILE *f)
{
    for (int i = 0; i < r->ndomains; i++) {
        struct at at = {"domains", "", r->domains[i].code};
        csv_count(f, at, "audits", r->domains[i].audits);
        csv_prop(f, at, "good_or_better", r->domains[i].share);
    }
    struct at act = {"actions", "", ""};
    csv_count(f, act, "raised", r->actions_raised);
    csv_count(f, act, "done", r->actions_done);
    csv_count(f, act, "open", r->actions_open);
    csv_count(f, act, "overdue", r->actions_overdue);
    for (int k = 0; k < r->ntrend; k++) {
        const report_trend *t = &r->trend[k];
        struct at at = {"trend", "", t->label};
        csv_count(f, at, "audits", t->audits);
        for (int g = 1; g <= 4 && t->audits; g++)
            csv_num(f, at, grade_key(g), t->share[g].p, NAN, NAN);
    }
}

/* The themed rounds (SPEC §15): section "themed", dimension the round's label. */
static void csv_themed(const report *r, FILE *f)
{
    for (int i = 0; i < r->nthemed; i++) {
        const report_themed *t = &r->themed[i];
        struct at at = {"themed", t->label, ""};
        csv_row(f, at, "theme", t->theme, NAN, NAN);
        csv_row(f, at, "frame", t->filter, NAN, NAN);
        csv_count(f, at, "eligible", t->eligible);
        csv_count(f, at, "sampled", t->sampled);
        csv_count(f, at, "audits", t->audits);
        for (int g = 1; g <= 4; g++) {
            struct at level = {"themed", t->label, grade_key(g)};
            csv_count(f, level, "final", t->final[g]);
            csv_prop(f, level, "final_share", t->final_share[g]);
        }
        csv_count(f, at, "moderated", t->moderated);
        csv_count(f, at, "agreed", t->agreed);
        csv_count(f, at, "downgraded", t->downgraded);
        csv_count(f, at, "upgraded", t->upgraded);
    }
}

int render_csv(const report *r, FILE *f, ca_error *err)
{
    (void)err;
    fputs("section,dimension,level,measure,value,lower,upper\r\n", f);
    csv_headline(r, f);
    csv_moderation(r, f);
    for (int i = 0; i < r->nby; i++)
        for (int k = 0; k < r->by[i].nlevels; k++)
            csv_level(r, f, report_dim_name(r->by[i].dim), &r->by[i].levels[k]);
    csv_rest(r, f);
    csv_themed(r, f);
    return CA_OK;
}
