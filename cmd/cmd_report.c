/* report (SPEC §9): one model, rendered as table, md, html, csv, json or xlsx. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/vocab.h"
#include "cmd/cli.h"
#include "cmd/output.h"
#include "moderation/report.h"

static const char report_usage[] =
    "usage: caseaudit report [--quarter 2026Q3 | --quarter 2026/27Q2 | --from DATE --to DATE] [--by DIMS]\n"
    "         [--as-at DATE] [--format table|md|html|csv|json|xlsx] [-o FILE] [--suppress-below K]\n";
static const char report_help[] =
    "\nThe quarterly report: audits completed, grade shares as audited and after moderation\n"
    "(95% Wilson intervals), the design-weighted estimate for all open cases, moderation\n"
    "(agreed, downgraded, upgraded, the transition matrix, Cohen's kappa, the sign test),\n"
    "breakdowns, domains, actions and the trend over four quarters. No child's identifier\n"
    "appears in any report.\n\n"
    "  --quarter Q          2026Q3 (July-September) or 2026/27Q2 (financial year)\n"
    "  --from DATE --to DATE  any period instead (default: the last complete quarter)\n"
    "  --by DIMS            breakdowns: comma list of plan, age, team, auditor (default plan,age)\n"
    "  --as-at DATE         the report as it stood at the end of DATE\n"
    "  --format FMT         table (default), md, html, csv, json or xlsx (html and xlsx need -o)\n"
    "  -o FILE              write to FILE (mode 0600)\n"
    "  --suppress-below K   show counts below K as <K in breakdowns (for public papers)\n";

struct view {
    const report *r;
    long suppress;   /* 0: none */
};

static const char *const grade_names[5] = {"", "Outstanding", "Good", "Requires improvement", "Inadequate"};

/* ---- the sections as tables (table, md, csv via long form, xlsx, html) ---- */

static void add_prop(out_table *t, stats_prop p)
{
    otab_int(t, p.n);
    if (p.estimable) {
        otab_real(t, p.p);
        otab_real(t, p.lo);
        otab_real(t, p.hi);
    } else {
        otab_null(t), otab_null(t), otab_null(t);
    }
}

static out_table *headline_table(const report *r)
{
    out_table *t = otab_new();
    otab_col(t, "measure", COL_TEXT);
    otab_col(t, "value", COL_TEXT);
    char v[64], a[CA_DATE_ISO_LEN], b[CA_DATE_ISO_LEN];
    date_uk(r->period.from, a);
    date_uk(r->period.to, b);
    otab_row(t), otab_text(t, "Period"), snprintf(v, sizeof v, "%s (%s to %s)", r->period.label, a, b), otab_text(t, v);
    if (r->as_at >= 0) {
        date_uk(r->as_at, a);
        otab_row(t), otab_text(t, "As at the end of"), otab_text(t, a);
    }
    otab_row(t), otab_text(t, "Audits completed"), snprintf(v, sizeof v, "%ld", r->audits), otab_text(t, v);
    otab_row(t), otab_text(t, "Rounds covered"), snprintf(v, sizeof v, "%ld", r->rounds), otab_text(t, v);
    otab_row(t), otab_text(t, "Cases sampled"), snprintf(v, sizeof v, "%ld", r->sampled), otab_text(t, v);
    otab_row(t), otab_text(t, "Completion rate");
    if (r->sampled)
        snprintf(v, sizeof v, "%lld%%", out_percent((double)r->audits / (double)r->sampled)), otab_text(t, v);
    else
        otab_text(t, "-");
    otab_row(t), otab_text(t, "Overdue audits"), snprintf(v, sizeof v, "%ld", r->overdue), otab_text(t, v);
    return t;
}

static out_table *grades_table(const report *r)
{
    out_table *t = otab_new();
    otab_col(t, "grade", COL_TEXT);
    const char *cols[] = {"audited", "audited_share", "audited_lower", "audited_upper",
                          "final", "final_share", "final_lower", "final_upper"};
    for (int i = 0; i < 8; i++)
        otab_col(t, cols[i], i % 4 ? COL_PERCENT : COL_INT);
    for (int g = 1; g <= 4; g++) {
        otab_row(t);
        otab_text(t, grade_names[g]);
        add_prop(t, stats_wilson(r->audited[g], r->audits));
        add_prop(t, stats_wilson(r->final[g], r->audits));
    }
    return t;
}

static out_table *estimate_table(const report *r)
{
    out_table *t = otab_new();
    otab_col(t, "final_grade", COL_TEXT);
    otab_col(t, "estimated_share", COL_PERCENT);
    otab_col(t, "lower", COL_PERCENT);
    otab_col(t, "upper", COL_PERCENT);
    otab_col(t, "note", COL_TEXT);
    for (int g = 1; g <= 4; g++) {
        const stats_estimate *e = &r->estimate[g];
        otab_row(t);
        otab_text(t, grade_names[g]);
        if (!e->any) {
            otab_null(t), otab_null(t), otab_null(t), otab_text(t, "no audits");
            continue;
        }
        otab_real(t, e->p);
        if (e->estimable)
            otab_real(t, e->lo), otab_real(t, e->hi), otab_null(t);
        else
            otab_null(t), otab_null(t), otab_text(t, "interval not estimable: a stratum has fewer than 2 audits");
    }
    return t;
}

static out_table *moderation_table(const report *r)
{
    out_table *t = otab_new();
    otab_col(t, "outcome", COL_TEXT);
    otab_col(t, "audits", COL_INT);
    otab_col(t, "share", COL_PERCENT);
    otab_col(t, "lower", COL_PERCENT);
    otab_col(t, "upper", COL_PERCENT);
    const char *names[] = {"Agreed", "Downgraded", "Upgraded"};
    long n[] = {r->agreed, r->downgraded, r->upgraded};
    otab_row(t), otab_text(t, "Moderated (share of all audits)");
    add_prop(t, stats_wilson(r->moderated, r->audits));
    for (int i = 0; i < 3; i++) {
        otab_row(t);
        otab_text(t, names[i]);
        add_prop(t, stats_wilson(n[i], r->moderated));
    }
    return t;
}

