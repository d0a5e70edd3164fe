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

int date_parse(const char *s0, ca_day *out, char *why, size_t whylen)
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
            if (date_from_ymd(a, b, c, out) != CA_OK)
                return bad(why, whylen, "no such date");
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
    if (nc != 4)
        return bad(why, whylen, "two-digit years are not accepted: write the year in full, as in 25/12/2026");
    if (b > 12 && a <= 12)
        return bad(why, whylen,
                   "the month is over 12: dates are read day first (dd/mm/yyyy), month-first dates are not accepted");
    if (date_from_ymd(c, b, a, out) != CA_OK)
        return bad(why, whylen, "no such date (dates are read day first, dd/mm/yyyy)");
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
