/* themed.c: the "Themed audits" section for people (see themed.h). */
#include "moderation/render/themed.h"

#include "audit/vocab.h"

void themed_title(const report_themed *t, char *buf, size_t len)
{
    snprintf(buf, len, "Themed audit '%s': %s", t->label, t->theme);
}

void themed_intro(const report_themed *t, char *buf, size_t len)
{
    int n = snprintf(buf, len, "Frame: %s; %ld eligible case%s, %ld drawn. Audits in the period: %ld.",
                     t->filter[0] ? t->filter : "all open cases", t->eligible, t->eligible == 1 ? "" : "s",
                     t->sampled, t->audits);
    if (n > 0 && (size_t)n < len)
        snprintf(buf + n, len - (size_t)n, " Moderated: %ld (agreed %ld, downgraded %ld, upgraded %ld).",
                 t->moderated, t->agreed, t->downgraded, t->upgraded);
}

out_table *themed_grades(const report_themed *t)
{
    out_table *o = otab_new();
    otab_col(o, "Final grade", COL_TEXT);
    otab_col(o, "Audits", COL_INT);
    otab_col(o, "Share", COL_PERCENT);
    otab_col(o, "Lower 95% limit", COL_PERCENT);
    otab_col(o, "Upper 95% limit", COL_PERCENT);
    for (int g = 1; g <= 4; g++) {
        const stats_prop *p = &t->final_share[g];
        otab_row(o);
        otab_text(o, grade_label(g));
        otab_int(o, t->final[g]);
        if (p->estimable)
            otab_real(o, p->p), otab_real(o, p->lo), otab_real(o, p->hi);
        else
            otab_null(o), otab_null(o), otab_null(o);
    }
    if (otab_failed(o)) {
        otab_free(o);
        return NULL;
    }
    return o;
}

out_table *themed_rounds_table(const report *r)
{
    out_table *o = otab_new();
    static const char *const names[] = {"Round", "Theme", "Frame", "Eligible cases", "Drawn", "Audits",
                                        "Moderated", "Agreed", "Downgraded", "Upgraded"};
    for (int k = 0; k < 10; k++)
        otab_col(o, names[k], k < 3 ? COL_TEXT : COL_INT);
    for (int i = 0; i < r->nthemed; i++) {
        const report_themed *t = &r->themed[i];
        otab_row(o);
        otab_text(o, t->label), otab_text(o, t->theme), otab_text(o, t->filter);
        const long v[] = {t->eligible, t->sampled, t->audits, t->moderated, t->agreed, t->downgraded, t->upgraded};
        for (int k = 0; k < 7; k++)
            otab_int(o, v[k]);
    }
    if (otab_failed(o)) {
        otab_free(o);
        return NULL;
    }
    return o;
}

out_table *themed_grades_table(const report *r)
{
    out_table *o = otab_new();
    otab_col(o, "Round", COL_TEXT);
    otab_col(o, "Final grade", COL_TEXT);
    otab_col(o, "Audits", COL_INT);
    otab_col(o, "Share", COL_PERCENT);
    otab_col(o, "Lower 95% limit", COL_PERCENT);
    otab_col(o, "Upper 95% limit", COL_PERCENT);
    for (int i = 0; i < r->nthemed; i++)
        for (int g = 1; g <= 4; g++) {
            const report_themed *t = &r->themed[i];
            const stats_prop *p = &t->final_share[g];
            otab_row(o);
            otab_text(o, t->label), otab_text(o, grade_label(g)), otab_int(o, t->final[g]);
            if (p->estimable)
                otab_real(o, p->p), otab_real(o, p->lo), otab_real(o, p->hi);
            else
                otab_null(o), otab_null(o), otab_null(o);
        }
    if (otab_failed(o)) {
        otab_free(o);
        return NULL;
    }
    return o;
}

int themed_write(const report *r, FILE *f, enum out_format fmt, ca_error *err)
{
    if (r->nthemed == 0)
        return CA_OK;
    char buf[1400];
    fprintf(f, fmt == OUT_MD ? "\n## %s\n\n%s\n" : "\n%s\n%s\n", THEMED_TITLE, THEMED_NOTE);
    for (int i = 0; i < r->nthemed; i++) {
        out_table *t = themed_grades(&r->themed[i]);
        if (!t)
            return ca_fail(err, CA_SYSTEM, "out of memory");
        themed_title(&r->themed[i], buf, sizeof buf);
        fprintf(f, fmt == OUT_MD ? "\n### %s\n\n" : "\n%s\n", buf);
        themed_intro(&r->themed[i], buf, sizeof buf);
        fprintf(f, fmt == OUT_MD ? "%s\n\n" : "%s\n", buf);
        otab_write(t, fmt, f);
        otab_free(t);
    }
    return CA_OK;
}
