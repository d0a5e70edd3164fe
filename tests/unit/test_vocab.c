/* Dates, age bands, vocabulary, header recognition, SHA-256 (SPEC §2, §4). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "audit/csvread.h"
#include "audit/date.h"
#include "audit/import.h"
#include "audit/sha256.h"
#include "audit/vocab.h"

static ca_day ymd(int y, int m, int d)
{
    ca_day day;
    assert_int_equal(date_from_ymd(y, m, d, &day), CA_OK);
    return day;
}

static void expect_date(const char *s, int y, int m, int d)
{
    ca_day day;
    char why[160];
    if (date_parse(s, &day, why, sizeof why) != CA_OK)
        fail_msg("'%s' was refused: %s", s, why);
    assert_int_equal(day, ymd(y, m, d));
}

static void expect_refused(const char *s, const char *reason)
{
    ca_day day;
    char why[160] = "";
    assert_int_equal(date_parse(s, &day, why, sizeof why), CA_ERR);
    if (!strstr(why, reason))
        fail_msg("'%s': expected a reason with '%s', got '%s'", s, reason, why);
}

static void test_date_formats(void **state)
{
    (void)state;
    expect_date("2026-11-01", 2026, 11, 1);
    expect_date("01/11/2026", 2026, 11, 1);
    expect_date("1/11/2026", 2026, 11, 1);
    expect_date("1/2/2026", 2026, 2, 1);
    expect_date("01-11-2026", 2026, 11, 1);
    expect_date("01.11.2026", 2026, 11, 1);
    expect_date("01 Nov 2026", 2026, 11, 1);
    expect_date("1 November 2026", 2026, 11, 1);
    expect_date("01-Nov-2026", 2026, 11, 1);
    expect_date("  29/02/2024 ", 2024, 2, 29);
    expect_date("6 Sept 2026", 2026, 9, 6);
}

static void test_date_refusals(void **state)
{
    (void)state;
    expect_refused("12/25/2026", "month-first dates are not accepted");
    expect_refused("25/12/26", "two-digit years are not accepted");
    expect_refused("31/02/2026", "no such date");
    expect_refused("29/02/2025", "no such date");
    expect_refused("2026-02-30", "no such date");
    expect_refused("", "empty date");
    expect_refused("yesterday", "expected a UK date such as 25/12/2026");
    expect_refused("01 Foo 2026", "unknown month name");
    expect_refused("2026/11/01", "expected a UK date");
    expect_refused("01/11/2026x", "expected a UK date");
}

static void test_date_arithmetic(void **state)
{
    (void)state;
    char buf[CA_DATE_ISO_LEN];
    date_iso(ymd(2026, 3, 9), buf);
    assert_string_equal(buf, "2026-03-09");
    date_uk(ymd(2026, 3, 9), buf);
    assert_string_equal(buf, "09/03/2026");
    assert_int_equal(ymd(1970, 1, 1), 0);
    assert_int_equal(date_add_months(ymd(2026, 1, 31), 1), ymd(2026, 2, 28));
    assert_int_equal(date_add_months(ymd(2024, 1, 31), 1), ymd(2024, 2, 29));
    assert_int_equal(date_add_months(ymd(2026, 11, 1), -12), ymd(2025, 11, 1));
    assert_int_equal(date_add_months(ymd(2026, 11, 1), 10), ymd(2027, 9, 1));
}

static void test_age_edges(void **state)
{
    (void)state;
    ca_day as_of = ymd(2026, 11, 1);
    ca_bands b;
    bands_default(&b);
    char code[16];
    /* Born on the as-of date: age 0, under1. */
    assert_int_equal(date_age_years(as_of, as_of), 0);
    band_code(&b, band_of(&b, 0), code, sizeof code);
    assert_string_equal(code, "under1");
    /* Born the day after: unborn. */
    assert_int_equal(date_age_years(as_of + 1, as_of), -1);
    band_code(&b, band_of(&b, -1), code, sizeof code);
    assert_string_equal(code, "unborn");
    /* A 10th birthday on the as-of date is 10-15; the day before it, 5-9. */
    assert_int_equal(date_age_years(ymd(2016, 11, 1), as_of), 10);
    assert_int_equal(date_age_years(ymd(2016, 11, 2), as_of), 9);
    band_code(&b, band_of(&b, 10), code, sizeof code);
    assert_string_equal(code, "10-15");
    band_code(&b, band_of(&b, 9), code, sizeof code);
    assert_string_equal(code, "5-9");
    /* 29 February births have their birthday on 1 March in other years. */
    assert_int_equal(date_age_years(ymd(2016, 2, 29), ymd(2026, 2, 28)), 9);
    assert_int_equal(date_age_years(ymd(2016, 2, 29), ymd(2026, 3, 1)), 10);
    assert_int_equal(date_age_years(ymd(2016, 2, 29), ymd(2024, 2, 29)), 8);
    assert_int_equal(date_age_years(ymd(2016, 2, 29), ymd(2024, 2, 28)), 7);
}

