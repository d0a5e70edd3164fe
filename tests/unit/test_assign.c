/* Auditor assignment (SPEC §6): constraints, capacity, level loads, impossibility. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "audit/assign.h"

static void test_balanced_and_constrained(void **state)
{
    (void)state;
    assign_auditor au[] = {{"Ann", "North", -1, 0}, {"Bob", "South", -1, 0}, {"Cy", "East", -1, 0}};
    assign_case cs[10];
    char ids[10][8];
    for (int i = 0; i < 10; i++) {
        snprintf(ids[i], sizeof ids[i], "c%d", i);
        cs[i] = (assign_case){ids[i], i < 5 ? "North" : "South", i == 9 ? "Cy" : "W", -1};
    }
    assert_int_equal(assign_solve(au, 3, cs, 10), 0);
    long min = 99, max = 0;
    for (int a = 0; a < 3; a++) {
        min = au[a].load < min ? au[a].load : min;
        max = au[a].load > max ? au[a].load : max;
    }
    assert_true(max - min <= 1);
    for (int i = 0; i < 10; i++) {
        assert_true(cs[i].auditor >= 0);
        assert_string_not_equal(au[cs[i].auditor].team, cs[i].team);
        assert_string_not_equal(au[cs[i].auditor].name, cs[i].worker);
    }
}

/* Only Cy can take North's cases once Bob is full: an augmenting path is needed
 * to keep everyone placed. */
static void test_capacity_and_moves(void **state)
{
    (void)state;
    assign_auditor au[] = {{"Ann", "North", -1, 0}, {"Bob", "South", 2, 0}, {"Cy", "South", -1, 0}};
    assign_case cs[] = {{"a", "North", NULL, -1}, {"b", "North", NULL, -1}, {"c", "North", NULL, -1},
                        {"d", "South", NULL, -1}, {"e", "South", NULL, -1}, {"f", "South", NULL, -1}};
    assert_int_equal(assign_solve(au, 3, cs, 6), 0);
    assert_true(au[1].load <= 2);
    for (int i = 3; i < 6; i++)
        assert_int_equal(cs[i].auditor, 0); /* only Ann is outside South */
    assert_int_equal(au[0].load, 3);
}

static void test_impossible(void **state)
{
    (void)state;
    assign_auditor au[] = {{"Ann", "North", -1, 0}, {"Bob", "North", -1, 0}};
    assign_case cs[] = {{"a", "South", NULL, -1}, {"b", "North", NULL, -1}};
    assert_int_equal(assign_solve(au, 2, cs, 2), 1);
    assert_int_equal(cs[1].auditor, -1);
    assign_auditor full[] = {{"Ann", "North", 1, 0}};
    assign_case two[] = {{"a", "South", NULL, -1}, {"b", "South", NULL, -1}};
    assert_int_equal(assign_solve(full, 1, two, 2), 1);
}

static void test_deterministic(void **state)
{
    (void)state;
    assign_auditor au[] = {{"Ann", "N", -1, 0}, {"Bob", "S", -1, 0}, {"Cy", "E", -1, 0}};
    assign_case cs[] = {{"a", "N", NULL, -1}, {"b", "S", NULL, -1}, {"c", "E", NULL, -1}, {"d", "N", NULL, -1}};
    assert_int_equal(assign_solve(au, 3, cs, 4), 0);
    int first[4];
    for (int i = 0; i < 4; i++)
        first[i] = cs[i].auditor;
    assert_int_equal(assign_solve(au, 3, cs, 4), 0);
    for (int i = 0; i < 4; i++)
        assert_int_equal(cs[i].auditor, first[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_balanced_and_constrained),
        cmocka_unit_test(test_capacity_and_moves),
        cmocka_unit_test(test_impossible),
        cmocka_unit_test(test_deterministic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
