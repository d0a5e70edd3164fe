/* Sampling (SPEC §5): keys, seeds and allocation. Expected values are computed by
 * hand from the rules of SAS PROC SURVEYSELECT as §5 states them, or (for the hash)
 * are the published FNV-1a 64 test vectors (Fowler, Noll, Vo: "FNV hash" test suite). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "audit/sample.h"

static void test_fnv1a64_vectors(void **state)
{
    (void)state;
    assert_true(sample_fnv1a64("") == 0xcbf29ce484222325ULL);
    assert_true(sample_fnv1a64("a") == 0xaf63dc4c8601ec8cULL);
    assert_true(sample_fnv1a64("foobar") == 0x85944171f73967e8ULL);
}

/* splitmix64's finaliser: with seed = fnv1a64(id) the XOR is 0, so the key is the
 * first output of splitmix64 seeded with 0, 0xe220a8397b1dcdaf (Vigna's reference
 * implementation, splitmix64.c). */
static void test_key_splitmix(void **state)
{
    (void)state;
    assert_true(sample_key("", 0xcbf29ce484222325ULL) == 0xe220a8397b1dcdafULL);
    assert_true(sample_key("a", 0xaf63dc4c8601ec8cULL) == 0xe220a8397b1dcdafULL);
    assert_true(sample_key("1001", 1) != sample_key("1001", 2));
}

static void test_seed(void **state)
{
    (void)state;
    uint64_t s;
    char hex[17];
    assert_int_equal(sample_seed_parse("1234", &s), CA_OK);
    sample_seed_format(s, hex);
    assert_string_equal(hex, "00000000000004d2");
    assert_int_equal(sample_seed_parse("0x4D2", &s), CA_OK);
    assert_true(s == 1234);
    assert_int_equal(sample_seed_parse("18446744073709551615", &s), CA_OK);
    assert_true(s == UINT64_MAX);
    assert_int_equal(sample_seed_parse("18446744073709551616", &s), CA_ERR);
    assert_int_equal(sample_seed_parse("-1", &s), CA_ERR);
    assert_int_equal(sample_seed_parse("12ab", &s), CA_ERR);
    assert_int_equal(sample_seed_parse("0x", &s), CA_ERR);
    assert_int_equal(sample_seed_parse("", &s), CA_ERR);
}

static void alloc_ok(enum sample_alloc m, long n, int k, int H, const long *N, const double *sd, const long *want)
{
    long out[16];
    ca_error err = CA_ERROR_INIT;
    assert_int_equal(sample_allocate(m, n, k, H, N, sd, NULL, out, &err), CA_OK);
    long sum = 0;
    for (int h = 0; h < H; h++) {
        if (out[h] != want[h])
            fail_msg("stratum %d: got %ld, expected %ld", h, out[h], want[h]);
        sum += out[h];
    }
    assert_int_equal(sum, n);
}

static void test_proportional(void **state)
{
    (void)state;
    /* 10 of 100 over 50/30/20: exactly 5/3/2. */
    long N1[] = {50, 30, 20}, w1[] = {5, 3, 2};
    alloc_ok(ALLOC_PROPORTIONAL, 10, 1, 3, N1, NULL, w1);
    /* 10 of 1000 over 990/5/5: targets 9.9/0.05/0.05 -> the small strata are raised to K=1,
     * the rest (8) goes to the big one. */
    long N2[] = {990, 5, 5}, w2[] = {8, 1, 1};
    alloc_ok(ALLOC_PROPORTIONAL, 10, 1, 3, N2, NULL, w2);
    /* Caps: 20 over 2/100/100: target 0.198 raised to 1... with K=2: 2 fixed at N_h=2, the
     * rest 18 split 9/9. */
    long N3[] = {2, 100, 100}, w3[] = {2, 9, 9};
    alloc_ok(ALLOC_PROPORTIONAL, 20, 2, 3, N3, NULL, w3);
    /* Largest remainder: 7 over 40/35/25 = 2.8/2.45/1.75 -> floors 2/2/1, two left over go to
     * .8 and .75. */
    long N4[] = {40, 35, 25}, w4[] = {3, 2, 2};
    alloc_ok(ALLOC_PROPORTIONAL, 7, 1, 3, N4, NULL, w4);
    /* Ties in the fraction go to the larger N_h: 3 over 10/30/20 = 0.5/1.5/1.0 -> 0/1/1 and
     * one more between .5 (N 10) and .5 (N 30): the larger, stratum 2. But stratum 1 is raised to K=1
     * first: 1 fixed, then 2 over 30/20 = 1.2/0.8 -> 1/0 + one to .8 -> 1/1. */
    long N5[] = {10, 30, 20}, w5[] = {1, 1, 1};
    alloc_ok(ALLOC_PROPORTIONAL, 3, 1, 3, N5, NULL, w5);
    /* Ties with K=0: 2 over 10/10/20 -> 0.5/0.5/1 -> 0/0/1 + one unit to the tie of .5 and .5 at
     * equal N_h: the earlier stratum. */
    long N6[] = {10, 10, 20}, w6[] = {1, 0, 1};
    alloc_ok(ALLOC_PROPORTIONAL, 2, 0, 3, N6, NULL, w6);
    /* Fraction tie broken by the larger N_h: 2 over 10/30/20 with K=0 -> 1/3, 1, 2/3 ... 0.333/1/0.667:
     * floors 0/1/0, one left to .667. */
    long N7[] = {10, 30, 20}, w7[] = {0, 1, 1};
    alloc_ok(ALLOC_PROPORTIONAL, 2, 0, 3, N7, NULL, w7);
}

