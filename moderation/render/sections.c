/* sections.c: the report's sections as tables, for the formats people read. */
#include "moderation/render/sections.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "audit/date.h"
#include "audit/vocab.h"

void hidden_text(const report *r, char *buf, size_t len) { snprintf(buf, len, "<%ld", r->suppress_below); }

void suppression_note(const report *r, char *buf, size_t len)
{
    if (!r->suppress_below) {
        buf[0] = 0;
        return;
    }
    snprintf(buf, len, "Counts below %ld are shown as <%ld in the breakdowns. So is any share, rate or interval "
             "worked out from such a count, and, where a total would give one away, the next-smallest count "
             "beside it.", r->suppress_below, r->suppress_below);
}

void report_title(const report *r, char *buf, size_t len)
{
    char a[CA_DATE_ISO_LEN], b[CA_DATE_ISO_LEN];
    date_uk(r->period.from, a);
    date_uk(r->period.to, b);
    if (r->settings.council[0])
        snprintf(buf, len, "%s: case audit report, %s (%s to %s)", r->settings.council, r->period.label, a, b);
    else
        snprintf(buf, len, "Case audit report: %s (%s to %s)", r->period.label, a, b);
}

void data_as_at(const report *r, char *buf, size_t len)
{
    char d[CA_DATE_ISO_LEN];
    int y, m, day, hh, mm;
    if (r->as_at >= 0) {
        date_uk(r->as_at, d);
        snprintf(buf, len, "the end of %s", d);
    } else if (sscanf(r->produced_at, "%4d-%2d-%2dT%2d:%2d", &y, &m, &day, &hh, &mm) == 5) {
        snprintf(buf, len, "%02d/%02d/%04d %02d:%02d UTC", day % 100, m % 100, y % 10000, hh % 100, mm % 100);
    } else {
        snprintf(buf, len, "%s", r->produced_at);
    }
}

const char *section_note(enum section_kind kind)
{
    switch (kind) {
    case SEC_GRADES:
        return "Each share has a 95% interval (Wilson score): the true share lies between its lower and upper "
               "limits with 95% confidence, and the interval is wider when there are fewer audits.";
    case SEC_ESTIMATE:
        return "The estimate weights each stratum of the sample by its share of the open cases, so that it "
               "speaks for all open cases rather than for the audits alone.";
    case SEC_AGREEMENT:
        return "Cohen's kappa measures how far moderators agreed with auditors beyond what chance alone would "
               "give (1: full agreement, 0: no better than chance). The sign test asks whether downgrades "
               "outnumber upgrades by more than chance would explain: a p-value below 0.05 suggests that "
               "auditors grade more generously than moderators.";
    default: return NULL;
    }
}

/* The auditors' rates beside the service's, said once rather than on every row. */
static void auditor_detail(const report *r, char *buf, size_t len)
{
    if (!r->downgraded_share.estimable) {
        snprintf(buf, len, "No audit was moderated.");
        return;
    }
    snprintf(buf, len, "The service's downgrade rate is %lld%% (%ld of %ld moderated audits); compare each "
             "auditor's rate and its 95%% interval with it. A rate on few moderations (fewer than %d) says little.",
             out_percent(r->downgraded_share.p), r->downgraded, r->moderated, REPORT_FEW_MODERATIONS);
}

void section_detail(const report *r, const struct section *s, char *buf, size_t len)
{
    size_t o = 0;
    buf[0] = 0;
    if (s->kind == SEC_BREAKDOWN && s->dim == BY_AUDITOR)
        auditor_detail(r, buf, len);
    if (s->kind != SEC_ESTIMATE || !r->estimate[1].any)
        return;
    if (!r->estimate[1].estimable)
        o += (size_t)snprintf(buf, len, "With one audit in the period there is no interval: a single audit cannot "
                              "show how much the share varies. ");
    else if (r->lonely_strata)
        o += (size_t)snprintf(buf, len, "%ld of the %ld strata audited had one audit; their contribution to the "
                              "interval is approximated as R's survey package does (lonely.psu \"adjust\"). ",
                              r->lonely_strata, r->strata);
    if (!isnan(r->coverage) && r->coverage < 1 && o < len)
        snprintf(buf + o, len - o, "The strata audited in this period hold %lld%% of the cases the rounds were "
                 "drawn from (%ld of %ld); the strata without an audit are left out, so the estimate speaks for "
                 "those %ld cases only, not for all open cases.", out_percent(r->coverage), r->covered_cases,
                 r->frame_cases, r->covered_cases);
    else if (o)
        buf[o - 1] = 0; /* no trailing space */
}

