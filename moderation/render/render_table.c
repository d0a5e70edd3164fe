/* render_table.c: the report for the terminal: aligned tables under plain titles. */
#include "moderation/render/render.h"

#include "moderation/render/sections.h"
#include "moderation/render/themed.h"

int render_table(const report *r, FILE *f, ca_error *err)
{
    char buf[1024];
    fprintf(f, "%s\n", report_marking(r));
    report_title(r, buf, sizeof buf);
    fprintf(f, "%s\n\n", buf);
    summary(r, buf, sizeof buf);
    fprintf(f, "%s\n", buf);
    if (r->audits == 0) {
        if (themed_write(r, f, OUT_TABLE, err) != CA_OK)
            return CA_ERR;
        fprintf(f, "\n%s\n", report_marking(r));
        return CA_OK;
    }
    struct section s[MAX_SECTIONS];
    int n = sections(r, s, err);
    if (n < 0)
        return CA_ERR;
    for (int i = 0; i < n; i++) {
        fprintf(f, "\n%s\n", s[i].title);
        if (s[i].kind == SEC_MODERATION) {
            most_common(r, buf, sizeof buf);
            fprintf(f, "Most common downgrade: %s\n", buf);
        }
        otab_write(s[i].table, OUT_TABLE, f);
        section_detail(r, &s[i], buf, sizeof buf); /* after the table, which follows its title's rule */
        if (buf[0])
            fprintf(f, "\n%s\n", buf);
    }
    suppression_note(r, buf, sizeof buf);
    if (buf[0])
        fprintf(f, "\n%s\n", buf);
    free_sections(s, n);
    if (themed_write(r, f, OUT_TABLE, err) != CA_OK)
        return CA_ERR;
    fprintf(f, "\n%s\n", report_marking(r)); /* the marking ends the report, after the themed rounds */
    return CA_OK;
}
