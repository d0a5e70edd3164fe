/* render_json.c: the report as JSON, in exactly the shape of SPEC §9 (keys may be
 * added, never changed). */
#include "moderation/render/render.h"

#include <math.h>

#include "audit/date.h"
#include "audit/render/output.h"
#include "audit/vocab.h"

/* "<K" for a hidden cell. */
static void json_hidden(json_writer *j, const report *r)
{
    char buf[32];
    snprintf(buf, sizeof buf, "<%ld", r->suppress_below);
    json_string(j, buf);
}

static void json_real_or_null(json_writer *j, int shown, double v)
{
    if (shown)
        json_double(j, v);
    else
        json_null(j);
}

/* {"n", "p", "lo", "hi"}; p, lo, hi null when not estimable, <K when hide_share. */
static void json_prop(json_writer *j, const report *r, stats_prop p, int hide_n, int hide_share)
{
    json_object(j);
    json_key(j, "n");
    hide_n ? json_hidden(j, r) : json_int(j, p.n);
    const char *keys[] = {"p", "lo", "hi"};
    double v[] = {p.p, p.lo, p.hi};
    for (int i = 0; i < 3; i++) {
        json_key(j, keys[i]);
        if (hide_share)
            json_hidden(j, r);
        else
            json_real_or_null(j, p.estimable, v[i]);
    }
    json_end_object(j);
}

static void json_grades(json_writer *j, const report *r, const stats_prop *share)
{
    json_object(j);
    for (int g = 1; g <= 4; g++) {
        json_key(j, grade_key(g));
        json_prop(j, r, share[g], 0, 0);
    }
    json_end_object(j);
}

static void json_head(json_writer *j, const report *r)
{
    char a[CA_DATE_ISO_LEN], b[CA_DATE_ISO_LEN];
    date_iso(r->period.from, a);
    date_iso(r->period.to, b);
    json_key(j, "period"), json_object(j);
    json_key(j, "from"), json_string(j, a);
    json_key(j, "to"), json_string(j, b);
    json_key(j, "label"), json_string(j, r->period.label);
    json_end_object(j);
    if (r->as_at >= 0) {
        date_iso(r->as_at, a);
        json_key(j, "as_at"), json_string(j, a);
    }
    json_key(j, "produced_at"), json_string(j, r->produced_at);
    json_key(j, "council"), json_string(j, r->settings.council[0] ? r->settings.council : NULL);
    json_key(j, "marking"), json_string(j, r->settings.marking);
    json_key(j, "audits"), json_int(j, r->audits);
    json_key(j, "rounds"), json_int(j, r->rounds);
    json_key(j, "sampled"), json_int(j, r->sampled);
    json_key(j, "completion_rate"), json_real_or_null(j, !isnan(r->completion), r->completion);
    json_key(j, "overdue"), json_int(j, r->overdue);
    json_key(j, "grades"), json_object(j);
    json_key(j, "audited"), json_grades(j, r, r->audited_share);
    json_key(j, "final"), json_grades(j, r, r->final_share);
    json_end_object(j);
}

static void json_estimate(json_writer *j, const report *r)
{
    json_key(j, "estimated_share"), json_object(j);
    json_key(j, "final"), json_object(j);
    for (int g = 1; g <= 4; g++) {
        const stats_estimate *e = &r->estimate[g];
        int interval = e->estimable && e->any;
        json_key(j, grade_key(g)), json_object(j);
        json_key(j, "p"), json_real_or_null(j, e->any, e->p);
        json_key(j, "se"), json_real_or_null(j, interval, e->se);
        json_key(j, "lo"), json_real_or_null(j, interval, e->lo);
        json_key(j, "hi"), json_real_or_null(j, interval, e->hi);
        json_key(j, "estimable"), json_bool(j, interval);
        json_end_object(j);
    }
    json_end_object(j);
    json_key(j, "strata"), json_int(j, r->strata);
    json_key(j, "lonely_strata"), json_int(j, r->lonely_strata);
    json_key(j, "coverage"), json_real_or_null(j, !isnan(r->coverage), r->coverage);
    json_end_object(j);
}

static void json_kappa(json_writer *j, const stats_kappa_result *k)
{
    json_object(j);
    json_key(j, "value"), json_real_or_null(j, k->estimable, k->value);
    json_key(j, "se"), json_real_or_null(j, k->estimable, k->se);
    json_key(j, "lo"), json_real_or_null(j, k->estimable, k->lo);
    json_key(j, "hi"), json_real_or_null(j, k->estimable, k->hi);
    json_key(j, "estimable"), json_bool(j, k->estimable);
    json_end_object(j);
}

static void json_transition(json_writer *j, int from, int to, long n)
{
    json_object(j);
    json_key(j, "from"), json_string(j, grade_key(from));
    json_key(j, "to"), json_string(j, grade_key(to));
    json_key(j, "n"), json_int(j, n);
    json_end_object(j);
}

static void json_moderation(json_writer *j, const report *r)
{
    json_key(j, "moderation"), json_object(j);
    json_key(j, "moderated"), json_int(j, r->moderated);
    json_key(j, "unplanned"), json_int(j, r->unplanned);
    json_key(j, "agreed"), json_prop(j, r, r->agreed_share, 0, 0);
    json_key(j, "downgraded"), json_prop(j, r, r->downgraded_share, 0, 0);
    json_key(j, "upgraded"), json_prop(j, r, r->upgraded_share, 0, 0);
    json_key(j, "most_common_downgrade");
    if (r->top_n)
        json_transition(j, r->top_from, r->top_to, r->top_n);
    else
        json_null(j);
    json_key(j, "transitions"), json_array(j);
    for (int i = 0; i < 4; i++)
        for (int k = 0; k < 4; k++)
            if (r->transitions[i][k])
                json_transition(j, i + 1, k + 1, r->transitions[i][k]);
    json_end_array(j);
    json_key(j, "kappa"), json_kappa(j, &r->kappa);
    json_key(j, "kappa_linear"), json_kappa(j, &r->kappa_linear);
    json_key(j, "sign_test_p"), json_double(j, r->sign_test_p);
    json_end_object(j);
}

