/* Auditor assignment (SPEC §6): constraints, capacity, balanced loads found whenever
 * they exist (checked against brute force), refusals that say which cases and why. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "audit/assign.h"

static long spread(const assign_auditor *au, int na)
{
    long min = -1, max = -1;
    for (int a = 0; a < na; a++) {
        if (au[a].capacity >= 0)
            continue;
        min = min < 0 || au[a].load < min ? au[a].load : min;
        max = au[a].load > max ? au[a].load : max;
    }
    return max - min;
}

/* Issue 14, item 4: A3 (T0) is the only one who may take K1 and K3 (T1), so the
 * other auditors without a capacity, A0 and A2, need one case each; the capped A1
 * gets none. The old level-by-level filling gave K2 to A1 and nothing to A2. */
static void test_issue_example(void **state)
{
    (void)state;
    assign_auditor au[] = {{"A0", "T1", -1, 0}, {"A1", "T1", 4, 0}, {"A2", "T1", -1, 0}, {"A3", "T0", -1, 0}};
    assign_case cs[] = {{"K0", "T0", NULL, -1}, {"K1", "T1", NULL, -1}, {"K2", "T2", NULL, -1},
                        {"K3", "T1", NULL, -1}};
    ca_error err = CA_ERROR_INIT;
    assert_int_equal(assign_solve(au, 4, cs, 4, &err), CA_OK);
    assert_int_equal(cs[1].auditor, 3);
    assert_int_equal(cs[3].auditor, 3);
    assert_true((cs[0].auditor == 0 && cs[2].auditor == 2) || (cs[0].auditor == 2 && cs[2].auditor == 0));
    assert_int_equal(au[0].load, 1);
    assert_int_equal(au[1].load, 0);
    assert_int_equal(au[2].load, 1);
    assert_int_equal(au[3].load, 2);
    ca_error_free(&err);
}

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
    ca_error err = CA_ERROR_INIT;
    assert_int_equal(assign_solve(au, 3, cs, 10, &err), CA_OK);
    assert_true(spread(au, 3) <= 1);
    for (int i = 0; i < 10; i++) {
        assert_true(cs[i].auditor >= 0);
        assert_string_not_equal(au[cs[i].auditor].team, cs[i].team);
        assert_string_not_equal(au[cs[i].auditor].name, cs[i].worker);
    }
}

/* South's cases can go only to Ann (3); Cy, the other auditor without a capacity,
 * then holds 2 or 3, and the capped Bob takes his turn with North's cases: a goes
 * to Bob (first by name), b to Cy (least loaded), c to Cy again (with c, Bob would
 * leave Cy 1, below Ann's 3 by two). */
static void test_capacity_and_moves(void **state)
{
    (void)state;
    assign_auditor au[] = {{"Ann", "North", -1, 0}, {"Bob", "South", 2, 0}, {"Cy", "South", -1, 0}};
    assign_case cs[] = {{"a", "North", NULL, -1}, {"b", "North", NULL, -1}, {"c", "North", NULL, -1},
                        {"d", "South", NULL, -1}, {"e", "South", NULL, -1}, {"f", "South", NULL, -1}};
    ca_error err = CA_ERROR_INIT;
    assert_int_equal(assign_solve(au, 3, cs, 6, &err), CA_OK);
    for (int i = 3; i < 6; i++)
        assert_int_equal(cs[i].auditor, 0);
    assert_int_equal(cs[0].auditor, 1);
    assert_int_equal(cs[1].auditor, 2);
    assert_int_equal(cs[2].auditor, 2);
    assert_int_equal(au[0].load, 3);
    assert_int_equal(au[1].load, 1);
    assert_int_equal(au[2].load, 2);
}

/* A capacity is a limit, not a target: 12 cases, two auditors without a capacity and
 * one with 10 take 4 each (filling the capped one first would give it 10). */
static void test_capacity_is_a_limit(void **state)
{
    (void)state;
    assign_auditor au[] = {{"Ann", NULL, -1, 0}, {"Bob", NULL, 10, 0}, {"Cy", NULL, -1, 0}};
    assign_case cs[12];
    char ids[12][8];
    for (int i = 0; i < 12; i++) {
        snprintf(ids[i], sizeof ids[i], "c%d", i);
        cs[i] = (assign_case){ids[i], "T", NULL, -1};
    }
    ca_error err = CA_ERROR_INIT;
    assert_int_equal(assign_solve(au, 3, cs, 12, &err), CA_OK);
    for (int a = 0; a < 3; a++)
        assert_int_equal(au[a].load, 4);
}

static void assert_refused(ca_error *err, assign_case *cs, long nc, const char *msg, int nproblems)
{
    assert_int_equal(err->status, CA_REFUSED);
    assert_string_equal(err->msg, msg);
    assert_int_equal(err->ntotal, nproblems);
    for (long i = 0; i < nc; i++)
        assert_int_equal(cs[i].auditor, -1);
}

