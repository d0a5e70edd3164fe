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