static out_table *transitions_table(const report *r)
{
    out_table *t = otab_new();
    otab_col(t, "audited \\ moderated", COL_TEXT);
    for (int j = 1; j <= 4; j++)
        otab_col(t, grade_names[j], COL_INT);
    for (int i = 1; i <= 4; i++) {
        otab_row(t);
        otab_text(t, grade_names[i]);
        for (int j = 1; j <= 4; j++)
            otab_int(t, r->transitions[i - 1][j - 1]);
    }
    return t;
}

static out_table *agreement_table(const report *r)
{
    out_table *t = otab_new();
    otab_col(t, "measure", COL_TEXT);
    otab_col(t, "value", COL_TEXT);
    otab_col(t, "lower", COL_TEXT);
    otab_col(t, "upper", COL_TEXT);
    const stats_kappa_result *k[] = {&r->kappa, &r->kappa_linear};
    char v[32], lo[32], hi[32];
    const char *names[] = {"Cohen's kappa", "Cohen's kappa, linear-weighted"};
    for (int i = 0; i < 2; i++) {
        otab_row(t);
        otab_text(t, names[i]);
        if (k[i]->estimable) {
            snprintf(v, sizeof v, "%.2f", k[i]->value);
            snprintf(lo, sizeof lo, "%.2f", k[i]->lo);
            snprintf(hi, sizeof hi, "%.2f", k[i]->hi);
            otab_text(t, v), otab_text(t, lo), otab_text(t, hi);
        } else {
            otab_text(t, "not estimable"), otab_null(t), otab_null(t);
        }
    }
    otab_row(t), otab_text(t, "Sign test, downgrades against upgrades (one-sided p)");
    if (r->sign_test_p < 0.0001)
        snprintf(v, sizeof v, "<0.0001");
    else
        snprintf(v, sizeof v, "%.4f", r->sign_test_p);
    otab_text(t, v), otab_null(t), otab_null(t);
    return t;
}

static void count_cell(out_table *t, long n, long k)
{
    char buf[32];
    if (k && n < k) {
        snprintf(buf, sizeof buf, "<%ld", k);
        otab_text(t, buf);
    } else {
        otab_int(t, n);
    }
}

static void share_cell(out_table *t, long n, long of, long k)
{
    if (of == 0 || (k && (n < k || of < k)))
        otab_null(t);
    else
        otab_real(t, (double)n / (double)of);
}

static out_table *breakdown_table(const struct view *v, const report_breakdown *b)
{
    const report *r = v->r;
    out_table *t = otab_new();
    otab_col(t, report_dim_name(b->dim), COL_TEXT);
    otab_col(t, "audits", COL_INT);
    for (int g = 1; g <= 4; g++)
        otab_col(t, grade_names[g], COL_PERCENT);
    otab_col(t, "moderated", COL_INT);
    otab_col(t, "downgraded", COL_INT);
    otab_col(t, "downgrade_rate", COL_PERCENT);
    if (b->dim == BY_AUDITOR)
        otab_col(t, "service_downgrade_rate", COL_PERCENT);
    for (int i = 0; i < b->nlevels; i++) {
        const report_level *l = &b->levels[i];
        otab_row(t);
        otab_text(t, l->name);
        count_cell(t, l->audits, v->suppress);
        for (int g = 1; g <= 4; g++)
            share_cell(t, l->final[g], l->audits, v->suppress);
        count_cell(t, l->moderated, v->suppress);
        count_cell(t, l->downgraded, v->suppress);
        share_cell(t, l->downgraded, l->moderated, v->suppress);
        if (b->dim == BY_AUDITOR)
            share_cell(t, r->downgraded, r->moderated, 0);
    }
    return t;
}

static out_table *domains_table(const report *r)
{
    out_table *t = otab_new();
    otab_col(t, "domain", COL_TEXT);
    otab_col(t, "audits", COL_INT);
    otab_col(t, "good_or_better", COL_INT);
    otab_col(t, "share", COL_PERCENT);
    otab_col(t, "lower", COL_PERCENT);
    otab_col(t, "upper", COL_PERCENT);
    for (int i = 0; i < r->ndomains; i++) {
        otab_row(t);
        otab_text(t, r->domains[i].label);
        otab_int(t, r->domains[i].audits);
        add_prop(t, stats_wilson(r->domains[i].good_or_better, r->domains[i].audits));
    }
    return t;
}

static out_table *actions_table(const report *r)
{
    out_table *t = otab_new();
    otab_col(t, "raised", COL_INT);
    otab_col(t, "done", COL_INT);
    otab_col(t, "open", COL_INT);
    otab_col(t, "overdue", COL_INT);
    otab_row(t);
    otab_int(t, r->actions_raised), otab_int(t, r->actions_done), otab_int(t, r->actions_open);
    otab_int(t, r->actions_overdue);
    return t;
}

static out_table *trend_table(const report *r)
{
    out_table *t = otab_new();
    otab_col(t, "period", COL_TEXT);
    otab_col(t, "audits", COL_INT);
    for (int g = 1; g <= 4; g++)
        otab_col(t, grade_names[g], COL_PERCENT);
    for (int k = r->ntrend - 1; k >= 0; k--) {
        const report_trend *tr = &r->trend[k];
        if (k > 0 && tr->audits == 0)
            continue; /* only where data exists */
        otab_row(t);
        otab_text(t, tr->label);
        otab_int(t, tr->audits);
        for (int g = 1; g <= 4; g++)
            share_cell(t, tr->final[g], tr->audits, 0);
    }
    return t;
}

struct section {
    const char *title;
    out_table *table;
};

enum { MAX_SECTIONS = 16 };