static void test_equal(void **state)
{
    (void)state;
    /* 12 over 4 strata, one with only 2 cases: 2 fixed, 10 left over 3 -> 3.33 each -> 3/3/3 + 1
     * to the largest N_h among the tied fractions (100). */
    long N[] = {50, 2, 100, 60}, want[] = {3, 2, 4, 3};
    alloc_ok(ALLOC_EQUAL, 12, 1, 4, N, NULL, want);
}

static void test_neyman(void **state)
{
    (void)state;
    /* S_h from history: fewer than 5 audits use P = 0.5 (S = 0.5); P = 0 floors at 0.1;
     * P = 0.2 gives 0.4. */
    assert_float_equal(sample_neyman_sd(4, 4), 0.5, 1e-12);
    assert_float_equal(sample_neyman_sd(10, 0), 0.1, 1e-12);
    assert_float_equal(sample_neyman_sd(10, 2), 0.4, 1e-12);
    assert_float_equal(sample_neyman_sd(0, 0), 0.5, 1e-12);
    /* 10 over N 100/100 with S 0.4/0.1: weights 40/10 -> 8/2. */
    long N[] = {100, 100}, want[] = {8, 2};
    double sd[] = {0.4, 0.1};
    alloc_ok(ALLOC_NEYMAN, 10, 1, 2, N, sd, want);
}

static void test_infeasible(void **state)
{
    (void)state;
    long N[] = {5, 5, 5}, out[3];
    ca_error err = CA_ERROR_INIT;
    assert_int_equal(sample_allocate(ALLOC_PROPORTIONAL, 16, 1, 3, N, NULL, NULL, out, &err), CA_ERR);
    assert_int_equal(err.status, CA_REFUSED);
    assert_string_equal(err.msg, "--size 16 is more than the 15 eligible cases");
    assert_int_equal(sample_allocate(ALLOC_PROPORTIONAL, 5, 2, 3, N, NULL, NULL, out, &err), CA_ERR);
    assert_string_equal(err.msg, "--min-per-stratum 2 over 3 strata needs 6 cases, more than --size 5: lower "
                                 "--min-per-stratum or use fewer strata");
}

static void test_dims(void **state)
{
    (void)state;
    sample_design d;
    ca_error err = CA_ERROR_INIT;
    assert_int_equal(sample_dims_parse("team,plan", &d, &err), CA_OK);
    assert_int_equal(d.ndims, 2);
    assert_int_equal(d.dims[0], DIM_TEAM);
    assert_int_equal(sample_dims_parse("plan,plan", &d, &err), CA_ERR);
    assert_int_equal(sample_dims_parse("region", &d, &err), CA_ERR);
    assert_int_equal(err.status, CA_USAGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fnv1a64_vectors), cmocka_unit_test(test_key_splitmix), cmocka_unit_test(test_seed),
        cmocka_unit_test(test_proportional),    cmocka_unit_test(test_equal),        cmocka_unit_test(test_neyman),
        cmocka_unit_test(test_infeasible),      cmocka_unit_test(test_dims),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
