/* charts.c: the report's SVG charts. Colours are chosen by lightness first: the two
 * series of the grade chart are a dark and a pale blue (and labelled on every bar);
 * the trend's lines differ in dash and marker as well as colour (Okabe and Ito's
 * palette, each at least 3:1 against white) and carry their names at their ends;
 * the heat map's numbers are black or white, whichever contrasts more with the cell. */
#include "moderation/render/charts.h"

#include <math.h>
#include <stdlib.h>

#include "audit/render/output.h"
#include "audit/vocab.h"

#define INK "#0b0c0c" /* text on white: 19.5:1 */

/* WCAG 2 relative luminance of an sRGB colour. */
static double luminance(int r, int g, int b)
{
    double c[3] = {r / 255.0, g / 255.0, b / 255.0};
    for (int i = 0; i < 3; i++)
        c[i] = c[i] <= 0.04045 ? c[i] / 12.92 : pow((c[i] + 0.055) / 1.055, 2.4);
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}

static void text(FILE *f, double x, double y, const char *anchor, int size, const char *fill, const char *s)
{
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\" fill=\"%s\">%s</text>\n", x, y,
            anchor, size, fill, s);
}

/* ---- grades: two labelled bars per grade ---- */

static const struct series {
    const char *name, *fill, *stroke;
} grade_series[2] = {{"as audited", "#c6dbef", "#4a6f8a"}, {"final", "#08519c", "#08519c"}};

static void grade_row(FILE *f, int g, double y, const stats_prop *audited, const stats_prop *final)
{
    const stats_prop *p[2] = {audited, final};
    char buf[96];
    text(f, 150, y + 20, "end", 12, INK, grade_label(g));
    for (int s = 0; s < 2; s++) {
        double w = 380.0 * p[s]->p, by = y + 4 + 17 * s;
        fprintf(f, "<rect x=\"160\" y=\"%.1f\" width=\"%.1f\" height=\"14\" fill=\"%s\" stroke=\"%s\">"
                   "<title>%s, %s: %ld</title></rect>\n", by, w, grade_series[s].fill, grade_series[s].stroke,
                grade_label(g), grade_series[s].name, p[s]->n);
        snprintf(buf, sizeof buf, "%lld%% %s", out_percent(p[s]->p), grade_series[s].name);
        text(f, 166 + w, by + 11.5, "start", 11, INK, buf);
    }
}

void chart_grades(FILE *f, const report *r)
{
    fputs("<svg viewBox=\"0 0 640 214\" width=\"100%\" role=\"img\" aria-label=\"Share of each grade as audited "
          "and after moderation (final)\">\n", f);
    for (int s = 0; s < 2; s++) {
        fprintf(f, "<rect x=\"%d\" y=\"2\" width=\"14\" height=\"14\" fill=\"%s\" stroke=\"%s\"/>\n", 160 + 130 * s,
                grade_series[s].fill, grade_series[s].stroke);
        text(f, 180 + 130 * s, 13, "start", 12, INK, s ? "Final (after moderation)" : "As audited");
    }
    for (int g = 1; g <= 4; g++)
        grade_row(f, g, 22 + 47.0 * (g - 1), &r->audited_share[g], &r->final_share[g]);
    fputs("</svg>\n", f);
}

/* ---- trend: four lines, told apart by dash, marker and label ---- */

static const struct line {
    const char *colour, *dash;
} lines[5] = {{"", ""}, {"#0072b2", ""}, {"#009e73", "7 4"}, {"#d55e00", "2 3"}, {"#882255", "10 3 2 3"}};

/* A marker of grade g: circle, square, triangle, diamond. */
static void marker(FILE *f, int g, double x, double y, const char *title)
{
    const char *c = lines[g].colour;
    switch (g) {
    case 1: fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\">", x, y, c); break;
    case 2: fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"8\" height=\"8\" fill=\"%s\">", x - 4, y - 4, c); break;
    case 3:
        fprintf(f, "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\" fill=\"%s\">", x, y - 5, x + 5, y + 4, x - 5,
                y + 4, c);
        break;
    default:
        fprintf(f, "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f\" fill=\"%s\">", x, y - 5, x + 5, y,
                x, y + 5, x - 5, y, c);
    }
    fprintf(f, "<title>%s</title>%s\n", title, g == 1 ? "</circle>" : g == 2 ? "</rect>" : "</polygon>");
}

/* The y of each line's end label, pushed apart so that no two overlap. */
static void label_positions(const double *end, double *y)
{
    int order[4] = {1, 2, 3, 4};
    for (int i = 0; i < 4; i++)
        for (int j = i + 1; j < 4; j++)
            if (end[order[j]] < end[order[i]]) {
                int t = order[i];
                order[i] = order[j], order[j] = t;
            }
    for (int i = 0; i < 4; i++) {
        int g = order[i];
        y[g] = end[g] + 4;
        if (i && y[g] < y[order[i - 1]] + 13)
            y[g] = y[order[i - 1]] + 13;
    }
}