static int sections(const struct view *v, struct section *s)
{
    const report *r = v->r;
    int n = 0;
    s[n++] = (struct section){"Headline", headline_table(r)};
    s[n++] = (struct section){"Grades, as audited and final", grades_table(r)};
    s[n++] = (struct section){"Estimated share of all open cases", estimate_table(r)};
    s[n++] = (struct section){"Moderation", moderation_table(r)};
    s[n++] = (struct section){"Transitions", transitions_table(r)};
    s[n++] = (struct section){"Agreement", agreement_table(r)};
    static char titles[REPORT_NDIMS][64];
    for (int i = 0; i < r->nby; i++) {
        snprintf(titles[i], sizeof titles[i], "By %s", report_dim_name(r->by[i].dim));
        s[n++] = (struct section){titles[i], breakdown_table(v, &r->by[i])};
    }
    s[n++] = (struct section){"Domains", domains_table(r)};
    s[n++] = (struct section){"Actions", actions_table(r)};
    s[n++] = (struct section){"Trend", trend_table(r)};
    return n;
}

static void free_sections(struct section *s, int n)
{
    for (int i = 0; i < n; i++)
        otab_free(s[i].table);
}

/* The plain-English summary, as a committee paper would put it. */
static void summary(const report *r, char *buf, size_t len)
{
    size_t o = 0;
    if (r->audits == 0) {
        snprintf(buf, len, "No audits in this period (%.31s): there is nothing to report.", r->period.label);
        return;
    }
    long long pc[5];
    for (int g = 1; g <= 4; g++)
        pc[g] = out_percent((double)r->final[g] / (double)r->audits);
    o += (size_t)snprintf(buf + o, len - o, "%ld audit%s %s completed; ", r->audits, r->audits == 1 ? "" : "s",
                          r->audits == 1 ? "was" : "were");
    if (r->final[1])
        o += (size_t)snprintf(buf + o, len - o, "%lld%% were outstanding, ", pc[1]);
    o += (size_t)snprintf(buf + o, len - o, "%lld%% were good, %lld%% required improvement and %lld%% were inadequate.",
                          pc[2], pc[3], pc[4]);
    if (r->moderated) {
        o += (size_t)snprintf(buf + o, len - o, " Moderation downgraded %lld%% of the %ld audit%s it reviewed",
                              out_percent((double)r->downgraded / (double)r->moderated), r->moderated,
                              r->moderated == 1 ? "" : "s");
        if (r->top_n) {
            char from[64], to[64];
            snprintf(from, sizeof from, "%s", grade_names[r->top_from]);
            snprintf(to, sizeof to, "%s", grade_names[r->top_to]);
            from[0] = (char)(from[0] - 'A' + 'a');
            to[0] = (char)(to[0] - 'A' + 'a');
            o += (size_t)snprintf(buf + o, len - o, ", most often from %s to %s", from, to);
        }
        o += (size_t)snprintf(buf + o, len - o, ".");
    } else {
        o += (size_t)snprintf(buf + o, len - o, " No audit was moderated.");
    }
}

static void most_common(const report *r, char *buf, size_t len)
{
    if (r->top_n)
        snprintf(buf, len, "%s \xe2\x86\x92 %s: %ld of %ld", grade_names[r->top_from], grade_names[r->top_to],
                 r->top_n, r->downgraded);
    else
        snprintf(buf, len, "none");
}

/* ---- text formats ---- */

static int write_text(const struct view *v, enum out_format fmt, FILE *f)
{
    const report *r = v->r;
    struct section s[MAX_SECTIONS];
    int n = sections(v, s);
    char buf[1024], a[CA_DATE_ISO_LEN], b[CA_DATE_ISO_LEN];
    date_uk(r->period.from, a);
    date_uk(r->period.to, b);
    if (fmt == OUT_MD)
        fprintf(f, "# Case audit report: %s (%s to %s)\n\n", r->period.label, a, b);
    else
        fprintf(f, "Case audit report: %s (%s to %s)\n\n", r->period.label, a, b);
    summary(r, buf, sizeof buf);
    fprintf(f, "%s\n", buf);
    if (r->audits == 0) {
        free_sections(s, n);
        return 0;
    }
    most_common(r, buf, sizeof buf);
    for (int i = 0; i < n; i++) {
        fprintf(f, fmt == OUT_MD ? "\n## %s\n\n" : "\n%s\n", s[i].title);
        if (strcmp(s[i].title, "Moderation") == 0)
            fprintf(f, "Most common downgrade: %s%s\n", buf, fmt == OUT_MD ? "\n" : "");
        otab_write(s[i].table, fmt, f);
    }
    if (v->suppress)
        fprintf(f, "\nCounts below %ld are shown as <%ld in the breakdowns.\n", v->suppress, v->suppress);
    free_sections(s, n);
    return 0;
}

/* ---- csv: the long form section,dimension,level,measure,value,lower,upper ---- */

static void csv_row(FILE *f, const char *section, const char *dim, const char *level, const char *measure,
                    const char *value, double lower, double upper)
{
    const char *cells[] = {section, dim, level, measure, value};
    for (int i = 0; i < 5; i++) {
        csv_write_field(f, cells[i] ? cells[i] : "");
        fputc(',', f);
    }
    if (isnan(lower))
        fputs(",", f);
    else
        fprintf(f, "%.17g,", lower);
    if (!isnan(upper))
        fprintf(f, "%.17g", upper);
    fputs("\r\n", f);
}

static void csv_num(FILE *f, const char *section, const char *dim, const char *level, const char *measure, double v,
                    double lo, double hi)
{
    char buf[40];
    snprintf(buf, sizeof buf, "%.17g", v);
    csv_row(f, section, dim, level, measure, buf, lo, hi);
}

static void csv_count(FILE *f, const char *section, const char *dim, const char *level, const char *measure, long n,
                      long k)
{
    char buf[40];
    if (k && n < k)
        snprintf(buf, sizeof buf, "<%ld", k);
    else
        snprintf(buf, sizeof buf, "%ld", n);
    csv_row(f, section, dim, level, measure, buf, NAN, NAN);
}

