#include "audit/render/output.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <xlsxwriter.h>

#include "audit/vocab.h"

/* ---- tables ---- */

enum cell_kind { CELL_NULL, CELL_TEXT, CELL_INT, CELL_REAL };

struct cell {
    enum cell_kind kind;
    union {
        char *text;
        long long i;
        double r;
    } v;
};

struct col {
    char *name;
    enum out_col_type type;
};

struct out_table {
    int failed;         /* an allocation failed: the table is refused */
    int for_people;     /* CSV with a byte-order mark and guarded values */
    struct col *cols;
    int ncols, capcols;
    struct cell *cells; /* row-major */
    size_t ncells, capcells;
    int nrows;
};

out_table *otab_new(void) { return calloc(1, sizeof(out_table)); }

void otab_free(out_table *t)
{
    if (!t)
        return;
    for (int i = 0; i < t->ncols; i++)
        free(t->cols[i].name);
    for (size_t i = 0; i < t->ncells; i++)
        if (t->cells[i].kind == CELL_TEXT)
            free(t->cells[i].v.text);
    free(t->cols);
    free(t->cells);
    free(t);
}

int otab_failed(const out_table *t) { return !t || t->failed; }

void otab_for_people(out_table *t)
{
    if (t)
        t->for_people = 1;
}

/* Grows *p to hold n items of size each; 0, or -1 (the table marked failed). */
static int grow(out_table *t, void **p, size_t n, size_t size)
{
    void *q = realloc(*p, n * size);
    if (!q)
        return t->failed = 1, -1;
    *p = q;
    return 0;
}

void otab_col(out_table *t, const char *name, enum out_col_type type)
{
    if (otab_failed(t))
        return;
    if (t->ncols == t->capcols) {
        int cap = t->capcols ? 2 * t->capcols : 16;
        if (grow(t, (void **)&t->cols, (size_t)cap, sizeof *t->cols))
            return;
        t->capcols = cap;
    }
    char *copy = strdup(name);
    if (!copy) {
        t->failed = 1;
        return;
    }
    t->cols[t->ncols++] = (struct col){copy, type};
}

void otab_row(out_table *t)
{
    if (otab_failed(t))
        return;
    /* pad the previous row */
    while (!t->failed && t->nrows && t->ncells < (size_t)t->nrows * (size_t)t->ncols)
        otab_null(t);
    t->nrows++;
}

int otab_nrows(const out_table *t) { return t ? t->nrows : 0; }
int otab_ncols(const out_table *t) { return t ? t->ncols : 0; }
enum out_col_type otab_col_type(const out_table *t, int col) { return t->cols[col].type; }
const char *otab_col_name(const out_table *t, int col) { return t->cols[col].name; }

static struct cell *next_cell(out_table *t)
{
    if (otab_failed(t) || t->ncells >= (size_t)t->nrows * (size_t)t->ncols)
        return NULL; /* more cells than columns: ignored */
    if (t->ncells == t->capcells) {
        size_t cap = t->capcells ? 2 * t->capcells : 256;
        if (grow(t, (void **)&t->cells, cap, sizeof *t->cells))
            return NULL;
        t->capcells = cap;
    }
    return &t->cells[t->ncells++];
}

void otab_text(out_table *t, const char *s)
{
    struct cell *c = next_cell(t);
    if (!c)
        return;
    *c = (struct cell){CELL_NULL, {0}};
    if (s && !(c->v.text = strdup(s)))
        t->failed = 1;
    else if (s)
        c->kind = CELL_TEXT;
}

void otab_int(out_table *t, long long v)
{
    struct cell *c = next_cell(t);
    if (c)
        *c = (struct cell){CELL_INT, {.i = v}};
}

void otab_real(out_table *t, double v)
{
    struct cell *c = next_cell(t);
    if (c)
        *c = (struct cell){CELL_REAL, {.r = v}};
}

void otab_null(out_table *t)
{
    struct cell *c = next_cell(t);
    if (c)
        *c = (struct cell){CELL_NULL, {0}};
}

