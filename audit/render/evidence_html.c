/* evidence_html.c: the evidence pack as one self-contained page (no network): the
 * method first, then every audit. Prints on A4 landscape. */
#include <string.h>

#include "audit/render/evidence_render.h"

static void esc(FILE *f, const char *s)
{
    for (; s && *s; s++)
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
}

static void method_part(void *u, enum evidence_part kind, const char *text, const evidence_round *r)
{
    FILE *f = u;
    switch (kind) {
    case EP_HEADING: fputs("<h2>", f), esc(f, text), fputs("</h2>\n", f); break;
    case EP_PARA: fputs("<p>", f), esc(f, text), fputs("</p>\n", f); break;
    case EP_CODE: fputs("<pre>", f), esc(f, text), fputs("</pre>\n", f); break;
    case EP_STRATA:
        fputs("<table><thead><tr><th>Stratum</th><th>Eligible cases (N_h)</th><th>Drawn (n_h)</th></tr></thead>"
              "<tbody>\n", f);
        for (int s = 0; s < r->nstrata; s++) {
            fputs("<tr><td>", f);
            esc(f, r->strata_list[s].name);
            fprintf(f, "</td><td class=\"n\">%ld</td><td class=\"n\">%ld</td></tr>\n", r->strata_list[s].frame_n,
                    r->strata_list[s].sample_n);
        }
        fputs("</tbody></table>\n", f);
        break;
    }
}

static void cases_table(FILE *f, const out_table *t)
{
    char cell[4096];
    int numeric;
    fputs("<table class=\"cases\"><thead><tr>", f);
    for (int c = 0; c < otab_ncols(t); c++)
        fputs("<th>", f), esc(f, otab_col_name(t, c)), fputs("</th>", f);
    fputs("</tr></thead><tbody>\n", f);
    for (int r = 0; r < otab_nrows(t); r++) {
        fputs("<tr>", f);
        for (int c = 0; c < otab_ncols(t); c++) {
            otab_cell_text(t, r, c, cell, sizeof cell, &numeric);
            fputs(numeric ? "<td class=\"n\">" : "<td>", f), esc(f, cell), fputs("</td>", f);
        }
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
}

static const char style[] =
    "<style>\n"
    "body{font-family:system-ui,sans-serif;color:#111;background:#fff;margin:1rem auto;max-width:70rem;"
    "padding:0 1rem;line-height:1.45}\n"
    "h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:1.5rem}\n"
    "table{border-collapse:collapse;margin:.5rem 0;font-size:.85rem}th,td{border:1px solid #888;padding:.2rem .4rem;"
    "vertical-align:top;text-align:left}td.n{text-align:right}th{background:#eee}\n"
    "pre{background:#f4f4f4;border:1px solid #ccc;padding:.5rem;overflow-x:auto;font-size:.8rem}\n"
    ".wide{overflow-x:auto}.cases{font-size:.75rem}\n"
    "@page{size:A4 landscape;margin:12mm}@media print{body{max-width:none;margin:0}.wide{overflow:visible}"
    "h2{break-after:avoid}section.cases{break-before:page}}\n"
    "</style>\n";

int evidence_html(const evidence *e, FILE *f, ca_error *err)
{
    out_table *t = evidence_table(e, 1);
    if (!t)
        return ca_fail(err, CA_SYSTEM, "out of memory");
    char a[CA_DATE_ISO_LEN], b[CA_DATE_ISO_LEN];
    date_uk(e->from, a);
    date_uk(e->to, b);
    fputs("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n", f);
    fprintf(f, "<title>Inspection evidence %s to %s</title>\n%s</head>\n<body>\n", a, b, style);
    fprintf(f, "<h1>Inspection evidence: cases audited from %s to %s</h1>\n", a, b);
    fputs("<p><strong>This document holds children's identifiers. Handle it as OFFICIAL-SENSITIVE.</strong></p>\n", f);
    evidence_method(e, method_part, f);
    fprintf(f, "<section class=\"cases\">\n<h2>The audits (%ld)</h2>\n<div class=\"wide\">\n", e->ncases);
    cases_table(f, t);
    fputs("</div>\n</section>\n</body>\n</html>\n", f);
    otab_free(t);
    return CA_OK;
}
