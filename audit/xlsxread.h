/* xlsxread.h: a streaming reader of .xlsx workbooks (SPEC §13).
 *
 * Built on libzip and expat. The sheet XML is parsed with a SAX parser fed in
 * blocks through zip_fread and suspended at the end of each row, so memory does
 * not grow with the number of rows; only the shared strings are held. Cells are
 * read as Excel means them: shared, inline and rich-text strings; numbers with
 * integral ones written without ".0"; dates by the cell's style (built-in and
 * custom date formats; 1900 and 1904 systems) as ISO yyyy-mm-dd; formulas by
 * their cached value; booleans as TRUE and FALSE.
 *
 * Hostile files: each part's uncompressed size is capped (XLSXR_MAX_*), as is its
 * compression ratio (XLSXR_MAX_RATIO); XML with a DTD or entity declarations is
 * refused; a file that is not a zip, or a damaged one, is refused with a message
 * saying what to do. Messages name the place as FILE[SHEET]:ROW or FILE[SHEET]:C5.
 */
#ifndef CASEAUDIT_XLSXREAD_H
#define CASEAUDIT_XLSXREAD_H

#include "audit/error.h"

typedef struct xlsxr xlsxr;

enum {
    /* A worksheet is streamed, so its cap bounds time, not memory: 2 GiB is about
     * 15 s of parsing and holds a full 1,048,576-row sheet of some 60 columns. */
    XLSXR_MAX_SHEET_MB = 2048,
    /* The shared strings are held in memory: 256 MiB of XML is far more than any
     * case list (1,000,000 distinct ids take about 30 MiB). */
    XLSXR_MAX_STRINGS_MB = 256,
    XLSXR_MAX_STRINGS = 1 << 24,       /* and their number: 64 MiB of offsets */
    /* workbook.xml, styles.xml and the relationships are small. */
    XLSXR_MAX_PART_MB = 16,
    /* Uncompressed bytes per compressed byte, checked past the first MiB of a part:
     * Apache POI's default (ZipSecureFile's minimum inflate ratio 0.01). Real
     * sheets compress 5-30 times; a zip bomb about 1000 times. */
    XLSXR_MAX_RATIO = 100,
    XLSXR_MAX_COLS = 16384,            /* Excel's limit (column XFD) */
    XLSXR_MAX_ROW_BYTES = 4 << 20,     /* the text of one row */
    XLSXR_MAX_SHEETS = 1024
};

/* Opens the workbook at PATH and reads its sheet list, styles and shared strings;
 * *out is owned by the caller (xlsxr_close). CA_REFUSED for a file that is not a
 * readable workbook, CA_SYSTEM for I/O or out of memory. On error *out is NULL. */
int xlsxr_open(xlsxr **out, const char *path, ca_error *err);
void xlsxr_close(xlsxr *r);

int xlsxr_sheets(const xlsxr *r);                  /* sheets, in workbook order */
const char *xlsxr_sheet_name(const xlsxr *r, int i);

/* Starts reading sheet i (0-based) from its first row; any sheet may be read
 * again. CA_ERR (and nothing selected) when its part is missing or too large. */
int xlsxr_select(xlsxr *r, int i, ca_error *err);

/* Reads the next row of the selected sheet that holds any value: 1 when there is
 * one, 0 at the end of the sheet, CA_ERR when the sheet cannot be read on (err:
 * "FILE[SHEET]:ROW: …"; every later call fails the same way). A row holding a
 * cell that has no value Excel would show (an error cell such as #N/A, a formula
 * without a cached value, a date that never was) is CA_ERR with CA_REFUSED
 * naming the cell ("FILE[SHEET]:C5: …"), but the row is read: its fields are
 * there (the bad cells empty) and the next call reads on. */
int xlsxr_next(xlsxr *r, ca_error *err);
int xlsxr_broken(const xlsxr *r);                  /* 1 after an error that ends the sheet */

int xlsxr_count(const xlsxr *r);                   /* fields of the current row */
const char *xlsxr_field(const xlsxr *r, int i);    /* "" past the end; valid until xlsxr_next */
long xlsxr_row(const xlsxr *r);                    /* the row's number in the sheet, from 1 */
const char *xlsxr_path(const xlsxr *r);
const char *xlsxr_sheet(const xlsxr *r);           /* name of the selected sheet */
int xlsxr_date1904(const xlsxr *r);                /* the workbook counts dates from 1904 */

/* The text of an Excel serial date in the 1900 or 1904 system, as yyyy-mm-dd;
 * CA_ERR for serial 60 of the 1900 system (29 February 1900, which never was),
 * and for serials before the first day or after 9999-12-31. Exposed for tests. */
int xlsxr_serial_date(double serial, int date1904, char out[11]);

/* 1 when an Excel number format code shows a date (d or y, or m that is not
 * minutes, outside quotes and brackets). Exposed for tests. */
int xlsxr_format_is_date(const char *code);

#endif