static const struct cell *cell_at(const out_table *t, int row, int col)
{
    static const struct cell null_cell = {CELL_NULL, {0}};
    size_t i = (size_t)row * (size_t)t->ncols + (size_t)col;
    return i < t->ncells ? &t->cells[i] : &null_cell;
}

void out_real_text(double v, char *buf, size_t len)
{
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, len, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

/* Whole percent, rounded half up; the epsilon keeps 0.205 (stored as 0.20499…) at 21%. */
long long out_percent(double p) { return (long long)floor(p * 100.0 + 0.5 + 1e-9); }

/* The cell as people read it (table, md): dates dd/mm/yyyy, percentages whole. */
static void human_text(const struct cell *c, enum out_col_type type, char *buf, size_t len)
{
    switch (c->kind) {
    case CELL_NULL:
        buf[0] = 0;
        break;
    case CELL_INT:
        snprintf(buf, len, "%lld", c->v.i);
        break;
    case CELL_REAL:
        if (type == COL_PERCENT)
            snprintf(buf, len, "%lld%%", out_percent(c->v.r));
        else
            out_real_text(c->v.r, buf, len);
        break;
    case CELL_TEXT: {
        int y, m, d;
        if (type == COL_DATE && strlen(c->v.text) == 10 && sscanf(c->v.text, "%4d-%2d-%2d", &y, &m, &d) == 3)
            snprintf(buf, len, "%02d/%02d/%04d", d % 100, m % 100, y % 10000);
        else
            snprintf(buf, len, "%s", c->v.text);
        break;
    }
    }
}

/* The cell as machines read it (csv, json): ISO dates, exact numbers. */
static void exact_text(const struct cell *c, char *buf, size_t len)
{
    switch (c->kind) {
    case CELL_NULL: buf[0] = 0; break;
    case CELL_INT: snprintf(buf, len, "%lld", c->v.i); break;
    case CELL_REAL: out_real_text(c->v.r, buf, len); break;
    case CELL_TEXT: snprintf(buf, len, "%s", c->v.text); break;
    }
}

/* Display width: code points, not bytes ("1–4" is three wide). */
static size_t width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xc0) != 0x80;
    return w;
}

