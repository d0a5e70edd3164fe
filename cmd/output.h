/* output.h: tables written for people and machines (SPEC §5, §9, §10).
 *
 * A command fills an out_table (columns, then rows of cells) and writes it in
 * the format the user asked for. Files are created with mode 0600 through a
 * temporary file renamed into place, so a reader never sees half a file and an
 * identifier never sits in a world-readable file.
 */
#ifndef CASEAUDIT_OUTPUT_H
#define CASEAUDIT_OUTPUT_H

#include <stdio.h>

enum out_format { OUT_TABLE, OUT_CSV, OUT_JSON, OUT_MD, OUT_XLSX, OUT_HTML };
#define OUT_ALLOW(f) (1u << (f))

/* Parses "table", "csv", ... among the allowed formats. Returns 0, or prints a usage
 * error naming the allowed ones and returns 2. */
int out_format_parse(const char *s, unsigned allowed, enum out_format *out);

enum out_col_type {
    COL_TEXT,
    COL_INT,
    COL_REAL,     /* JSON/CSV at full precision (%.17g) */
    COL_DATE,     /* ISO yyyy-mm-dd text in the cell; shown dd/mm/yyyy in table/md, a date in xlsx */
    COL_GRADE,    /* text; in xlsx a drop-down of the four grade labels */
    COL_PERCENT   /* a share 0..1; whole percent rounded half up in table/md/xlsx, exact in csv/json */
};

typedef struct out_table out_table;

out_table *otab_new(void);                 /* owned by the caller: otab_free */
void otab_free(out_table *t);
void otab_col(out_table *t, const char *name, enum out_col_type type);
void otab_row(out_table *t);               /* starts a new row; cells follow in column order */
void otab_text(out_table *t, const char *s);   /* NULL is an empty cell (JSON null) */
void otab_int(out_table *t, long long v);
void otab_real(out_table *t, double v);
void otab_null(out_table *t);
int otab_nrows(const out_table *t);
int otab_ncols(const out_table *t);
enum out_col_type otab_col_type(const out_table *t, int col);

/* Writes the table as FORMAT to f: table (aligned columns), csv (formula-safe,
 * RFC 4180, CRLF), json (an array of objects keyed by column name), md (a pipe
 * table). Not for xlsx (see out_xlsx_*). */
int otab_write(const out_table *t, enum out_format format, FILE *f);

/* A share as a whole percent, rounded half up (SPEC §9): 0.205 -> 21. */
long long out_percent(double share);

/* Formula safety (SPEC §10): a cell beginning with = + - @ tab or CR gets a
 * leading '. Writes the quoted, escaped CSV field. */
void csv_write_field(FILE *f, const char *s);

/* A file written safely: out_open gives a stream on a temporary file beside
 * PATH (mode 0600), or stdout when PATH is NULL or "-"; out_close renames it into
 * place (or removes it when ok is 0). Returns 0, or prints the error and returns 3. */
typedef struct out_file {
    FILE *f;
    char *path;
    char *tmp;
} out_file;
int out_open(out_file *of, const char *path);
int out_close(out_file *of, int ok);

/* XLSX: a workbook written through a temporary file and renamed into place.
 * Each table becomes a sheet: bold frozen header, column widths from the content,
 * dates as dates, grade drop-downs, percentages as percentages. */
typedef struct out_xlsx out_xlsx;
out_xlsx *out_xlsx_open(const char *path);     /* NULL (error printed) on failure */
int out_xlsx_sheet(out_xlsx *x, const char *name, const out_table *t);
int out_xlsx_close(out_xlsx *x, int ok);       /* 0, or prints and returns 3 */

/* Minimal JSON writer for the documents of SPEC §4, §5, §9 (commas handled). */
typedef struct json_writer {
    FILE *f;
    int depth;
    int first[32];
    int after_key;
} json_writer;
void json_begin(json_writer *j, FILE *f);
void json_object(json_writer *j);   /* { */
void json_array(json_writer *j);    /* [ */
void json_end_object(json_writer *j);
void json_end_array(json_writer *j);
void json_key(json_writer *j, const char *key);
void json_string(json_writer *j, const char *s);  /* NULL writes null */
void json_int(json_writer *j, long long v);
void json_double(json_writer *j, double v);       /* shortest round-trip; NaN/inf write null */
void json_null(json_writer *j);
void json_bool(json_writer *j, int v);
void json_table(json_writer *j, const out_table *t);  /* the table as an array of objects */
void json_finish(json_writer *j);   /* newline */

#endif
