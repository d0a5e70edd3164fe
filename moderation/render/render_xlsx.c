/* render_xlsx.c: the report as a workbook that prints (SPEC §9): a sheet per section,
 * the small ones grouped so that the sample quarter prints on at most 10 A4 pages
 * (Summary with the headline; Moderation with its transitions and agreement; Domains
 * and actions). Numbers are numbers with number formats (counts 0, shares 0%, kappa
 * 0.00, p 0.0000, dates dd/mm/yyyy); each sheet prints one page wide on A4, landscape
 * when wide, its table's heading row repeated, the council and the protective marking
 * in its header and footer. */
#include "moderation/render/render.h"

#include <math.h>
#include <string.h>
#include <xlsxwriter.h>

#include "audit/date.h"
#include "audit/render/output.h"
#include "moderation/render/sections.h"
#include "moderation/render/themed.h"

struct book {
    const report *r;
    lxw_workbook *wb;
    lxw_format *title, *head, *wrap, *count, *pct, *dec2, *dec4, *date;
    char header[300], footer[300];
};

/* A header/footer text: '&' is Excel's code character, written && to be itself. */
static void hf_escape(const char *s, char *out, size_t len)
{
    size_t o = 0;
    for (; *s && o + 2 < len; s++) {
        if (*s == '&')
            out[o++] = '&';
        out[o++] = *s;
    }
    out[o] = 0;
}

static int book_formats(struct book *b)
{
    lxw_format **f[] = {&b->title, &b->head, &b->wrap, &b->count, &b->pct, &b->dec2, &b->dec4, &b->date};
    for (size_t i = 0; i < sizeof f / sizeof *f; i++)
        if (!(*f[i] = workbook_add_format(b->wb)))
            return -1;
    format_set_bold(b->title), format_set_font_size(b->title, 13);
    format_set_bold(b->head), format_set_text_wrap(b->head), format_set_align(b->head, LXW_ALIGN_VERTICAL_BOTTOM);
    format_set_bottom(b->head, LXW_BORDER_THIN), format_set_bg_color(b->head, 0xF3F2F1);
    format_set_text_wrap(b->wrap), format_set_align(b->wrap, LXW_ALIGN_VERTICAL_TOP);
    format_set_num_format(b->count, "0");
    format_set_num_format(b->pct, "0%");
    format_set_num_format(b->dec2, "0.00");
    format_set_num_format(b->dec4, "0.0000");
    format_set_num_format(b->date, "dd/mm/yyyy");
    char m[256], c[256];
    hf_escape(report_marking(b->r), m, sizeof m);
    hf_escape(b->r->settings.council, c, sizeof c);
    snprintf(b->header, sizeof b->header, "&C&\"Arial,Bold\"%.200s", m);
    snprintf(b->footer, sizeof b->footer, "&L%.120s&C&\"Arial,Bold\"%.120s&R&P of &N", c, m);
    return 0;
}

/* A sheet set up for print: A4, one page wide, landscape when wide; the sheet's title
 * and the report's title in rows 0 and 1. */
static lxw_worksheet *add_sheet(struct book *b, const char *name, int wide)
{
    char sheet[32], title[512];
    size_t o = 0;
    for (const char *p = name; *p && o < 31; p++)
        sheet[o++] = strchr("[]:*?/\\", *p) ? '-' : *p;
    sheet[o] = 0;
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, sheet);
    if (!ws)
        return NULL;
    worksheet_set_paper(ws, 9); /* A4 */
    worksheet_fit_to_pages(ws, 1, 0);
    if (wide)
        worksheet_set_landscape(ws);
    worksheet_set_margins(ws, 0.5, 0.5, 0.75, 0.75);
    worksheet_set_header(ws, b->header);
    worksheet_set_footer(ws, b->footer);
    worksheet_write_string(ws, 0, 0, name, b->title);
    report_title(b->r, title, sizeof title);
    worksheet_write_string(ws, 1, 0, title, NULL);
    return ws;
}

/* A paragraph under a table, wrapped across its columns (width in characters). */
static lxw_row_t note(struct book *b, lxw_worksheet *ws, lxw_row_t row, int ncols, double width, const char *text)
{
    if (!text || !*text)
        return row;
    double lines = ceil((double)strlen(text) / (width > 20 ? width : 20) * 1.1);
    if (ncols > 1)
        worksheet_merge_range(ws, row, 0, row, (lxw_col_t)(ncols - 1), text, b->wrap);
    else
        worksheet_write_string(ws, row, 0, text, b->wrap);
    worksheet_set_row(ws, row, 15 * (lines < 1 ? 1 : lines), NULL);
    return row + 1;
}

/* A cell: numbers as numbers (a share as a percentage), text as text. */
static void cell(struct book *b, lxw_worksheet *ws, lxw_row_t row, int c, const out_table *t, int r)
{
    double v;
    char buf[1024];
    int numeric;
    if (otab_cell_number(t, r, c, &v)) {
        worksheet_write_number(ws, row, (lxw_col_t)c, v, otab_col_type(t, c) == COL_PERCENT ? b->pct : b->count);
        return;
    }
    otab_cell_text(t, r, c, buf, sizeof buf, &numeric);
    if (buf[0])
        worksheet_write_string(ws, row, (lxw_col_t)c, buf, c == 0 ? NULL : b->wrap);
}