void csv_write_field(FILE *f, const char *s)
{
    int formula = strchr("=+-@\t\r", s[0]) && s[0];
    int quote = formula || strpbrk(s, ",\"\r\n") != NULL;
    if (quote)
        fputc('"', f);
    if (formula)
        fputc('\'', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    if (quote)
        fputc('"', f);
}

enum { CELL_MAX = 4096 };

static int write_table(const out_table *t, FILE *f)
{
    size_t *w = calloc((size_t)t->ncols + 1, sizeof *w);
    char buf[CELL_MAX];
    if (!w)
        return -1;
    for (int c = 0; c < t->ncols; c++)
        w[c] = width(t->cols[c].name);
    for (int r = 0; r < t->nrows; r++)
        for (int c = 0; c < t->ncols; c++) {
            human_text(cell_at(t, r, c), t->cols[c].type, buf, sizeof buf);
            if (width(buf) > w[c])
                w[c] = width(buf);
        }
    for (int r = -1; r < t->nrows; r++) {
        for (int c = 0; c < t->ncols; c++) {
            if (r < 0)
                snprintf(buf, sizeof buf, "%s", t->cols[c].name);
            else
                human_text(cell_at(t, r, c), t->cols[c].type, buf, sizeof buf);
            int numeric = r >= 0 && cell_at(t, r, c)->kind != CELL_TEXT && cell_at(t, r, c)->kind != CELL_NULL;
            size_t pad = w[c] - width(buf);
            if (numeric)
                fprintf(f, "%*s%s", (int)pad, "", buf);
            else
                fprintf(f, "%s%*s", buf, c + 1 < t->ncols ? (int)pad : 0, "");
            fputs(c + 1 < t->ncols ? "  " : "\n", f);
        }
        if (r < 0) {
            for (int c = 0; c < t->ncols; c++) {
                for (size_t i = 0; i < w[c]; i++)
                    fputc('-', f);
                fputs(c + 1 < t->ncols ? "  " : "\n", f);
            }
        }
    }
    free(w);
    return 0;
}

/* A month name (Jan, January, Sept...) that a spreadsheet reads in a date. */
static int month_word(const char *s, size_t n)
{
    static const char *const months[] = {"january", "february", "march", "april", "may", "june", "july",
                                         "august", "september", "october", "november", "december", "sept"};
    if (n < 3)
        return 0;
    for (size_t m = 0; m < sizeof months / sizeof *months; m++)
        if (n <= strlen(months[m]) && strncasecmp(s, months[m], n) == 0)
            return 1;
    return 0;
}

int out_cell_guarded(const char *s)
{
    if (strcasecmp(s, "true") == 0 || strcasecmp(s, "false") == 0)
        return 1;
    size_t n = strlen(s), digits = 0;
    for (size_t i = 0; i < n;) {
        if (isdigit((unsigned char)s[i])) {
            digits++, i++;
        } else if (isalpha((unsigned char)s[i])) {
            size_t w = i;
            while (w < n && isalpha((unsigned char)s[w]))
                w++;
            /* 1E5 and 1e-3 are numbers (an exponent after a digit; E13 is text); Nov-26 and
             * 1 April are dates; any other word is text. */
            int exponent = w - i == 1 && (s[i] == 'e' || s[i] == 'E') && i > 0 && isdigit((unsigned char)s[i - 1]);
            if (!exponent && !month_word(s + i, w - i))
                return 0;
            i = w;
        } else if (strchr(" +-/.:,%()", s[i])) {
            i++;
        } else {
            return 0;
        }
    }
    if (!digits)
        return 0;
    /* 1 to 11 digits, no leading zero: shown and saved back as the same digits. */
    return !(digits == n && n <= 11 && s[0] != '0');
}

static void write_csv(const out_table *t, FILE *f)
{
    char buf[CELL_MAX];
    if (t->for_people)
        fputs("\xef\xbb\xbf", f); /* so that Excel reads UTF-8 (names with accents) */
    for (int c = 0; c < t->ncols; c++) {
        csv_write_field(f, t->cols[c].name);
        fputs(c + 1 < t->ncols ? "," : "\r\n", f);
    }
    for (int r = 0; r < t->nrows; r++)
        for (int c = 0; c < t->ncols; c++) {
            const struct cell *cell = cell_at(t, r, c);
            exact_text(cell, buf, sizeof buf);
            if (cell->kind != CELL_TEXT) {
                fputs(buf, f); /* numbers are never formulas, even when negative */
            } else if (t->for_people && t->cols[c].type != COL_DATE && !strchr("=+-@\t\r", buf[0]) &&
                       out_cell_guarded(buf)) {
                /* (ISO dates are left to become dates: the same day.) */
                char guarded[CELL_MAX + sizeof OUT_CELL_GUARD];
                snprintf(guarded, sizeof guarded, "%s%s", OUT_CELL_GUARD, buf);
                csv_write_field(f, guarded);
            } else {
                csv_write_field(f, buf);
            }
            fputs(c + 1 < t->ncols ? "," : "\r\n", f);
        }
}

static void md_cell(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            fputs("\\|", f);
        else if (*s == '\n' || *s == '\r')
            fputc(' ', f);
        else
            fputc(*s, f);
    }
}

static void write_md(const out_table *t, FILE *f)
{
    char buf[CELL_MAX];
    fputs("|", f);
    for (int c = 0; c < t->ncols; c++) {
        fputc(' ', f);
        md_cell(f, t->cols[c].name);
        fputs(" |", f);
    }
    fputs("\n|", f);
    for (int c = 0; c < t->ncols; c++)
        fputs(t->cols[c].type == COL_TEXT || t->cols[c].type == COL_DATE || t->cols[c].type == COL_GRADE ||
                      t->cols[c].type == COL_WRITE ? "---|"
                                                                                                           : "--:|",
              f);
    fputc('\n', f);
    for (int r = 0; r < t->nrows; r++) {
        fputs("|", f);
        for (int c = 0; c < t->ncols; c++) {
            human_text(cell_at(t, r, c), t->cols[c].type, buf, sizeof buf);
            fputc(' ', f);
            md_cell(f, buf);
            fputs(" |", f);
        }
        fputc('\n', f);
    }
}

