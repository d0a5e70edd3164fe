/* The statistics of SPEC §9, each against a published or independently computed value. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "moderation/stats.h"

/* Newcombe (1998), "Two-sided confidence intervals for the single proportion",
 * Statistics in Medicine 17:857-872, Table I, method 3 (Wilson score, no continuity
 * correction), and SPEC §9's own example (27 of 125: 0.216, 0.153, 0.296). */
static void test_wilson_newcombe(void **state)
{
    (void)state;
    static const struct { long k, n; double lo, hi; } t[] = {
        {81, 263, 0.2553, 0.3662}, {15, 148, 0.0624, 0.1605}, {0, 20, 0.0, 0.1611}, {1, 29, 0.0061, 0.1718},
        {27, 125, 0.1529, 0.2960},
    };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        stats_prop p = stats_wilson(t[i].k, t[i].n);
        assert_true(p.estimable);
        assert_float_equal(p.lo, t[i].lo, 0.00006);
        assert_float_equal(p.hi, t[i].hi, 0.00006);
        assert_float_equal(p.p, (double)t[i].k / (double)t[i].n, 1e-15);
    }
    stats_prop none = stats_wilson(0, 0);
    assert_false(none.estimable);
}

/* Cochran (1977) eq. 5.26, worked by hand: N = 100, 300; n = 10, 20; k = 2, 10.
 * W = .25, .75; p = .2, .5; p-hat = .425;
 * v = .0625 x .9 x .16/9 + .5625 x (1 - 20/300) x .25/19 = .0079079, se = .0889263. */
static void test_stratified_cochran(void **state)
{
    (void)state;
    stats_stratum s[] = {{100, 10, 2}, {300, 20, 10}, {50, 0, 0}};
    stats_estimate e = stats_stratified(s, 3);
    assert_true(e.estimable);
    assert_float_equal(e.p, 0.425, 1e-12);
    assert_float_equal(e.se, 0.0889263, 1e-6);
    assert_float_equal(e.lo, 0.425 - 1.959964 * 0.0889263, 1e-6);
    /* A stratum with one audit: the share is given, its variance is not estimable. */
    stats_stratum one[] = {{100, 10, 2}, {300, 1, 1}};
    e = stats_stratified(one, 2);
    assert_false(e.estimable);
    assert_true(e.any);
    assert_float_equal(e.p, 0.25 * 0.2 + 0.75 * 1.0, 1e-12);
    stats_stratum empty[] = {{100, 0, 0}};
    e = stats_stratified(empty, 1);
    assert_false(e.any);
    /* A census of every stratum has no sampling error. */
    stats_stratum census[] = {{10, 10, 3}};
    e = stats_stratified(census, 1);
    assert_float_equal(e.se, 0.0, 1e-15);
}

/* R's survey package (svymean, survey.lonely.psu = "adjust"), on the designs of
 * tests/data/stats/lonely_psu.R; its output is included here as C initialisers. */
static const struct {
    const char *name;
    int H;
    stats_stratum s[16];
    double p, se;
    int lonely;
} lonely_psu[] = {
#include "tests/data/stats/lonely_psu.expected"
};

static void test_stratified_adjust_as_r_survey(void **state)
{
    (void)state;
    assert_true(sizeof lonely_psu / sizeof *lonely_psu >= 10);
    for (size_t i = 0; i < sizeof lonely_psu / sizeof *lonely_psu; i++) {
        stats_estimate e = stats_stratified_adjust(lonely_psu[i].s, lonely_psu[i].H);
        if (!e.estimable || fabs(e.p - lonely_psu[i].p) > 1e-9 || fabs(e.se - lonely_psu[i].se) > 1e-9 ||
            e.lonely != lonely_psu[i].lonely)
            fail_msg("%s: p %.17g se %.17g lonely %d (estimable %d); R: p %.17g se %.17g lonely %d",
                     lonely_psu[i].name, e.p, e.se, e.lonely, e.estimable, lonely_psu[i].p, lonely_psu[i].se,
                     lonely_psu[i].lonely);
        assert_float_equal(e.lo, fmax(0, e.p - 1.959964 * e.se), 1e-15);
        assert_float_equal(e.hi, fmin(1, e.p + 1.959964 * e.se), 1e-15);
        /* A stratum without audits changes nothing (it is left out, the weights renormalised). */
        stats_stratum more[17];
        memcpy(more, lonely_psu[i].s, sizeof lonely_psu[i].s);
        more[lonely_psu[i].H] = (stats_stratum){500, 0, 0};
        stats_estimate e2 = stats_stratified_adjust(more, lonely_psu[i].H + 1);
        assert_float_equal(e2.p, e.p, 1e-15);
        assert_float_equal(e2.se, e.se, 1e-15);
    }
}

/* The lonely term by hand: N = 100, 300; n = 10, 1; k = 2, 1. W = .25, .75; p = .8;
 * v = .0625 x .9 x .16/9 + .5625 x (299/300) x (1 - .8)^2 = .001 + .022425 = .023425,
 * se = .15305227865... (and R above). The edges R has no answer for or that need none. */
