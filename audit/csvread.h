/* csvread.h: a streaming CSV reader for the files people send us (SPEC §4, §7, §8).
 *
 * Built on libcsv. Reads one physical line at a time, so a file of any length is
 * read in bounded memory; handles a UTF-8 byte-order mark, CRLF, quoted fields
 * holding commas, quotes and line breaks; refuses invalid UTF-8 and NUL bytes
 * when UTF-8 is forced (naming the line) or converts from Windows-1252; strips the leading ' that our own CSV exports add for formula safety
 * (SPEC §10); skips lines that are empty or hold only separators. Hashes the raw
 * bytes as it goes (SHA-256), for duplicate-file detection.
 */
#ifndef CASEAUDIT_CSVREAD_H
#define CASEAUDIT_CSVREAD_H

#include "audit/error.h"

typedef struct csvr csvr;

enum { CSVR_MAX_FIELDS = 2000, CSVR_MAX_LINE = 1 << 20 };

/* How a file's bytes are read (SPEC §4, "Encoding"): AUTO decides per file, UTF-8
 * when the whole file is valid UTF-8 (with or without a byte-order mark), else
 * Windows-1252, what Excel on Windows saves as "CSV"; the others force one. */
enum csvr_encoding { CSVR_AUTO = 0, CSVR_CP1252 = 1, CSVR_UTF8 = 2 };

/* Opens PATH; *out is owned by the caller (csvr_close). */
int csvr_open(csvr **out, const char *path, int encoding, ca_error *err);

/* 1 when the file is being read as Windows-1252 because it was not UTF-8 (AUTO). */
int csvr_guessed_cp1252(const csvr *r);
void csvr_close(csvr *r);

/* Reads the next record: 1 when there is one, 0 at the end of the file, CA_ERR when
 * the file cannot be read on (err: "FILE:LINE: …", CA_REFUSED for bad data,
 * CA_SYSTEM for I/O). */
int csvr_next(csvr *r, ca_error *err);

int csvr_count(const csvr *r);                  /* fields in the current record */
const char *csvr_field(const csvr *r, int i);   /* "" past the end; valid until csvr_next */
long csvr_line(const csvr *r);                  /* physical line where the record starts */
const char *csvr_path(const csvr *r);
long csvr_records(const csvr *r);               /* records returned so far, header included */

/* Lends the reader the header's column names (borrowed: they must outlive the
 * reading), so that a file that cannot be read on (invalid UTF-8, a NUL byte, an
 * unclosed quote) is reported with the column where it happened. */
void csvr_set_names(csvr *r, char *const *names, int n);

/* After csvr_next returned 0: the SHA-256 of the file's bytes, as 64 hex digits. */
void csvr_sha256(csvr *r, char out[65]);

/* A copy of the current record's fields, usually the header: owned by the caller,
 * release with csvr_strings_free. NULL when out of memory. */
char **csvr_copy_fields(const csvr *r);
void csvr_strings_free(char **strings, int n);

/* A copy of a string without the spaces around it: owned by the caller. */
char *csvr_trim_dup(const char *s);

/* Trims *s (freed and replaced by a trimmed copy); text of spaces only becomes NULL,
 * so that "   " is no reason and no note. CA_ERR, *s unchanged, when out of memory. */
int csvr_tidy(char **s);

/* Finds the column whose normalised name (vocab_normalise) equals one of the
 * NULL-terminated normalised names, in the header record hdr (a copy of the
 * first record's fields); -1 when none. */
int csvr_find(char *const *hdr, int nhdr, const char *const *names);

#endif