void otab_cell_text(const out_table *t, int row, int col, char *buf, size_t len, int *numeric)
{
    const struct cell *c = cell_at(t, row, col);
    human_text(c, t->cols[col].type, buf, len);
    *numeric = c->kind == CELL_INT || c->kind == CELL_REAL;
}

int otab_cell_number(const out_table *t, int row, int col, double *v)
{
    const struct cell *c = cell_at(t, row, col);
    if (c->kind == CELL_INT)
        *v = (double)c->v.i;
    else if (c->kind == CELL_REAL)
        *v = c->v.r;
    return c->kind == CELL_INT || c->kind == CELL_REAL;
}

int otab_write(const out_table *t, enum out_format format, FILE *f)
{
    json_writer j;
    if (otab_failed(t))
        return -1;
    switch (format) {
    case OUT_TABLE:
        if (write_table(t, f))
            return -1;
        break;
    case OUT_CSV: write_csv(t, f); break;
    case OUT_MD: write_md(t, f); break;
    case OUT_JSON:
        json_begin(&j, f);
        json_table(&j, t);
        json_finish(&j);
        break;
    default: return -1;
    }
    return ferror(f) ? -1 : 0;
}

/* ---- xlsx ---- */

struct xlsx_book {
    lxw_workbook *wb;
    lxw_format *bold, *date, *percent, *text, *wrap;
    int nsheets;
};

xlsx_book *xlsx_book_open(const char *path, ca_error *err)
{
    xlsx_book *x = calloc(1, sizeof *x);
    if (!x) {
        ca_fail(err, CA_SYSTEM, "out of memory");
        return NULL;
    }
    if (!(x->wb = workbook_new(path)) || !(x->bold = workbook_add_format(x->wb)) ||
        !(x->date = workbook_add_format(x->wb)) || !(x->percent = workbook_add_format(x->wb)) ||
        !(x->text = workbook_add_format(x->wb)) || !(x->wrap = workbook_add_format(x->wb))) {
        ca_fail(err, CA_SYSTEM, "cannot write '%s'", path);
        if (x->wb)
            workbook_close(x->wb);
        free(x);
        return NULL;
    }
    format_set_bold(x->bold);
    format_set_text_wrap(x->bold); /* long headers wrap rather than widen the page */
    format_set_align(x->bold, LXW_ALIGN_VERTICAL_TOP);
    format_set_bg_color(x->bold, 0xE7E6E6);
    format_set_num_format(x->date, "dd/mm/yyyy");
    format_set_align(x->date, LXW_ALIGN_VERTICAL_TOP);
    format_set_num_format(x->percent, "0%");
    /* "@": what is typed stays text too (an id 0012345, a band 1-4, a round 2026-11). */
    format_set_num_format(x->text, "@");
    format_set_align(x->text, LXW_ALIGN_VERTICAL_TOP);
    format_set_num_format(x->wrap, "@");
    format_set_text_wrap(x->wrap);
    format_set_align(x->wrap, LXW_ALIGN_VERTICAL_TOP);
    return x;
}

/* The format of a column's cells (NULL: the default). */
static lxw_format *xlsx_col_format(xlsx_book *x, enum out_col_type type)
{
    switch (type) {
    case COL_TEXT: return x->text;
    case COL_GRADE: case COL_WRITE: return x->wrap;
    case COL_DATE: return x->date;
    case COL_PERCENT: return x->percent;
    default: return NULL;
    }
}

