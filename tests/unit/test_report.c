/* The report model's suppression (SPEC §9): primary, derived and secondary, on
 * breakdowns built by hand so that every expected cell is worked out below. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "moderation/report.h"

/* One breakdown of n levels: audits and final grades per level, moderated,
 * downgraded; the report's totals are the columns' sums. */
static void fill(report *r, report_level *lv, int n, const long rows[][7])
{
    memset(r, 0, sizeof *r);
    r->nby = 1;
    r->by[0] = (report_breakdown){BY_AUDITOR, n, lv};
    for (int i = 0; i < n; i++) {
        memset(&lv[i], 0, sizeof lv[i]);
        lv[i].audits = rows[i][0];
        for (int g = 1; g <= 4; g++)
            lv[i].final[g] = rows[i][g];
        lv[i].moderated = rows[i][5], lv[i].downgraded = rows[i][6];
        r->audits += lv[i].audits;
        for (int g = 1; g <= 4; g++)
            r->final[g] += lv[i].final[g];
        r->moderated += lv[i].moderated, r->downgraded += lv[i].downgraded;
    }
}

/* The defect of issue 12: 10 moderated, 1 downgraded. The count is hidden and so is
 * the rate (0.1 times 10 would give it back). */
static void test_rate_of_hidden_count(void **state)
{
    (void)state;
    static const long rows[][7] = {{20, 0, 10, 10, 0, 10, 1}, {20, 0, 10, 10, 0, 10, 6}};
    report r;
    report_level lv[2];
    fill(&r, lv, 2, rows);
    report_suppress(&r, 5);
    assert_int_equal(r.suppress_below, 5);
    assert_true(report_hidden(&lv[0], REPORT_HIDE_DOWNGRADED));
    assert_true(report_hidden(&lv[0], REPORT_HIDE_RATE));
    /* the column downgraded (total 7 shown) would give it back: the next-smallest, 6, goes too */
    assert_true(report_hidden(&lv[1], REPORT_HIDE_DOWNGRADED));
    assert_true(report_hidden(&lv[1], REPORT_HIDE_RATE));
    assert_false(report_hidden(&lv[0], REPORT_HIDE_MODERATED));
    assert_false(report_hidden(&lv[0], REPORT_HIDE_AUDITS));
    assert_false(report_hidden(&lv[0], REPORT_HIDE_SHARE(2)));
}

/* A row with one small grade: the smallest other grade of the row goes too (a 0,
 * Outstanding), and then the columns of both need a second hidden cell each. */
static void test_secondary_row_and_columns(void **state)
{
    (void)state;
    static const long rows[][7] = {
        {12, 0, 3, 9, 0, 0, 0},   /* Good 3: primary */
        {20, 2, 8, 6, 4, 0, 0},   /* Outstanding 2, Inadequate 4: primary */
        {30, 1, 9, 10, 10, 0, 0}, /* Outstanding 1: primary */
    };
    report r;
    report_level lv[3];
    fill(&r, lv, 3, rows);
    report_suppress(&r, 5);
    /* primaries */
    assert_true(report_hidden(&lv[0], REPORT_HIDE_FINAL(2)));
    assert_true(report_hidden(&lv[1], REPORT_HIDE_FINAL(1)) && report_hidden(&lv[1], REPORT_HIDE_FINAL(4)));
    assert_true(report_hidden(&lv[2], REPORT_HIDE_FINAL(1)));
    /* row 0: Good alone hidden beside its shown 12: the smallest shown grade (Outstanding 0) */
    assert_true(report_hidden(&lv[0], REPORT_HIDE_FINAL(1)));
    /* row 2: Outstanding alone: the smallest of 9, 10, 10 is Good 9 */
    assert_true(report_hidden(&lv[2], REPORT_HIDE_FINAL(2)));
    /* column Good: rows 0 and 2 hidden, row 1 shown: two hidden, done */
    assert_false(report_hidden(&lv[1], REPORT_HIDE_FINAL(2)));
    /* column Inadequate: row 1 alone: the smallest other, row 0's 0 */
    assert_true(report_hidden(&lv[0], REPORT_HIDE_FINAL(4)));
    /* every row and column now has 0 or at least 2 hidden cells */
    for (int i = 0; i < 3; i++) {
        int h = report_hidden(&lv[i], REPORT_HIDE_AUDITS);
        for (int g = 1; g <= 4; g++)
            h += report_hidden(&lv[i], REPORT_HIDE_FINAL(g));
        assert_true(h != 1);
    }
    for (int g = 1; g <= 4; g++) {
        int h = 0;
        for (int i = 0; i < 3; i++)
            h += report_hidden(&lv[i], REPORT_HIDE_FINAL(g));
        assert_true(h != 1);
        for (int i = 0; i < 3; i++)
            assert_int_equal(report_hidden(&lv[i], REPORT_HIDE_SHARE(g)), report_hidden(&lv[i], REPORT_HIDE_FINAL(g)));
    }
    /* counts of 0 are not small: nothing moderated, nothing hidden there */
    assert_false(report_hidden(&lv[0], REPORT_HIDE_MODERATED) || report_hidden(&lv[0], REPORT_HIDE_RATE));
}

/* A small total hides every share of its row, and K 0 hides nothing. */
static void test_small_total_and_none(void **state)
{
    (void)state;
    static const long rows[][7] = {{3, 0, 0, 3, 0, 3, 3}, {40, 10, 10, 10, 10, 40, 20}, {45, 5, 10, 15, 15, 0, 0}};
    report r;
    report_level lv[3];
    fill(&r, lv, 3, rows);
    report_suppress(&r, 5);
    for (int g = 1; g <= 4; g++)
        assert_true(report_hidden(&lv[0], REPORT_HIDE_SHARE(g)));
    assert_true(report_hidden(&lv[0], REPORT_HIDE_AUDITS) && report_hidden(&lv[0], REPORT_HIDE_RATE));
    /* column audits: the next-smallest level, 40 */
    assert_true(report_hidden(&lv[1], REPORT_HIDE_AUDITS));
    assert_false(report_hidden(&lv[2], REPORT_HIDE_AUDITS));
    report_suppress(&r, 0);
    for (int i = 0; i < 3; i++)
        assert_int_equal(lv[i].hidden, 0);
    assert_int_equal(r.suppress_below, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rate_of_hidden_count),
        cmocka_unit_test(test_secondary_row_and_columns),
        cmocka_unit_test(test_small_total_and_none),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
