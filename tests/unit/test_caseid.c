/* Leading-zero twins (SPEC §4, "Ids"): the pairs a spreadsheet makes by dropping zeros
 * (issue 13: 13 children counted twice as 0014628 and 14628), and the near misses that
 * are different children. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "audit/caseid.h"

static void test_twins(void **state)
{
    (void)state;
    static const struct { const char *a, *b; int twins; } t[] = {
        {"0014628", "14628", 1}, {"14628", "0014628", 1}, {"014628", "0014628", 1},
        {"000", "0", 1},         {"00", "000", 1},         {"0A7", "A7", 1},
        /* Not twins: the same id, zeros inside or at the end, another number, empty. */
        {"0014628", "0014628", 0}, {"14628", "14628", 0}, {"146280", "14628", 0},
        {"1004628", "14628", 0},   {"0014629", "14628", 0}, {"A0014628", "A14628", 0},
        {"0", "", 0},              {"", "", 0},           {" 014628", "14628", 0},
    };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++)
        if (caseid_zero_twins(t[i].a, t[i].b) != t[i].twins)
            fail_msg("'%s' and '%s': expected %s", t[i].a, t[i].b, t[i].twins ? "twins" : "not twins");
}

static void test_key_points_into_the_id(void **state)
{
    (void)state;
    const char *id = "0014628";
    assert_ptr_equal(caseid_zero_key(id), id + 2);
    assert_string_equal(caseid_zero_key("000"), "0");
    assert_string_equal(caseid_zero_key("0"), "0");
    assert_string_equal(caseid_zero_key(""), "");
    assert_string_equal(caseid_zero_key("100"), "100");
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_twins), cmocka_unit_test(test_key_points_into_the_id)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