static void json_count(json_writer *j, const report *r, const report_level *l, long n, unsigned bit)
{
    if (report_hidden(l, bit))
        json_hidden(j, r);
    else
        json_int(j, n);
}

static void json_level(json_writer *j, const report *r, enum report_dim dim, const report_level *l)
{
    json_object(j);
    json_key(j, "level"), json_string(j, l->name);
    json_key(j, "audits"), json_count(j, r, l, l->audits, REPORT_HIDE_AUDITS);
    json_key(j, "final"), json_object(j);
    for (int g = 1; g <= 4; g++) {
        json_key(j, grade_key(g));
        json_prop(j, r, l->share[g], report_hidden(l, REPORT_HIDE_FINAL(g)), report_hidden(l, REPORT_HIDE_SHARE(g)));
    }
    json_end_object(j);
    json_key(j, "moderated"), json_count(j, r, l, l->moderated, REPORT_HIDE_MODERATED);
    json_key(j, "downgraded"), json_count(j, r, l, l->downgraded, REPORT_HIDE_DOWNGRADED);
    if (dim == BY_AUDITOR) {
        const char *keys[] = {"downgrade_rate", "downgrade_rate_lo", "downgrade_rate_hi"};
        double v[] = {l->downgrade_rate.p, l->downgrade_rate.lo, l->downgrade_rate.hi};
        for (int i = 0; i < 3; i++) {
            json_key(j, keys[i]);
            if (report_hidden(l, REPORT_HIDE_RATE))
                json_hidden(j, r);
            else
                json_real_or_null(j, l->downgrade_rate.estimable, v[i]);
        }
        json_key(j, "service_downgrade_rate");
        json_real_or_null(j, r->downgraded_share.estimable, r->downgraded_share.p);
    }
    json_end_object(j);
}

static void json_by(json_writer *j, const report *r)
{
    json_key(j, "by"), json_object(j);
    for (int i = 0; i < r->nby; i++) {
        json_key(j, report_dim_name(r->by[i].dim)), json_array(j);
        for (int k = 0; k < r->by[i].nlevels; k++)
            json_level(j, r, r->by[i].dim, &r->by[i].levels[k]);
        json_end_array(j);
    }
    json_end_object(j);
}

static void json_rest(json_writer *j, const report *r)
{
    json_key(j, "domains"), json_object(j);
    for (int i = 0; i < r->ndomains; i++) {
        json_key(j, r->domains[i].code), json_object(j);
        json_key(j, "audits"), json_int(j, r->domains[i].audits);
        json_key(j, "good_or_better"), json_prop(j, r, r->domains[i].share, 0, 0);
        json_end_object(j);
    }
    json_end_object(j);
    json_key(j, "actions"), json_object(j);
    json_key(j, "raised"), json_int(j, r->actions_raised);
    json_key(j, "done"), json_int(j, r->actions_done);
    json_key(j, "open"), json_int(j, r->actions_open);
    json_key(j, "overdue"), json_int(j, r->actions_overdue);
    json_end_object(j);
    json_key(j, "trend"), json_array(j);
    for (int k = 0; k < r->ntrend; k++) {
        const report_trend *t = &r->trend[k];
        if (k > 0 && t->audits == 0)
            continue;
        json_object(j);
        json_key(j, "label"), json_string(j, t->label);
        json_key(j, "audits"), json_int(j, t->audits);
        json_key(j, "final"), json_grades(j, r, t->share);
        json_end_object(j);
    }
    json_end_array(j);
}

/* "themed": one object per themed round (SPEC §15), after every monthly figure. */
static void json_themed(json_writer *j, const report *r)
{
    json_key(j, "themed"), json_array(j);
    for (int i = 0; i < r->nthemed; i++) {
        const report_themed *t = &r->themed[i];
        json_object(j);
        json_key(j, "round"), json_string(j, t->label);
        json_key(j, "theme"), json_string(j, t->theme);
        json_key(j, "frame"), json_string(j, t->filter);
        json_key(j, "eligible"), json_int(j, t->eligible);
        json_key(j, "sampled"), json_int(j, t->sampled);
        json_key(j, "audits"), json_int(j, t->audits);
        json_key(j, "final"), json_grades(j, r, t->final_share);
        json_key(j, "moderation"), json_object(j);
        json_key(j, "moderated"), json_int(j, t->moderated);
        json_key(j, "agreed"), json_int(j, t->agreed);
        json_key(j, "downgraded"), json_int(j, t->downgraded);
        json_key(j, "upgraded"), json_int(j, t->upgraded);
        json_end_object(j);
        json_end_object(j);
    }
    json_end_array(j);
}

int render_json(const report *r, FILE *f, ca_error *err)
{
    (void)err;
    json_writer j;
    json_begin(&j, f);
    json_object(&j);
    json_head(&j, r);
    json_estimate(&j, r);
    json_moderation(&j, r);
    json_by(&j, r);
    json_rest(&j, r);
    json_themed(&j, r);
    json_end_object(&j);
    json_finish(&j);
    return CA_OK;
}
