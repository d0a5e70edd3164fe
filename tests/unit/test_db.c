/* Storage: creation mode, migrations, refusals that leave the file untouched,
 * nested transactions, the append-only event log, the statement wrapper. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/store/db.h"
#include "audit/prune.h"
#include "audit/store/schema.h"

static char dir[64], path[96];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/caseaudit-test-db-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(path, sizeof path, "%s/t.db", dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static ca_db *open_new(void)
{
    ca_error err = CA_ERROR_INIT;
    ca_db *db = NULL;
    assert_int_equal(db_open(&db, path, CA_DB_CREATE, NULL, &err), CA_OK);
    ca_clock now;
    assert_int_equal(clock_parse("2026-11-24T12:00:00Z", &now), CA_OK);
    db_set_clock(db, now); /* the library reads no environment: the clock is passed in */
    return db;
}

static void test_create_mode_and_version(void **state)
{
    (void)state;
    ca_db *db = open_new();
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    int64_t v;
    ca_error err = CA_ERROR_INIT;
    assert_int_equal(db_int(db, &v, "PRAGMA user_version", &err), CA_OK);
    assert_int_equal(v, db_schema_version());
    assert_int_equal(db_int(db, &v, "SELECT count(*) FROM domain", &err), CA_OK);
    assert_int_equal(v, 5);
    db_close(db);
    /* Reopening applies nothing twice. */
    db = open_new();
    assert_int_equal(db_int(db, &v, "SELECT count(*) FROM domain", &err), CA_OK);
    assert_int_equal(v, 5);
    db_close(db);
}

static void test_missing_refused(void **state)
{
    (void)state;
    ca_error err = CA_ERROR_INIT;
    ca_db *db;
    assert_int_equal(db_open(&db, path, CA_DB_EXISTING, NULL, &err), CA_ERR);
    assert_int_equal(err.status, CA_REFUSED);
    assert_non_null(strstr(err.msg, "caseaudit import"));
    assert_int_equal(access(path, F_OK), -1);
}

