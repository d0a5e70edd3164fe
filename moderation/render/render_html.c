/* render_html.c: the report as one self-contained page (no network) with SVG
 * charts, printable on A4. Tables are written from the model's sections. */
#include "moderation/render/render.h"

#include "audit/date.h"
#include "audit/vocab.h"
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

static const char *const grade_colours[5] = {"", "#1b7837", "#7fbf7b", "#f1a340", "#b2182b"};

/* One stacked bar of the four grades' shares, at height y. */
static void svg_bar(FILE *f, const char *label, int y, const stats_prop *share, const long *counts)
{
    double x = 110;
    fprintf(f, "<text x=\"100\" y=\"%d\" text-anchor=\"end\" font-size=\"13\">%s</text>\n", y + 22, label);
    for (int g = 1; g <= 4; g++) {
        double w = 500.0 * share[g].p;
        if (w <= 0)
            continue;
        fprintf(f, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"34\" fill=\"%s\"><title>%s: %ld</title>"
                   "</rect>\n", x, y, w, grade_colours[g], grade_label(g), counts[g]);
        if (w > 30)
            fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"12\" fill=\"#fff\">%lld%%"
                       "</text>\n", x + w / 2, y + 22, out_percent(share[g].p));
        x += w;
    }
}

/* Two stacked bars: as audited and final, with a legend. */
static void svg_grade_bars(FILE *f, const report *r)
{
    fputs("<svg viewBox=\"0 0 640 150\" width=\"100%\" role=\"img\" aria-label=\"Grades as audited and after "
          "moderation\">\n", f);
    svg_bar(f, "As audited", 20, r->audited_share, r->audited);
    svg_bar(f, "Final", 70, r->final_share, r->final);
    static const int legend_x[5] = {0, 110, 230, 320, 490}; /* after each label's width */
    for (int g = 1; g <= 4; g++)
        fprintf(f, "<rect x=\"%d\" y=\"128\" width=\"12\" height=\"12\" fill=\"%s\"/><text x=\"%d\" y=\"139\" "
                   "font-size=\"12\">%s</text>\n", legend_x[g], grade_colours[g], legend_x[g] + 16, grade_label(g));
    fputs("</svg>\n", f);
}

/* One grade's line over the quarters idx[0..n-1]. */
static void svg_trend_line(FILE *f, const report *r, const int *idx, int n, double step, int g)
{
    fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2.5\" points=\"", grade_colours[g]);
    for (int i = 0; i < n; i++)
        fprintf(f, "%.1f,%.1f ", 80 + step * i, 180 - 160 * r->trend[idx[i]].share[g].p);
    fputs("\"/>\n", f);
    for (int i = 0; i < n; i++) {
        const report_trend *t = &r->trend[idx[i]];
        fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"><title>%s %s: %lld%%</title></circle>\n",
                80 + step * i, 180 - 160 * t->share[g].p, grade_colours[g], t->label, grade_label(g),
                out_percent(t->share[g].p));
    }
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
    for (int g = 1; g <= 4; g++)
        svg_trend_line(f, r, idx, n, step, g);
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
                grade_label(j + 1));
    for (int i = 0; i < 4; i++) {
        fprintf(f, "<text x=\"196\" y=\"%d\" text-anchor=\"end\" font-size=\"11\">%s</text>\n", 80 + 60 * i,
                grade_label(i + 1));
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

/* A section's table, cell by cell as people read them. */
static void html_table(FILE *f, const out_table *t)
{
    char buf[4096];
    int numeric;
    fputs("<table>\n<tr>", f);
    for (int c = 0; c < otab_ncols(t); c++)
        fputs("<th>", f), html_text(f, otab_col_name(t, c)), fputs("</th>", f);
    fputs("</tr>\n", f);
    for (int r = 0; r < otab_nrows(t); r++) {
        fputs("<tr>", f);
        for (int c = 0; c < otab_ncols(t); c++) {
            otab_cell_text(t, r, c, buf, sizeof buf, &numeric);
            fputs("<td>", f), html_text(f, buf), fputs("</td>", f);
        }
        fputs("</tr>\n", f);
    }
    fputs("</table>\n", f);
}

static const char html_style[] =
    "<style>\n"
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
    "</style>\n";

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
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>", f);
    report_title(r, buf, sizeof buf);
    html_text(f, buf);
    fputs("</title>\n", f);
    fputs(html_style, f);
    /* The marking heads and foots every printed page. */
    fputs("<style>@page{@top-center{content:", f);
    css_string(f, report_marking(r));
    fputs(";font:bold 9pt Arial,sans-serif}@bottom-center{content:", f);
    css_string(f, report_marking(r));
    fputs(" \" \u2014 page \" counter(page) \" of \" counter(pages);font:9pt Arial,sans-serif}}</style>\n", f);
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
        svg_grade_bars(f, r);
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
    section_detail(r, s->kind, buf, sizeof buf);
    if (buf[0]) {
        fputs("<p>", f);
        html_text(f, buf);
        fputs("</p>\n", f);
    }
    if (s->kind == SEC_TRANSITIONS)
        svg_heatmap(f, r);
    if (s->kind == SEC_TREND)
        svg_trend(f, r);
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
          "design (Cochran 5.26), with a stratum of one audit handled as R's survey package does. No child's identifier appears in this report.", f);
    suppression_note(r, buf, sizeof buf);
    if (buf[0])
        fputc(' ', f), html_text(f, buf);
    fputs("</p>\n<p class=\"marking\">", f);
    html_text(f, report_marking(r));
    fputs("</p>\n</body>\n</html>\n", f);
    return CA_OK;
}