static void trend_axes(FILE *f, const report *r, const int *idx, int n, double step)
{
    char buf[32];
    fputs("<line x1=\"60\" y1=\"180\" x2=\"450\" y2=\"180\" stroke=\"#6f777b\"/>"
          "<line x1=\"60\" y1=\"20\" x2=\"60\" y2=\"180\" stroke=\"#6f777b\"/>\n", f);
    for (int pct = 0; pct <= 100; pct += 25) {
        snprintf(buf, sizeof buf, "%d%%", pct);
        text(f, 54, 184 - 1.6 * pct, "end", 11, INK, buf);
    }
    for (int i = 0; i < n; i++)
        text(f, 80 + step * i, 198, "middle", 11, INK, r->trend[idx[i]].label);
}

void chart_trend(FILE *f, const report *r)
{
    int idx[4], n = 0;
    char buf[128];
    for (int k = r->ntrend - 1; k >= 0; k--)
        if (k == 0 || r->trend[k].audits)
            idx[n++] = k;
    double step = n > 1 ? 360.0 / (n - 1) : 0, end[5], ly[5];
    fputs("<svg viewBox=\"0 0 640 210\" width=\"100%\" role=\"img\" aria-label=\"Final grades by quarter\">\n", f);
    trend_axes(f, r, idx, n, step);
    for (int g = 1; g <= 4; g++) {
        fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2.5\"%s%s%s points=\"", lines[g].colour,
                *lines[g].dash ? " stroke-dasharray=\"" : "", lines[g].dash, *lines[g].dash ? "\"" : "");
        for (int i = 0; i < n; i++)
            fprintf(f, "%.1f,%.1f ", 80 + step * i, 180 - 160 * r->trend[idx[i]].share[g].p);
        fputs("\"/>\n", f);
        for (int i = 0; i < n; i++) {
            const report_trend *t = &r->trend[idx[i]];
            snprintf(buf, sizeof buf, "%s %s: %lld%%", t->label, grade_label(g), out_percent(t->share[g].p));
            marker(f, g, 80 + step * i, 180 - 160 * t->share[g].p, buf);
        }
        end[g] = 180 - 160 * r->trend[idx[n - 1]].share[g].p;
    }
    label_positions(end, ly);
    for (int g = 1; g <= 4; g++) {
        snprintf(buf, sizeof buf, "%s %lld%%", grade_label(g), out_percent(r->trend[idx[n - 1]].share[g].p));
        marker(f, g, 96 + step * (n - 1), ly[g] - 4, grade_label(g));
        text(f, 106 + step * (n - 1), ly[g], "start", 11, INK, buf);
    }
    fputs("</svg>\n", f);
}

/* ---- transitions: a heat map from white to dark blue ---- */

void chart_transitions(FILE *f, const report *r)
{
    long max = 1;
    char buf[32];
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            max = r->transitions[i][j] > max ? r->transitions[i][j] : max;
    fputs("<svg viewBox=\"0 0 640 300\" width=\"100%\" role=\"img\" aria-label=\"Audited grade against moderated "
          "grade\">\n", f);
    text(f, 421, 16, "middle", 12, INK, "moderated grade");
    for (int j = 0; j < 4; j++)
        text(f, 259 + 108 * j, 36, "middle", 11, INK, grade_label(j + 1));
    for (int i = 0; i < 4; i++) {
        text(f, 196, 80 + 60 * i, "end", 11, INK, grade_label(i + 1));
        for (int j = 0; j < 4; j++) {
            long n = r->transitions[i][j];
            double s = (double)n / (double)max;
            int R = (int)lround(255 - s * (255 - 8)), G = (int)lround(255 - s * (255 - 81)),
                B = (int)lround(255 - s * (255 - 156));
            double L = luminance(R, G, B);
            /* black on the cell, or white: whichever contrasts more */
            int white = (1.05) / (L + 0.05) > (L + 0.05) / 0.05;
            fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"104\" height=\"56\" fill=\"#%02x%02x%02x\" "
                       "stroke=\"#b1b4b6\"/>\n", 207 + 108 * j, 48 + 60 * i, R, G, B);
            snprintf(buf, sizeof buf, "%ld", n);
            text(f, 259 + 108 * j, 82 + 60 * i, "middle", 14, white ? "#ffffff" : "#000000", buf);
        }
    }
    fputs("<text x=\"20\" y=\"170\" font-size=\"12\" fill=\"" INK "\" transform=\"rotate(-90 20 170)\" "
          "text-anchor=\"middle\">audited grade</text>\n</svg>\n", f);
}