static void read_file(const char *p, char **buf, long *len)
{
    FILE *f = fopen(p, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    *len = ftell(f);
    rewind(f);
    *buf = malloc((size_t)*len + 1);
    assert_int_equal(fread(*buf, 1, (size_t)*len, f), (size_t)*len);
    fclose(f);
}

static void expect_refused_untouched(int status, const char *needle)
{
    char *before, *after;
    long lb, la;
    read_file(path, &before, &lb);
    ca_error err = CA_ERROR_INIT;
    ca_db *db;
    assert_int_equal(db_open(&db, path, CA_DB_EXISTING, NULL, &err), CA_ERR);
    assert_int_equal(err.status, status);
    assert_non_null(strstr(err.msg, needle));
    read_file(path, &after, &la);
    assert_int_equal(la, lb);
    assert_memory_equal(before, after, (size_t)lb);
    free(before);
    free(after);
}

static void test_too_new_refused_untouched(void **state)
{
    (void)state;
    ca_db *db = open_new();
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", db_schema_version() + 1);
    ca_error err = CA_ERROR_INIT;
    assert_int_equal(db_exec(db, sql, &err), CA_OK);
    assert_int_equal(db_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", &err), CA_OK);
    db_close(db);
    expect_refused_untouched(CA_SYSTEM, "newer caseaudit");
}

static void test_corrupt_refused_untouched(void **state)
{
    (void)state;
    FILE *f = fopen(path, "wb");
    for (int i = 0; i < 8192; i++)
        fputc((i * 7919) & 0xff, f);
    fclose(f);
    expect_refused_untouched(CA_SYSTEM, "corrupt");
}

static void test_foreign_refused_untouched(void **state)
{
    (void)state;
    sqlite3 *h;
    assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, "CREATE TABLE t(x); INSERT INTO t VALUES(1)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    expect_refused_untouched(CA_SYSTEM, "another program");
}

static void test_nested_rollback_dooms_outer(void **state)
{
    (void)state;
    ca_db *db = open_new();
    ca_error err = CA_ERROR_INIT;
    assert_int_equal(db_begin(db, &err), CA_OK);
    assert_int_equal(db_exec(db, "INSERT INTO auditor(name) VALUES('A')", &err), CA_OK);
    assert_int_equal(db_begin(db, &err), CA_OK);
    db_rollback(db);
    assert_int_equal(db_commit(db, &err), CA_ERR);
    int64_t n;
    assert_int_equal(db_int(db, &n, "SELECT count(*) FROM auditor", &err), CA_OK);
    assert_int_equal(n, 0);
    db_close(db);
}

static void test_event_log_append_only(void **state)
{
    (void)state;
    ca_db *db = open_new();
    db_set_actor(db, "Jo Bloggs");
    ca_error err = CA_ERROR_INIT;
    assert_int_equal(db_begin(db, &err), CA_OK);
    assert_int_equal(db_event(db, "grade", "2026-11", "123", "Good", &err), CA_OK);
    assert_int_equal(db_commit(db, &err), CA_OK);
    ca_stmt s;
    assert_int_equal(stmt_prepare(db, &s, "SELECT at, by, command, round, case_id, detail FROM event", &err), CA_OK);
    assert_int_equal(stmt_step(&s, &err), 1);
    assert_string_equal(stmt_text(&s, 0), "2026-11-24T12:00:00Z");
    assert_string_equal(stmt_text(&s, 1), "Jo Bloggs");
    assert_string_equal(stmt_text(&s, 2), "grade");
    assert_string_equal(stmt_text(&s, 5), "Good");
    stmt_finalize(&s);
    assert_int_equal(db_exec(db, "UPDATE event SET detail = 'x'", &err), CA_ERR);
    assert_non_null(strstr(err.msg, "append-only"));
    assert_int_equal(db_exec(db, "DELETE FROM event", &err), CA_ERR);
    db_close(db);
}

static void test_bad_bind_reported(void **state)
{
    (void)state;
    ca_db *db = open_new();
    ca_error err = CA_ERROR_INIT;
    ca_stmt s;
    assert_int_equal(stmt_prepare(db, &s, "SELECT :a", &err), CA_OK);
    stmt_bind_int(&s, ":b", 1);
    assert_int_equal(stmt_step(&s, &err), CA_ERR);
    assert_non_null(strstr(err.msg, ":b"));
    stmt_finalize(&s);
    db_close(db);
}

/* A database of schema version 4 (snapshot cases keyed by snapshot and case id) gains,
 * on open, the plain table of version 5 with each snapshot's rows in one range. */
static void test_migration_5_keeps_cases(void **state)
{
    (void)state;
    sqlite3 *h;
    assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
    for (int v = 0; v < 4; v++)
        assert_int_equal(sqlite3_exec(h, ca_migrations[v], NULL, NULL, NULL), SQLITE_OK);
    char sql[128];
    snprintf(sql, sizeof sql, "PRAGMA user_version = 4; PRAGMA application_id = %d;", CA_APPLICATION_ID);
    assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h,
        "INSERT INTO snapshot(id, as_of, rows, cases, merged, closed, open_eh, open_cin, open_cp, open_cla,"
        " open_cl, entered_at, entered_by) VALUES (1, '2026-10-01', 2, 2, 0, 0, 0, 2, 0, 0, 0, 'x', 'x'),"
        " (2, '2026-11-01', 3, 3, 0, 1, 0, 1, 1, 0, 0, 'x', 'x');"
        "INSERT INTO snapshot_case(snapshot_id, case_id, plan_type, age, team, closed, src_file, src_line) VALUES"
        " (2, 'c', 'CP', 7, 'T2', 0, 1, 4), (1, 'b', 'CIN', 4, 'T1', 0, 1, 3), (2, 'a', 'CIN', 3, NULL, 1, 1, 2),"
        " (1, 'a', 'CIN', 3, 'T1', 0, 1, 2), (2, 'b', 'CIN', 4, 'T3', 0, 1, 3);", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);

    ca_db *db = open_new();
    ca_error err = CA_ERROR_INIT;
    int64_t n;
    assert_int_equal(db_int(db, &n, "PRAGMA user_version", &err), CA_OK);
    assert_int_equal(n, db_schema_version());
    assert_int_equal(db_int(db, &n, "SELECT count(*) FROM snapshot_case", &err), CA_OK);
    assert_int_equal(n, 5);
    /* Each snapshot's rows, and only those, in its range; in case id order. */
    ca_stmt s;
    assert_int_equal(stmt_prepare(db, &s, "SELECT group_concat(c.case_id || ':' || c.plan_type || ':' ||"
                                          " coalesce(c.team, '-') || ':' || c.closed, ' ') FROM snapshot n"
                                          " JOIN snapshot_case c ON c.rowid BETWEEN n.first_row AND n.last_row"
                                          " WHERE n.id = :id AND c.snapshot_id = n.id", &err), CA_OK);
    stmt_bind_int(&s, ":id", 1);
    assert_int_equal(stmt_step(&s, &err), 1);
    assert_string_equal(stmt_text(&s, 0), "a:CIN:T1:0 b:CIN:T1:0");
    stmt_reset(&s);
    stmt_bind_int(&s, ":id", 2);
    assert_int_equal(stmt_step(&s, &err), 1);
    assert_string_equal(stmt_text(&s, 0), "a:CIN:-:1 b:CIN:T3:0 c:CP:T2:0");
    stmt_finalize(&s);
    assert_int_equal(db_int(db, &n, "SELECT (SELECT last_row FROM snapshot WHERE id = 2) -"
                                    " (SELECT first_row FROM snapshot WHERE id = 2)", &err), CA_OK);
    assert_int_equal(n, 2);
    db_close(db);
}

/* Prune keeps the latest snapshot and any snapshot a round drew from. */
static void test_prune(void **state)
{
    (void)state;
    ca_db *db = open_new();
    ca_error err = CA_ERROR_INIT;
    const char *setup_sql =
        "INSERT INTO snapshot(id, as_of, rows, cases, merged, closed, open_eh, open_cin, open_cp, open_cla,"
        " open_cl, entered_at, entered_by) VALUES"
        " (1, '2026-09-01', 2, 2, 0, 0, 0, 2, 0, 0, 0, 'x', 'x'),"
        " (2, '2026-10-01', 2, 2, 0, 0, 0, 2, 0, 0, 0, 'x', 'x'),"
        " (3, '2026-11-01', 2, 2, 0, 0, 0, 2, 0, 0, 0, 'x', 'x');"
        "INSERT INTO snapshot_case(snapshot_id, case_id, plan_type, age, src_file, src_line) VALUES"
        " (1, 'a', 'CIN', 3, 1, 2), (1, 'b', 'CIN', 4, 1, 3), (2, 'a', 'CIN', 3, 1, 2), (2, 'b', 'CIN', 4, 1, 3),"
        " (3, 'a', 'CIN', 3, 1, 2), (3, 'b', 'CIN', 4, 1, 3);"
        "INSERT INTO round(id, label, snapshot_id, seed, size, strata, alloc, min_per_stratum, age_bands,"
        " exclude_months, population, excluded_audited, excluded_pending, entered_at, entered_by)"
        " VALUES(1, '2026-10', 2, '0000000000000001', 1, 'plan', 'proportional', 1, '0,1,5,10,16,18', 12, 2,"
        " 0, 0, 'x', 'x');"
        "INSERT INTO round_case(round_id, case_id, seq, stratum, plan_type, age_band, sort_key, frame_n,"
        " sample_n, probability, weight) VALUES(1, 'a', 1, 'CIN', 'CIN', '1-4', '00', 2, 1, 0.5, 2);";
    assert_int_equal(db_exec(db, setup_sql, &err), CA_OK);
    prune_result r;
    assert_int_equal(prune_run(db, -1, 1, &r, &err), CA_OK); /* dry run */
    assert_int_equal(r.snapshots, 1);
    assert_int_equal(r.case_rows, 2);
    int64_t n;
    assert_int_equal(db_int(db, &n, "SELECT count(*) FROM snapshot_case", &err), CA_OK);
    assert_int_equal(n, 6);
    assert_int_equal(prune_run(db, -1, 0, &r, &err), CA_OK);
    assert_int_equal(db_int(db, &n, "SELECT count(*) FROM snapshot_case WHERE snapshot_id = 1", &err), CA_OK);
    assert_int_equal(n, 0);
    assert_int_equal(db_int(db, &n, "SELECT count(*) FROM snapshot WHERE pruned_at IS NOT NULL", &err), CA_OK);
    assert_int_equal(n, 1);
    /* With a cutoff after October, round 1's snapshot keeps only the case on its list. */
    ca_day cutoff;
    date_from_ymd(2026, 10, 15, &cutoff);
    assert_int_equal(prune_run(db, cutoff, 0, &r, &err), CA_OK);
    assert_int_equal(r.case_rows, 1);
    assert_int_equal(db_int(db, &n, "SELECT count(*) FROM snapshot_case WHERE snapshot_id = 2 AND case_id = 'a'",
                            &err), CA_OK);
    assert_int_equal(n, 1);
    assert_int_equal(db_int(db, &n, "SELECT count(*) FROM snapshot_case WHERE snapshot_id = 3", &err), CA_OK);
    assert_int_equal(n, 2);
    assert_int_equal(db_int(db, &n, "SELECT count(*) FROM event WHERE command = 'prune'", &err), CA_OK);
    assert_int_equal(n, 2);
    db_close(db);
}

/* The filesystem types refused (SPEC §3): NFS, SMB, CIFS, SMB2 as linux/magic.h and the
 * kernel's cifs sources number them; ext4, tmpfs and btrfs are local. No NFS mount is to
 * be had on a test machine, so the decision is tested here and the refusal's wording by hand. */
static void test_network_filesystems(void **state)
{
    (void)state;
    assert_true(db_network_filesystem(0x6969));
    assert_true(db_network_filesystem(0x517B));
    assert_true(db_network_filesystem((long)0xFF534D42));
    assert_true(db_network_filesystem((long)0xFE534D42));
    assert_false(db_network_filesystem(0xEF53));
    assert_false(db_network_filesystem(0x01021994));
    assert_false(db_network_filesystem(0x9123683E));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_create_mode_and_version, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_too_new_refused_untouched, setup, teardown),
        cmocka_unit_test_setup_teardown(test_corrupt_refused_untouched, setup, teardown),
        cmocka_unit_test_setup_teardown(test_foreign_refused_untouched, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nested_rollback_dooms_outer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_event_log_append_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_bind_reported, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prune, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migration_5_keeps_cases, setup, teardown),
        cmocka_unit_test(test_network_filesystems),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