static void add_prop(out_table *t, stats_prop p)
{
    otab_int(t, p.n);
    if (p.estimable)
        otab_real(t, p.p), otab_real(t, p.lo), otab_real(t, p.hi);
    else
        otab_null(t), otab_null(t), otab_null(t);
}

/* "measure: value" rows. */
static void pair(out_table *t, const char *measure, const char *value)
{
    otab_row(t);
    otab_text(t, measure);
    otab_text(t, value);
}

static out_table *headline_table(const report *r)
{
    out_table *t = otab_new();
    otab_col(t, "Measure", COL_TEXT);
    otab_col(t, "Value", COL_TEXT);
    char v[96], a[CA_DATE_ISO_LEN], b[CA_DATE_ISO_LEN];
    date_uk(r->period.from, a);
    date_uk(r->period.to, b);
    snprintf(v, sizeof v, "%s (%s to %s)", r->period.label, a, b);
    if (r->settings.council[0])
        pair(t, "Council", r->settings.council);
    pair(t, "Period", v);
    data_as_at(r, v, sizeof v), pair(t, "Data as at", v);
    date_uk(r->produced_on, a), pair(t, "Produced on", a);
    snprintf(v, sizeof v, "%ld", r->audits), pair(t, "Audits completed", v);
    snprintf(v, sizeof v, "%ld", r->rounds), pair(t, "Rounds covered", v);
    snprintf(v, sizeof v, "%ld", r->sampled), pair(t, "Cases sampled", v);
    if (!isnan(r->completion))
        snprintf(v, sizeof v, "%lld%%", out_percent(r->completion));
    else
        snprintf(v, sizeof v, "-");
    pair(t, "Completion rate", v);
    snprintf(v, sizeof v, "%ld", r->overdue), pair(t, "Overdue audits", v);
    return t;
}

static out_table *grades_table(const report *r)
{
    out_table *t = otab_new();
    otab_col(t, "Grade", COL_TEXT);
    const char *cols[] = {"As audited", "Share as audited", "Lower 95% limit", "Upper 95% limit",
                          "Final", "Final share", "Lower 95% limit", "Upper 95% limit"};
    for (int i = 0; i < 8; i++)
        otab_col(t, cols[i], i % 4 ? COL_PERCENT : COL_INT);
    for (int g = 1; g <= 4; g++) {
        otab_row(t);
        otab_text(t, grade_label(g));
        add_prop(t, r->audited_share[g]);
        add_prop(t, r->final_share[g]);
    }
    return t;
}

static out_table *estimate_table(const report *r)
{
    out_table *t = otab_new();
    otab_col(t, "Final grade", COL_TEXT);
    otab_col(t, "Estimated share", COL_PERCENT);
    otab_col(t, "Lower 95% limit", COL_PERCENT);
    otab_col(t, "Upper 95% limit", COL_PERCENT);
    otab_col(t, "Note", COL_TEXT);
    for (int g = 1; g <= 4; g++) {
        const stats_estimate *e = &r->estimate[g];
        otab_row(t);
        otab_text(t, grade_label(g));
        if (!e->any) {
            otab_null(t), otab_null(t), otab_null(t), otab_text(t, "no audits");
            continue;
        }
        otab_real(t, e->p);
        if (e->estimable)
            otab_real(t, e->lo), otab_real(t, e->hi), otab_null(t);
        else
            otab_null(t), otab_null(t), otab_text(t, "no interval: one audit");
    }
    return t;
}

