/* The pick rule of SPEC §8, outcomes, and reporting periods (§9). Expected values
 * are worked by hand from the rules as the spec states them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "moderation/outcome.h"
#include "moderation/period.h"
#include "moderation/pick.h"

static long count(const pick_audit *a, long n, const char *auditor, enum pick_reason why)
{
    long c = 0;
    for (long i = 0; i < n; i++)
        c += strcmp(a[i].auditor, auditor) == 0 && a[i].picked == why;
    return c;
}

static void test_rate_rounds_up(void **state)
{
    (void)state;
    /* Ann 5 audits at 0.25: ceil(1.25) = 2. Bob 4: ceil(1.0) = 1, exactly. Cy 1: max(1, 0.25) = 1. */
    pick_audit a[] = {{"a1", "Ann", 2, 50, 0}, {"a2", "Ann", 3, 10, 0}, {"a3", "Ann", 3, 40, 0},
                      {"a4", "Ann", 2, 20, 0}, {"a5", "Ann", 2, 30, 0}, {"b1", "Bob", 2, 5, 0},
                      {"b2", "Bob", 2, 6, 0},  {"b3", "Bob", 2, 7, 0},  {"b4", "Bob", 2, 8, 0},
                      {"c1", "Cy", 4, 1, 0}};
    pick_choose(a, 10, 0.25, 0);
    assert_int_equal(count(a, 10, "Ann", PICK_SAMPLE), 2);
    assert_int_equal(a[1].picked, PICK_SAMPLE); /* the two smallest keys: 10 and 20 */
    assert_int_equal(a[3].picked, PICK_SAMPLE);
    assert_int_equal(count(a, 10, "Bob", PICK_SAMPLE), 1);
    assert_int_equal(a[5].picked, PICK_SAMPLE);
    assert_int_equal(count(a, 10, "Cy", PICK_SAMPLE), 1);
}

static void test_all_inadequate(void **state)
{
    (void)state;
    /* Ann: 4 audits, 2 inadequate. All inadequate picked, plus max(1, ceil(0.25 x 4)) = 1 other. */
    pick_audit a[] = {{"a1", "Ann", 4, 1, 0}, {"a2", "Ann", 4, 2, 0}, {"a3", "Ann", 2, 9, 0}, {"a4", "Ann", 3, 3, 0}};
    pick_choose(a, 4, 0.25, 1);
    assert_int_equal(a[0].picked, PICK_INADEQUATE);
    assert_int_equal(a[1].picked, PICK_INADEQUATE);
    assert_int_equal(a[3].picked, PICK_SAMPLE);
    assert_int_equal(a[2].picked, PICK_NONE);
    /* Fewer others than the quota: all of them. Rate 1: everything. */
    pick_audit b[] = {{"b1", "Bob", 4, 1, 0}, {"b2", "Bob", 2, 2, 0}};
    pick_choose(b, 2, 1.0, 1);
    assert_int_equal(b[0].picked, PICK_INADEQUATE);
    assert_int_equal(b[1].picked, PICK_SAMPLE);
    /* Without --all-inadequate an inadequate audit is just another audit. */
    pick_choose(b, 2, 0.25, 0);
    assert_int_equal(b[0].picked, PICK_SAMPLE);
    assert_int_equal(b[1].picked, PICK_NONE);
}

static void test_key_ties_by_case_id(void **state)
{
    (void)state;
    pick_audit a[] = {{"z", "Ann", 2, 7, 0}, {"m", "Ann", 2, 7, 0}, {"q", "Ann", 2, 9, 0}};
    pick_choose(a, 3, 0.25, 0);
    assert_int_equal(a[1].picked, PICK_SAMPLE);
    assert_int_equal(a[0].picked, PICK_NONE);
}

static void test_outcome(void **state)
{
    (void)state;
    assert_int_equal(outcome_of(2, 3), CA_DOWNGRADED);
    assert_int_equal(outcome_of(3, 2), CA_UPGRADED);
    assert_int_equal(outcome_of(2, 2), CA_AGREED);
    assert_string_equal(outcome_name(CA_DOWNGRADED), "downgraded");
}

static void test_periods(void **state)
{
    (void)state;
    ca_period p, q;
    char why[160], a[CA_DATE_ISO_LEN], b[CA_DATE_ISO_LEN];
    assert_int_equal(period_parse_quarter("2026Q3", &p, why, sizeof why), CA_OK);
    date_iso(p.from, a), date_iso(p.to, b);
    assert_string_equal(a, "2026-07-01");
    assert_string_equal(b, "2026-09-30");
    /* 2026/27Q2 is also July to September 2026; Q4 is January to March 2027. */
    assert_int_equal(period_parse_quarter("2026/27Q2", &q, why, sizeof why), CA_OK);
    assert_int_equal(q.from, p.from);
    assert_int_equal(q.to, p.to);
    assert_int_equal(period_parse_quarter("2026/27Q4", &q, why, sizeof why), CA_OK);
    date_iso(q.from, a), date_iso(q.to, b);
    assert_string_equal(a, "2027-01-01");
    assert_string_equal(b, "2027-03-31");
    /* The trend: three quarters back, labelled alike, across a year end. */
    period_previous(&p, 3, &q);
    assert_string_equal(q.label, "2025Q4");
    date_iso(q.from, a);
    assert_string_equal(a, "2025-10-01");
    assert_int_equal(period_parse_quarter("2026/27Q1", &p, why, sizeof why), CA_OK);
    period_previous(&p, 1, &q);
    assert_string_equal(q.label, "2025/26Q4");
    date_iso(q.from, a);
    assert_string_equal(a, "2026-01-01");
    assert_int_equal(period_parse_quarter("2026Q5", &p, why, sizeof why), CA_ERR);
    assert_int_equal(period_parse_quarter("2026/28Q1", &p, why, sizeof why), CA_ERR);
    assert_non_null(strstr(why, "2026/27"));
    assert_int_equal(period_parse_quarter("Q3 2026", &p, why, sizeof why), CA_ERR);
    assert_int_equal(period_parse_quarter("2026Q3x", &p, why, sizeof why), CA_ERR);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rate_rounds_up), cmocka_unit_test(test_all_inadequate),
        cmocka_unit_test(test_key_ties_by_case_id), cmocka_unit_test(test_outcome), cmocka_unit_test(test_periods),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