static int write_csv(const struct view *v, FILE *f)
{
    const report *r = v->r;
    fputs("section,dimension,level,measure,value,lower,upper\r\n", f);
    char a[CA_DATE_ISO_LEN], b[CA_DATE_ISO_LEN];
    date_iso(r->period.from, a);
    date_iso(r->period.to, b);
    csv_row(f, "period", "", "", "from", a, NAN, NAN);
    csv_row(f, "period", "", "", "to", b, NAN, NAN);
    csv_row(f, "period", "", "", "label", r->period.label, NAN, NAN);
    csv_count(f, "headline", "", "", "audits", r->audits, 0);
    csv_count(f, "headline", "", "", "rounds", r->rounds, 0);
    csv_count(f, "headline", "", "", "sampled", r->sampled, 0);
    if (r->sampled)
        csv_num(f, "headline", "", "", "completion_rate", (double)r->audits / (double)r->sampled, NAN, NAN);
    csv_count(f, "headline", "", "", "overdue", r->overdue, 0);
    for (int g = 1; g <= 4; g++) {
        stats_prop pa = stats_wilson(r->audited[g], r->audits), pf = stats_wilson(r->final[g], r->audits);
        csv_count(f, "grades", "audited", grade_key(g), "n", r->audited[g], 0);
        if (pa.estimable)
            csv_num(f, "grades", "audited", grade_key(g), "p", pa.p, pa.lo, pa.hi);
        csv_count(f, "grades", "final", grade_key(g), "n", r->final[g], 0);
        if (pf.estimable)
            csv_num(f, "grades", "final", grade_key(g), "p", pf.p, pf.lo, pf.hi);
        const stats_estimate *e = &r->estimate[g];
        if (e->any)
            csv_num(f, "estimated_share", "final", grade_key(g), "p", e->p, e->estimable ? e->lo : NAN,
                    e->estimable ? e->hi : NAN);
    }
    csv_count(f, "moderation", "", "", "moderated", r->moderated, 0);
    const char *on[] = {"agreed", "downgraded", "upgraded"};
    long ov[] = {r->agreed, r->downgraded, r->upgraded};
    for (int i = 0; i < 3; i++) {
        stats_prop p = stats_wilson(ov[i], r->moderated);
        csv_count(f, "moderation", "", on[i], "n", ov[i], 0);
        if (p.estimable)
            csv_num(f, "moderation", "", on[i], "p", p.p, p.lo, p.hi);
    }
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) {
            char lvl[64];
            snprintf(lvl, sizeof lvl, "%s>%s", grade_key(i + 1), grade_key(j + 1));
            csv_count(f, "moderation", "transition", lvl, "n", r->transitions[i][j], 0);
        }
    if (r->kappa.estimable)
        csv_num(f, "moderation", "", "", "kappa", r->kappa.value, r->kappa.lo, r->kappa.hi);
    if (r->kappa_linear.estimable)
        csv_num(f, "moderation", "", "", "kappa_linear", r->kappa_linear.value, r->kappa_linear.lo,
                r->kappa_linear.hi);
    csv_num(f, "moderation", "", "", "sign_test_p", r->sign_test_p, NAN, NAN);
    for (int i = 0; i < r->nby; i++) {
        const report_breakdown *bd = &r->by[i];
        const char *dim = report_dim_name(bd->dim);
        for (int k = 0; k < bd->nlevels; k++) {
            const report_level *l = &bd->levels[k];
            csv_count(f, "by", dim, l->name, "audits", l->audits, v->suppress);
            for (int g = 1; g <= 4; g++)
                if (l->audits && !(v->suppress && (l->audits < v->suppress || l->final[g] < v->suppress)))
                    csv_num(f, "by", dim, l->name, grade_key(g), (double)l->final[g] / (double)l->audits, NAN, NAN);
            csv_count(f, "by", dim, l->name, "moderated", l->moderated, v->suppress);
            csv_count(f, "by", dim, l->name, "downgraded", l->downgraded, v->suppress);
        }
    }
    for (int i = 0; i < r->ndomains; i++) {
        stats_prop p = stats_wilson(r->domains[i].good_or_better, r->domains[i].audits);
        csv_count(f, "domains", "", r->domains[i].code, "audits", r->domains[i].audits, 0);
        if (p.estimable)
            csv_num(f, "domains", "", r->domains[i].code, "good_or_better", p.p, p.lo, p.hi);
    }
    csv_count(f, "actions", "", "", "raised", r->actions_raised, 0);
    csv_count(f, "actions", "", "", "done", r->actions_done, 0);
    csv_count(f, "actions", "", "", "open", r->actions_open, 0);
    csv_count(f, "actions", "", "", "overdue", r->actions_overdue, 0);
    for (int k = 0; k < r->ntrend; k++) {
        const report_trend *t = &r->trend[k];
        csv_count(f, "trend", "", t->label, "audits", t->audits, 0);
        for (int g = 1; g <= 4 && t->audits; g++)
            csv_num(f, "trend", "", t->label, grade_key(g), (double)t->final[g] / (double)t->audits, NAN, NAN);
    }
    return 0;
}

/* ---- json: exactly the §9 shape ---- */

static void json_prop(json_writer *j, stats_prop p)
{
    json_object(j);
    json_key(j, "n"), json_int(j, p.n);
    if (p.estimable) {
        json_key(j, "p"), json_double(j, p.p);
        json_key(j, "lo"), json_double(j, p.lo);
        json_key(j, "hi"), json_double(j, p.hi);
    } else {
        json_key(j, "p"), json_null(j);
        json_key(j, "lo"), json_null(j);
        json_key(j, "hi"), json_null(j);
    }
    json_end_object(j);
}

static void json_grades(json_writer *j, const long *counts, long total)
{
    json_object(j);
    for (int g = 1; g <= 4; g++) {
        json_key(j, grade_key(g));
        json_prop(j, stats_wilson(counts[g], total));
    }
    json_end_object(j);
}

static void json_count(json_writer *j, long n, long k)
{
    if (k && n < k) {
        char buf[32];
        snprintf(buf, sizeof buf, "<%ld", k);
        json_string(j, buf);
    } else {
        json_int(j, n);
    }
}

