/* Import (SPEC §4): recognising each kind of list from real-world headers, and what
 * import_run makes of the rows: merging, precedence, closed cases, ages, refusals. */
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
#include "audit/import.h"

/* ---- header recognition ---- */

static void expect_kind(enum import_kind want, int n, ...)
{
    char *hdr[32];
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++)
        hdr[i] = va_arg(ap, char *);
    va_end(ap);
    enum import_kind got = import_kind_of(hdr, n);
    if (got != want)
        fail_msg("header starting \"%s\", \"%s\": %s, expected %s", hdr[0], n > 1 ? hdr[1] : "",
                 import_kind_name(got), import_kind_name(want));
}

static void test_generic_headers(void **state)
{
    (void)state;
    expect_kind(KIND_GENERIC, 3, "case_id", "date_of_birth", "plan_type");
    expect_kind(KIND_GENERIC, 3, "Case ID", "Date of Birth", "Plan Type");
    expect_kind(KIND_GENERIC, 3, "CASE-ID", "DOB", "PLAN");
    expect_kind(KIND_GENERIC, 2, "  case   id ", "age");
    /* A generic list wins even beside Annex A columns. */
    expect_kind(KIND_GENERIC, 2, "Child Unique ID", "Case_Id");
}

static void test_annex_a_headers(void **state)
{
    (void)state;
    expect_kind(KIND_ANNEX_A6, 8, "Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)",
                "CIN Start Date", "CIN Closure Date", "Case Status");
    expect_kind(KIND_ANNEX_A7, 7, "Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)",
                "Child Protection Plan Start Date", "Child Protection Plan End Date");
    expect_kind(KIND_ANNEX_A8, 7, "Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)",
                "Date Started to be Looked After", "Date Ceased to be Looked After");
    expect_kind(KIND_ANNEX_A9, 7, "Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)",
                "Eligibility Category", "Allocated Personal Advisor");
    expect_kind(KIND_ANNEX_A2, 7, "Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)",
                "Assessment start date", "Assessment completion date");
}

static void test_annex_a_quirks(void **state)
{
    (void)state;
    /* Case, repeated spaces, punctuation, curly quotes around a name, "Age" alone. */
    expect_kind(KIND_ANNEX_A6, 5, "CHILD  UNIQUE  ID", "date of birth", "Age", "\xe2\x80\x9c" "Case Status\xe2\x80\x9d",
                "cin start date");
    expect_kind(KIND_ANNEX_A6, 3, "Child Unique ID", "Age", "\"Case status\"");
    /* Misspellings councils' exports really carry. */
    expect_kind(KIND_ANNEX_A9, 3, "Child Unique ID", "Age", "Eligibity Category");
    expect_kind(KIND_ANNEX_A9, 3, "Child Unique ID", "Age", "Allocated Personal Adviser");
    expect_kind(KIND_ANNEX_A7, 3, "Child Unique I.D.", "Age", "Child-Protection Plan Start Date");
    expect_kind(KIND_ANNEX_A8, 3, "child_unique_id", "age", "date_ceased_to_be_looked_after");
    expect_kind(KIND_ANNEX_A2, 2, "Child Unique ID", "ASSESSMENT COMPLETION DATE");
}

static void test_unknown_headers(void **state)
{
    (void)state;
    expect_kind(KIND_UNKNOWN, 3, "id", "date_of_birth", "plan_type");
    expect_kind(KIND_UNKNOWN, 2, "Child Unique ID", "Gender");   /* which list? */
    expect_kind(KIND_UNKNOWN, 1, "");
    assert_string_equal(import_kind_name(KIND_ANNEX_A8), "Annex A list 8");
    assert_string_equal(import_kind_name(KIND_GENERIC), "generic");
}

/* ---- import_run ---- */

static char dir[64];
static ca_db *db;

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/test_import_XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    char path[128];
    snprintf(path, sizeof path, "%s/t.db", dir);
    ca_error err = CA_ERROR_INIT;
    if (db_open(&db, path, CA_DB_CREATE, NULL, &err) != CA_OK)
        return -1;
    ca_clock now;
    if (clock_parse("2026-11-24T12:00:00Z", &now) != CA_OK)
        return -1;
    db_set_clock(db, now);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    db_close(db);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Writes a file in the test directory; returns its path (static buffer per slot). */