static out_table *moderation_table(const report *r)
{
    out_table *t = otab_new();
    otab_col(t, "Outcome", COL_TEXT);
    otab_col(t, "Audits", COL_INT);
    otab_col(t, "Share", COL_PERCENT);
    otab_col(t, "Lower 95% limit", COL_PERCENT);
    otab_col(t, "Upper 95% limit", COL_PERCENT);
    const char *names[] = {"Moderated (share of all audits)", "Agreed", "Downgraded", "Upgraded"};
    const stats_prop *p[] = {&r->moderated_share, &r->agreed_share, &r->downgraded_share, &r->upgraded_share};
    for (int i = 0; i < 4; i++) {
        otab_row(t);
        otab_text(t, names[i]);
        add_prop(t, *p[i]);
    }
    return t;
}

static out_table *transitions_table(const report *r)
{
    out_table *t = otab_new();
    otab_col(t, "Audited grade \\ moderated grade", COL_TEXT);
    for (int j = 1; j <= 4; j++)
        otab_col(t, grade_label(j), COL_INT);
    for (int i = 1; i <= 4; i++) {
        otab_row(t);
        otab_text(t, grade_label(i));
        for (int j = 1; j <= 4; j++)
            otab_int(t, r->transitions[i - 1][j - 1]);
    }
    return t;
}

static void kappa_row(out_table *t, const char *name, const stats_kappa_result *k)
{
    char v[32], lo[32], hi[32];
    otab_row(t);
    otab_text(t, name);
    if (!k->estimable) {
        otab_text(t, "not estimable"), otab_null(t), otab_null(t);
        return;
    }
    snprintf(v, sizeof v, "%.2f", k->value);
    snprintf(lo, sizeof lo, "%.2f", k->lo);
    snprintf(hi, sizeof hi, "%.2f", k->hi);
    otab_text(t, v), otab_text(t, lo), otab_text(t, hi);
}

static out_table *agreement_table(const report *r)
{
    out_table *t = otab_new();
    otab_col(t, "Measure", COL_TEXT);
    otab_col(t, "Value", COL_TEXT);
    otab_col(t, "Lower 95% limit", COL_TEXT);
    otab_col(t, "Upper 95% limit", COL_TEXT);
    kappa_row(t, "Cohen's kappa", &r->kappa);
    kappa_row(t, "Cohen's kappa, linear-weighted", &r->kappa_linear);
    char v[32];
    otab_row(t), otab_text(t, "Sign test, downgrades against upgrades (one-sided p)");
    if (r->sign_test_p < 0.0001)
        snprintf(v, sizeof v, "<0.0001");
    else
        snprintf(v, sizeof v, "%.4f", r->sign_test_p);
    otab_text(t, v), otab_null(t), otab_null(t);
    return t;
}

/* A breakdown's count: <K when hidden. */
static void count_cell(out_table *t, const report *r, const report_level *l, long n, unsigned bit)
{
    char buf[32];
    if (report_hidden(l, bit))
        hidden_text(r, buf, sizeof buf), otab_text(t, buf);
    else
        otab_int(t, n);
}

/* A breakdown's share: <K when hidden, empty when there is nothing to share. */
static void share_cell(out_table *t, const report *r, const report_level *l, const stats_prop *p, unsigned bit)
{
    char buf[32];
    if (report_hidden(l, bit))
        hidden_text(r, buf, sizeof buf), otab_text(t, buf);
    else if (!p->estimable)
        otab_null(t);
    else
        otab_real(t, p->p);
}

/* A breakdown's heading: "Plan type", "Age band", "Team", "Auditor". */
static const char *dim_heading(enum report_dim d)
{
    static const char *const names[] = {"Plan type", "Age band", "Team", "Auditor"};
    return names[d];
}

/* An auditor's rate needs its interval (the service's rate is said once, above the
 * table: section_detail) and a word when it rests on few moderations (left out when the count itself is hidden). */
