/* CSV for people (audit/render/output.h, SPEC §10, §13): which values are guarded
 * against a spreadsheet's conversions, the exact bytes written, and the CSV reader
 * giving back exactly what was written. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/csvread.h"
#include "audit/render/output.h"

/* Values Excel or LibreOffice (default settings) turn into numbers, dates, times,
 * percentages or booleans. The LibreOffice ones were seen converting in
 * LibreOffice 7.4 (soffice --headless --convert-to xlsx, then openpyxl): 0012345
 * -> 12345, 18+ -> 18, 1/2 -> 2 January, 12:30 -> a time, TRUE -> true, (5) -> -5,
 * 5- -> -5, 5% -> 0.05, Nov-26 -> a date, 1.50 -> 1.5, 1E5 -> 100000; Excel's 1-4
 * -> 1 April and 2026-11 -> Nov-26 are what issue 15 reports. */
static void test_guarded(void **state)
{
    (void)state;
    static const char *const yes[] = {"0012345", "1-4",    "5-9",   "10-15", "16-17", "18+",   "2026-11", "1/2",
                                      "12:30",   "TRUE",   "false", "(5)",   "5-",    "5%",    "Nov-26",  "1.50",
                                      "1,000",   "1E5",    "1e-3",  "0",     "123456789012", "1 April", "sept 3",
                                      "00"};
    static const char *const no[] = {"",         "under1", "unborn", "12345",   "12345678901", "Team 1", "CIN|1-4",
                                     "C37",      "CP",     "Owen Driscoll", "Siobhán", "March", "1st", "A-1",
                                     "Team 1-2", "Ann", "E13", "e5", "E-13"};
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
        if (!out_cell_guarded(yes[i]))
            fail_msg("\"%s\" should be guarded", yes[i]);
    for (size_t i = 0; i < sizeof no / sizeof *no; i++)
        if (out_cell_guarded(no[i]))
            fail_msg("\"%s\" should not be guarded", no[i]);
}

static out_table *sample_table(int for_people)
{
    out_table *t = otab_new();
    otab_col(t, "round", COL_TEXT);
    otab_col(t, "case_id", COL_TEXT);
    otab_col(t, "age_band", COL_TEXT);
    otab_col(t, "due", COL_DATE);
    otab_col(t, "note", COL_WRITE);
    otab_row(t);
    otab_text(t, "2026-11");
    otab_text(t, "0012345");
    otab_text(t, "1-4");
    otab_text(t, "2026-11-30");
    otab_text(t, "=HYPERLINK(\"x\")");
    otab_row(t);
    otab_text(t, "2026-11");
    otab_text(t, "C7");
    otab_text(t, "18+");
    otab_null(t);
    otab_text(t, "1,000");
    if (for_people)
        otab_for_people(t);
    return t;
}

static char *written(const out_table *t, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    assert_non_null(f);
    assert_int_equal(otab_write(t, OUT_CSV, f), 0);
    fclose(f);
    return buf;
}

static void test_bytes(void **state)
{
    (void)state;
    out_table *t = sample_table(1);
    size_t len;
    char *got = written(t, &len);
#define G "\xe2\x81\xa0"
    const char *want = "\xef\xbb\xbfround,case_id,age_band,due,note\r\n"
                       G "2026-11," G "0012345," G "1-4,2026-11-30,\"'=HYPERLINK(\"\"x\"\")\"\r\n"
                       G "2026-11,C7," G "18+,,\"" G "1,000\"\r\n";
    assert_string_equal(got, want);
    free(got);
    otab_free(t);
    /* Machine CSV keeps exact values: no mark, no guard. */
    t = sample_table(0);
    got = written(t, &len);
    assert_string_equal(got, "round,case_id,age_band,due,note\r\n"
                             "2026-11,0012345,1-4,2026-11-30,\"'=HYPERLINK(\"\"x\"\")\"\r\n"
                             "2026-11,C7,18+,,\"1,000\"\r\n");
    free(got);
    otab_free(t);
}

/* What the list says is what the reader reads back: the mark, the guards and the
 * formula quote all come off. */
static void test_read_back(void **state)
{
    (void)state;
    char path[] = "/tmp/test_people_csv_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    out_table *t = sample_table(1);
    assert_int_equal(otab_write(t, OUT_CSV, f), 0);
    fclose(f);
    ca_error err = CA_ERROR_INIT;
    csvr *r;
    assert_int_equal(csvr_open(&r, path, CSVR_AUTO, &err), CA_OK);
    static const char *const want[3][5] = {{"round", "case_id", "age_band", "due", "note"},
                                           {"2026-11", "0012345", "1-4", "2026-11-30", "=HYPERLINK(\"x\")"},
                                           {"2026-11", "C7", "18+", "", "1,000"}};
    for (int row = 0; row < 3; row++) {
        assert_int_equal(csvr_next(r, &err), 1);
        assert_int_equal(csvr_count(r), 5);
        for (int c = 0; c < 5; c++)
            assert_string_equal(csvr_field(r, c), want[row][c]);
    }
    assert_int_equal(csvr_next(r, &err), 0);
    csvr_close(r);
    ca_error_free(&err);
    otab_free(t);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_guarded),
        cmocka_unit_test(test_bytes),
        cmocka_unit_test(test_read_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
