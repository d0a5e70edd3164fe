/* Dates (SPEC §4): every accepted UK form, every refusal with a reason that says what is
 * expected, ages at the edges that decide an age band, month arithmetic, "now". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "audit/date.h"
#include "audit/error.h"

static ca_day ymd(int y, int m, int d)
{
    ca_day day;
    if (date_from_ymd(y, m, d, &day) != CA_OK)
        fail_msg("%04d-%02d-%02d is not a date", y, m, d);
    return day;
}

static void test_every_accepted_form(void **state)
{
    (void)state;
    static const struct { const char *s; int y, m, d; } ok[] = {
        {"2026-06-05", 2026, 6, 5},   {"2026-6-5", 2026, 6, 5},
        {"05/06/2026", 2026, 6, 5},   {"5/6/2026", 2026, 6, 5},     {"05/6/2026", 2026, 6, 5},
        {"05-06-2026", 2026, 6, 5},   {"05.06.2026", 2026, 6, 5},
        {"05 Jun 2026", 2026, 6, 5},  {"5 Jun 2026", 2026, 6, 5},   {"5 June 2026", 2026, 6, 5},
        {"5 JUNE 2026", 2026, 6, 5},  {"05-Jun-2026", 2026, 6, 5},  {"05-JUN-2026", 2026, 6, 5},
        {"5-june-2026", 2026, 6, 5},  {" 05/06/2026 ", 2026, 6, 5},
        {"31 Dec 2026", 2026, 12, 31}, {"1 Jan 2027", 2027, 1, 1},  {"30 Sep 2026", 2026, 9, 30},
        {"30 Sept 2026", 2026, 9, 30},
        /* Every month by its short and full name. */
        {"1 Jan 2026", 2026, 1, 1},   {"1 January 2026", 2026, 1, 1},   {"1 Feb 2026", 2026, 2, 1},
        {"1 February 2026", 2026, 2, 1}, {"1 Mar 2026", 2026, 3, 1}, {"1 March 2026", 2026, 3, 1},
        {"1 Apr 2026", 2026, 4, 1},   {"1 April 2026", 2026, 4, 1}, {"1 May 2026", 2026, 5, 1},
        {"1 Jul 2026", 2026, 7, 1},   {"1 July 2026", 2026, 7, 1},  {"1 Aug 2026", 2026, 8, 1},
        {"1 August 2026", 2026, 8, 1}, {"1 Sep 2026", 2026, 9, 1},  {"1 September 2026", 2026, 9, 1},
        {"1 Oct 2026", 2026, 10, 1},  {"1 October 2026", 2026, 10, 1}, {"1 Nov 2026", 2026, 11, 1},
        {"1 November 2026", 2026, 11, 1}, {"1 Dec 2026", 2026, 12, 1}, {"1 December 2026", 2026, 12, 1},
        /* Leap days: 2000 and 2024 are leap years. */
        {"29/02/2024", 2024, 2, 29},  {"29/02/2000", 2000, 2, 29},
    };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        ca_day day;
        char why[160] = "";
        if (date_parse(ok[i].s, &day, why, sizeof why) != CA_OK)
            fail_msg("'%s' refused: %s", ok[i].s, why);
        if (day != ymd(ok[i].y, ok[i].m, ok[i].d))
            fail_msg("'%s' read as the wrong day", ok[i].s);
    }
}