static const char *file(int slot, const char *name, const char *content)
{
    static char paths[8][128];
    snprintf(paths[slot], sizeof paths[slot], "%s/%s", dir, name);
    FILE *f = fopen(paths[slot], "wb");
    assert_non_null(f);
    fputs(content, f);
    fclose(f);
    return paths[slot];
}

static ca_day day(int y, int m, int d)
{
    ca_day out;
    assert_int_equal(date_from_ymd(y, m, d, &out), CA_OK);
    return out;
}

static import_summary sum;

/* Runs an import as at the date; the status is returned and the problems left in err. */
static int force; /* the next run accepts a file imported before (--force) */

static int run(ca_day as_of, int dry, ca_error *err, int n, ...)
{
    const char *paths[8];
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++)
        paths[i] = va_arg(ap, const char *);
    va_end(ap);
    /* These lists are about other things than teams: SPEC §6's team rule is tested from the command line. */
    import_options opt = {.as_of = as_of, .plan = -1, .dry_run = dry, .force = force, .no_team = 1};
    force = 0;
    return import_run(db, paths, n, &opt, &sum, err);
}

static void expect_ok(int rc, ca_error *err)
{
    if (rc != CA_OK)
        fail_msg("import refused: %s; first problem: %s", err->msg, err->nproblems ? err->problems[0].text : "-");
}

static int64_t count(const char *sql)
{
    int64_t n = -1;
    ca_error err = CA_ERROR_INIT;
    assert_int_equal(db_int(db, &n, sql, &err), CA_OK);
    return n;
}

/* plan_type|closed|age of a case in the latest snapshot. */
static void expect_case(const char *id, const char *want)
{
    ca_stmt s;
    ca_error err = CA_ERROR_INIT;
    assert_int_equal(stmt_prepare(db, &s,
                                  "SELECT plan_type || '|' || closed || '|' || age FROM snapshot_case"
                                  " WHERE snapshot_id = (SELECT max(id) FROM snapshot) AND case_id = :id",
                                  &err), CA_OK);
    stmt_bind_text(&s, ":id", id);
    assert_int_equal(stmt_step(&s, &err), 1);
    if (strcmp(stmt_text(&s, 0), want) != 0)
        fail_msg("case %s: %s, expected %s", id, stmt_text(&s, 0), want);
    stmt_finalize(&s);
}

static void expect_problem(const ca_error *err, const char *want)
{
    for (int i = 0; i < err->nproblems; i++)
        if (strstr(err->problems[i].text, want))
            return;
    fail_msg("no problem with '%s' (%d problems; first: %s)", want, err->nproblems,
             err->nproblems ? err->problems[0].text : "-");
}

#define A_COMMON "Child Unique ID,Gender,Ethnicity,Date of Birth,Age of Child (Years)"

/* One child on every list is one case, looked after; the others by precedence
 * CLA > CP > CIN > CL > EH whatever the order of the files. */
