/* Out of memory at every allocation of the main operations (issue 12, item 7).
 *
 * The test binary is linked with -Wl,--wrap for malloc, calloc, realloc and strdup, so
 * that every allocation made by caseaudit's own code goes through the counters below
 * (SQLite's own allocations are its business: it reports SQLITE_NOMEM). Each operation
 * runs once to count its allocations, then once for each k with the k-th allocation
 * failing, on a fresh copy of the same database. After each run either the operation
 * succeeded (an allocation it can do without, as a problem not kept), or it failed as a
 * system error (exit 3) and the database is exactly as before. A refusal (exit 1) or an
 * "empty" success that the full run did not give would be out of memory turned into a
 * wrong answer. LeakSanitizer (the ASan build) checks nothing leaks on any path. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "audit/assign.h"
#include "audit/grade.h"
#include "audit/import.h"
#include "audit/people.h"
#include "audit/sample.h"
#include "audit/store/db.h"
#include "moderation/moderate.h"
#include "moderation/pick.h"
#include "moderation/report.h"

/* ---- the allocation counter ---- */

static long allocations, fail_at; /* fail_at 0: never */

static int fail_now(void) { return ++allocations == fail_at; }

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
void *__wrap_malloc(size_t n) { return fail_now() ? NULL : __real_malloc(n); }
void *__wrap_calloc(size_t n, size_t size) { return fail_now() ? NULL : __real_calloc(n, size); }
void *__wrap_realloc(void *p, size_t n) { return fail_now() ? NULL : __real_realloc(p, n); }
char *__wrap_strdup(const char *s) { return fail_now() ? NULL : __real_strdup(s); }

/* ---- a small cycle's files ---- */

static char dir[64], base[128], work[128];

static void write_file(const char *name, const char *text)
{
    char path[160];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static const char *path_of(const char *name)
{
    static char path[4][160];
    static int k;
    k = (k + 1) % 4;
    snprintf(path[k], sizeof path[k], "%s/%s", dir, name);
    return path[k];
}

static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        assert_int_equal(fwrite(buf, 1, n, out), n);
    fclose(in);
    fclose(out);
}

static ca_db *open_db(const char *path)
{
    ca_db *db = NULL;
    ca_error err = CA_ERROR_INIT;
    long saved = fail_at;
    fail_at = 0;
    if (db_open(&db, path, CA_DB_CREATE, NULL, &err) != CA_OK)
        fail_msg("cannot open %s: %s", path, err.msg);
    ca_clock now;
    clock_parse("2026-11-24T12:00:00Z", &now);
    db_set_clock(db, now);
    db_set_actor(db, "tester");
    fail_at = saved;
    return db;
}

/* The content, as rows and the largest row id per table: what a failure must leave alone. */
static void fingerprint(const char *path, char *out, size_t len)
{
    static const char *const tables[] = {"snapshot", "snapshot_case", "round", "round_case", "audit", "audit_domain",
                                         "action", "moderation", "moderation_pick", "person", "event", "alias"};
    ca_db *db = open_db(path);
    long saved = fail_at;
    fail_at = 0;
    size_t o = 0;
    for (size_t i = 0; i < sizeof tables / sizeof *tables; i++) {
        char sql[160];
        int64_t n = -1;
        ca_error err = CA_ERROR_INIT;
        snprintf(sql, sizeof sql, "SELECT count(*) * 1000003 + coalesce(max(rowid), 0) FROM %s", tables[i]);
        assert_int_equal(db_int(db, &n, sql, &err), CA_OK);
        o += (size_t)snprintf(out + o, len - o, "%s=%lld ", tables[i], (long long)n);
    }
    db_close(db);
    fail_at = saved;
}

/* ---- the operations, each on the database at work ---- */

typedef int (*operation)(ca_db *db, ca_error *err);

static int op_import(ca_db *db, ca_error *err)
{
    import_summary *sum = calloc(1, sizeof *sum);
    if (!sum)
        return ca_fail(err, CA_SYSTEM, "out of memory");
    const char *paths[] = {path_of("list6.csv"), path_of("cases.csv")};
    import_options opt = {.plan = -1, .force = 1};
    date_from_ymd(2026, 11, 1, &opt.as_of);
    int rc = import_run(db, paths, 2, &opt, sum, err);
    free(sum);
    return rc;
}