static void json_kappa(json_writer *j, const stats_kappa_result *k)
{
    json_object(j);
    if (k->estimable) {
        json_key(j, "value"), json_double(j, k->value);
        json_key(j, "se"), json_double(j, k->se);
        json_key(j, "lo"), json_double(j, k->lo);
        json_key(j, "hi"), json_double(j, k->hi);
    } else {
        json_key(j, "value"), json_null(j);
        json_key(j, "se"), json_null(j);
        json_key(j, "lo"), json_null(j);
        json_key(j, "hi"), json_null(j);
    }
    json_key(j, "estimable"), json_bool(j, k->estimable);
    json_end_object(j);
}

static int write_json(const struct view *v, FILE *f)
{
    const report *r = v->r;
    json_writer j;
    char a[CA_DATE_ISO_LEN], b[CA_DATE_ISO_LEN];
    json_begin(&j, f);
    json_object(&j);
    json_key(&j, "period"), json_object(&j);
    date_iso(r->period.from, a);
    date_iso(r->period.to, b);
    json_key(&j, "from"), json_string(&j, a);
    json_key(&j, "to"), json_string(&j, b);
    json_key(&j, "label"), json_string(&j, r->period.label);
    json_end_object(&j);
    if (r->as_at >= 0) {
        date_iso(r->as_at, a);
        json_key(&j, "as_at"), json_string(&j, a);
    }
    json_key(&j, "audits"), json_int(&j, r->audits);
    json_key(&j, "rounds"), json_int(&j, r->rounds);
    json_key(&j, "sampled"), json_int(&j, r->sampled);
    json_key(&j, "completion_rate");
    if (r->sampled)
        json_double(&j, (double)r->audits / (double)r->sampled);
    else
        json_null(&j);
    json_key(&j, "overdue"), json_int(&j, r->overdue);
    json_key(&j, "grades"), json_object(&j);
    json_key(&j, "audited"), json_grades(&j, r->audited, r->audits);
    json_key(&j, "final"), json_grades(&j, r->final, r->audits);
    json_end_object(&j);
    json_key(&j, "estimated_share"), json_object(&j);
    json_key(&j, "final"), json_object(&j);
    for (int g = 1; g <= 4; g++) {
        const stats_estimate *e = &r->estimate[g];
        json_key(&j, grade_key(g)), json_object(&j);
        json_key(&j, "p");
        if (e->any)
            json_double(&j, e->p);
        else
            json_null(&j);
        json_key(&j, "se");
        if (e->estimable && e->any)
            json_double(&j, e->se);
        else
            json_null(&j);
        json_key(&j, "lo");
        if (e->estimable && e->any)
            json_double(&j, e->lo);
        else
            json_null(&j);
        json_key(&j, "hi");
        if (e->estimable && e->any)
            json_double(&j, e->hi);
        else
            json_null(&j);
        json_key(&j, "estimable"), json_bool(&j, e->estimable && e->any);
        json_end_object(&j);
    }
    json_end_object(&j);
    json_end_object(&j);
    json_key(&j, "moderation"), json_object(&j);
    json_key(&j, "moderated"), json_int(&j, r->moderated);
    json_key(&j, "unplanned"), json_int(&j, r->unplanned);
    json_key(&j, "agreed"), json_prop(&j, stats_wilson(r->agreed, r->moderated));
    json_key(&j, "downgraded"), json_prop(&j, stats_wilson(r->downgraded, r->moderated));
    json_key(&j, "upgraded"), json_prop(&j, stats_wilson(r->upgraded, r->moderated));
    json_key(&j, "most_common_downgrade");
    if (r->top_n) {
        json_object(&j);
        json_key(&j, "from"), json_string(&j, grade_key(r->top_from));
        json_key(&j, "to"), json_string(&j, grade_key(r->top_to));
        json_key(&j, "n"), json_int(&j, r->top_n);
        json_end_object(&j);
    } else {
        json_null(&j);
    }
    json_key(&j, "transitions"), json_array(&j);
    for (int i = 0; i < 4; i++)
        for (int k = 0; k < 4; k++)
            if (r->transitions[i][k]) {
                json_object(&j);
                json_key(&j, "from"), json_string(&j, grade_key(i + 1));
                json_key(&j, "to"), json_string(&j, grade_key(k + 1));
                json_key(&j, "n"), json_int(&j, r->transitions[i][k]);
                json_end_object(&j);
            }
    json_end_array(&j);
    json_key(&j, "kappa"), json_kappa(&j, &r->kappa);
    json_key(&j, "kappa_linear"), json_kappa(&j, &r->kappa_linear);
    json_key(&j, "sign_test_p"), json_double(&j, r->sign_test_p);
    json_end_object(&j);
    json_key(&j, "by"), json_object(&j);
    for (int i = 0; i < r->nby; i++) {
        const report_breakdown *bd = &r->by[i];
        json_key(&j, report_dim_name(bd->dim)), json_array(&j);
        for (int k = 0; k < bd->nlevels; k++) {
            const report_level *l = &bd->levels[k];
            json_object(&j);
            json_key(&j, "level"), json_string(&j, l->name);
            json_key(&j, "audits"), json_count(&j, l->audits, v->suppress);
            json_key(&j, "final");
            if (v->suppress && l->audits < v->suppress) {
                json_null(&j);
            } else {
                json_object(&j);
                for (int g = 1; g <= 4; g++) {
                    stats_prop p = stats_wilson(l->final[g], l->audits);
                    json_key(&j, grade_key(g));
                    if (v->suppress && l->final[g] < v->suppress) {
                        json_object(&j);
                        json_key(&j, "n"), json_count(&j, l->final[g], v->suppress);
                        json_end_object(&j);
                    } else {
                        json_prop(&j, p);
                    }
                }
                json_end_object(&j);
            }
            json_key(&j, "moderated"), json_count(&j, l->moderated, v->suppress);
            json_key(&j, "downgraded"), json_count(&j, l->downgraded, v->suppress);
            if (bd->dim == BY_AUDITOR) {
                json_key(&j, "downgrade_rate");
                if (l->moderated && !(v->suppress && l->moderated < v->suppress))
                    json_double(&j, (double)l->downgraded / (double)l->moderated);
                else
                    json_null(&j);
                json_key(&j, "service_downgrade_rate");
                if (r->moderated)
                    json_double(&j, (double)r->downgraded / (double)r->moderated);
                else
                    json_null(&j);
            }
            json_end_object(&j);
        }
        json_end_array(&j);
    }
    json_end_object(&j);
    json_key(&j, "domains"), json_object(&j);
    for (int i = 0; i < r->ndomains; i++) {
        json_key(&j, r->domains[i].code), json_object(&j);
        json_key(&j, "audits"), json_int(&j, r->domains[i].audits);
        json_key(&j, "good_or_better"), json_prop(&j, stats_wilson(r->domains[i].good_or_better,
                                                                   r->domains[i].audits));
        json_end_object(&j);
    }
    json_end_object(&j);
    json_key(&j, "actions"), json_object(&j);
    json_key(&j, "raised"), json_int(&j, r->actions_raised);
    json_key(&j, "done"), json_int(&j, r->actions_done);
    json_key(&j, "open"), json_int(&j, r->actions_open);
    json_key(&j, "overdue"), json_int(&j, r->actions_overdue);
    json_end_object(&j);
    json_key(&j, "trend"), json_array(&j);
    for (int k = 0; k < r->ntrend; k++) {
        const report_trend *t = &r->trend[k];
        if (k > 0 && t->audits == 0)
            continue;
        json_object(&j);
        json_key(&j, "label"), json_string(&j, t->label);
        json_key(&j, "audits"), json_int(&j, t->audits);
        json_key(&j, "final"), json_grades(&j, t->final, t->audits);
        json_end_object(&j);
    }
    json_end_array(&j);
    json_end_object(&j);
    json_finish(&j);
    return 0;
}

