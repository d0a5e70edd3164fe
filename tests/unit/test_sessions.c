/* The web front end's storage (audit/store/sessions.c): passwords replaced in
 * place, sessions found by their hash until ended (joined to the person as the
 * register holds them now), failed logins counted from a time, and locks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/store/db.h"
#include "audit/store/people.h"
#include "audit/store/sessions.h"

static char path[64];

static int setup(void **state)
{
    snprintf(path, sizeof path, "/tmp/test_sessions-%d.db", (int)getpid());
    unlink(path);
    ca_db *db;
    ca_error err = CA_ERROR_INIT;
    assert_int_equal(db_open(&db, path, CA_DB_CREATE, NULL, &err), CA_OK);
    db_set_clock(db, 1795521600);   /* 2026-11-24T12:00:00Z */
    db_set_actor(db, "test");
    person_row ann = {0, "Ann", "ann", "", "auditor;manager", NULL, -1, 1};
    assert_int_equal(db_begin(db, &err), CA_OK);
    assert_int_equal(person_write(db, 0, &ann, &err), CA_OK);
    assert_int_equal(db_commit(db, &err), CA_OK);
    *state = db;
    return 0;
}

static int teardown(void **state)
{
    db_close(*state);
    unlink(path);
    char side[80];
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    return 0;
}

static void test_password(void **state)
{
    ca_db *db = *state;
    ca_error err = CA_ERROR_INIT;
    char hash[128];
    assert_int_equal(password_get(db, 1, hash, sizeof hash, &err), 0);
    assert_int_equal(password_set(db, 1, "$argon2id$first", &err), CA_OK);
    assert_int_equal(password_set(db, 1, "$argon2id$second", &err), CA_OK);   /* replaced, not added */
    assert_int_equal(password_get(db, 1, hash, sizeof hash, &err), 1);
    assert_string_equal(hash, "$argon2id$second");
    int64_t n;
    assert_int_equal(db_int(db, &n, "SELECT count(*) FROM person_password", &err), CA_OK);
    assert_int_equal(n, 1);
}

static void test_session(void **state)
{
    ca_db *db = *state;
    ca_error err = CA_ERROR_INIT;
    session_row s;
    assert_int_equal(session_find(db, "h1", &s, &err), 0);
    assert_int_equal(session_insert(db, "h1", 1, 1000, &err), CA_OK);
    assert_int_equal(session_find(db, "h1", &s, &err), 1);
    assert_int_equal(s.person_id, 1);
    assert_string_equal(s.name, "Ann");
    assert_string_equal(s.roles, "auditor;manager");
    assert_int_equal(s.active, 1);
    assert_int_equal(s.created, 1000);
    assert_int_equal(s.last_seen, 1000);
    assert_int_equal(session_touch(db, "h1", 1500, &err), CA_OK);
    assert_int_equal(session_find(db, "h1", &s, &err), 1);
    assert_int_equal(s.created, 1000);
    assert_int_equal(s.last_seen, 1500);
    assert_int_equal(session_end(db, "h1", 1600, &err), CA_OK);
    assert_int_equal(session_find(db, "h1", &s, &err), 0);
    assert_int_equal(session_touch(db, "h1", 1700, &err), CA_OK);   /* an ended session stays ended */
    assert_int_equal(session_find(db, "h1", &s, &err), 0);
    assert_int_equal(session_insert(db, "h1", 1, 2000, &err), CA_ERR);   /* a hash is never reused */
    ca_error_free(&err);
}

static void test_failures_and_locks(void **state)
{
    ca_db *db = *state;
    ca_error err = CA_ERROR_INIT;
    long n = -1;
    int64_t until = -1;
    for (int64_t t = 100; t <= 500; t += 100)
        assert_int_equal(login_failure_add(db, "ann", t, &err), CA_OK);
    assert_int_equal(login_failure_add(db, "bob", 300, &err), CA_OK);
    assert_int_equal(login_failures_since(db, "ann", 300, &n, &err), CA_OK);
    assert_int_equal(n, 3);   /* 300, 400, 500: "since" includes its own second */
    assert_int_equal(login_failures_since(db, "ann", 0, &n, &err), CA_OK);
    assert_int_equal(n, 5);
    assert_int_equal(login_failures_since(db, "nobody", 0, &n, &err), CA_OK);
    assert_int_equal(n, 0);
    assert_int_equal(login_lock_get(db, "ann", &until, &err), CA_OK);
    assert_int_equal(until, 0);
    assert_int_equal(login_lock_set(db, "ann", 1400, &err), CA_OK);
    assert_int_equal(login_lock_set(db, "ann", 1500, &err), CA_OK);   /* a later lock replaces it */
    assert_int_equal(login_lock_get(db, "ann", &until, &err), CA_OK);
    assert_int_equal(until, 1500);
    assert_int_equal(login_lock_get(db, "bob", &until, &err), CA_OK);
    assert_int_equal(until, 0);
}

static void test_prune(void **state)
{
    ca_db *db = *state;
    ca_error err = CA_ERROR_INIT;
    session_row s;
    long n = -1;
    assert_int_equal(session_insert(db, "old", 1, 1000, &err), CA_OK);
    assert_int_equal(session_insert(db, "new", 1, 5000, &err), CA_OK);
    assert_int_equal(login_failure_add(db, "ann", 4000, &err), CA_OK);
    assert_int_equal(login_failure_add(db, "ann", 4500, &err), CA_OK);
    /* at 6000, sessions live 4000 s and failures count for 1000 s */
    assert_int_equal(sessions_prune(db, 6000, 4000, 1000, &err), CA_OK);
    assert_int_equal(session_find(db, "old", &s, &err), 0);   /* created at 1000 < 2000 */
    assert_int_equal(session_find(db, "new", &s, &err), 1);
    assert_int_equal(login_failures_since(db, "ann", 0, &n, &err), CA_OK);
    assert_int_equal(n, 0);   /* both before 5000 */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_password, setup, teardown),
        cmocka_unit_test_setup_teardown(test_session, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failures_and_locks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prune, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