static void auditor_cells(out_table *t, const report *r, const report_level *l)
{
    char buf[64];
    const stats_prop *p = &l->downgrade_rate;
    if (report_hidden(l, REPORT_HIDE_RATE))
        hidden_text(r, buf, sizeof buf), otab_text(t, buf), otab_text(t, buf);
    else if (p->estimable)
        otab_real(t, p->lo), otab_real(t, p->hi);
    else
        otab_null(t), otab_null(t);
    if (l->moderated > 0 && l->moderated < REPORT_FEW_MODERATIONS && !report_hidden(l, REPORT_HIDE_MODERATED))
        otab_text(t, "few moderations");
    else
        otab_null(t);
}

static out_table *breakdown_table(const report *r, const report_breakdown *b)
{
    out_table *t = otab_new();
    otab_col(t, dim_heading(b->dim), COL_TEXT);
    otab_col(t, "Audits", COL_INT);
    for (int g = 1; g <= 4; g++)
        otab_col(t, grade_label(g), COL_PERCENT);
    otab_col(t, "Moderated", COL_INT);
    otab_col(t, "Downgraded", COL_INT);
    otab_col(t, "Downgrade rate", COL_PERCENT);
    if (b->dim == BY_AUDITOR) {
        otab_col(t, "Lower 95% limit", COL_PERCENT);
        otab_col(t, "Upper 95% limit", COL_PERCENT);
        otab_col(t, "Note", COL_TEXT);
    }
    for (int i = 0; i < b->nlevels; i++) {
        const report_level *l = &b->levels[i];
        otab_row(t);
        otab_text(t, l->name);
        count_cell(t, r, l, l->audits, REPORT_HIDE_AUDITS);
        for (int g = 1; g <= 4; g++)
            share_cell(t, r, l, &l->share[g], REPORT_HIDE_SHARE(g));
        count_cell(t, r, l, l->moderated, REPORT_HIDE_MODERATED);
        count_cell(t, r, l, l->downgraded, REPORT_HIDE_DOWNGRADED);
        share_cell(t, r, l, &l->downgrade_rate, REPORT_HIDE_RATE);
        if (b->dim == BY_AUDITOR)
            auditor_cells(t, r, l);
    }
    return t;
}

static out_table *domains_table(const report *r)
{
    out_table *t = otab_new();
    otab_col(t, "Domain", COL_TEXT);
    otab_col(t, "Audits", COL_INT);
    otab_col(t, "Good or better", COL_INT);
    otab_col(t, "Share", COL_PERCENT);
    otab_col(t, "Lower 95% limit", COL_PERCENT);
    otab_col(t, "Upper 95% limit", COL_PERCENT);
    for (int i = 0; i < r->ndomains; i++) {
        otab_row(t);
        otab_text(t, r->domains[i].label);
        otab_int(t, r->domains[i].audits);
        add_prop(t, r->domains[i].share);
    }
    return t;
}

static out_table *actions_table(const report *r)
{
    out_table *t = otab_new();
    const char *cols[] = {"Raised", "Done", "Open", "Overdue"};
    long v[] = {r->actions_raised, r->actions_done, r->actions_open, r->actions_overdue};
    for (int i = 0; i < 4; i++)
        otab_col(t, cols[i], COL_INT);
    otab_row(t);
    for (int i = 0; i < 4; i++)
        otab_int(t, v[i]);
    return t;
}

static out_table *trend_table(const report *r)
{
    out_table *t = otab_new();
    otab_col(t, "Period", COL_TEXT);
    otab_col(t, "Audits", COL_INT);
    for (int g = 1; g <= 4; g++)
        otab_col(t, grade_label(g), COL_PERCENT);
    for (int k = r->ntrend - 1; k >= 0; k--) {
        const report_trend *tr = &r->trend[k];
        if (k > 0 && tr->audits == 0)
            continue; /* only where data exists */
        otab_row(t);
        otab_text(t, tr->label);
        otab_int(t, tr->audits);
        for (int g = 1; g <= 4; g++)
            tr->share[g].estimable ? otab_real(t, tr->share[g].p) : otab_null(t);
    }
    return t;
}