/* ---- html: one self-contained file with SVG charts, printable on A4 ---- */

static void html_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
    }
}

static const char *const grade_colours[5] = {"", "#1b7837", "#7fbf7b", "#f1a340", "#b2182b"};

static void svg_grade_bars(FILE *f, const report *r)
{
    /* Two stacked bars: as audited and final. */
    fputs("<svg viewBox=\"0 0 640 150\" width=\"100%\" role=\"img\" aria-label=\"Grades as audited and after "
          "moderation\">\n", f);
    const long *rows[] = {r->audited, r->final};
    const char *labels[] = {"As audited", "Final"};
    for (int k = 0; k < 2; k++) {
        double x = 110;
        int y = 20 + 50 * k;
        fprintf(f, "<text x=\"100\" y=\"%d\" text-anchor=\"end\" font-size=\"13\">%s</text>\n", y + 22, labels[k]);
        for (int g = 1; g <= 4; g++) {
            double w = r->audits ? 500.0 * (double)rows[k][g] / (double)r->audits : 0;
            if (w <= 0)
                continue;
            fprintf(f, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"34\" fill=\"%s\"><title>%s: %ld</title>"
                       "</rect>\n", x, y, w, grade_colours[g], grade_names[g], rows[k][g]);
            if (w > 30)
                fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"12\" fill=\"#fff\">%lld%%"
                           "</text>\n", x + w / 2, y + 22, out_percent((double)rows[k][g] / (double)r->audits));
            x += w;
        }
    }
    static const int legend_x[5] = {0, 110, 230, 320, 490}; /* after each label's width */
    for (int g = 1; g <= 4; g++)
        fprintf(f, "<rect x=\"%d\" y=\"128\" width=\"12\" height=\"12\" fill=\"%s\"/><text x=\"%d\" y=\"139\" "
                   "font-size=\"12\">%s</text>\n", legend_x[g], grade_colours[g], legend_x[g] + 16, grade_names[g]);
    fputs("</svg>\n", f);
}

static void svg_trend(FILE *f, const report *r)
{
    int idx[4], n = 0;
    for (int k = r->ntrend - 1; k >= 0; k--)
        if (k == 0 || r->trend[k].audits)
            idx[n++] = k;
    fputs("<svg viewBox=\"0 0 640 220\" width=\"100%\" role=\"img\" aria-label=\"Final grades by quarter\">\n", f);
    fputs("<line x1=\"60\" y1=\"180\" x2=\"620\" y2=\"180\" stroke=\"#888\"/>"
          "<line x1=\"60\" y1=\"20\" x2=\"60\" y2=\"180\" stroke=\"#888\"/>\n", f);
    for (int pct = 0; pct <= 100; pct += 25)
        fprintf(f, "<text x=\"54\" y=\"%d\" text-anchor=\"end\" font-size=\"11\">%d%%</text>\n",
                184 - (int)(1.6 * pct), pct);
    double step = n > 1 ? 520.0 / (n - 1) : 0;
    for (int i = 0; i < n; i++)
        fprintf(f, "<text x=\"%.1f\" y=\"198\" text-anchor=\"middle\" font-size=\"11\">%s</text>\n",
                80 + step * i, r->trend[idx[i]].label);
    for (int g = 1; g <= 4; g++) {
        fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2.5\" points=\"", grade_colours[g]);
        for (int i = 0; i < n; i++) {
            const report_trend *t = &r->trend[idx[i]];
            double p = t->audits ? (double)t->final[g] / (double)t->audits : 0;
            fprintf(f, "%.1f,%.1f ", 80 + step * i, 180 - 160 * p);
        }
        fputs("\"/>\n", f);
        for (int i = 0; i < n; i++) {
            const report_trend *t = &r->trend[idx[i]];
            double p = t->audits ? (double)t->final[g] / (double)t->audits : 0;
            fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"><title>%s %s: %lld%%</title></circle>\n",
                    80 + step * i, 180 - 160 * p, grade_colours[g], t->label, grade_names[g], out_percent(p));
        }
    }
    fputs("</svg>\n", f);
}