static void test_merge_by_precedence(void **state)
{
    (void)state;
    const char *l2 = file(0, "list2.csv", A_COMMON ",Assessment start date,Assessment completion date\n"
                                          "K1,F,W,01/01/2010,16,01/01/2026,\nK4,F,W,01/01/2006,20,01/01/2026,\n"
                                          "K5,F,W,01/01/2010,16,01/01/2026,\n");
    const char *l6 = file(1, "list6.csv", A_COMMON ",CIN Start Date,CIN Closure Date,Case Status\n"
                                          "K1,F,W,01/01/2010,16,01/01/2026,,c) CIN\nK5,F,W,01/01/2010,16,01/01/2026,,d) x\n");
    const char *l7 = file(2, "list7.csv", A_COMMON ",Child Protection Plan Start Date,Child Protection Plan End Date\n"
                                          "K1,F,W,01/01/2010,16,01/01/2026,\nK2,F,W,01/01/2010,16,01/01/2026,\n");
    const char *l8 = file(3, "list8.csv", A_COMMON ",Date Started to be Looked After,Date Ceased to be Looked After\n"
                                          "K1,F,W,01/01/2010,16,01/01/2026,\n");
    const char *l9 = file(4, "list9.csv", A_COMMON ",Eligibity Category,Allocated Personal Advisor\n"
                                          "K1,F,W,01/01/2010,16,x,PA\nK2,F,W,01/01/2010,16,x,PA\n"
                                          "K4,F,W,01/01/2006,20,x,PA\n");
    ca_error err = CA_ERROR_INIT;
    expect_ok(run(day(2026, 11, 1), 0, &err, 5, l9, l2, l7, l6, l8), &err);
    assert_int_equal(sum.rows, 11);
    assert_int_equal(sum.cases, 4);
    assert_int_equal(sum.merged, 7);
    assert_int_equal(sum.closed, 0);
    expect_case("K1", "CLA|0|16");   /* CLA > CP > CIN > CL > EH */
    expect_case("K2", "CP|0|16");
    expect_case("K4", "CL|0|20");    /* CL > EH */
    expect_case("K5", "CIN|0|16");   /* CIN > EH */
    assert_int_equal(sum.open[CA_PLAN_CLA], 1);
    assert_int_equal(sum.open[CA_PLAN_CP], 1);
    assert_int_equal(sum.open[CA_PLAN_CIN], 1);
    assert_int_equal(sum.open[CA_PLAN_CL], 1);
    assert_int_equal(sum.open[CA_PLAN_EH], 0);
    assert_int_equal(sum.nfiles, 5);
    assert_string_equal(sum.files[0].name, "list9.csv");
    assert_int_equal(sum.files[0].kind, KIND_ANNEX_A9);
    assert_int_equal(sum.files[0].rows, 3);
    assert_int_equal(strlen(sum.files[0].sha256), 64);
    assert_int_equal(sum.snapshot_id, 1);
    assert_int_equal(count("SELECT count(*) FROM snapshot_file WHERE snapshot_id = 1"), 5);
    assert_int_equal(count("SELECT merged FROM snapshot WHERE id = 1"), 7);
    assert_int_equal(count("SELECT count(*) FROM event WHERE command = 'import'"), 1);
}

/* A plan that ended on or before the as-of date is closed; an open plan beats a closed one. */
static void test_closed_cases(void **state)
{
    (void)state;
    const char *a = file(0, "cases.csv",
                         "case_id,date_of_birth,plan_type,plan_end\n"
                         "E1,01/01/2015,CP,01/11/2026\n"      /* ended on the as-of date: closed */
                         "E2,01/01/2015,CP,02/11/2026\n"      /* ends tomorrow: open */
                         "E3,01/01/2015,CLA,01/10/2026\n"     /* closed CLA ... */
                         "E4,01/01/2015,CIN,\n");
    const char *b = file(1, "more.csv", "case_id,date_of_birth,plan_type\nE3,01/01/2015,CIN\n");  /* ... open CIN */
    const char *l6 = file(2, "list6.csv", A_COMMON ",CIN Start Date,CIN Closure Date,Case Status\n"
                                          "E5,F,W,01/01/2015,11,01/01/2025,,e) Closed\n");
    ca_error err = CA_ERROR_INIT;
    expect_ok(run(day(2026, 11, 1), 0, &err, 3, a, b, l6), &err);
    expect_case("E1", "CP|1|11");
    expect_case("E2", "CP|0|11");
    expect_case("E3", "CIN|0|11");
    expect_case("E5", "CIN|1|11");
    assert_int_equal(sum.cases, 5);
    assert_int_equal(sum.closed, 2);
    assert_int_equal(sum.open[CA_PLAN_CP], 1);
    assert_int_equal(sum.open[CA_PLAN_CIN], 2);
}

