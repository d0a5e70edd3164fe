/* render_html.c: the report as one self-contained page (no network) with SVG
 * charts, printable on A4. Tables are written from the model's sections. */
#include "moderation/render/render.h"

#include <ctype.h>
#include <string.h>

#include "audit/date.h"
#include "moderation/render/charts.h"
#include "moderation/render/sections.h"
#include "moderation/render/themed.h"

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

/* Text in a table, with soft hyphens in the long words of its headings and notes, so
 * that a wide table's columns can be narrower than "Outstanding" and still fit A4. */
static void html_cell_text(FILE *f, const char *s)
{
    static const char *const words[][2] = {
        {"Outstanding", "Out&shy;stand&shy;ing"}, {"improvement", "im&shy;prove&shy;ment"},
        {"Inadequate", "In&shy;ad&shy;e&shy;quate"}, {"Moderated", "Mod&shy;er&shy;at&shy;ed"},
{"Downgraded", "Down&shy;grad&shy;ed"},
        {"Downgrade", "Down&shy;grade"}, {"Estimated", "Es&shy;ti&shy;mat&shy;ed"}};
    const char *start = s;
    while (*s) {
        const char *soft = NULL;
        size_t n = 0;
        for (size_t i = 0; !soft && (s == start || !isalpha((unsigned char)s[-1])) && i < sizeof words / sizeof *words;
             i++) {
            n = strlen(words[i][0]);
            if (strncmp(s, words[i][0], n) == 0 && !isalpha((unsigned char)s[n]))
                soft = words[i][1];
        }
        if (soft) {
            fputs(soft, f);
            s += n;
        } else {
            html_text(f, (char[]){*s++, 0});
        }
    }
}

/* A section's table, cell by cell as people read them. Each cell carries its column's
 * heading (data-label), so that on a narrow screen a wide table can stack its rows
 * as "heading: value" lines rather than run off the screen. */
static void html_table(FILE *f, const out_table *t)
{
    char buf[4096];
    int numeric, nc = otab_ncols(t);
    fprintf(f, "<table%s>\n<thead><tr>", nc >= 5 ? " class=\"wide\"" : "");
    for (int c = 0; c < nc; c++)
        fputs("<th scope=\"col\">", f), html_cell_text(f, otab_col_name(t, c)), fputs("</th>", f);
    fputs("</tr></thead>\n<tbody>\n", f);
    for (int r = 0; r < otab_nrows(t); r++) {
        fputs("<tr>", f);
        for (int c = 0; c < nc; c++) {
            otab_cell_text(t, r, c, buf, sizeof buf, &numeric);
            /* a last column of words is a note: one line, so that rows stay one or two lines high */
            fputs(c == 0 ? "<th scope=\"row\"" : numeric ? "<td class=\"n\"" : c == nc - 1 ? "<td class=\"w\"" : "<td", f);
            fputs(" data-label=\"", f), html_text(f, otab_col_name(t, c)), fputs("\">", f);
            html_cell_text(f, buf);
            fputs(c == 0 ? "</th>" : "</td>", f);
        }
        fputs("</tr>\n", f);
    }
    fputs("</tbody>\n</table>\n", f);
}

/* The page's style element, which html_head closes after the print margins' rules.
 * A4 portrait (180 mm between 15 mm margins) and a phone: tables wrap their headings
 * and keep numbers on one line; below 40em a wide table stacks its rows. */
static const char html_style[] =
    "<style>\n"
    "body{font-family:Arial,Helvetica,sans-serif;color:#0b0c0c;background:#fff;max-width:180mm;"
    "margin:1.5em auto;padding:0 12px;line-height:1.4;font-size:11pt}\n"
    ".marking{font-weight:bold;text-align:center;letter-spacing:.05em;margin:.2em 0}\n"
    ".council{font-size:13pt;font-weight:bold;margin:.6em 0 0}\n"
    "h1{font-size:18pt;margin:.1em 0 .2em}h2{font-size:13pt;border-bottom:2px solid #1d70b8;"
    "padding-bottom:2px;margin:1.2em 0 .4em}\n"
    ".summary{font-size:12pt;background:#f3f2f1;padding:.8em 1em;border-left:5px solid #1d70b8}\n"
    "table{border-collapse:collapse;margin:.5em 0;font-size:9.5pt;max-width:100%}\n"
    "th,td{border:1px solid #b1b4b6;padding:2px 5px;text-align:left;vertical-align:top}\n"
    "thead th{background:#f3f2f1;vertical-align:bottom}tbody th{font-weight:normal}\n"
    "td.n,td.w{text-align:right;white-space:nowrap}td.w{text-align:left}table.wide{font-size:8pt}table.wide th,table.wide td{padding:2px 3px}\n"
    "svg{display:block;max-width:100%;height:auto;margin:.4em 0}\n"
    ".note{color:#505a5f;font-size:9pt}\n"
    "section{break-inside:avoid;page-break-inside:avoid}h2{break-after:avoid}\n"
    "@page{size:A4;margin:15mm}\n"
    "@media print{body{margin:0;max-width:none;padding:0;font-size:10pt}.marking{display:none}table.wide{font-size:8pt}"
    ".summary{font-size:10.5pt}}\n"
    "@media screen and (max-width:40em){body{font-size:10.5pt}\n"
    "table.wide,table.wide tbody,table.wide tr,table.wide td,table.wide tbody th{display:block;width:auto}\n"
    "table.wide thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}\n"
    "table.wide tr{border:1px solid #b1b4b6;margin:0 0 .6em}\n"
    "table.wide td,table.wide tbody th{border:0;border-top:1px solid #e5e5e5;text-align:right;"
    "white-space:normal;padding:2px 6px 2px 55%;position:relative;min-height:1.4em}\n"
    "table.wide td::before{content:attr(data-label);position:absolute;left:6px;width:50%;text-align:left;"
    "font-weight:bold}\n"
    "table.wide tbody th{background:#f3f2f1;text-align:left;font-weight:bold;padding-left:6px;border:0}}\n";

