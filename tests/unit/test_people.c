/* The people register: name and team keys, the edit distance behind "did you mean",
 * the register's lookups and role checks, and migration 8 (the old auditor table's
 * people move into the register as auditors). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/people.h"
#include "audit/store/db.h"
#include "audit/store/schema.h"

static void test_name_key(void **state)
{
    (void)state;
    char k[64];
    people_key("  Owen   DRISCOLL ", k, sizeof k);
    assert_string_equal(k, "owen driscoll");
    people_key("Niall O\xe2\x80\x99Neill", k, sizeof k);   /* bytes past ASCII kept as they are */
    assert_string_equal(k, "niall o\xe2\x80\x99neill");
    people_key("\t\n", k, sizeof k);
    assert_string_equal(k, "");
    people_key("abcdef", k, 4);                          /* truncated, always terminated */
    assert_string_equal(k, "abc");
}

static void test_team_key(void **state)
{
    (void)state;
    char a[64], b[64];
    /* hyphen, en dash (U+2013), em dash (U+2014), minus (U+2212): "only dashes differ" */
    const char *dashes[] = {"Early Help - Locality East", "Early Help \xe2\x80\x93 Locality East",
                            "Early Help\xe2\x80\x94Locality East", "early help \xe2\x88\x92 locality  east"};
    people_team_key(dashes[0], a, sizeof a);
    assert_string_equal(a, "earlyhelplocalityeast");
    for (int i = 1; i < 4; i++) {
        people_team_key(dashes[i], b, sizeof b);
        assert_string_equal(a, b);
    }
    people_team_key("Youth Justice & Exploitation", a, sizeof a);
    people_team_key("youth justice and exploitation", b, sizeof b);
    assert_string_equal(a, b);
    people_team_key("Children in Need, East", a, sizeof a);   /* a comma is not a dash: it stays */
    assert_string_equal(a, "childreninneed,east");
}

static void test_distance(void **state)
{
    (void)state;
    /* Levenshtein distances worked by hand. */
    assert_int_equal(people_distance("kitten", "sitting"), 3);
    assert_int_equal(people_distance("niall o'neill", "niall oneill"), 1);   /* the apostrophe left out */
    assert_int_equal(people_distance("", "abc"), 3);
    assert_int_equal(people_distance("same", "same"), 0);
}

static void test_require(void **state)
{
    (void)state;
    ca_person p[3] = {
        {1, "Ann Smith", "ann smith", "Team A;Team B", NULL, ROLE_AUDITOR | ROLE_MANAGER, -1, 1},
        {2, "Bob Jones", "bob jones", "", NULL, ROLE_AUDITOR, 4, 0},
        {3, "Niall O'Neill", "niall o'neill", "Team C", NULL, ROLE_AUDITOR, -1, 1},
    };
    ca_people reg = {3, p};
    ca_error err = CA_ERROR_INIT;
    ca_where none = {NULL, NULL, 0}, file = {"x.csv", NULL, 3};
    assert_ptr_equal(people_require(&reg, " ANN  smith", ROLE_MANAGER, &none, "moderator", &err), &p[0]);
    assert_int_equal(err.ntotal, 0);
    assert_null(people_require(&reg, "Niall ONeill", ROLE_AUDITOR, &file, "auditor", &err));
    assert_string_equal(err.problems[0].column, "auditor"); /* a web form puts it beside its field */
    assert_int_equal(err.problems[0].line, 3);
    assert_string_equal(err.problems[0].text, "x.csv:3: column \"auditor\": \"Niall ONeill\" is not in the people register (did you mean \"Niall "
                                         "O'Neill\"?): check the spelling, or add them with 'caseaudit people import "
                                         "FILE' (role auditor)");
    assert_null(people_require(&reg, "bob jones", ROLE_AUDITOR, &none, "auditor", &err));
    assert_string_equal(err.problems[1].column, "auditor");
    assert_string_equal(err.problems[1].text, "Bob Jones is disabled in the people register: ask the QA lead to re-import "
                                         "them as active");
    assert_null(people_require(&reg, "Niall O'Neill", ROLE_MANAGER, &none, "moderator", &err));
    assert_non_null(strstr(err.problems[2].text, "does not have the manager role"));
    assert_true(person_in_team(&p[0], "team b"));
    assert_false(person_in_team(&p[0], "Team"));
    assert_false(person_in_team(&p[1], "Team A"));
    ca_error_free(&err);
}

/* A version-7 database whose auditor table holds people gains them in the register. */
static void test_migration_8(void **state)
{
    (void)state;
    char dir[] = "/tmp/caseaudit-test-people-XXXXXX", path[96];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/t.db", dir);
    sqlite3 *h;
    assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
    for (int v = 0; v < 7; v++)
        assert_int_equal(sqlite3_exec(h, ca_migrations[v], NULL, NULL, NULL), SQLITE_OK);
    char sql[160];
    snprintf(sql, sizeof sql, "PRAGMA user_version = 7; PRAGMA application_id = %d;", CA_APPLICATION_ID);
    assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, "INSERT INTO auditor(name, team, capacity) VALUES ('Ann  Smith', 'Team A', 4),"
                                     " ('Bob', NULL, NULL)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);

    ca_db *db = NULL;
    ca_error err = CA_ERROR_INIT;
    assert_int_equal(db_open(&db, path, CA_DB_EXISTING, NULL, &err), CA_OK);
    ca_people reg;
    assert_int_equal(people_load(db, &reg, &err), CA_OK);
    assert_int_equal(reg.n, 2);
    assert_string_equal(reg.p[0].key, "ann smith");
    assert_string_equal(reg.p[0].teams, "Team A");
    assert_int_equal(reg.p[0].roles, ROLE_AUDITOR);
    assert_int_equal(reg.p[0].capacity, 4);
    assert_int_equal(reg.p[1].capacity, -1);
    assert_true(reg.p[1].active);
    people_free(&reg);
    int64_t n;
    assert_int_equal(db_int(db, &n, "SELECT count(*) FROM audit WHERE stand_in <> 0", &err), CA_OK);
    assert_int_equal(n, 0);
    db_close(db);
    snprintf(sql, sizeof sql, "rm -rf '%s'", dir);
    assert_int_equal(system(sql), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_name_key),   cmocka_unit_test(test_team_key),    cmocka_unit_test(test_distance),
        cmocka_unit_test(test_require),    cmocka_unit_test(test_migration_8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
