/* render_xlsx.c: the report as a workbook, a summary sheet and a sheet per section. */
#include "moderation/render/render.h"

#include "audit/render/output.h"
#include "moderation/render/sections.h"
#include "moderation/render/themed.h"

/* The summary sheet: the summary in words, the most common downgrade, and the
 * footnote on hidden cells. */
static out_table *summary_table(const report *r)
{
    out_table *t = otab_new();
    char buf[1024];
    otab_col(t, "summary", COL_TEXT);
    summary(r, buf, sizeof buf);
    otab_row(t), otab_text(t, buf);
    most_common(r, buf, sizeof buf);
    otab_row(t), otab_text(t, r->moderated ? "Most common downgrade:" : "");
    otab_row(t), otab_text(t, r->moderated ? buf : "");
    section_detail(r, &(struct section){.kind = SEC_ESTIMATE}, buf, sizeof buf);
    if (buf[0])
        otab_row(t), otab_text(t, buf);
    suppression_note(r, buf, sizeof buf);
    if (buf[0])
        otab_row(t), otab_text(t, buf);
    return t;
}

/* Two sheets for the themed rounds (SPEC §15): the rounds, and their final grades. */
static int xlsx_themed(xlsx_book *x, const report *r, ca_error *err)
{
    out_table *rounds = themed_rounds_table(r), *grades = themed_grades_table(r);
    int rc = rounds && grades ? CA_OK : ca_fail(err, CA_SYSTEM, "out of memory");
    if (rc == CA_OK)
        rc = xlsx_book_sheet(x, "Themed audits", rounds, err);
    if (rc == CA_OK)
        rc = xlsx_book_sheet(x, "Themed grades", grades, err);
    otab_free(rounds), otab_free(grades);
    return rc;
}

int render_xlsx(const report *r, const char *path, ca_error *err)
{
    struct section s[MAX_SECTIONS];
    int n = sections(r, s, err);
    if (n < 0)
        return CA_ERR;
    out_table *sum = summary_table(r);
    xlsx_book *x = xlsx_book_open(path, err);
    int rc = x ? xlsx_book_sheet(x, "Summary", sum, err) : CA_ERR;
    for (int i = 0; i < n && rc == CA_OK; i++)
        rc = xlsx_book_sheet(x, s[i].title, s[i].table, err);
    if (rc == CA_OK && r->nthemed)
        rc = xlsx_themed(x, r, err);
    if (x && xlsx_book_close(x, rc == CA_OK ? err : NULL) != CA_OK)
        rc = CA_ERR;
    otab_free(sum);
    free_sections(s, n);
    return rc;
}