static void svg_heatmap(FILE *f, const report *r)
{
    long max = 1;
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            max = r->transitions[i][j] > max ? r->transitions[i][j] : max;
    fputs("<svg viewBox=\"0 0 640 300\" width=\"100%\" role=\"img\" aria-label=\"Audited grade against moderated "
          "grade\">\n", f);
    fputs("<text x=\"420\" y=\"16\" text-anchor=\"middle\" font-size=\"12\">moderated grade</text>\n", f);
    for (int j = 0; j < 4; j++)
        fprintf(f, "<text x=\"%d\" y=\"36\" text-anchor=\"middle\" font-size=\"11\">%s</text>\n", 260 + 110 * j,
                grade_names[j + 1]);
    for (int i = 0; i < 4; i++) {
        fprintf(f, "<text x=\"196\" y=\"%d\" text-anchor=\"end\" font-size=\"11\">%s</text>\n", 80 + 60 * i,
                grade_names[i + 1]);
        for (int j = 0; j < 4; j++) {
            long n = r->transitions[i][j];
            double shade = (double)n / (double)max;
            int c = 255 - (int)(190 * shade);
            fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"106\" height=\"56\" fill=\"rgb(%d,%d,255)\" stroke=\"#fff\"/>"
                       "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"14\" fill=\"%s\">%ld</text>\n",
                    207 + 110 * j, 48 + 60 * i, c, c, 260 + 110 * j, 82 + 60 * i, shade > 0.6 ? "#fff" : "#000", n);
        }
    }
    fputs("<text x=\"20\" y=\"170\" font-size=\"12\" transform=\"rotate(-90 20 170)\" text-anchor=\"middle\">"
          "audited grade</text>\n</svg>\n", f);
}

static void html_table(FILE *f, const out_table *t)
{
    /* Render through the Markdown writer's cells would lose types; write rows directly. */
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m)
        return;
    otab_write(t, OUT_MD, m);
    fclose(m);
    /* The Markdown table: header, rule, rows; cells between " | ". */
    fputs("<table>\n", f);
    int line = 0;
    for (char *save = NULL, *row = strtok_r(buf, "\n", &save); row; row = strtok_r(NULL, "\n", &save), line++) {
        if (line == 1)
            continue;
        fputs("<tr>", f);
        char *p = row + 1;
        while (*p) {
            char *end = p;
            while (*end && !(*end == '|' && end[-1] != '\\'))
                end++;
            if (!*end)
                break;
            *end = 0;
            char *cell = p;
            while (*cell == ' ')
                cell++;
            size_t n = strlen(cell);
            while (n && cell[n - 1] == ' ')
                cell[--n] = 0;
            fputs(line == 0 ? "<th>" : "<td>", f);
            for (char *c = cell; *c; c++) {
                if (*c == '\\' && c[1] == '|')
                    continue;
                char one[2] = {*c, 0};
                html_text(f, one);
            }
            fputs(line == 0 ? "</th>" : "</td>", f);
            p = end + 1;
        }
        fputs("</tr>\n", f);
    }
    fputs("</table>\n", f);
    free(buf);
}

static int write_html(const struct view *v, FILE *f)
{
    const report *r = v->r;
    char a[CA_DATE_ISO_LEN], b[CA_DATE_ISO_LEN], buf[1024];
    date_uk(r->period.from, a);
    date_uk(r->period.to, b);
    fputs("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n<title>", f);
    fprintf(f, "Case audit report %s</title>\n", r->period.label);
    fputs("<style>\n"
          "body{font-family:Arial,Helvetica,sans-serif;color:#0b0c0c;max-width:190mm;margin:1.5em auto;"
          "line-height:1.4;font-size:11pt}\n"
          "h1{font-size:18pt;margin-bottom:.2em}h2{font-size:13pt;border-bottom:2px solid #1d70b8;"
          "padding-bottom:2px;margin-top:1.4em}\n"
          ".summary{font-size:12pt;background:#f3f2f1;padding:.8em 1em;border-left:5px solid #1d70b8}\n"
          "table{border-collapse:collapse;margin:.5em 0;font-size:10pt}th,td{border:1px solid #b1b4b6;"
          "padding:3px 7px;text-align:left}th{background:#f3f2f1}\n"
          "td:not(:first-child){text-align:right}.note{color:#505a5f;font-size:9pt}\n"
          "section{break-inside:avoid;page-break-inside:avoid}\n"
          "@page{size:A4;margin:15mm}@media print{body{margin:0;max-width:none}h2{break-after:avoid}}\n"
          "</style>\n</head>\n<body>\n", f);
    fprintf(f, "<h1>Case audit report: %s</h1>\n<p>%s to %s", r->period.label, a, b);
    if (r->as_at >= 0) {
        date_uk(r->as_at, a);
        fprintf(f, ", as it stood at the end of %s", a);
    }
    fputs("</p>\n", f);
    summary(r, buf, sizeof buf);
    fputs("<p class=\"summary\">", f);
    html_text(f, buf);
    fputs("</p>\n", f);
    if (r->audits) {
        struct section s[MAX_SECTIONS];
        int n = sections(v, s);
        most_common(r, buf, sizeof buf);
        for (int i = 0; i < n; i++) {
            fputs("<section>\n<h2>", f);
            html_text(f, s[i].title);
            fputs("</h2>\n", f);
            if (strcmp(s[i].title, "Grades, as audited and final") == 0)
                svg_grade_bars(f, r);
            if (strcmp(s[i].title, "Moderation") == 0) {
                fputs("<p>Most common downgrade: ", f);
                html_text(f, buf);
                fputs("</p>\n", f);
            }
            if (strcmp(s[i].title, "Transitions") == 0)
                svg_heatmap(f, r);
            if (strcmp(s[i].title, "Trend") == 0)
                svg_trend(f, r);
            html_table(f, s[i].table);
            fputs("</section>\n", f);
        }
        free_sections(s, n);
    }
    fputs("<p class=\"note\">Shares are of audits completed in the period; intervals are 95% Wilson score "
          "intervals. The estimated share of all open cases weights each stratum by its size in the round's "
          "design (Cochran 5.26). No child's identifier appears in this report.", f);
    if (v->suppress)
        fprintf(f, " Counts below %ld are shown as &lt;%ld in the breakdowns.", v->suppress, v->suppress);
    fputs("</p>\n</body>\n</html>\n", f);
    return 0;
}