/* Ages at the as-of date: born that day 0, unborn -1, a 10th birthday 10, 29 February. */
static void test_ages(void **state)
{
    (void)state;
    const char *a = file(0, "ages.csv",
                         "case_id,date_of_birth,age,plan_type\n"
                         "G1,01/11/2026,,CP\n"
                         "G2,01/09/2027,,CP\n"       /* as-of + 10 months exactly: accepted, unborn */
                         "G3,01/11/2016,,CIN\n"
                         "G4,02/11/2016,,CIN\n"
                         "G5,29/02/2016,,CIN\n"
                         "G6,,7,CIN\n"               /* no date of birth: the age column */
                         "G7,01/11/2001,,CL\n");     /* 25 on the day: accepted */
    ca_error err = CA_ERROR_INIT;
    expect_ok(run(day(2026, 11, 1), 0, &err, 1, a), &err);
    expect_case("G1", "CP|0|0");
    expect_case("G2", "CP|0|-1");
    expect_case("G3", "CIN|0|10");
    expect_case("G4", "CIN|0|9");
    expect_case("G5", "CIN|0|10");
    expect_case("G6", "CIN|0|7");
    expect_case("G7", "CL|0|25");
}

static void test_refusals_write_nothing(void **state)
{
    (void)state;
    const char *a = file(0, "bad.csv",
                         "case_id,date_of_birth,age,plan_type\n"
                         "B1,02/09/2027,,CP\n"       /* one day past as-of + 10 months */
                         "B2,31/10/2000,,CL\n"       /* 26 */
                         "B3,,26,CL\n"
                         "B4,01/01/2015,,XX\n"
                         ",01/01/2015,,CP\n"
                         "B6,12/31/2015,,CP\n"
                         "B7,01/01/60,,CP\n"        /* no century gives an age of -1 to 25 */
                         "B8,01/01/2015,,CP\n"
                         "B8,02/01/2015,,CIN\n");   /* a child has one date of birth */
    ca_error err = CA_ERROR_INIT;
    assert_int_equal(run(day(2026, 11, 1), 0, &err, 1, a), CA_ERR);
    assert_int_equal(err.status, CA_REFUSED);
    char want[256];
    snprintf(want, sizeof want, "%s:2: column \"date_of_birth\": date of birth more than 10 months", a);
    expect_problem(&err, want);
    expect_problem(&err, "bad.csv:3: column \"date_of_birth\": age 26 is over 25");
    expect_problem(&err, "bad.csv:4: column \"age\": age 26 is over 25");
    expect_problem(&err, "bad.csv:5: column \"plan_type\": unknown plan type");
    expect_problem(&err, "bad.csv:6: column \"case_id\": empty case id");
    expect_problem(&err, "bad.csv:7: column \"date_of_birth\": the month is over 12");
    expect_problem(&err, "bad.csv:8: column \"date_of_birth\": the two-digit year 60 gives no age from -1 to 25");
    snprintf(want, sizeof want, "bad.csv:10: column \"date_of_birth\": case \"B8\" has date of birth 02/01/2015 here but "
             "01/01/2015 on %s:9", a);
    expect_problem(&err, want);
    assert_int_equal(err.ntotal, 8);
    assert_int_equal(count("SELECT count(*) FROM snapshot"), 0);
    assert_int_equal(count("SELECT count(*) FROM snapshot_case"), 0);
    assert_int_equal(count("SELECT count(*) FROM event"), 0);
    ca_error_free(&err);
}

static void test_same_case_same_data_is_one_case(void **state)
{
    (void)state;
    const char *a = file(0, "twice.csv", "case_id,date_of_birth,plan_type\nT1,01/01/2015,CP\nT1,01/01/2015,CP\n");
    ca_error err = CA_ERROR_INIT;
    expect_ok(run(day(2026, 11, 1), 0, &err, 1, a), &err);
    assert_int_equal(sum.rows, 2);
    assert_int_equal(sum.cases, 1);
    assert_int_equal(sum.merged, 1);
}

/* C086455 and C299011 share the 32-bit hash that the import keeps of each case id
 * (found by search): they stay two cases, and a repeat of each merges into its own. */
