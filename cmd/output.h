/* output.h: the command line's output. The writers themselves are the library's
 * (audit/render/output.h); here are the files: created with mode 0600 through a
 * temporary file renamed into place, so a reader never sees half a file and an
 * identifier never sits in a world-readable file. These print their errors.
 */
#ifndef CASEAUDIT_OUTPUT_H
#define CASEAUDIT_OUTPUT_H

#include <stdio.h>

#include "audit/render/output.h"

/* Parses "table", "csv", ... among the allowed formats. Returns 0, or prints a usage
 * error naming the allowed ones and returns 2. */
int out_format_parse(const char *s, unsigned allowed, enum out_format *out);

/* A file written safely: out_open gives a stream on a temporary file beside
 * PATH (mode 0600, tmp its name), or stdout when PATH is NULL or "-"; out_close
 * renames it into place (or removes it when ok is 0). Returns 0, or prints the
 * error and returns 3. */
typedef struct out_file {
    FILE *f;
    char *path;
    char *tmp;
} out_file;
int out_open(out_file *of, const char *path);
int out_close(out_file *of, int ok);

/* XLSX through a temporary file renamed into place (see xlsx_book_* for the
 * sheets). out_xlsx_open returns NULL (error printed) on failure; the others
 * return 0, or print and return 3. */
typedef struct out_xlsx out_xlsx;
out_xlsx *out_xlsx_open(const char *path);
int out_xlsx_sheet(out_xlsx *x, const char *name, const out_table *t);
int out_xlsx_close(out_xlsx *x, int ok);

#endif