static void test_bands(void **state)
{
    (void)state;
    ca_bands b;
    bands_default(&b);
    static const char *const codes[] = {"unborn", "under1", "1-4", "5-9", "10-15", "16-17", "18+"};
    static const char *const labels[] = {"Unborn", "Under 1", "1\xe2\x80\x93" "4", "5\xe2\x80\x93" "9",
                                         "10\xe2\x80\x93" "15", "16\xe2\x80\x93" "17", "18+"};
    char buf[32];
    assert_int_equal(bands_count(&b), 7);
    for (int i = 0; i < 7; i++) {
        band_code(&b, i, buf, sizeof buf);
        assert_string_equal(buf, codes[i]);
        band_label(&b, i, buf, sizeof buf);
        assert_string_equal(buf, labels[i]);
    }
    assert_int_equal(band_of(&b, 4), 2);
    assert_int_equal(band_of(&b, 5), 3);
    assert_int_equal(band_of(&b, 17), 5);
    assert_int_equal(band_of(&b, 21), 6);
    char why[160];
    assert_int_equal(bands_parse("0, 5,12,18", &b, why, sizeof why), CA_OK);
    bands_format(&b, buf, sizeof buf);
    assert_string_equal(buf, "0,5,12,18");
    band_code(&b, 1, buf, sizeof buf);
    assert_string_equal(buf, "0-4");
    band_code(&b, 4, buf, sizeof buf);
    assert_string_equal(buf, "18+");
    assert_int_equal(bands_parse("1,5", &b, why, sizeof why), CA_ERR);
    assert_non_null(strstr(why, "must start at 0"));
    assert_int_equal(bands_parse("0,5,5", &b, why, sizeof why), CA_ERR);
    assert_int_equal(bands_parse("0,x", &b, why, sizeof why), CA_ERR);
}