static void test_ids_that_share_a_hash(void **state)
{
    (void)state;
    const char *a = file(0, "list-a.csv", "case_id,date_of_birth,plan_type\n"
                                          "C086455,01/01/2015,CIN\nC299011,01/01/2012,CLA\nC086455,01/01/2015,CIN\n");
    const char *b = file(1, "list-b.csv", "case_id,date_of_birth,plan_type\n"
                                          "C299011,01/01/2012,CP\nC086455,01/01/2015,CP\n");
    ca_error err = CA_ERROR_INIT;
    expect_ok(run(day(2026, 11, 1), 0, &err, 2, a, b), &err);
    assert_int_equal(sum.rows, 5);
    assert_int_equal(sum.cases, 2);
    assert_int_equal(sum.merged, 3);
    expect_case("C086455", "CP|0|11");   /* CP > CIN */
    expect_case("C299011", "CLA|0|14");  /* CLA > CP */
    assert_int_equal(sum.open[CA_PLAN_CP], 1);
    assert_int_equal(sum.open[CA_PLAN_CLA], 1);
    assert_int_equal(count("SELECT count(*) FROM snapshot_case WHERE merge_into IS NOT NULL"), 0);
}

/* Each snapshot's rows follow the last one's; merging in one never touches another. */
static void test_snapshots_follow_each_other(void **state)
{
    (void)state;
    const char *a = file(0, "oct.csv", "case_id,date_of_birth,plan_type\nS1,01/01/2015,CP\nS2,01/01/2015,CIN\n");
    const char *b = file(1, "nov.csv", "case_id,date_of_birth,plan_type\nS1,01/01/2015,CIN\nS3,01/01/2015,EH\n");
    const char *c = file(2, "nov-cla.csv", "case_id,date_of_birth,plan_type\nS1,01/01/2015,CLA\n");
    ca_error err = CA_ERROR_INIT;
    expect_ok(run(day(2026, 10, 1), 0, &err, 1, a), &err);
    expect_ok(run(day(2026, 11, 1), 0, &err, 2, b, c), &err);
    assert_int_equal(sum.cases, 2);
    assert_int_equal(sum.merged, 1);
    expect_case("S1", "CLA|0|11");
    assert_int_equal(count("SELECT first_row FROM snapshot WHERE id = 1"), 1);
    assert_int_equal(count("SELECT last_row FROM snapshot WHERE id = 1"), 2);
    assert_int_equal(count("SELECT first_row FROM snapshot WHERE id = 2"), 3);
    assert_int_equal(count("SELECT count(*) FROM snapshot_case WHERE snapshot_id = 2 AND rowid BETWEEN"
                           " (SELECT first_row FROM snapshot WHERE id = 2) AND (SELECT last_row FROM snapshot"
                           " WHERE id = 2)"), 2);
    assert_int_equal(count("SELECT count(*) FROM snapshot_case WHERE snapshot_id = 1 AND case_id = 'S1'"
                           " AND plan_type = 'CP'"), 1);
}

static void test_dry_run_and_duplicates(void **state)
{
    (void)state;
    const char *a = file(0, "cases.csv", "case_id,date_of_birth,plan_type,shoe size\nD1,01/01/2015,CP,3\n");
    ca_error err = CA_ERROR_INIT;
    expect_ok(run(day(2026, 11, 1), 1, &err, 1, a), &err);
    assert_int_equal(sum.snapshot_id, 0);
    assert_int_equal(sum.cases, 1);
    assert_int_equal(sum.open[CA_PLAN_CP], 1);
    assert_int_equal(sum.nnotes, 1);
    assert_non_null(strstr(sum.notes[0], "columns not used: \"shoe size\""));
    assert_int_equal(count("SELECT count(*) FROM snapshot"), 0);

    expect_ok(run(day(2026, 11, 1), 0, &err, 1, a), &err);
    assert_int_equal(sum.snapshot_id, 1);
    /* The same bytes for the same as-of date again: refused, nothing written. */
    assert_int_equal(run(day(2026, 11, 1), 0, &err, 1, a), CA_ERR);
    expect_problem(&err, "cases.csv: this file was already imported in snapshot 1 as at 01/11/2026");
    ca_error_free(&err);
    assert_int_equal(count("SELECT count(*) FROM snapshot"), 1);
    /* For another as-of date too (last month's file again, SPEC §4), unless forced. */
    assert_int_equal(run(day(2026, 12, 1), 0, &err, 1, a), CA_ERR);
    expect_problem(&err, "cases.csv: this file was already imported in snapshot 1 as at 01/11/2026");
    expect_problem(&err, "give --force");
    ca_error_free(&err);
    force = 1;
    expect_ok(run(day(2026, 12, 1), 0, &err, 1, a), &err);
    assert_int_equal(sum.snapshot_id, 2);
    /* The same file twice in one import. */
    const char *b = file(1, "copy.csv", "case_id,date_of_birth,plan_type,shoe size\nD1,01/01/2015,CP,3\n");
    force = 1;
    assert_int_equal(run(day(2027, 1, 1), 0, &err, 2, a, b), CA_ERR);
    expect_problem(&err, "copy.csv: the same file as cases.csv");
    ca_error_free(&err);
    assert_int_equal(count("SELECT count(*) FROM snapshot"), 2);
}

