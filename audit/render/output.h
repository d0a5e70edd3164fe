/* output.h: the generic writers of tables for people and machines (SPEC §5, §9,
 * §10): a table of typed cells written as an aligned table, CSV, JSON or Markdown,
 * or as an xlsx sheet; a JSON writer; CSV's formula safety. Library code: nothing
 * here prints a message or exits. Files themselves (mode 0600, written through a
 * temporary file renamed into place) are the front end's (cmd/output.h).
 */
#ifndef CASEAUDIT_RENDER_OUTPUT_H
#define CASEAUDIT_RENDER_OUTPUT_H

#include <stdio.h>

#include "audit/error.h"

enum out_format { OUT_TABLE, OUT_CSV, OUT_JSON, OUT_MD, OUT_XLSX, OUT_HTML };
#define OUT_ALLOW(f) (1u << (f))

enum out_col_type {
    COL_TEXT,
    COL_INT,
    COL_REAL,     /* JSON/CSV at full precision (%.17g) */
    COL_DATE,     /* ISO yyyy-mm-dd text in the cell; shown dd/mm/yyyy in table/md, a date in xlsx */
    COL_GRADE,    /* text; in xlsx a drop-down of the four grade labels */
    COL_PERCENT,  /* a share 0..1; whole percent rounded half up in table/md/xlsx, exact in csv/json */
    COL_WRITE     /* text that people write in (note, action): in xlsx a wide, wrapped column */
};

/* A table. Out of memory while it is filled is remembered, not fatal: the table
 * then counts as failed (otab_failed), and otab_write and xlsx_book_sheet refuse
 * it. otab_new returns NULL out of memory; every otab_ function takes NULL and
 * does nothing with it. */
typedef struct out_table out_table;

out_table *otab_new(void);                 /* owned by the caller: otab_free */
int otab_failed(const out_table *t);       /* 1 if NULL or an allocation failed */
/* Marks the table as written for people (lists to fill in, SPEC §10, §13): its CSV
 * then starts with a UTF-8 byte-order mark and guards every value a spreadsheet
 * would change (out_cell_guarded). Machine CSV (reports, --format csv of listings)
 * stays exact. */
void otab_for_people(out_table *t);
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
const char *otab_col_name(const out_table *t, int col);
/* The cell as people read it (dates dd/mm/yyyy, whole percentages), as in table
 * and md; *numeric says whether it is a number (right-aligned). */
void otab_cell_text(const out_table *t, int row, int col, char *buf, size_t len, int *numeric);

/* The cell's number when it holds one (an integer or a real): 1 with *v set; else 0
 * (text or empty). For writers that keep numbers as numbers (the report's xlsx). */
int otab_cell_number(const out_table *t, int row, int col, double *v);

/* Writes the table as FORMAT to f: table (aligned columns), csv (formula-safe,
 * RFC 4180, CRLF), json (an array of objects keyed by column name), md (a pipe
 * table). Not for xlsx (see xlsx_book_*). Returns 0, or -1 (a failed table, an
 * unknown format, or a stream error). */
int otab_write(const out_table *t, enum out_format format, FILE *f);

/* A share as a whole percent, rounded half up (SPEC §9): 0.205 -> 21. */
long long out_percent(double share);

/* The shortest of %.15g, %.16g, %.17g that reads back as the same double. */
void out_real_text(double v, char *buf, size_t len);

/* Formula safety (SPEC §10): a cell beginning with = + - @ tab or CR gets a
 * leading '. Writes the quoted, escaped CSV field. */
void csv_write_field(FILE *f, const char *s);

/* CSV for people (SPEC §13): Excel and LibreOffice, opening a CSV with default
 * settings, turn text that looks like a number, date, time, percentage or boolean
 * into one (0012345 -> 12345, 1-4 -> 1 April, 2026-11 -> Nov-26, 18+ -> 18, TRUE).
 * Such a value is written after an invisible U+2060 WORD JOINER, which neither
 * reads as part of a number or date, and which the CSV reader takes off again.
 * out_cell_guarded says whether s needs it: it has a digit and nothing but digits,
 * spaces and + - / . : , % e E ( ) (or is a month name with digits, or TRUE/FALSE),
 * except plain whole numbers of 1 to 11 digits without a leading zero, which a
 * spreadsheet shows and saves back unchanged. */
#define OUT_CELL_GUARD "\xe2\x81\xa0"
int out_cell_guarded(const char *s);

/* XLSX: a workbook at PATH (which the caller has made safe: see cmd/output.h).
 * Each table becomes a sheet: bold frozen header, column widths from the content,
 * dates as dates, grade drop-downs, percentages as percentages, text columns
 * formatted as text ("@": ids, age bands and round labels stay text, also when
 * typed), COL_WRITE columns wide and wrapped; printed A4 landscape, one page wide,
 * the header row repeated on every page, gridlines on. xlsx_book_open
 * returns NULL (err filled) on failure; xlsx_book_close writes the file and frees
 * the book in every case. Errors are CA_SYSTEM. */
typedef struct xlsx_book xlsx_book;
xlsx_book *xlsx_book_open(const char *path, ca_error *err);
int xlsx_book_sheet(xlsx_book *x, const char *name, const out_table *t, ca_error *err);
int xlsx_book_close(xlsx_book *x, ca_error *err);

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