static int write_xlsx(const struct view *v, const char *path)
{
    out_xlsx *x = out_xlsx_open(path);
    if (!x)
        return CA_SYSTEM;
    struct section s[MAX_SECTIONS];
    int n = sections(v, s), rc = 0;
    out_table *sum = otab_new();
    char buf[1024];
    otab_col(sum, "summary", COL_TEXT);
    summary(v->r, buf, sizeof buf);
    otab_row(sum), otab_text(sum, buf);
    most_common(v->r, buf, sizeof buf);
    otab_row(sum), otab_text(sum, v->r->moderated ? "Most common downgrade:" : "");
    otab_row(sum), otab_text(sum, v->r->moderated ? buf : "");
    rc = out_xlsx_sheet(x, "Summary", sum);
    for (int i = 0; i < n && rc == 0; i++)
        rc = out_xlsx_sheet(x, s[i].title, s[i].table);
    otab_free(sum);
    free_sections(s, n);
    return out_xlsx_close(x, rc == 0) ? CA_SYSTEM : rc;
}

/* The last complete quarter before today. */
static void default_period(ca_period *p)
{
    int y, m, d;
    date_to_ymd(cli_today(), &y, &m, &d);
    int q = (m - 1) / 3 + 1;
    char label[32], why[160];
    snprintf(label, sizeof label, "%04dQ%d", (q == 1 ? y - 1 : y) % 10000, q == 1 ? 4 : q - 1);
    period_parse_quarter(label, p, why, sizeof why);
}

int cmd_report(int argc, char **argv)
{
    static const struct option opts[] = {
        {"quarter", required_argument, NULL, 'q'}, {"from", required_argument, NULL, 'F'},
        {"to", required_argument, NULL, 'T'},      {"by", required_argument, NULL, 'b'},
        {"as-at", required_argument, NULL, 'a'},   {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},  {"suppress-below", required_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
    };
    ca_period period;
    int have_quarter = 0, from = -1, to = -1, as_at = -1, c, ndims = 2;
    enum report_dim dims[REPORT_NDIMS] = {BY_PLAN, BY_AGE};
    enum out_format fmt = OUT_TABLE;
    const char *path = NULL;
    long suppress = 0;
    char why[160], *end;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:", opts, NULL)) != -1) {
        switch (c) {
        case 'q':
            if (period_parse_quarter(optarg, &period, why, sizeof why) != CA_OK)
                return cli_error(CA_REFUSED, "--quarter \"%s\": %s", optarg, why);
            have_quarter = 1;
            break;
        case 'F':
            if (cli_parse_date("--from", optarg, &from))
                return CA_REFUSED;
            break;
        case 'T':
            if (cli_parse_date("--to", optarg, &to))
                return CA_REFUSED;
            break;
        case 'a':
            if (cli_parse_date("--as-at", optarg, &as_at))
                return CA_REFUSED;
            break;
        case 'b': {
            ndims = 0;
            for (char *save = NULL, *tok = strtok_r(optarg, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
                int found = -1;
                for (int d = 0; d < REPORT_NDIMS; d++)
                    if (strcmp(tok, report_dim_name((enum report_dim)d)) == 0)
                        found = d;
                for (int i = 0; i < ndims; i++)
                    if ((int)dims[i] == found)
                        found = -2;
                if (found < 0)
                    return cli_usage_error(report_usage, "--by: '%s' is not one of plan, age, team, auditor (or is "
                                           "given twice)", tok);
                dims[ndims++] = (enum report_dim)found;
            }
            break;
        }
        case 'f':
            if (out_format_parse(optarg, 0x3f, &fmt))
                return CA_USAGE;
            break;
        case 'o': path = optarg; break;
        case 's':
            suppress = strtol(optarg, &end, 10);
            if (*end || suppress < 1)
                return cli_error(CA_REFUSED, "--suppress-below \"%s\": expected a whole number above 0", optarg);
            break;
        case 'h': return printf("%s", report_usage), cli_help(report_help);
        default: return cli_bad_option(report_usage, argv, c);
        }
    }
    if (optind < argc)
        return cli_usage_error(report_usage, "unexpected argument '%s'", argv[optind]);
    if (have_quarter && (from >= 0 || to >= 0))
        return cli_usage_error(report_usage, "give --quarter or --from and --to, not both");
    if ((from >= 0) != (to >= 0))
        return cli_usage_error(report_usage, "--from and --to go together");
    if (from >= 0 && from > to)
        return cli_error(CA_REFUSED, "--from is after --to");
    if ((fmt == OUT_XLSX || fmt == OUT_HTML) && (!path || strcmp(path, "-") == 0))
        return cli_usage_error(report_usage, "--format %s needs -o FILE", fmt == OUT_XLSX ? "xlsx" : "html");
    if (from >= 0)
        period_from_dates(from, to, &period);
    else if (!have_quarter)
        default_period(&period);

    ca_db *db;
    int rc = cli_open_db(&db, CA_DB_EXISTING);
    if (rc)
        return rc;
    ca_error err = CA_ERROR_INIT;
    report r;
    if (report_build(db, &period, as_at, dims, ndims, &r, &err) != CA_OK) {
        rc = cli_report(&err);
        goto done;
    }
    struct view v = {&r, suppress};
    if (r.audits == 0)
        fprintf(stderr, "note: no audits in this period (%s)\n", period.label);
    if (fmt == OUT_XLSX) {
        rc = write_xlsx(&v, path);
    } else {
        out_file of;
        if ((rc = out_open(&of, path)) == 0) {
            switch (fmt) {
            case OUT_JSON: write_json(&v, of.f); break;
            case OUT_CSV: write_csv(&v, of.f); break;
            case OUT_HTML: write_html(&v, of.f); break;
            default: write_text(&v, fmt, of.f); break;
            }
            rc = out_close(&of, !ferror(of.f)) ? CA_SYSTEM : 0;
        }
    }
    if (rc == 0)
        cli_wrote(path, "report", "%s, %ld audit%s", period.label, r.audits, r.audits == 1 ? "" : "s");
    report_free(&r);
done:
    ca_error_free(&err);
    db_close(db);
    return rc;
}