static void test_grades(void **state)
{
    (void)state;
    static const struct { const char *s; int g; } cases[] = {
        {"outstanding", 1}, {"1", 1}, {"O", 1}, {" Outstanding ", 1},
        {"good", 2}, {"2", 2}, {"G", 2}, {"GOOD", 2},
        {"requires improvement", 3}, {"Requires improvement to be good", 3}, {"RI", 3}, {"rig", 3}, {"3", 3},
        {"inadequate", 4}, {"4", 4}, {"I", 4},
        {"excellent", 0}, {"", 0}, {"5", 0}, {"requires", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        if (grade_parse(cases[i].s) != cases[i].g)
            fail_msg("grade_parse('%s') = %d, expected %d", cases[i].s, grade_parse(cases[i].s), cases[i].g);
    assert_string_equal(grade_label(3), "Requires improvement");
    assert_string_equal(grade_key(3), "requires_improvement");
    assert_string_equal(grade_key(1), "outstanding");
}

static void test_plans(void **state)
{
    (void)state;
    static const struct { const char *s; int p; } cases[] = {
        {"EH", CA_PLAN_EH}, {"Early Help", CA_PLAN_EH}, {"cin", CA_PLAN_CIN}, {"Child in Need", CA_PLAN_CIN},
        {"CP", CA_PLAN_CP}, {"CPP", CA_PLAN_CP}, {"Child Protection", CA_PLAN_CP}, {"CLA", CA_PLAN_CLA},
        {"LAC", CA_PLAN_CLA}, {"CiC", CA_PLAN_CLA}, {"Looked After", CA_PLAN_CLA}, {"CL", CA_PLAN_CL},
        {"LC", CA_PLAN_CL}, {"Care Leaver", CA_PLAN_CL}, {"adoption", -1}, {"", -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        if (plan_parse(cases[i].s) != cases[i].p)
            fail_msg("plan_parse('%s') = %d, expected %d", cases[i].s, plan_parse(cases[i].s), cases[i].p);
    /* CLA > CP > CIN > CL > EH */
    assert_true(plan_precedence(CA_PLAN_CLA) > plan_precedence(CA_PLAN_CP));
    assert_true(plan_precedence(CA_PLAN_CP) > plan_precedence(CA_PLAN_CIN));
    assert_true(plan_precedence(CA_PLAN_CIN) > plan_precedence(CA_PLAN_CL));
    assert_true(plan_precedence(CA_PLAN_CL) > plan_precedence(CA_PLAN_EH));
}

static void test_headers(void **state)
{
    (void)state;
    char norm[64];
    vocab_normalise("Age of Child (Years)", norm, sizeof norm);
    assert_string_equal(norm, "ageofchildyears");
    vocab_normalise("Child\xe2\x80\x99s  Unique-ID", norm, sizeof norm);
    assert_string_equal(norm, "childsuniqueid");
    char *generic[] = {"Case_ID", "date of birth", "Plan-Type"};
    assert_int_equal(import_kind_of(generic, 3), KIND_GENERIC);
    char *l6[] = {"Child Unique ID", "Gender", "Case Status", "CIN Start Date"};
    assert_int_equal(import_kind_of(l6, 4), KIND_ANNEX_A6);
    char *l7[] = {"CHILD UNIQUE ID", "Child Protection Plan Start Date"};
    assert_int_equal(import_kind_of(l7, 2), KIND_ANNEX_A7);
    char *l8[] = {"Child Unique ID", "Date started to be looked after"};
    assert_int_equal(import_kind_of(l8, 2), KIND_ANNEX_A8);
    char *l9[] = {"Child Unique ID", "Eligibity Category"};
    assert_int_equal(import_kind_of(l9, 2), KIND_ANNEX_A9);
    char *l2[] = {"Child Unique ID", "Assessment start date"};
    assert_int_equal(import_kind_of(l2, 2), KIND_ANNEX_A2);
    char *none[] = {"Name", "Date of Birth"};
    assert_int_equal(import_kind_of(none, 2), KIND_UNKNOWN);
    static const char *const age[] = {"age", "ageofchildyears", NULL};
    char *hdr[] = {"Child Unique ID", "Age"};
    assert_int_equal(csvr_find(hdr, 2, age), 1);
}

/* FIPS 180-2, appendix B: "abc" and the empty string. */
static void test_sha256(void **state)
{
    (void)state;
    char hex[65];
    sha256_ctx *c = sha256_new();
    assert_non_null(c);
    sha256_update(c, "abc", 3);
    sha256_hex(c, hex);
    sha256_free(c);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    c = sha256_new();
    sha256_hex(c, hex);
    sha256_free(c);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    /* FIPS 180-2 B.2: the 448-bit message, fed in odd pieces. */
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    c = sha256_new();
    sha256_update(c, m, 7);
    sha256_update(c, m + 7, strlen(m) - 7);
    sha256_hex(c, hex);
    sha256_free(c);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_date_formats), cmocka_unit_test(test_date_refusals),
        cmocka_unit_test(test_date_arithmetic), cmocka_unit_test(test_age_edges),
        cmocka_unit_test(test_bands), cmocka_unit_test(test_grades),
        cmocka_unit_test(test_plans), cmocka_unit_test(test_headers),
        cmocka_unit_test(test_sha256),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
