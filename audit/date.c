#include "audit/date.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "audit/error.h"

/* Howard Hinnant's days_from_civil / civil_from_days. */
static int32_t days_from_civil(int y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int32_t)doe - 719468;
}

void date_to_ymd(ca_day z0, int *y, int *m, int *d)
{
    int32_t z = z0 + 719468;
    const int era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)yoe + era * 400 + (*m <= 2);
}

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int month_days(int y, int m)
{
    static const int n[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : n[m - 1];
}

int date_from_ymd(int y, int m, int d, ca_day *out)
{
    if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > month_days(y, m))
        return CA_ERR;
    *out = days_from_civil(y, (unsigned)m, (unsigned)d);
    return CA_OK;
}

/* Two digits at p; written by hand because a million-row import formats a million dates. */
static char *put2(char *p, unsigned v)
{
    p[0] = (char)('0' + v / 10 % 10);
    p[1] = (char)('0' + v % 10);
    return p + 2;
}

static char *put4(char *p, unsigned v) { return put2(put2(p, v / 100 % 100), v % 100); }

void date_iso(ca_day day, char buf[CA_DATE_ISO_LEN])
{
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    char *p = put4(buf, (unsigned)y);
    *p++ = '-';
    p = put2(p, (unsigned)m);
    *p++ = '-';
    *put2(p, (unsigned)d) = 0;
}

void date_uk(ca_day day, char buf[CA_DATE_ISO_LEN])
{
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    char *p = put2(buf, (unsigned)d);
    *p++ = '/';
    p = put2(p, (unsigned)m);
    *p++ = '/';
    *put4(p, (unsigned)y) = 0;
}

static const char *const month_names[] = {"january", "february", "march", "april", "may", "june", "july",
                                          "august", "september", "october", "november", "december"};

/* "Nov", "nov", "November" -> 11; 0 when not a month name. */
static int month_from_name(const char *s, size_t len)
{
    if (len < 3)
        return 0;
    for (int i = 0; i < 12; i++) {
        size_t full = strlen(month_names[i]);
        if ((len == 3 || len == full || (i == 8 && len == 4)) && len <= full &&
            strncasecmp(s, month_names[i], len) == 0)
            return i + 1;
    }
    return 0;
}

/* Reads 1..maxdigits decimal digits; returns how many were read. */
static int read_num(const char *s, int maxdigits, int *out)
{
    int n = 0, v = 0;
    while (n < maxdigits + 1 && isdigit((unsigned char)s[n]))
        v = v * 10 + (s[n++] - '0');
    if (n > maxdigits)
        return 0;
    *out = v;
    return n;
}

#define EXPECTED "expected a UK date such as 25/12/2026, 25 Dec 2026 or 2026-12-25"

static int bad(char *why, size_t whylen, const char *reason)
{
    if (why && whylen)
        snprintf(why, whylen, "%s", reason);
    return CA_ERR;
}

/* A date as written, before the year's length or the date's existence is checked. */
struct parts {
    int y, m, d;
    int ydigits; /* how many digits the year was written with */
    int iso;     /* written yyyy-mm-dd */
};

/* The parts of s0 in any form of date_parse; CA_ERR with a reason when s0 is no such form. */
static int parse_parts(const char *s0, struct parts *t, char *why, size_t whylen)
{
    while (isspace((unsigned char)*s0))
        s0++;
    size_t len = strlen(s0);
    while (len && isspace((unsigned char)s0[len - 1]))
        len--;
    char s[64];
    if (len == 0)
        return bad(why, whylen, "empty date; " EXPECTED);
    if (len >= sizeof s)
        return bad(why, whylen, "not a date; " EXPECTED);
    memcpy(s, s0, len);
    s[len] = 0;

    int a, b, c, na, nb, nc;
    /* yyyy-mm-dd */
    if ((na = read_num(s, 4, &a)) == 4 && s[4] == '-') {
        if ((nb = read_num(s + 5, 2, &b)) && s[5 + nb] == '-' && (nc = read_num(s + 6 + nb, 2, &c)) &&
            s[6 + nb + nc] == 0) {
            *t = (struct parts){a, b, c, 4, 1};
            return CA_OK;
        }
        return bad(why, whylen, "not a date; " EXPECTED);
    }
    /* Day first: d/m/yyyy, d-m-yyyy, d.m.yyyy, d Mon yyyy, d-Mon-yyyy */
    if ((na = read_num(s, 2, &a)) == 0)
        return bad(why, whylen, "not a date; " EXPECTED);
    char sep = s[na];
    if (sep != '/' && sep != '-' && sep != '.' && sep != ' ')
        return bad(why, whylen, "not a date; " EXPECTED);
    const char *p = s + na + 1;
    while (sep == ' ' && *p == ' ')
        p++;
    if (isalpha((unsigned char)*p)) {
        size_t ml = 0;
        while (isalpha((unsigned char)p[ml]))
            ml++;
        b = month_from_name(p, ml);
        if (!b)
            return bad(why, whylen, "unknown month name; " EXPECTED);
        p += ml;
        if (*p != sep && !(sep == ' ' && *p == ' '))
            return bad(why, whylen, "not a date; " EXPECTED);
        p++;
        while (sep == ' ' && *p == ' ')
            p++;
    } else {
        if (sep == ' ' || (nb = read_num(p, 2, &b)) == 0 || p[nb] != sep)
            return bad(why, whylen, "not a date; " EXPECTED);
        p += nb + 1;
    }
    nc = read_num(p, 4, &c);
    if (nc == 0 || p[nc] != 0)
        return bad(why, whylen, "not a date; " EXPECTED);
    *t = (struct parts){c, b, a, nc, 0};
    return CA_OK;
}