/* A table from row on, its heading row first; returns the row after it. Column widths
 * grow to the widest table written on the sheet (widths[] holds them). */
/* The longest word of a heading, which its column must hold whole. */
static double longest_word(const char *s)
{
    size_t best = 0;
    while (*s) {
        size_t n = strcspn(s, " ");
        best = n > best ? n : best;
        s += n + (s[n] != 0);
    }
    return (double)best;
}

static lxw_row_t table(struct book *b, lxw_worksheet *ws, lxw_row_t row, const out_table *t, double *widths)
{
    char buf[1024];
    int numeric;
    for (int c = 0; c < otab_ncols(t); c++) {
        double w = longest_word(otab_col_name(t, c)) + 2;
        worksheet_write_string(ws, row, (lxw_col_t)c, otab_col_name(t, c), b->head);
        for (int r = 0; r < otab_nrows(t); r++) {
            cell(b, ws, row + 1 + (lxw_row_t)r, c, t, r);
            otab_cell_text(t, r, c, buf, sizeof buf, &numeric);
            double len = (double)strlen(buf) + 1;
            w = len > w ? len : w;
        }
        w = w > (c == 0 ? 50 : 34) ? (c == 0 ? 50 : 34) : w;
        widths[c] = w > widths[c] ? w : widths[c];
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], NULL);
    }
    double lines = 1; /* the heading row as high as its most wrapped heading */
    for (int c = 0; c < otab_ncols(t); c++) {
        double l = ceil(((double)strlen(otab_col_name(t, c)) + 1) / (widths[c] - 1));
        lines = l > lines ? l : lines;
    }
    worksheet_set_row(ws, row, 13 * lines, NULL);
    return row + 1 + (lxw_row_t)otab_nrows(t);
}

static double total_width(const double *widths, int n)
{
    double w = 0;
    for (int i = 0; i < n; i++)
        w += widths[i];
    return w;
}

/* Agreement's values from the model, over the table's text, so that kappa, its limits
 * and the sign test's p are numbers with all their digits. */
static void agreement_numbers(struct book *b, lxw_worksheet *ws, lxw_row_t top)
{
    const stats_kappa_result *k[2] = {&b->r->kappa, &b->r->kappa_linear};
    for (int i = 0; i < 2; i++) {
        if (!k[i]->estimable)
            continue;
        worksheet_write_number(ws, top + 1 + (lxw_row_t)i, 1, k[i]->value, b->dec2);
        worksheet_write_number(ws, top + 1 + (lxw_row_t)i, 2, k[i]->lo, b->dec2);
        worksheet_write_number(ws, top + 1 + (lxw_row_t)i, 3, k[i]->hi, b->dec2);
    }
    worksheet_write_number(ws, top + 3, 1, b->r->sign_test_p, b->dec4);
}

/* The n sections from s on one sheet: each table, then what explains it. 0, or -1. */
static int section_sheet(struct book *b, const struct section *s, int n, const char *name)
{
    char buf[1024];
    double widths[32] = {0};
    int ncols = 0;
    for (int i = 0; i < n; i++)
        ncols = otab_ncols(s[i].table) > ncols ? otab_ncols(s[i].table) : ncols;
    lxw_worksheet *ws = add_sheet(b, name, ncols > 8);
    if (!ws)
        return -1;
    lxw_row_t row = 3;
    for (int i = 0; i < n; i++) {
        if (n > 1)
            worksheet_write_string(ws, row++, 0, s[i].title, b->head);
        if (s[i].kind == SEC_MODERATION) {
            char top[1100];
            most_common(b->r, buf, sizeof buf);
            snprintf(top, sizeof top, "Most common downgrade: %s", buf);
            worksheet_write_string(ws, row++, 0, top, NULL);
        }
        lxw_row_t top = row;
        row = table(b, ws, row, s[i].table, widths);
        if (s[i].kind == SEC_AGREEMENT)
            agreement_numbers(b, ws, top);
        if (n == 1)
            worksheet_repeat_rows(ws, top, top), worksheet_freeze_panes(ws, top + 1, 1);
        section_detail(b->r, &s[i], buf, sizeof buf);
        row = note(b, ws, row, ncols, total_width(widths, ncols), buf);
        row = note(b, ws, row, ncols, total_width(widths, ncols), section_note(s[i].kind));
        row++;
    }
    suppression_note(b->r, buf, sizeof buf);
    note(b, ws, row, ncols, total_width(widths, ncols), buf);
    return 0;
}

/* The summary sheet: who, what period, as at when; the summary in words; the headline
 * figures from the model, as numbers and dates. */