/* A cell of the sheet; returns its width as text, for the column's width. */
static size_t xlsx_cell(xlsx_book *x, lxw_worksheet *ws, const out_table *t, int r, int c)
{
    char buf[CELL_MAX];
    const struct cell *cell = cell_at(t, r, c);
    lxw_row_t row = (lxw_row_t)(r + 1);
    lxw_format *fmt = xlsx_col_format(x, t->cols[c].type);
    int y, m, d;
    switch (cell->kind) {
    case CELL_NULL: return 0;
    case CELL_INT: worksheet_write_number(ws, row, (lxw_col_t)c, (double)cell->v.i, NULL); break;
    case CELL_REAL:
        worksheet_write_number(ws, row, (lxw_col_t)c, cell->v.r, t->cols[c].type == COL_PERCENT ? x->percent : NULL);
        break;
    case CELL_TEXT:
        if (t->cols[c].type == COL_DATE && sscanf(cell->v.text, "%4d-%2d-%2d", &y, &m, &d) == 3) {
            lxw_datetime dt = {y, m, d, 0, 0, 0};
            worksheet_write_datetime(ws, row, (lxw_col_t)c, &dt, x->date);
            return 10;
        }
        worksheet_write_string(ws, row, (lxw_col_t)c, cell->v.text, fmt == x->date ? x->text : fmt);
        break;
    }
    exact_text(cell, buf, sizeof buf);
    return width(buf);
}

/* A drop-down of the four grade labels, for a column of grades to fill in. */
static void xlsx_grade_list(lxw_worksheet *ws, const out_table *t, int c)
{
    static char *grades[CA_NGRADES + 1];
    for (int g = 1; g <= CA_NGRADES; g++)
        grades[g - 1] = (char *)grade_label(g);
    lxw_data_validation v = {0};
    v.validate = LXW_VALIDATION_TYPE_LIST;
    v.value_list = grades;
    v.ignore_blank = LXW_VALIDATION_ON;
    v.error_title = "Grade";
    v.error_message = "Choose Outstanding, Good, Requires improvement or Inadequate.";
    worksheet_data_validation_range(ws, 1, (lxw_col_t)c, (lxw_row_t)(t->nrows + 200), (lxw_col_t)c, &v);
}

/* A column's width in characters: its content, its header up to 12 (longer ones
 * wrap), room to write in a COL_WRITE column and a grade label in a COL_GRADE one. */
static double xlsx_col_width(const out_table *t, int c, size_t content)
{
    size_t head = width(t->cols[c].name), w = content;
    if ((head < 12 ? head : 12) > w)
        w = head < 12 ? head : 12;
    if (t->cols[c].type == COL_WRITE && w < 32)
        w = 32;
    if (t->cols[c].type == COL_GRADE && w < 12)
        w = 12;
    return (double)(w > 60 ? 60 : w < 6 ? 6 : w) + 2;
}

/* Printing (SPEC §13): A4 landscape, one page wide, as many pages tall as it
 * needs, the header row on every page, gridlines to write between. */
static void xlsx_print_setup(lxw_worksheet *ws)
{
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9); /* A4 */
    worksheet_set_margins(ws, 0.4, 0.4, 0.6, 0.6);
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_repeat_rows(ws, 0, 0);
    worksheet_gridlines(ws, LXW_SHOW_ALL_GRIDLINES);
    worksheet_set_header(ws, "&L&A");
    worksheet_set_footer(ws, "&RPage &P of &N");
}