#define MONTH_FIRST "the month is over 12: dates are read day first (dd/mm/yyyy), month-first dates are not accepted"

/* The day-first checks after the year: month-first order refused by name, then existence. */
static int day_first_date(int y, const struct parts *t, ca_day *out, char *why, size_t whylen)
{
    if (t->m > 12 && t->d <= 12)
        return bad(why, whylen, MONTH_FIRST);
    if (date_from_ymd(y, t->m, t->d, out) != CA_OK)
        return bad(why, whylen, "no such date (dates are read day first, dd/mm/yyyy)");
    return CA_OK;
}

/* The day of parts whose year is written in full (or refused as two-digit). */
static int full_year_date(const struct parts *t, ca_day *out, char *why, size_t whylen)
{
    if (t->iso)
        return date_from_ymd(t->y, t->m, t->d, out) == CA_OK ? CA_OK : bad(why, whylen, "no such date");
    if (t->ydigits != 4)
        return bad(why, whylen, "two-digit years are not accepted: write the year in full, as in 25/12/2026");
    return day_first_date(t->y, t, out, why, whylen);
}

int date_parse(const char *s, ca_day *out, char *why, size_t whylen)
{
    struct parts t;
    if (parse_parts(s, &t, why, whylen) != CA_OK)
        return CA_ERR;
    return full_year_date(&t, out, why, whylen);
}

#define SERIAL_RANGE                                                                                 \
    "a whole number in a date column is read as an Excel serial date, from 1 (01/01/1900) to 401768 " \
    "(31/12/2999); this one is not: write the date in full"

/* Excel's 1900 date system: serial 1 is 1900-01-01 and Excel counts a 29 February
 * 1900 as serial 60, so serials from 61 count from 1899-12-30 and 1..59 from 1899-12-31. */
static int excel_serial(const char *digits, size_t len, ca_day *out, char *why, size_t whylen)
{
    if (len > 7)
        return bad(why, whylen, SERIAL_RANGE);
    long v = 0;
    for (size_t i = 0; i < len; i++)
        v = v * 10 + (digits[i] - '0');
    const ca_day from = days_from_civil(1899, 12, v >= 61 ? 30 : 31);
    if (v == 60)
        return bad(why, whylen,
                   "Excel serial date 60 is 29 February 1900, a day that never was (Excel counts 1900 as a "
                   "leap year): write the date in full");
    if (v == 0 || from + v > days_from_civil(2999, 12, 31))
        return bad(why, whylen, SERIAL_RANGE);
    *out = from + (ca_day)v;
    return CA_OK;
}

/* Whether day is a reading of a two-digit year that fits kind at as_of (SPEC §4). */
static int century_fits(ca_day day, enum date_kind kind, ca_day as_of)
{
    if (kind == DATE_BIRTH) /* an age from -1 (born within the coming year) to 25 */
        return day <= as_of ? date_age_years(day, as_of) <= 25 : date_age_years(as_of, day) == 0;
    /* Within 50 years: the past edge in, the future edge out, so exactly one century fits. */
    return day >= date_add_months(as_of, -600) && day < date_add_months(as_of, 600);
}

/* The one year ending in t->y's two digits (1900..2999) whose date fits kind at as_of. */
static int two_digit_year(const struct parts *t, enum date_kind kind, ca_day as_of, ca_day *out, char *why,
                          size_t whylen)
{
    int fits = 0, exists = 0;
    ca_day day, found = 0;
    for (int y = 1900 + t->y; y <= 2999; y += 100) {
        if (date_from_ymd(y, t->m, t->d, &day) != CA_OK)
            continue; /* 29 February of a year that is not a leap year */
        exists = 1;
        if (century_fits(day, kind, as_of)) {
            fits++;
            found = day;
        }
    }
    if (fits == 1) {
        *out = found;
        return CA_OK;
    }
    char on[CA_DATE_ISO_LEN], msg[200];
    if (!exists)
        return bad(why, whylen, "no such date in any year ending in those two digits: write the year in full");
    date_uk(as_of, on);
    if (kind == DATE_BIRTH)
        snprintf(msg, sizeof msg, "the two-digit year %02d gives no age from -1 to 25 on %s in any century: "
                 "write the year in full", t->y, on);
    else
        snprintf(msg, sizeof msg, "the two-digit year %02d is not within 50 years of %s in any century: "
                 "write the year in full", t->y, on);
    return bad(why, whylen, msg);
}