static int summary_sheet(struct book *b)
{
    const report *r = b->r;
    char buf[1024];
    lxw_worksheet *ws = add_sheet(b, "Summary", 0);
    if (!ws)
        return -1;
    worksheet_set_column(ws, 0, 0, 24, NULL);
    worksheet_set_column(ws, 1, 1, 40, NULL);
    lxw_row_t row = note(b, ws, 3, 2, 64, (summary(r, buf, sizeof buf), buf)) + 1;
    const char *labels[12] = {"Council", "Protective marking", "Period", "From", "To", "Data as at", "Produced on",
                            "Audits completed", "Rounds covered", "Cases sampled", "Completion rate",
                            "Overdue audits"};
    ca_day days[] = {r->period.from, r->period.to, -1, r->produced_on};
    if (!r->settings.council[0])
        labels[0] = "Council (not set: caseaudit settings council)";
    double counts[] = {(double)r->audits, (double)r->rounds, (double)r->sampled, r->completion, (double)r->overdue};
    worksheet_write_string(ws, row, 0, "Measure", b->head), worksheet_write_string(ws, row++, 1, "Value", b->head);
    for (int i = 0; i < 12; i++, row++) {
        worksheet_write_string(ws, row, 0, labels[i], NULL);
        if (i < 3)
            worksheet_write_string(ws, row, 1, i == 0 ? r->settings.council : i == 1 ? report_marking(r) : r->period.label,
                                   NULL);
        else if (i == 5)
            data_as_at(r, buf, sizeof buf), worksheet_write_string(ws, row, 1, buf, NULL);
        else if (i < 7) {
            int y, m, d;
            date_to_ymd(days[i - 3], &y, &m, &d);
            lxw_datetime dt = {y, m, d, 0, 0, 0};
            worksheet_write_datetime(ws, row, 1, &dt, b->date);
        } else if (!isnan(counts[i - 7]))
            worksheet_write_number(ws, row, 1, counts[i - 7], i == 10 ? b->pct : b->count);
    }
    row = note(b, ws, row + 1, 2, 64, (section_detail(r, &(struct section){.kind = SEC_ESTIMATE}, buf, sizeof buf), buf));
    note(b, ws, row, 2, 64, (suppression_note(r, buf, sizeof buf), buf));
    return 0;
}

/* The themed rounds (SPEC §15) on a sheet of their own: the rounds, then their final
 * grades, and why they stand apart. */
static int themed_sheet(struct book *b)
{
    out_table *rounds = themed_rounds_table(b->r), *grades = themed_grades_table(b->r);
    double widths[32] = {0};
    int rc = -1, ncols = otab_ncols(rounds) > otab_ncols(grades) ? otab_ncols(rounds) : otab_ncols(grades);
    lxw_worksheet *ws = rounds && grades && ncols <= 32 ? add_sheet(b, THEMED_TITLE, ncols > 8) : NULL;
    if (ws) {
        lxw_row_t row = table(b, ws, 3, rounds, widths) + 1;
        row = table(b, ws, row, grades, widths);
        note(b, ws, row + 1, ncols, total_width(widths, ncols), THEMED_NOTE);
        rc = 0;
    }
    otab_free(rounds), otab_free(grades);
    return rc;
}

static const char *sheet_name(const struct section *s)
{
    switch (s->kind) {
    case SEC_GRADES: return "Grades";
    case SEC_ESTIMATE: return "Estimated share of open cases";
    case SEC_MODERATION: return "Moderation and agreement";
    case SEC_DOMAINS: return "Domains and actions";
    default: return s->title;
    }
}

/* How many sections from s[0] share its sheet: moderation takes transitions and
 * agreement; domains take actions; the headline is on the summary. */
static int group(const struct section *s, int n)
{
    int k = 1;
    if (s[0].kind == SEC_MODERATION)
        while (k < n && (s[k].kind == SEC_TRANSITIONS || s[k].kind == SEC_AGREEMENT))
            k++;
    if (s[0].kind == SEC_DOMAINS && n > 1 && s[1].kind == SEC_ACTIONS)
        k = 2;
    return k;
}

int render_xlsx(const report *r, const char *path, ca_error *err)
{
    struct section s[MAX_SECTIONS];
    int n = sections(r, s, err);
    if (n < 0)
        return CA_ERR;
    struct book b = {.r = r, .wb = workbook_new(path)};
    int rc = b.wb && book_formats(&b) == 0 && summary_sheet(&b) == 0 ? CA_OK : CA_ERR;
    for (int i = 0; i < n && rc == CA_OK;) {
        int k = s[i].kind == SEC_HEADLINE ? 1 : group(&s[i], n - i);
        if (s[i].kind != SEC_HEADLINE && section_sheet(&b, &s[i], k, sheet_name(&s[i])) != 0)
            rc = CA_ERR;
        i += k;
    }
    if (rc == CA_OK && r->nthemed && themed_sheet(&b) != 0)
        rc = CA_ERR;
    lxw_error e = b.wb ? workbook_close(b.wb) : LXW_ERROR_MEMORY_MALLOC_FAILED;
    free_sections(s, n);
    if (rc != CA_OK || e != LXW_NO_ERROR)
        return ca_fail(err, CA_SYSTEM, "cannot write the workbook '%s': %s", path,
                       e != LXW_NO_ERROR ? lxw_strerror(e) : "out of memory");
    return CA_OK;
}
