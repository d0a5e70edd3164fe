/* date.h: calendar dates as day numbers, and the UK date formats of SPEC §4.
 *
 * A ca_day counts days since 1970-01-01 (proleptic Gregorian), so that date
 * arithmetic and comparison are plain integer operations.
 */
#ifndef CASEAUDIT_DATE_H
#define CASEAUDIT_DATE_H

#include <stddef.h>
#include <stdint.h>

typedef int32_t ca_day;

#define CA_DATE_ISO_LEN 11 /* "yyyy-mm-dd" and its NUL */

/* CA_OK when y-m-d is a real date (years 1900..2999), else CA_ERR. */
int date_from_ymd(int y, int m, int d, ca_day *out);
void date_to_ymd(ca_day day, int *y, int *m, int *d);
void date_iso(ca_day day, char buf[CA_DATE_ISO_LEN]);  /* 2026-11-01 */
void date_uk(ca_day day, char buf[CA_DATE_ISO_LEN]);   /* 01/11/2026 */

/* Parses yyyy-mm-dd, dd/mm/yyyy, d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy, dd Mon yyyy,
 * dd-Mon-yyyy (month names in English, 3 letters or full). Day-first only:
 * month-first order is never guessed, two-digit years are refused. On failure
 * returns CA_ERR and writes a reason into why (which says what is expected). */
int date_parse(const char *s, ca_day *out, char *why, size_t whylen);

/* What a date column holds, which decides the century of a two-digit year. */
enum date_kind {
    DATE_OTHER, /* plan start or end, CIN closure...: the century within 50 years of the as-of date */
    DATE_BIRTH  /* date of birth: the century that gives an age from -1 to 25 at the as-of date */
};

/* How date_parse_cell read a cell, so that the import can count readings for a note. */
enum date_reading { DATE_READ_FULL, DATE_READ_SERIAL, DATE_READ_TWO_DIGIT };

/* A date cell of an imported file: every form of date_parse, and what spreadsheets
 * make of dates (SPEC §4).
 * - A whole number is an Excel serial date in the 1900 system (Excel's documented
 *   serial numbers, as DATE and DATEVALUE return them; LibreOffice counts from
 *   1899-12-30 throughout, so it agrees from 61 on, which is every date since 1900):
 *   1 = 1900-01-01, 59 = 1900-02-28; 60 is Excel's 29 February 1900, a day that never
 *   was, and is refused with a message saying so; from 61 = 1900-03-01 on, serial n
 *   is 1899-12-30 plus n days (44296 = 2021-04-10). 0 and serials after 2999-12-31
 *   (401768) are refused.
 * - A two-digit year (16-Feb-23, 16/02/23, 16 Feb 23, 16.02.23) takes the one century
 *   (years 1900..2999) that fits: for DATE_BIRTH an age from -1 to 25 on as_of (-1:
 *   born less than a year after as_of), a 27-year window, so two centuries never fit;
 *   for DATE_OTHER within 50 years of as_of, where the window is half-open,
 *   [as_of - 50 years, as_of + 50 years): a date exactly 50 years before as_of fits,
 *   exactly 50 years after does not, so exactly one century always fits (29 February
 *   aside, which may fit none). No fitting century is refused, saying why.
 * Day first only: month-first order is never guessed (12/25/26 is refused).
 * On success *out is the day and *how (when not NULL) says which reading was used;
 * on failure CA_ERR, a reason in why, and *out and *how unchanged. */
int date_parse_cell(const char *s, enum date_kind kind, ca_day as_of, ca_day *out, enum date_reading *how,
                    char *why, size_t whylen);

/* A monthly round's label in the forms a spreadsheet makes of "2026-11" (SPEC §5):
 * 2026-11, Nov-26, Nov 26, Nov-2026, November 2026, and the first of the month as a
 * date (01/11/2026, 2026-11-01, 1 Nov 2026). CA_OK with the canonical "yyyy-mm" in out,
 * or CA_ERR when s is none of them (it may still be a themed round's name). */
int date_month_label(const char *s, char out[8]);

/* Whole years from dob to on; -1 when dob is after on (unborn). A 29 February
 * birthday falls on 1 March in other years. */
int date_age_years(ca_day dob, ca_day on);

/* day plus months, the day clamped to the end of the month (31 Jan + 1 = 28/29 Feb). */
ca_day date_add_months(ca_day day, int months);

/* Today (local time) and now (UTC, "yyyy-mm-ddThh:mm:ssZ"). $CASEAUDIT_NOW, an
 * ISO UTC time, fixes both: for tests and for reproducing a run. */
ca_day date_today(void);
void date_now_utc(char buf[32]);

#endif
