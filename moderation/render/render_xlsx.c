/* render_xlsx.c: the report as a workbook, a summary sheet and a sheet per section. */
#include "moderation/render/render.h"

#include "audit/render/output.h"
#include "moderation/render/sections.h"

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
    suppression_note(r, buf, sizeof buf);
    if (buf[0])
        otab_row(t), otab_text(t, buf);
    return t;
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
    if (x && xlsx_book_close(x, rc == CA_OK ? err : NULL) != CA_OK)
        rc = CA_ERR;
    otab_free(sum);
    free_sections(s, n);
    return rc;
}