static void test_impossible(void **state)
{
    (void)state;
    ca_error err = CA_ERROR_INIT;
    assign_auditor au[] = {{"Ann", "North", -1, 0}, {"Bob", "North", -1, 0}};
    assign_case cs[] = {{"a", "South", NULL, -1}, {"b", "North", "W1", -1}};
    assert_int_equal(assign_solve(au, 2, cs, 2, &err), CA_ERR);
    assert_refused(&err, cs, 2, "nothing was assigned: 1 case could not be placed", 1);
    assert_string_equal(err.problems[0].text,
                        "case b (team North, worker W1): every auditor is in its team or is its worker");
    assert_int_equal(au[0].load + au[1].load, 0);
    ca_error_free(&err);

    assign_auditor full[] = {{"Ann", "North", 1, 0}};
    assign_case two[] = {{"a", "South", NULL, -1}, {"b", "South", NULL, -1}};
    assert_int_equal(assign_solve(full, 1, two, 2, &err), CA_ERR);
    assert_refused(&err, two, 2, "nothing was assigned: 1 case could not be placed", 1);
    assert_string_equal(err.problems[0].text, "case b (team South): the only auditor who could take it, Ann, is at "
                                         "their capacity");
    ca_error_free(&err);
}

/* A valid allocation exists (B1 takes A's four cases) but none with balanced loads:
 * A1 and A2 may take only k5, so nobody without a capacity may hold more than 2.
 * Refused, naming the cases; with A1 and A2 given a capacity it goes through. */
static void test_unbalanced_refused(void **state)
{
    (void)state;
    ca_error err = CA_ERROR_INIT;
    assign_auditor au[] = {{"A1", "A", -1, 0}, {"A2", "A", -1, 0}, {"B1", "B", -1, 0}};
    assign_case cs[] = {{"k1", "A", NULL, -1}, {"k2", "A", NULL, -1}, {"k3", "A", NULL, -1},
                        {"k4", "A", NULL, -1}, {"k5", "B", NULL, -1}};
    assert_int_equal(assign_solve(au, 3, cs, 5, &err), CA_ERR);
    assert_refused(&err, cs, 5,
                   "nothing was assigned: 2 cases could not be placed with loads that differ by at most one among "
                   "auditors without a capacity (an auditor given a capacity is outside that rule)", 2);
    assert_string_equal(err.problems[0].text,
                        "case k3 (team A): A1 can take only 1 of the cases (the others are their team's or their "
                        "own), so with loads within one of each other no auditor without a capacity holds more "
                        "than 2; the only auditor who could take it, B1, would then be full");
    assert_string_equal(err.problems[1].text + strlen("case k4"), err.problems[0].text + strlen("case k3"));
    ca_error_free(&err);

    au[0].capacity = au[1].capacity = 1;
    assert_int_equal(assign_solve(au, 3, cs, 5, &err), CA_OK);
    assert_int_equal(au[2].load, 4);
    assert_int_equal(au[0].load + au[1].load, 1);
    ca_error_free(&err);
}

static void test_deterministic(void **state)
{
    (void)state;
    assign_auditor au[] = {{"Ann", "N", -1, 0}, {"Bob", "S", -1, 0}, {"Cy", "E", -1, 0}};
    assign_case cs[] = {{"a", "N", NULL, -1}, {"b", "S", NULL, -1}, {"c", "E", NULL, -1}, {"d", "N", NULL, -1}};
    ca_error err = CA_ERROR_INIT;
    assert_int_equal(assign_solve(au, 3, cs, 4, &err), CA_OK);
    int first[4];
    for (int i = 0; i < 4; i++)
        first[i] = cs[i].auditor;
    assert_int_equal(assign_solve(au, 3, cs, 4, &err), CA_OK);
    for (int i = 0; i < 4; i++)
        assert_int_equal(cs[i].auditor, first[i]);
}

/* ---- brute force on small random instances ---- */

enum { BF_INSTANCES = 500, BF_MAXA = 4, BF_MAXC = 7 };

typedef struct instance {
    int na, nc;
    assign_auditor au[BF_MAXA];
    assign_case cs[BF_MAXC];
} instance;

static uint64_t rng_state;
static uint64_t rnd(uint64_t n)   /* splitmix64, reduced to 0..n-1 */
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return (z ^ (z >> 31)) % n;
}

static const char *const teams[] = {NULL, "T0", "T1", "T2"};
static const char *const anames[] = {"A0", "A1", "A2", "A3"};
static const char *const cids[] = {"K0", "K1", "K2", "K3", "K4", "K5", "K6"};

/* 2-4 auditors in three teams (a third with a capacity of 0-3), 3-7 cases (a fifth
 * held by one of the auditors): dense enough that the team rules, capacities and
 * balance often collide (the old level-by-level filling missed 11 of the 299
 * balanced ones and assigned 36 of the 201 others unbalanced). */