static void test_stratified_adjust_edges(void **state)
{
    (void)state;
    stats_stratum one[] = {{100, 10, 2}, {300, 1, 1}};
    stats_estimate e = stats_stratified_adjust(one, 2);
    assert_true(e.estimable && e.any);
    assert_int_equal(e.lonely, 1);
    assert_float_equal(e.p, 0.8, 1e-15);
    assert_float_equal(e.se, sqrt(0.023425), 1e-15);
    /* One audit in all: the share, but no interval (survey refuses the design). */
    stats_stratum single[] = {{10, 1, 1}, {40, 0, 0}};
    e = stats_stratified_adjust(single, 2);
    assert_true(e.any);
    assert_false(e.estimable);
    assert_float_equal(e.p, 1.0, 0);
    stats_stratum none[] = {{10, 0, 0}, {40, 0, 0}};
    e = stats_stratified_adjust(none, 2);
    assert_false(e.any);
    assert_false(e.estimable);
    e = stats_stratified_adjust(NULL, 0);
    assert_false(e.any);
    /* More audits than the frame (a frame that shrank) is a census: no variance, as n = N. */
    stats_stratum over[] = {{3, 4, 1}, {3, 3, 1}};
    e = stats_stratified_adjust(over, 2);
    assert_true(e.estimable);
    assert_float_equal(e.se, 0.0, 0);
    /* Without lonely strata it is Cochran's estimate, as stats_stratified gives it. */
    stats_stratum s[] = {{100, 10, 2}, {300, 20, 10}, {50, 0, 0}};
    e = stats_stratified_adjust(s, 3);
    assert_float_equal(e.se, 0.0889263, 1e-6);
    assert_float_equal(e.se, stats_stratified(s, 3).se, 1e-15);
}

/* Cohen's kappa: the worked example of 50 pairs (20, 5 / 10, 15) gives 0.4 (p_o .7,
 * p_e .5; e.g. Wikipedia, "Cohen's kappa", Examples). Standard errors and the 4x4
 * values were computed independently in Python with exact fractions from Fleiss,
 * Levin & Paik (2003) eq. 18.15-18.16 (script in the commit message of this test). */
static void test_kappa(void **state)
{
    (void)state;
    const long two[4][4] = {{20, 5, 0, 0}, {10, 15, 0, 0}, {0, 0, 0, 0}, {0, 0, 0, 0}};
    stats_kappa_result k = stats_kappa(two, 0);
    assert_true(k.estimable);
    assert_float_equal(k.value, 0.4, 1e-12);
    assert_float_equal(k.se, 0.12699606293110036, 1e-12);
    const long t[4][4] = {{2, 1, 0, 0}, {1, 20, 6, 0}, {0, 2, 30, 3}, {0, 0, 1, 9}};
    k = stats_kappa(t, 0);
    assert_float_equal(k.value, 0.7067039106145251, 1e-12);
    assert_float_equal(k.se, 0.070857301037385, 1e-12);
    assert_float_equal(k.lo, 0.7067039106145251 - 1.959964 * 0.070857301037385, 1e-12);
    k = stats_kappa(t, 1);
    assert_float_equal(k.value, 0.7657295850066934, 1e-12);
    assert_float_equal(k.se, 0.05815928929036437, 1e-12);
    const long same[4][4] = {{0, 0, 0, 0}, {0, 9, 0, 0}, {0, 0, 0, 0}, {0, 0, 0, 0}};
    assert_false(stats_kappa(same, 0).estimable);
    const long none[4][4] = {{0}};
    assert_false(stats_kappa(none, 1).estimable);
}

/* Exact binomial tails: 8 of 10 -> 56/1024; 10 of 10 -> 1/1024; 5 of 10 -> 638/1024;
 * 17 of 21 -> 7547/2097152; 520 of 1000 -> 0.10872414660207047 (Python, math.comb and
 * fractions.Fraction, exact). */
static void test_sign_test(void **state)
{
    (void)state;
    assert_float_equal(stats_sign_test(8, 2), 56.0 / 1024, 1e-15);
    assert_float_equal(stats_sign_test(10, 0), 1.0 / 1024, 1e-15);
    assert_float_equal(stats_sign_test(5, 5), 638.0 / 1024, 1e-14);
    assert_float_equal(stats_sign_test(17, 4), 0.0035986900329589844, 1e-15);
    assert_float_equal(stats_sign_test(520, 480), 0.10872414660207047, 1e-12);
    assert_float_equal(stats_sign_test(0, 0), 1.0, 0);
    assert_float_equal(stats_sign_test(0, 7), 1.0, 0);
    double big = stats_sign_test(600000, 400000);
    assert_true(big >= 0 && big < 1e-300);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wilson_newcombe), cmocka_unit_test(test_stratified_cochran),
        cmocka_unit_test(test_stratified_adjust_as_r_survey), cmocka_unit_test(test_stratified_adjust_edges),
        cmocka_unit_test(test_kappa), cmocka_unit_test(test_sign_test),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
