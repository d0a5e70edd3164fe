/* tabread.h: one reader for the tables people send us, CSV or .xlsx (SPEC §4, §13).
 *
 * A file is a workbook when its bytes say so (the zip signature PK\3\4, or the
 * OLE signature of an old .xls, which is refused with advice) or its name ends in
 * .xlsx or .xlsm (so that a text file so named is refused, not read as CSV);
 * anything else is CSV (audit/csvread.h, unchanged). A CSV is one sheet without
 * a name; a workbook has its sheets in workbook order. After tabr_open the first
 * sheet is selected. Places are named FILE:LINE for a CSV and FILE[SHEET]:ROW for
 * a sheet (tabr_where).
 */
#ifndef CASEAUDIT_TABREAD_H
#define CASEAUDIT_TABREAD_H

#include "audit/csvread.h"
#include "audit/error.h"
#include "audit/xlsxread.h"

typedef struct tabr tabr;

/* Opens PATH; *out is owned by the caller (tabr_close); on error *out is NULL.
 * cp1252 applies to CSV only (a workbook is always Unicode). */
int tabr_open(tabr **out, const char *path, int cp1252, ca_error *err);
void tabr_close(tabr *t);

int tabr_is_xlsx(const tabr *t);
/* A CSV read as Windows-1252 because it was not UTF-8 (csvr_guessed_cp1252). */
int tabr_guessed_cp1252(const tabr *t);
int tabr_sheets(const tabr *t);                    /* 1 for a CSV */
const char *tabr_sheet_name(const tabr *t, int i); /* NULL for a CSV */

/* Starts reading sheet i from its first record (a CSV's sheet 0 is reopened if
 * it was read from). */
int tabr_select(tabr *t, int i, ca_error *err);

/* The next record: 1, 0 at the end of the sheet, CA_ERR (see csvr_next and
 * xlsxr_next; a workbook row with a bad cell is CA_ERR but can be read on: use
 * tabr_can_go_on). */
int tabr_next(tabr *t, ca_error *err);
int tabr_can_go_on(const tabr *t);                 /* after CA_ERR: the next call reads on */

int tabr_count(const tabr *t);
const char *tabr_field(const tabr *t, int i);      /* "" past the end; valid until tabr_next */
long tabr_line(const tabr *t);                     /* CSV: line where the record starts; sheet: row */
const char *tabr_path(const tabr *t);
const char *tabr_sheet(const tabr *t);             /* the selected sheet's name; NULL for a CSV */

/* "FILE:LINE" or "FILE[SHEET]:ROW" of the current record, for messages; valid
 * until the next call on t. */
const char *tabr_where(tabr *t);

/* As csvr_set_names (CSV only; a workbook's errors name the cell). */
void tabr_set_names(tabr *t, char *const *names, int n);

/* The SHA-256 of the file's bytes as 64 hex digits: for a CSV after tabr_next
 * returned 0 (hashed while read); for a workbook at any time (read again). */
int tabr_sha256(tabr *t, char out[65], ca_error *err);

/* A copy of the current record's fields: owned by the caller, release with
 * csvr_strings_free(fields, tabr_count(t)). NULL when out of memory. */
char **tabr_copy_fields(const tabr *t);

#endif