static void add(struct section *s, int *n, enum section_kind kind, const char *title, out_table *t)
{
    s[*n].kind = kind;
    s[*n].dim = BY_PLAN;
    snprintf(s[*n].title, sizeof s[*n].title, "%s", title);
    s[(*n)++].table = t;
}

int sections(const report *r, struct section *s, ca_error *err)
{
    int n = 0, failed = 0;
    add(s, &n, SEC_HEADLINE, "Headline", headline_table(r));
    add(s, &n, SEC_GRADES, "Grades, as audited and final", grades_table(r));
    add(s, &n, SEC_ESTIMATE, "Estimated share of open cases", estimate_table(r));
    add(s, &n, SEC_MODERATION, "Moderation", moderation_table(r));
    add(s, &n, SEC_TRANSITIONS, "Transitions", transitions_table(r));
    add(s, &n, SEC_AGREEMENT, "Agreement", agreement_table(r));
    for (int i = 0; i < r->nby; i++) {
        char title[64];
        snprintf(title, sizeof title, "By %s", dim_heading(r->by[i].dim));
        title[3] = (char)(title[3] - 'A' + 'a');
        add(s, &n, SEC_BREAKDOWN, title, breakdown_table(r, &r->by[i]));
        s[n - 1].dim = r->by[i].dim;
    }
    add(s, &n, SEC_DOMAINS, "Domains", domains_table(r));
    add(s, &n, SEC_ACTIONS, "Actions", actions_table(r));
    add(s, &n, SEC_TREND, "Trend", trend_table(r));
    for (int i = 0; i < n; i++)
        failed |= otab_failed(s[i].table);
    if (!failed)
        return n;
    free_sections(s, n);
    return ca_fail(err, CA_SYSTEM, "out of memory");
}

void free_sections(struct section *s, int n)
{
    for (int i = 0; i < n; i++)
        otab_free(s[i].table);
}

/* The grade's label in lower case, for a sentence. */
static void lower_label(int g, char *buf, size_t len)
{
    snprintf(buf, len, "%s", grade_label(g));
    buf[0] = (char)(buf[0] - 'A' + 'a');
}

void summary(const report *r, char *buf, size_t len)
{
    size_t o = 0;
    if (r->audits == 0) {
        snprintf(buf, len, "No audits in this period (%.31s): there is nothing to report.", r->period.label);
        return;
    }
    long long pc[5];
    for (int g = 1; g <= 4; g++)
        pc[g] = out_percent(r->final_share[g].p);
    o += (size_t)snprintf(buf + o, len - o, "%ld audit%s %s completed; ", r->audits, r->audits == 1 ? "" : "s",
                          r->audits == 1 ? "was" : "were");
    if (r->final[1])
        o += (size_t)snprintf(buf + o, len - o, "%lld%% were outstanding, ", pc[1]);
    o += (size_t)snprintf(buf + o, len - o, "%lld%% were good, %lld%% required improvement and %lld%% were inadequate.",
                          pc[2], pc[3], pc[4]);
    if (!r->moderated) {
        snprintf(buf + o, len - o, " No audit was moderated.");
        return;
    }
    o += (size_t)snprintf(buf + o, len - o, " Moderation downgraded %lld%% of the %ld audit%s it reviewed",
                          out_percent(r->downgraded_share.p), r->moderated, r->moderated == 1 ? "" : "s");
    if (r->top_n) {
        char from[64], to[64];
        lower_label(r->top_from, from, sizeof from);
        lower_label(r->top_to, to, sizeof to);
        o += (size_t)snprintf(buf + o, len - o, ", most often from %s to %s", from, to);
    }
    snprintf(buf + o, len - o, ".");
}

void most_common(const report *r, char *buf, size_t len)
{
    if (r->top_n)
        snprintf(buf, len, "%s \xe2\x86\x92 %s: %ld of %ld", grade_label(r->top_from), grade_label(r->top_to),
                 r->top_n, r->downgraded);
    else
        snprintf(buf, len, "none");
}