int date_parse_cell(const char *s0, enum date_kind kind, ca_day as_of, ca_day *out, enum date_reading *how,
                    char *why, size_t whylen)
{
    while (isspace((unsigned char)*s0))
        s0++;
    size_t len = strlen(s0);
    while (len && isspace((unsigned char)s0[len - 1]))
        len--;
    size_t digits = 0;
    while (digits < len && isdigit((unsigned char)s0[digits]))
        digits++;
    if (len > 0 && digits == len) {
        if (excel_serial(s0, len, out, why, whylen) != CA_OK)
            return CA_ERR;
        if (how)
            *how = DATE_READ_SERIAL;
        return CA_OK;
    }
    struct parts t;
    if (parse_parts(s0, &t, why, whylen) != CA_OK)
        return CA_ERR;
    if (t.iso || t.ydigits == 4) {
        if (full_year_date(&t, out, why, whylen) != CA_OK)
            return CA_ERR;
        if (how)
            *how = DATE_READ_FULL;
        return CA_OK;
    }
    if (t.ydigits != 2)
        return bad(why, whylen, "a year is written with 4 digits (or 2 where only one century fits), as in 25/12/2026");
    ca_day probe;
    if (t.m > 12 && t.d <= 12)
        return bad(why, whylen, MONTH_FIRST);
    if (date_from_ymd(2000, t.m, t.d, &probe) != CA_OK) /* 2000 is a leap year: every real day and month */
        return bad(why, whylen, "no such date (dates are read day first, dd/mm/yy)");
    if (two_digit_year(&t, kind, as_of, out, why, whylen) != CA_OK)
        return CA_ERR;
    if (how)
        *how = DATE_READ_TWO_DIGIT;
    return CA_OK;
}

int date_age_years(ca_day dob, ca_day on)
{
    if (dob > on)
        return -1;
    int by, bm, bd, y, m, d;
    date_to_ymd(dob, &by, &bm, &bd);
    date_to_ymd(on, &y, &m, &d);
    int age = y - by;
    if (m < bm || (m == bm && d < bd))
        age--;
    return age;
}

ca_day date_add_months(ca_day day, int months)
{
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    int total = y * 12 + (m - 1) + months;
    y = total / 12;
    m = total % 12 + 1;
    int md = month_days(y, m);
    if (d > md)
        d = md;
    return days_from_civil(y, (unsigned)m, (unsigned)d);
}

/* $CASEAUDIT_NOW as "yyyy-mm-ddThh:mm:ssZ" (or just a date); 0 when unset or bad. */
static int fixed_now(struct tm *tm)
{
    const char *s = getenv("CASEAUDIT_NOW");
    if (!s || !*s)
        return 0;
    memset(tm, 0, sizeof *tm);
    int n = sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d", &tm->tm_year, &tm->tm_mon, &tm->tm_mday, &tm->tm_hour,
                   &tm->tm_min, &tm->tm_sec);
    if (n != 3 && n != 6)
        return 0;
    tm->tm_year -= 1900;
    tm->tm_mon -= 1;
    return 1;
}

ca_day date_today(void)
{
    struct tm tm;
    if (!fixed_now(&tm)) {
        time_t t = time(NULL);
        localtime_r(&t, &tm);
    }
    return days_from_civil(tm.tm_year + 1900, (unsigned)tm.tm_mon + 1, (unsigned)tm.tm_mday);
}

void date_now_utc(char buf[32])
{
    struct tm tm;
    if (!fixed_now(&tm)) {
        time_t t = time(NULL);
        gmtime_r(&t, &tm);
    }
    snprintf(buf, 32, "%04d-%02d-%02dT%02d:%02d:%02dZ", (tm.tm_year + 1900) % 10000, (tm.tm_mon + 1) % 100,
             tm.tm_mday % 100, tm.tm_hour % 100, tm.tm_min % 100, tm.tm_sec % 100);
}

int date_month_label(const char *s, char out[8])
{
    int y, m, used = 0;
    char name[16], why[160];
    ca_day day;
    if (sscanf(s, "%4d-%2d%n", &y, &m, &used) == 2 && used == 7 && !s[7] && m >= 1 && m <= 12 && y >= 1900)
        goto ok;
    /* Nov-26, Nov 26, Nov-2026, November 2026 */
    if (sscanf(s, "%15[A-Za-z]%*[- ]%d%n", name, &y, &used) == 2 && !s[used] &&
        (m = month_from_name(name, strlen(name))) > 0) {
        size_t digits = strlen(s) - strcspn(s, "0123456789");
        if (digits == 2)
            y += 2000;
        if ((digits == 2 || digits == 4) && y >= 1900 && y <= 2999)
            goto ok;
    }
    /* the first of the month, as a date */
    if (date_parse(s, &day, why, sizeof why) == CA_OK) {
        int d;
        date_to_ymd(day, &y, &m, &d);
        if (d == 1)
            goto ok;
    }
    return CA_ERR;
ok:
    snprintf(out, 8, "%04u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u);
    return CA_OK;
}