static void test_plan_type_option_and_missing_columns(void **state)
{
    (void)state;
    const char *a = file(0, "noplan.csv", "case_id,dob\nP1,01/01/2015\nP2,01/01/2016\n");
    ca_error err = CA_ERROR_INIT;
    assert_int_equal(run(day(2026, 11, 1), 0, &err, 1, a), CA_ERR);
    expect_problem(&err, "noplan.csv:1: column \"plan_type\": required column missing (or give --plan-type; columns "
                         "found: \"case_id\", \"dob\")");
    ca_error_free(&err);
    import_options opt = {.as_of = day(2026, 11, 1), .plan = CA_PLAN_CIN, .no_team = 1};
    const char *paths[] = {a};
    expect_ok(import_run(db, paths, 1, &opt, &sum, &err), &err);
    assert_int_equal(sum.open[CA_PLAN_CIN], 2);

    const char *b = file(1, "noid.csv", "Child Unique ID,Age,CIN Start Date,CIN Closure Date\nC1,5,,\n");
    assert_int_equal(run(day(2026, 11, 1), 0, &err, 1, b), CA_ERR);
    expect_problem(&err, "noid.csv:1: column \"Case Status\": required column missing (columns found: \"Child Unique "
                         "ID\", \"Age\", \"CIN Start Date\", \"CIN Closure Date\")");
    ca_error_free(&err);
}

/* A header and no rows is refused, unless another file of the import has rows. */
static void test_header_only(void **state)
{
    (void)state;
    const char *l2 = file(0, "list2.csv", A_COMMON ",Assessment start date,Assessment completion date\r\n");
    ca_error err = CA_ERROR_INIT;
    assert_int_equal(run(day(2026, 11, 1), 0, &err, 1, l2), CA_ERR);
    char want[256];
    snprintf(want, sizeof want, "%s:2: no rows under the header: expected one row per case", l2);
    expect_problem(&err, want);
    assert_int_equal(err.ntotal, 1);
    ca_error_free(&err);
    assert_int_equal(count("SELECT count(*) FROM snapshot"), 0);

    const char *a = file(1, "cases.csv", "case_id,date_of_birth,plan_type\nH1,01/01/2015,CP\n");
    expect_ok(run(day(2026, 11, 1), 0, &err, 2, l2, a), &err);
    assert_int_equal(sum.files[0].rows, 0);
    assert_int_equal(sum.files[0].kind, KIND_ANNEX_A2);
    assert_int_equal(sum.cases, 1);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generic_headers),   cmocka_unit_test(test_annex_a_headers),
        cmocka_unit_test(test_annex_a_quirks),    cmocka_unit_test(test_unknown_headers),
        T(test_merge_by_precedence),              T(test_closed_cases),
        T(test_ages),                             T(test_refusals_write_nothing),
        T(test_same_case_same_data_is_one_case),  T(test_dry_run_and_duplicates),
        T(test_plan_type_option_and_missing_columns), T(test_header_only),
        T(test_ids_that_share_a_hash),            T(test_snapshots_follow_each_other),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