/* A CSS string's content: the marking for the page's margin boxes. */
static void css_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\' || *s == '<' || *s == '>')
            fprintf(f, "\\%x ", (unsigned char)*s);
        else
            fputc(*s, f);
    }
    fputc('"', f);
}

static void html_head(FILE *f, const report *r)
{
    char a[CA_DATE_ISO_LEN], buf[1024];
    fputs("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          /* nothing loads; a server may move the style to a sheet of its own ('self') */
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'self' "
          "'unsafe-inline'\">\n"
          "<title>", f);
    report_title(r, buf, sizeof buf);
    html_text(f, buf);
    fputs("</title>\n", f);
    fputs(html_style, f); /* one style element, which the web front end moves to a sheet */
    /* The marking heads and foots every printed page. */
    fputs("@page{@top-center{content:", f);
    css_string(f, report_marking(r));
    fputs(";font:bold 9pt Arial,sans-serif}@bottom-center{content:", f);
    css_string(f, report_marking(r));
    fputs(" \" \u2014 page \" counter(page) \" of \" counter(pages);font:9pt Arial,sans-serif}}\n</style>\n", f);
    fputs("</head>\n<body>\n<p class=\"marking\">", f);
    html_text(f, report_marking(r));
    fputs("</p>\n", f);
    if (r->settings.council[0]) {
        fputs("<p class=\"council\">", f);
        html_text(f, r->settings.council);
        fputs("</p>\n", f);
    }
    char b[CA_DATE_ISO_LEN];
    date_uk(r->period.from, a);
    date_uk(r->period.to, b);
    fputs("<h1>Case audit report: ", f);
    html_text(f, r->period.label);
    fprintf(f, "</h1>\n<p>%s to %s. Data as at ", a, b);
    data_as_at(r, buf, sizeof buf);
    date_uk(r->produced_on, a);
    fprintf(f, "%s; produced on %s.</p>\n", buf, a);
    summary(r, buf, sizeof buf);
    fputs("<p class=\"summary\">", f);
    html_text(f, buf);
    fputs("</p>\n", f);
}

static void html_section(FILE *f, const report *r, const struct section *s)
{
    char buf[1024];
    fputs("<section>\n<h2>", f);
    html_text(f, s->title);
    fputs("</h2>\n", f);
    if (s->kind == SEC_GRADES)
        chart_grades(f, r);
    if (s->kind == SEC_MODERATION) {
        most_common(r, buf, sizeof buf);
        fputs("<p>Most common downgrade: ", f);
        html_text(f, buf);
        fputs("</p>\n", f);
    }
    if (section_note(s->kind)) {
        fputs("<p>", f);
        html_text(f, section_note(s->kind));
        fputs("</p>\n", f);
    }
    section_detail(r, s, buf, sizeof buf);
    if (buf[0]) {
        fputs("<p>", f);
        html_text(f, buf);
        fputs("</p>\n", f);
    }
    if (s->kind == SEC_TRANSITIONS)
        chart_transitions(f, r);
    if (s->kind == SEC_TREND)
        chart_trend(f, r);
    html_table(f, s->table);
    fputs("</section>\n", f);
}

/* The themed rounds, each a section of its own, after the monthly figures. */
static int html_themed(FILE *f, const report *r, ca_error *err)
{
    char buf[1400];
    for (int i = 0; i < r->nthemed; i++) {
        out_table *t = themed_grades(&r->themed[i]);
        if (!t)
            return ca_fail(err, CA_SYSTEM, "out of memory");
        fputs("<section class=\"themed\">\n<h2>", f);
        themed_title(&r->themed[i], buf, sizeof buf);
        html_text(f, buf);
        fputs("</h2>\n<p>", f);
        themed_intro(&r->themed[i], buf, sizeof buf);
        html_text(f, buf);
        fputs(" ", f);
        html_text(f, THEMED_NOTE);
        fputs("</p>\n", f);
        html_table(f, t);
        fputs("</section>\n", f);
        otab_free(t);
    }
    return CA_OK;
}

int render_html(const report *r, FILE *f, ca_error *err)
{
    char buf[1024];
    html_head(f, r);
    if (r->audits) {
        struct section s[MAX_SECTIONS];
        int n = sections(r, s, err);
        if (n < 0)
            return CA_ERR;
        for (int i = 0; i < n; i++)
            html_section(f, r, &s[i]);
        free_sections(s, n);
    }
    if (html_themed(f, r, err) != CA_OK)
        return CA_ERR;
    fputs("<p class=\"note\">Shares are of audits completed in the period; intervals are 95% Wilson score "
          "intervals. The estimated share of all open cases weights each stratum by its size in the round's "
          "design (Cochran 5.26), with a stratum of one audit handled as R's survey package does. No child's "
          "identifier appears in this report.", f);
    suppression_note(r, buf, sizeof buf);
    if (buf[0])
        fputc(' ', f), html_text(f, buf);
    fputs("</p>\n<p class=\"marking\">", f);
    html_text(f, report_marking(r));
    fputs("</p>\n</body>\n</html>\n", f);
    return CA_OK;
}