static int op_people(ca_db *db, ca_error *err)
{
    people_import_result r = {0};
    int rc = people_import_file(db, path_of("people.csv"), 0, &r, err);
    people_import_result_free(&r);
    return rc;
}

static int op_sample(ca_db *db, ca_error *err)
{
    sample_design d = {.round = "2026-12", .size = 6, .min_per_stratum = 1, .exclude_months = 0, .due = -1,
                       .ndims = 2, .dims = {DIM_PLAN, DIM_AGE}, .seed = 7};
    bands_default(&d.bands);
    sample_result r;
    int rc = sample_draw(db, &d, &r, err);
    sample_result_free(&r);
    return rc;
}

static int op_assign(ca_db *db, ca_error *err)
{
    assign_request q = {"2026-11", NULL, 0, 0};
    assign_result r;
    int rc = assign_round(db, &q, &r, err);
    if (rc == CA_OK)
        assign_result_free(&r);
    return rc;
}

static int op_grade(ca_db *db, ca_error *err)
{
    grade_input *in = NULL;
    long n = 0, skipped = 0;
    grade_summary sum;
    int rc = grade_read_file(db, "2026-11", path_of("grades.csv"), 0, &in, &n, &skipped, err);
    if (rc == CA_OK)
        rc = grade_record(db, "2026-11", in, n, &sum, err);
    for (long i = 0; i < n; i++)
        grade_input_free(&in[i]);
    free(in);
    return rc;
}

static int op_pick(ca_db *db, ca_error *err)
{
    pick_scope scope = {"2026-11", NULL};
    pick_result r;
    int rc = pick_run(db, &scope, 0.5, 1, 1, 3, 0, &r, err);
    if (rc == CA_OK)
        free(r.auditors);
    return rc;
}

static int op_moderate(ca_db *db, ca_error *err)
{
    mod_input *in = NULL;
    long n = 0, skipped = 0;
    mod_summary sum;
    int rc = moderation_read_file("2026-11", path_of("moderation.csv"), 0, &in, &n, &skipped, err);
    if (rc == CA_OK)
        rc = moderation_record(db, in, n, &sum, err);
    for (long i = 0; i < n; i++)
        mod_input_free(&in[i]);
    free(in);
    return rc;
}

static int op_report(ca_db *db, ca_error *err)
{
    ca_period p;
    char why[64];
    if (period_parse_quarter("2026Q4", &p, why, sizeof why) != CA_OK)
        return ca_fail(err, CA_SYSTEM, "bad quarter");
    static const enum report_dim dims[] = {BY_PLAN, BY_AGE, BY_TEAM, BY_AUDITOR};
    report r;
    int rc = report_build(db, &p, -1, dims, 4, &r, err);
    if (rc == CA_OK) {
        report_suppress(&r, 3);
        report_free(&r);
    }
    return rc;
}

/* ---- the harness ---- */

static char before[128];

/* Runs op on the database as the previous operations left it (base), failing each of
 * its allocations in turn on a fresh copy; then once in full, leaving base as the next
 * operation needs it. */