static void random_instance(instance *in)
{
    in->na = 2 + (int)rnd(BF_MAXA - 1);
    in->nc = 3 + (int)rnd(BF_MAXC - 2);
    for (int a = 0; a < in->na; a++)
        in->au[a] = (assign_auditor){anames[a], teams[1 + rnd(3)], rnd(3) ? -1 : (long)rnd(4), 0};
    for (int i = 0; i < in->nc; i++) {
        const char *worker = rnd(5) == 0 ? anames[rnd((uint64_t)in->na)] : NULL;
        in->cs[i] = (assign_case){cids[i], teams[1 + rnd(3)], worker, -1};
    }
}

/* The rules written out again, independently of the library: not the same team
 * (both named), not the case's own worker. */
static int may_take(const assign_auditor *a, const assign_case *c)
{
    int same_team = a->team && c->team && strcmp(a->team, c->team) == 0;
    int own = c->worker && strcmp(a->name, c->worker) == 0;
    return !same_team && !own;
}

/* Valid and balanced? Then *maxload is the largest load of anyone. */
static int check(const instance *in, const int *who, long *maxload)
{
    long load[BF_MAXA] = {0};
    for (int i = 0; i < in->nc; i++) {
        if (who[i] < 0 || who[i] >= in->na || !may_take(&in->au[who[i]], &in->cs[i]))
            return 0;
        load[who[i]]++;
    }
    long lo = -1, hi = -1, max = 0;
    for (int a = 0; a < in->na; a++) {
        if (in->au[a].capacity >= 0 && load[a] > in->au[a].capacity)
            return 0;
        if (in->au[a].capacity < 0) {
            lo = lo < 0 || load[a] < lo ? load[a] : lo;
            hi = load[a] > hi ? load[a] : hi;
        }
        max = load[a] > max ? load[a] : max;
    }
    *maxload = max;
    return hi - lo <= 1;
}

/* The smallest largest load over all valid balanced allocations, -1 if none. */
static long brute_force(const instance *in)
{
    int who[BF_MAXC] = {0};
    long best = -1, m;
    for (;;) {
        if (check(in, who, &m) && (best < 0 || m < best))
            best = m;
        int i = 0;
        while (i < in->nc && ++who[i] == in->na)
            who[i++] = 0;
        if (i == in->nc)
            return best;
    }
}

static void test_brute_force(void **state)
{
    (void)state;
    rng_state = 20261130;
    int found = 0, none = 0, wrong = 0, missed = 0, reasons[4] = {0};
    static const char *const reason[4] = {"every auditor is in its team or is its worker", "at their capacity",
                                          "would then be full", "no room left for it"};
    for (int k = 0; k < BF_INSTANCES; k++) {
        instance in;
        random_instance(&in);
        long best = brute_force(&in), m = -1;
        ca_error err = CA_ERROR_INIT;
        int rc = assign_solve(in.au, in.na, in.cs, in.nc, &err);
        int who[BF_MAXC];
        for (int i = 0; i < in.nc; i++)
            who[i] = in.cs[i].auditor;
        int ok;
        if (best >= 0) {
            found++;
            /* Valid, balanced, with the smallest largest load, and the loads reported. */
            ok = rc == CA_OK && check(&in, who, &m) && m == best;
            for (int a = 0; ok && a < in.na; a++) {
                long n = 0;
                for (int i = 0; i < in.nc; i++)
                    n += who[i] == a;
                ok = n == in.au[a].load;
            }
        } else {
            none++;
            ok = rc == CA_ERR && err.status == CA_REFUSED && err.ntotal > 0 && err.ntotal == err.nproblems;
            for (int i = 0; ok && i < in.nc; i++)
                ok = who[i] == -1;
            for (int p = 0; ok && p < err.nproblems; p++) {   /* each names a case, and why */
                ok = strncmp(err.problems[p].text, "case K", 6) == 0;
                for (int r = 0; r < 4; r++)
                    reasons[r] += strstr(err.problems[p].text, reason[r]) != NULL;
            }
        }
        missed += !ok && best >= 0;
        if (!ok && wrong++ < 3)
            print_message("instance %d: brute force %s (largest load %ld); assign_solve %s (largest load %ld)\n", k,
                          best >= 0 ? "found one" : "found none", best, rc == CA_OK ? "assigned" : "refused", m);
        ca_error_free(&err);
    }
    print_message("%d instances: %d with a balanced allocation, %d without; %d wrong (%d balanced ones missed)\n",
                  BF_INSTANCES, found, none, wrong, missed);
    print_message("reasons: %d no auditor may, %d capacity, %d one auditor bounds the balance, %d other balance\n",
                  reasons[0], reasons[1], reasons[2], reasons[3]);
    assert_int_equal(wrong, 0);
    for (int r = 0; r < 4; r++)
        assert_true(reasons[r] > 0);   /* every kind of refusal is exercised */
    assert_true(found >= 100 && none >= 50);   /* both sides are really exercised */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_issue_example),
        cmocka_unit_test(test_balanced_and_constrained),
        cmocka_unit_test(test_capacity_and_moves),
        cmocka_unit_test(test_capacity_is_a_limit),
        cmocka_unit_test(test_impossible),
        cmocka_unit_test(test_unbalanced_refused),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_brute_force),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
