#include "audit/tabread.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit/sha256.h"

struct tabr {
    csvr *csv;      /* exactly one of csv and xlsx */
    xlsxr *xlsx;
    char *path;
    int cp1252;
    int touched;    /* the CSV has been read from */
    char where[CA_MSG_MAX];
};

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), m = strlen(tail);
    return n >= m && strcasecmp(s + n - m, tail) == 0;
}

/* A workbook by its first bytes (zip, or the OLE container of .xls), or by name. */
static int looks_like_workbook(const char *path)
{
    if (ends_with(path, ".xlsx") || ends_with(path, ".xlsm"))
        return 1;
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0; /* the CSV reader says why it cannot be opened */
    unsigned char sig[4] = {0};
    size_t n = fread(sig, 1, sizeof sig, f);
    fclose(f);
    return n == 4 && (memcmp(sig, "PK\3\4", 4) == 0 || memcmp(sig, "\xd0\xcf\x11\xe0", 4) == 0);
}

int tabr_open(tabr **out, const char *path, int cp1252, ca_error *err)
{
    *out = NULL;
    tabr *t = calloc(1, sizeof *t);
    if (!t || !(t->path = strdup(path))) {
        free(t);
        return ca_fail(err, CA_SYSTEM, "out of memory");
    }
    t->cp1252 = cp1252;
    int rc = looks_like_workbook(path) ? xlsxr_open(&t->xlsx, path, err) : csvr_open(&t->csv, path, cp1252, err);
    if (rc == CA_OK && t->xlsx && xlsxr_sheets(t->xlsx) == 0)
        rc = ca_fail(err, CA_REFUSED, "%s: the workbook has no sheets", path);
    if (rc == CA_OK && t->xlsx)
        rc = xlsxr_select(t->xlsx, 0, err);
    if (rc != CA_OK) {
        tabr_close(t);
        return CA_ERR;
    }
    *out = t;
    return CA_OK;
}

void tabr_close(tabr *t)
{
    if (!t)
        return;
    csvr_close(t->csv);
    xlsxr_close(t->xlsx);
    free(t->path);
    free(t);
}

int tabr_is_xlsx(const tabr *t) { return t->xlsx != NULL; }
int tabr_guessed_cp1252(const tabr *t) { return t->csv && csvr_guessed_cp1252(t->csv); }
int tabr_sheets(const tabr *t) { return t->xlsx ? xlsxr_sheets(t->xlsx) : 1; }
const char *tabr_sheet_name(const tabr *t, int i) { return t->xlsx ? xlsxr_sheet_name(t->xlsx, i) : NULL; }
const char *tabr_sheet(const tabr *t) { return t->xlsx ? xlsxr_sheet(t->xlsx) : NULL; }
const char *tabr_path(const tabr *t) { return t->path; }

int tabr_select(tabr *t, int i, ca_error *err)
{
    if (t->xlsx)
        return xlsxr_select(t->xlsx, i, err);
    if (i != 0)
        return ca_fail(err, CA_REFUSED, "%s: a CSV file has one sheet only", t->path);
    if (!t->touched)
        return CA_OK;
    csvr *c;
    if (csvr_open(&c, t->path, t->cp1252, err) != CA_OK)
        return CA_ERR;
    csvr_close(t->csv);
    t->csv = c;
    t->touched = 0;
    return CA_OK;
}

int tabr_next(tabr *t, ca_error *err)
{
    if (t->xlsx)
        return xlsxr_next(t->xlsx, err);
    t->touched = 1;
    return csvr_next(t->csv, err);
}

int tabr_can_go_on(const tabr *t) { return t->xlsx && !xlsxr_broken(t->xlsx); }

int tabr_count(const tabr *t) { return t->xlsx ? xlsxr_count(t->xlsx) : csvr_count(t->csv); }

const char *tabr_field(const tabr *t, int i)
{
    if (!t->xlsx)
        return csvr_field(t->csv, i); /* which takes the guard off itself */
    /* A list for people saved as a workbook keeps the invisible U+2060 that guards
     * a value from the spreadsheet's conversions (audit/render/output.h); take it off. */
    const char *s = xlsxr_field(t->xlsx, i);
    return strncmp(s, "\xe2\x81\xa0", 3) == 0 ? s + 3 : s;
}

long tabr_line(const tabr *t) { return t->xlsx ? xlsxr_row(t->xlsx) : csvr_line(t->csv); }

const char *tabr_where(tabr *t)
{
    if (t->xlsx)
        snprintf(t->where, sizeof t->where, "%s[%s]:%ld", t->path, xlsxr_sheet(t->xlsx), xlsxr_row(t->xlsx));
    else
        snprintf(t->where, sizeof t->where, "%s:%ld", t->path, csvr_line(t->csv));
    return t->where;
}

void tabr_set_names(tabr *t, char *const *names, int n)
{
    if (t->csv)
        csvr_set_names(t->csv, names, n);
}

static int hash_file(const char *path, char out[65], ca_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return ca_fail(err, CA_SYSTEM, "cannot read '%s': %s", path, strerror(errno));
    sha256_ctx *c = sha256_new();
    char *buf = malloc(1 << 16);
    if (!c || !buf) {
        fclose(f), sha256_free(c), free(buf);
        return ca_fail(err, CA_SYSTEM, "out of memory");
    }
    size_t n;
    while ((n = fread(buf, 1, 1 << 16, f)) > 0)
        sha256_update(c, buf, n);
    int bad = ferror(f);
    fclose(f);
    free(buf);
    if (bad) {
        sha256_free(c);
        return ca_fail(err, CA_SYSTEM, "cannot read '%s'", path);
    }
    sha256_hex(c, out);
    sha256_free(c);
    return CA_OK;
}

int tabr_sha256(tabr *t, char out[65], ca_error *err)
{
    if (t->xlsx)
        return hash_file(t->path, out, err);
    csvr_sha256(t->csv, out);
    return CA_OK;
}

char **tabr_copy_fields(const tabr *t)
{
    if (t->csv)
        return csvr_copy_fields(t->csv);
    int n = tabr_count(t);
    char **s = calloc((size_t)(n ? n : 1), sizeof *s);
    for (int i = 0; s && i < n; i++)
        if (!(s[i] = strdup(tabr_field(t, i)))) {
            csvr_strings_free(s, i);
            return NULL;
        }
    return s;
}