static void every_allocation(const char *name, operation op)
{
    char was[1024], full[1024], now[1024];
    ca_error err = CA_ERROR_INIT;
    copy_file(base, before);
    fingerprint(before, was, sizeof was);
    ca_db *db = open_db(base);
    allocations = 0, fail_at = 0;
    if (op(db, &err) != CA_OK)
        fail_msg("%s: the full run failed: %s (%s)", name, err.msg, err.nproblems ? err.problems[0].text : "");
    long total = allocations;
    db_close(db);
    ca_error_free(&err);
    fingerprint(base, full, sizeof full);
    long failures = 0;
    for (long k = 1; k <= total; k++) {
        copy_file(before, work);
        db = open_db(work);
        allocations = 0, fail_at = k;
        int rc = op(db, &err);
        fail_at = 0;
        db_close(db);
        fingerprint(work, now, sizeof now);
        if (rc != CA_OK) {
            failures++;
            if (err.status != CA_SYSTEM)
                fail_msg("%s: allocation %ld of %ld failing gave status %d (\"%s\"), not a system error", name, k,
                         total, err.status, err.msg);
            if (strcmp(now, was) != 0)
                fail_msg("%s: allocation %ld failing changed the database:\n  before %s\n  after  %s", name, k, was,
                         now);
        } else if (strcmp(now, full) != 0) {
            fail_msg("%s: allocation %ld failing was passed over but gave another result:\n  full %s\n  this %s",
                     name, k, full, now);
        }
        ca_error_free(&err);
    }
    print_message("%s: %ld allocations, %ld of them refused as out of memory, the others done without\n", name, total,
                  failures);
    assert_true(failures > 0); /* the harness reached the operation's own allocations */
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/caseaudit-alloc-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(base, sizeof base, "%s/base.db", dir);
    snprintf(work, sizeof work, "%s/work.db", dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* The month's files: a List 6 (one child twice, as episodes) and a generic list; the
 * people; returns for the round drawn from them. */
static void make_files(void)
{
    write_file("list6.csv",
               "Child Unique ID,Gender,Ethnicity,Date of Birth,Age of Child (Years),CIN Start Date,CIN Closure Date,"
               "Case Status,Allocated Team,Allocated Worker\n"
               "L1,F,WBRI,01/02/2014,12,01/01/2024,01/06/2024,e) Closed,Team A,W1\n"
               "L2,M,WBRI,01/03/2016,10,01/01/2026,,c) CIN,Team B,W2\n"
               "L1,F,WBRI,01/02/2014,12,01/09/2025,,c) CIN,Team A,W1\n");
    char cases[4096] = "case_id,date_of_birth,plan_type,team,worker\n";
    for (int i = 1; i <= 16; i++) {
        char row[128];
        snprintf(row, sizeof row, "G%d,01/0%d/20%d,%s,Team %c,W%d\n", i, i % 9 + 1, 10 + i % 10,
                 i % 3 == 0 ? "CP" : i % 3 == 1 ? "CIN" : "CLA", 'A' + i % 2, i);
        strcat(cases, row);
    }
    write_file("cases.csv", cases);
    write_file("people.csv", "name,team,roles\nAnn,Team A,auditor\nBob,Team B,auditor\nCy,,auditor\nSam,,manager\n");
}

/* Grades and outcomes for the cases the draw gave the round. */
static void make_returns(void)
{
    ca_db *db = open_db(base);
    ca_stmt s;
    ca_error err = CA_ERROR_INIT;
    assert_int_equal(stmt_prepare(db, &s, "SELECT rc.case_id, rc.auditor FROM round_case rc JOIN round r ON r.id = "
                                           "rc.round_id WHERE r.label = '2026-11' ORDER BY rc.seq", &err), CA_OK);
    char grades[4096] = "case_id,grade,auditor,audit_date,domain:voice,action,note\n";
    char mods[4096] = "case_id,moderated_grade,moderator,moderation_date,reason\n";
    for (int i = 0; stmt_step(&s, &err) == 1; i++) {
        char row[256];
        snprintf(row, sizeof row, "%s,%d,%s,2%d/11/2026,Good,%s,note %d\n", stmt_text(&s, 0), i % 4 + 1,
                 stmt_text(&s, 1), i % 3, i % 2 ? "Review plan" : "", i);
        strcat(grades, row);
        snprintf(row, sizeof row, "%s,%d,Sam,23/11/2026,%s\n", stmt_text(&s, 0), i % 4 == 3 ? 4 : i % 4 + 2,
                 "Checked");
        strcat(mods, row);
    }
    stmt_finalize(&s);
    db_close(db);
    write_file("grades.csv", grades);
    write_file("moderation.csv", mods);
}

static void test_cycle(void **state)
{
    (void)state;
    make_files();
    snprintf(before, sizeof before, "%s/before.db", dir);
    ca_db *db = open_db(base); /* a new, empty database */
    db_close(db);
    every_allocation("import", op_import);
    every_allocation("people import", op_people);
    /* A round to assign, grade and moderate; the sample op then draws another. */
    db = open_db(base);
    sample_design d = {.round = "2026-11", .size = 8, .min_per_stratum = 1, .exclude_months = 0, .due = -1,
                       .ndims = 1, .dims = {DIM_PLAN}, .seed = 11};
    bands_default(&d.bands);
    sample_result r;
    ca_error err = CA_ERROR_INIT;
    assert_int_equal(sample_draw(db, &d, &r, &err), CA_OK);
    sample_result_free(&r);
    db_close(db);
    every_allocation("sample", op_sample);
    every_allocation("assign", op_assign);
    make_returns();
    every_allocation("grade --file", op_grade);
    every_allocation("moderation pick", op_pick);
    every_allocation("moderate --file", op_moderate);
    every_allocation("report", op_report);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_cycle, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