static void test_refusals_say_what_is_expected(void **state)
{
    (void)state;
    static const struct { const char *s, *why; } bad[] = {
        /* Month first is never guessed, in any of the numeric forms. */
        {"12/25/2026", "month-first dates are not accepted"},
        {"12-25-2026", "month-first dates are not accepted"},
        {"12.25.2026", "month-first dates are not accepted"},
        {"01/13/2026", "dates are read day first (dd/mm/yyyy)"},
        /* Two-digit years, in every form. */
        {"25/12/26", "two-digit years are not accepted: write the year in full, as in 25/12/2026"},
        {"25-12-26", "two-digit years are not accepted"},
        {"25.12.26", "two-digit years are not accepted"},
        {"25 Dec 26", "two-digit years are not accepted"},
        {"25-Dec-26", "two-digit years are not accepted"},
        {"1/1/26", "two-digit years are not accepted"},
        /* Days that do not exist. */
        {"31/02/2026", "no such date (dates are read day first, dd/mm/yyyy)"},
        {"30/02/2024", "no such date"},
        {"29/02/2026", "no such date"},
        {"29/02/1900", "no such date"},     /* 1900 was not a leap year */
        {"31/04/2026", "no such date"},
        {"31 Jun 2026", "no such date"},
        {"00/01/2026", "no such date"},
        {"2026-02-29", "no such date"},
        /* Not a date at all. */
        {"", "empty date"},
        {"   ", "empty date"},
        {"tomorrow", "expected a UK date such as 25/12/2026, 25 Dec 2026 or 2026-12-25"},
        {"June 5 2026", "expected a UK date"},
        {"5th June 2026", "expected a UK date"},
        {"2026/06/05", "expected a UK date"},
        {"2026-06-05T10:00", "expected a UK date"},
        {"05/06/2026 10:00", "expected a UK date"},
        {"5 Juin 2026", "unknown month name"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        ca_day day;
        char why[160] = "";
        if (date_parse(bad[i].s, &day, why, sizeof why) != CA_ERR)
            fail_msg("'%s' was accepted", bad[i].s);
        if (!strstr(why, bad[i].why))
            fail_msg("'%s': expected a reason with '%s', got '%s'", bad[i].s, bad[i].why, why);
    }
}

/* Reads a cell as the import would; fails the test with the reason when refused. */
static ca_day cell(const char *s, enum date_kind kind, ca_day as_of, enum date_reading want)
{
    ca_day day;
    enum date_reading how = (enum date_reading)-1;
    char why[200] = "";
    if (date_parse_cell(s, kind, as_of, &day, &how, why, sizeof why) != CA_OK)
        fail_msg("'%s' refused: %s", s, why);
    if (how != want)
        fail_msg("'%s' read as reading %d, expected %d", s, (int)how, (int)want);
    return day;
}

/* Excel's 1900 date system. Microsoft's documentation of DATE: "January 1, 1900 is
 * serial number 1, and January 1, 2008 is serial number 39448"; Excel counts a
 * 29 February 1900 as 60 (Microsoft's "Excel incorrectly assumes that the year 1900 is
 * a leap year"), so 59 is 28 February and 61 is 1 March 1900. 25569 is 1970-01-01
 * (the Unix epoch as an Excel serial, well known); 44296 is 2021-04-10 (issue 13's
 * example: 1899-12-30 plus 44296 days, by Python's datetime); 401768 is 2999-12-31,
 * the last date caseaudit keeps. */
static void test_excel_serials(void **state)
{
    (void)state;
    ca_day as_of = ymd(2026, 11, 1);
    static const struct { const char *s; int y, m, d; } ok[] = {
        {"1", 1900, 1, 1},         {"59", 1900, 2, 28},       {"61", 1900, 3, 1},
        {"39448", 2008, 1, 1},     {"25569", 1970, 1, 1},     {"44296", 2021, 4, 10},
        {" 44296 ", 2021, 4, 10},  {"36526", 2000, 1, 1},     {"401768", 2999, 12, 31},
        {"045000", 2023, 3, 15},
    };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        if (cell(ok[i].s, DATE_BIRTH, as_of, DATE_READ_SERIAL) != ymd(ok[i].y, ok[i].m, ok[i].d))
            fail_msg("serial '%s' read as the wrong day", ok[i].s);
        if (cell(ok[i].s, DATE_OTHER, as_of, DATE_READ_SERIAL) != ymd(ok[i].y, ok[i].m, ok[i].d))
            fail_msg("serial '%s' read as the wrong day", ok[i].s);
    }
    static const struct { const char *s, *why; } bad[] = {
        {"60", "29 February 1900, a day that never was"},
        {"0", "Excel serial date, from 1 (01/01/1900)"},
        {"401769", "to 401768 (31/12/2999)"},
        {"12345678", "Excel serial date"},
        {"99999999999999999999", "Excel serial date"},
        {"44296.5", "not a date"},
        {"-44296", "not a date"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        ca_day day = 123;
        enum date_reading how = DATE_READ_TWO_DIGIT;
        char why[200] = "";
        if (date_parse_cell(bad[i].s, DATE_OTHER, as_of, &day, &how, why, sizeof why) != CA_ERR)
            fail_msg("'%s' was accepted", bad[i].s);
        if (!strstr(why, bad[i].why))
            fail_msg("'%s': expected a reason with '%s', got '%s'", bad[i].s, bad[i].why, why);
        assert_int_equal(day, 123); /* nothing changed on error */
        assert_int_equal(how, DATE_READ_TWO_DIGIT);
    }
    /* The strict parser still refuses a serial. */
    ca_day day;
    assert_int_equal(date_parse("44296", &day, NULL, 0), CA_ERR);
}

/* Two-digit years, worked by hand at the as-of date 01/11/2026. A date of birth takes
 * the century giving an age from -1 to 25: 01/11/2001 is 25 that day, 01/11/2000 is 26
 * (and 1900 older still), so refused; 31/10/2027 is less than a year ahead (-1),
 * 01/11/2027 a full year ahead (and 1927 is 99), so refused. Any other date takes the
 * century within 50 years, the past edge in and the future edge out: 01/11/76 is
 * 01/11/1976, exactly 50 years before; 31/10/76 is 31/10/2076, a day inside the future
 * edge (1976 would be a day over 50 years before). */
static void test_two_digit_years(void **state)
{
    (void)state;
    ca_day as_of = ymd(2026, 11, 1);
    static const struct { const char *s; enum date_kind kind; int y, m, d; } ok[] = {
        {"16-Feb-23", DATE_BIRTH, 2023, 2, 16}, {"16/02/23", DATE_BIRTH, 2023, 2, 16},
        {"16 Feb 23", DATE_BIRTH, 2023, 2, 16}, {"16.02.23", DATE_BIRTH, 2023, 2, 16},
        {"16-02-23", DATE_BIRTH, 2023, 2, 16},  {"1/2/23", DATE_BIRTH, 2023, 2, 1},
        {"01/11/01", DATE_BIRTH, 2001, 11, 1},  {"02/11/00", DATE_BIRTH, 2000, 11, 2},
        {"31/10/27", DATE_BIRTH, 2027, 10, 31}, {"29/02/08", DATE_BIRTH, 2008, 2, 29},
        {"16-Feb-23", DATE_OTHER, 2023, 2, 16}, {"01/11/76", DATE_OTHER, 1976, 11, 1},
        {"02/11/76", DATE_OTHER, 1976, 11, 2},  {"31/10/76", DATE_OTHER, 2076, 10, 31},
        {"31 Dec 99", DATE_OTHER, 1999, 12, 31}, {"1 Jan 60", DATE_OTHER, 2060, 1, 1},
        {"29/02/00", DATE_OTHER, 2000, 2, 29},
    };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
        if (cell(ok[i].s, ok[i].kind, as_of, DATE_READ_TWO_DIGIT) != ymd(ok[i].y, ok[i].m, ok[i].d))
            fail_msg("'%s' read as the wrong day", ok[i].s);
    /* Across a century: at 01/01/2001, 31/12/99 is a one-year-old's birthday in 1999. */
    assert_int_equal(cell("31/12/99", DATE_BIRTH, ymd(2001, 1, 1), DATE_READ_TWO_DIGIT), ymd(1999, 12, 31));
    /* Four-digit years read as always, and say so. */
    assert_int_equal(cell("16/02/1923", DATE_BIRTH, as_of, DATE_READ_FULL), ymd(1923, 2, 16));
    assert_int_equal(cell("2026-06-05", DATE_OTHER, as_of, DATE_READ_FULL), ymd(2026, 6, 5));
    assert_int_equal(cell("5 June 2026", DATE_OTHER, as_of, DATE_READ_FULL), ymd(2026, 6, 5));
    static const struct { const char *s; enum date_kind kind; const char *why; } bad[] = {
        {"01/11/00", DATE_BIRTH, "the two-digit year 00 gives no age from -1 to 25 on 01/11/2026"},
        {"01/11/27", DATE_BIRTH, "no age from -1 to 25"},
        {"16 Feb 60", DATE_BIRTH, "write the year in full"},
        /* Month first is never guessed, whatever the year's length. */
        {"12/25/26", DATE_OTHER, "month-first dates are not accepted"},
        {"12/25/2026", DATE_OTHER, "month-first dates are not accepted"},
        {"12/25/26", DATE_BIRTH, "month-first dates are not accepted"},
        {"31/02/23", DATE_OTHER, "no such date"},
        {"29/02/23", DATE_OTHER, "no such date in any year ending in those two digits"},
        {"16/02/023", DATE_OTHER, "a year is written with 4 digits"},
        {"16/02/3", DATE_OTHER, "a year is written with 4 digits"},
        {"", DATE_OTHER, "empty date"},
        {"tomorrow", DATE_OTHER, "expected a UK date"},
        {"31/02/2026", DATE_OTHER, "no such date"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        ca_day day = 123;
        char why[200] = "";
        if (date_parse_cell(bad[i].s, bad[i].kind, as_of, &day, NULL, why, sizeof why) != CA_ERR)
            fail_msg("'%s' was accepted", bad[i].s);
        if (!strstr(why, bad[i].why))
            fail_msg("'%s': expected a reason with '%s', got '%s'", bad[i].s, bad[i].why, why);
        assert_int_equal(day, 123);
    }
}

/* Every date_parse form is a cell form too, read to the same day. */
static void test_cell_accepts_what_date_parse_accepts(void **state)
{
    (void)state;
    static const char *const forms[] = {"2026-06-05", "05/06/2026", "5/6/2026", "05-06-2026", "05.06.2026",
                                        "05 Jun 2026", "05-Jun-2026", "29/02/2024", " 5 june 2026 "};
    for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
        ca_day a, b;
        assert_int_equal(date_parse(forms[i], &a, NULL, 0), CA_OK);
        assert_int_equal(date_parse_cell(forms[i], DATE_OTHER, ymd(2026, 11, 1), &b, NULL, NULL, 0), CA_OK);
        assert_int_equal(a, b);
    }
}

static void test_day_numbers_round_trip(void **state)
{
    (void)state;
    assert_int_equal(ymd(1970, 1, 1), 0);
    assert_int_equal(ymd(2000, 3, 1) - ymd(2000, 2, 28), 2);
    assert_int_equal(ymd(1900, 3, 1) - ymd(1900, 2, 28), 1);
    char iso[CA_DATE_ISO_LEN], uk[CA_DATE_ISO_LEN];
    for (ca_day d = ymd(1900, 1, 1); d <= ymd(2100, 12, 31); d += 37) {
        int y, m, dd;
        date_to_ymd(d, &y, &m, &dd);
        assert_int_equal(ymd(y, m, dd), d);
        date_iso(d, iso);
        ca_day back;
        char why[160];
        assert_int_equal(date_parse(iso, &back, why, sizeof why), CA_OK);
        assert_int_equal(back, d);
        date_uk(d, uk);
        assert_int_equal(date_parse(uk, &back, why, sizeof why), CA_OK);
        assert_int_equal(back, d);
    }
    date_uk(ymd(2026, 3, 9), uk);
    assert_string_equal(uk, "09/03/2026");
}

static void test_age_in_whole_years(void **state)
{
    (void)state;
    ca_day as_of = ymd(2026, 11, 1);
    assert_int_equal(date_age_years(as_of, as_of), 0);             /* born today: under 1 */
    assert_int_equal(date_age_years(as_of + 1, as_of), -1);        /* unborn */
    assert_int_equal(date_age_years(ymd(2027, 9, 1), as_of), -1);
    assert_int_equal(date_age_years(ymd(2025, 11, 2), as_of), 0);  /* first birthday tomorrow */
    assert_int_equal(date_age_years(ymd(2025, 11, 1), as_of), 1);
    assert_int_equal(date_age_years(ymd(2016, 11, 1), as_of), 10); /* 10th birthday on the day */
    assert_int_equal(date_age_years(ymd(2016, 11, 2), as_of), 9);
    assert_int_equal(date_age_years(ymd(2010, 11, 1), as_of), 16);
    assert_int_equal(date_age_years(ymd(2008, 11, 2), as_of), 17);
    assert_int_equal(date_age_years(ymd(2008, 11, 1), as_of), 18);
    /* 29 February births: the birthday is 1 March in a year without 29 February ... */
    ca_day leapling = ymd(2016, 2, 29);
    assert_int_equal(date_age_years(leapling, ymd(2026, 2, 28)), 9);
    assert_int_equal(date_age_years(leapling, ymd(2026, 3, 1)), 10);
    assert_int_equal(date_age_years(leapling, ymd(2017, 2, 28)), 0);
    assert_int_equal(date_age_years(leapling, ymd(2017, 3, 1)), 1);
    /* ... and 29 February itself in a leap year. */
    assert_int_equal(date_age_years(leapling, ymd(2024, 2, 28)), 7);
    assert_int_equal(date_age_years(leapling, ymd(2024, 2, 29)), 8);
    assert_int_equal(date_age_years(leapling, ymd(2020, 2, 29)), 4);
    /* Born on 28 February or 1 March, as-of 29 February. */
    assert_int_equal(date_age_years(ymd(2014, 2, 28), ymd(2024, 2, 29)), 10);
    assert_int_equal(date_age_years(ymd(2014, 3, 1), ymd(2024, 2, 29)), 9);
}

static void test_add_months_clamps(void **state)
{
    (void)state;
    assert_int_equal(date_add_months(ymd(2026, 1, 31), 1), ymd(2026, 2, 28));
    assert_int_equal(date_add_months(ymd(2024, 1, 31), 1), ymd(2024, 2, 29));
    assert_int_equal(date_add_months(ymd(2026, 3, 31), -1), ymd(2026, 2, 28));
    assert_int_equal(date_add_months(ymd(2026, 8, 31), 1), ymd(2026, 9, 30));
    assert_int_equal(date_add_months(ymd(2024, 2, 29), 12), ymd(2025, 2, 28));
    assert_int_equal(date_add_months(ymd(2024, 2, 29), 48), ymd(2028, 2, 29));
    assert_int_equal(date_add_months(ymd(2026, 11, 1), 10), ymd(2027, 9, 1));   /* the unborn limit */
    assert_int_equal(date_add_months(ymd(2026, 12, 15), 1), ymd(2027, 1, 15));
    assert_int_equal(date_add_months(ymd(2026, 1, 15), -1), ymd(2025, 12, 15));
    assert_int_equal(date_add_months(ymd(2026, 11, 1), -12), ymd(2025, 11, 1));
    assert_int_equal(date_add_months(ymd(2026, 11, 1), -25), ymd(2024, 10, 1));
    assert_int_equal(date_add_months(ymd(2026, 5, 17), 0), ymd(2026, 5, 17));
}

static void test_now_is_fixed_by_the_environment(void **state)
{
    (void)state;
    setenv("CASEAUDIT_NOW", "2026-11-24T12:00:00Z", 1);
    assert_int_equal(date_today(), ymd(2026, 11, 24));
    char now[32];
    date_now_utc(now);
    assert_string_equal(now, "2026-11-24T12:00:00Z");
    setenv("CASEAUDIT_NOW", "2024-02-29T23:59:59Z", 1);
    date_now_utc(now);
    assert_string_equal(now, "2024-02-29T23:59:59Z");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_accepted_form),   cmocka_unit_test(test_refusals_say_what_is_expected),
        cmocka_unit_test(test_day_numbers_round_trip), cmocka_unit_test(test_age_in_whole_years),
        cmocka_unit_test(test_add_months_clamps),      cmocka_unit_test(test_now_is_fixed_by_the_environment),
        cmocka_unit_test(test_excel_serials),          cmocka_unit_test(test_two_digit_years),
        cmocka_unit_test(test_cell_accepts_what_date_parse_accepts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