int xlsx_book_sheet(xlsx_book *x, const char *name, const out_table *t, ca_error *err)
{
    if (otab_failed(t))
        return ca_fail(err, CA_SYSTEM, "out of memory");
    char sheet[32];
    size_t o = 0;
    for (const char *p = name; *p && o < 31; p++)
        sheet[o++] = strchr("[]:*?/\\", *p) ? '-' : *p;
    sheet[o] = 0;
    if (!o)
        snprintf(sheet, sizeof sheet, "Sheet%d", x->nsheets + 1);
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, sheet);
    if (!ws)
        return ca_fail(err, CA_SYSTEM, "cannot add sheet '%s'", sheet);
    x->nsheets++;
    for (int c = 0; c < t->ncols; c++) {
        size_t w = 0;
        worksheet_write_string(ws, 0, (lxw_col_t)c, t->cols[c].name, x->bold);
        for (int r = 0; r < t->nrows; r++) {
            size_t cw = xlsx_cell(x, ws, t, r, c);
            w = cw > w ? cw : w;
        }
        /* The column's format also holds for cells typed in later. */
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, xlsx_col_width(t, c, w),
                             xlsx_col_format(x, t->cols[c].type));
        if (t->cols[c].type == COL_GRADE)
            xlsx_grade_list(ws, t, c);
    }
    worksheet_freeze_panes(ws, 1, 0);
    xlsx_print_setup(ws);
    return CA_OK;
}

int xlsx_book_close(xlsx_book *x, ca_error *err)
{
    lxw_error e = workbook_close(x->wb);
    free(x);
    if (e != LXW_NO_ERROR)
        return ca_fail(err, CA_SYSTEM, "cannot write the workbook: %s", lxw_strerror(e));
    return CA_OK;
}

/* ---- JSON ---- */

void json_begin(json_writer *j, FILE *f)
{
    memset(j, 0, sizeof *j);
    j->f = f;
    j->first[0] = 1;
}

static void json_sep(json_writer *j)
{
    if (j->after_key) {
        j->after_key = 0;
        return;
    }
    if (!j->first[j->depth])
        fputs(", ", j->f);
    j->first[j->depth] = 0;
}

static void json_open(json_writer *j, char c)
{
    json_sep(j);
    fputc(c, j->f);
    if (j->depth < 31)
        j->depth++;
    j->first[j->depth] = 1;
}

void json_object(json_writer *j) { json_open(j, '{'); }
void json_array(json_writer *j) { json_open(j, '['); }

void json_end_object(json_writer *j)
{
    fputc('}', j->f);
    if (j->depth)
        j->depth--;
}

void json_end_array(json_writer *j)
{
    fputc(']', j->f);
    if (j->depth)
        j->depth--;
}

static void json_quoted(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (*p < 0x20)
                fprintf(f, "\\u%04x", *p);
            else
                fputc(*p, f);
        }
    }
    fputc('"', f);
}

void json_key(json_writer *j, const char *key)
{
    json_sep(j);
    json_quoted(j->f, key);
    fputs(": ", j->f);
    j->after_key = 1;
}

void json_string(json_writer *j, const char *s)
{
    json_sep(j);
    if (s)
        json_quoted(j->f, s);
    else
        fputs("null", j->f);
}

void json_int(json_writer *j, long long v)
{
    json_sep(j);
    fprintf(j->f, "%lld", v);
}

void json_double(json_writer *j, double v)
{
    json_sep(j);
    if (!isfinite(v)) {
        fputs("null", j->f);
        return;
    }
    char buf[40];
    out_real_text(v, buf, sizeof buf);
    fputs(buf, j->f);
}

void json_null(json_writer *j)
{
    json_sep(j);
    fputs("null", j->f);
}

void json_bool(json_writer *j, int v)
{
    json_sep(j);
    fputs(v ? "true" : "false", j->f);
}

void json_table(json_writer *j, const out_table *t)
{
    json_array(j);
    for (int r = 0; r < t->nrows; r++) {
        json_object(j);
        for (int c = 0; c < t->ncols; c++) {
            const struct cell *cell = cell_at(t, r, c);
            json_key(j, t->cols[c].name);
            switch (cell->kind) {
            case CELL_NULL: json_null(j); break;
            case CELL_INT: json_int(j, cell->v.i); break;
            case CELL_REAL: json_double(j, cell->v.r); break;
            case CELL_TEXT: json_string(j, cell->v.text); break;
            }
        }
        json_end_object(j);
    }
    json_end_array(j);
}

void json_finish(json_writer *j) { fputc('\n', j->f); }
