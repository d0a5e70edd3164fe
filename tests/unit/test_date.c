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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
