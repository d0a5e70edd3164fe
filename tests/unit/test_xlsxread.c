/* The .xlsx reader (audit/xlsxread.h) and the table reader over it and the CSV
 * reader (audit/tabread.h), on workbooks written by openpyxl, LibreOffice,
 * caseaudit itself and by hand (tests/data/xlsx/make_fixtures.py), and on
 * hostile ones. Expected values were read off the fixtures' own source: the
 * values the script wrote, and for dates openpyxl's from_excel and Python's
 * datetime (date(1899,12,30) + timedelta(serial)).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zip.h>

#include "audit/tabread.h"
#include "audit/xlsxread.h"

#define FIXTURE(name) CASEAUDIT_SOURCE_DIR "/tests/data/xlsx/" name

static xlsxr *open_book(const char *path)
{
    xlsxr *r;
    ca_error err = CA_ERROR_INIT;
    if (xlsxr_open(&r, path, &err) != CA_OK)
        fail_msg("cannot open %s: %s", path, err.msg);
    return r;
}

static void joined(const xlsxr *r, char *buf, size_t n)
{
    buf[0] = 0;
    for (int i = 0; i < xlsxr_count(r); i++) {
        strncat(buf, i ? "|" : "", n - strlen(buf) - 1);
        strncat(buf, xlsxr_field(r, i), n - strlen(buf) - 1);
    }
}

/* The next row, which must read cleanly: fields joined by '|' and its number. */
static void expect_row(xlsxr *r, const char *want, long row)
{
    ca_error err = CA_ERROR_INIT;
    int got = xlsxr_next(r, &err);
    if (got != 1)
        fail_msg("expected the row '%s', got %d (%s)", want, got, err.msg);
    char buf[1024];
    joined(r, buf, sizeof buf);
    assert_string_equal(buf, want);
    assert_int_equal(xlsxr_row(r), row);
}

/* The next row holds a bad cell: CA_REFUSED naming it, the row still read. */
static void expect_bad_row(xlsxr *r, const char *want, long row, const char *msg)
{
    ca_error err = CA_ERROR_INIT;
    assert_int_equal(xlsxr_next(r, &err), CA_ERR);
    assert_int_equal(err.status, CA_REFUSED);
    if (!strstr(err.msg, msg))
        fail_msg("expected a message with '%s', got '%s'", msg, err.msg);
    assert_int_equal(xlsxr_broken(r), 0);
    char buf[1024];
    joined(r, buf, sizeof buf);
    assert_string_equal(buf, want);
    assert_int_equal(xlsxr_row(r), row);
}

static void expect_end(xlsxr *r)
{
    ca_error err = CA_ERROR_INIT;
    assert_int_equal(xlsxr_next(r, &err), 0);
    assert_int_equal(xlsxr_next(r, &err), 0);
}

static void select_sheet(xlsxr *r, int i, const char *name)
{
    ca_error err = CA_ERROR_INIT;
    assert_string_equal(xlsxr_sheet_name(r, i), name);
    if (xlsxr_select(r, i, &err) != CA_OK)
        fail_msg("cannot select sheet %d: %s", i, err.msg);
    assert_string_equal(xlsxr_sheet(r), name);
}

static void test_openpyxl(void **state)
{
    (void)state;
    xlsxr *r = open_book(FIXTURE("openpyxl.xlsx"));
    assert_int_equal(xlsxr_sheets(r), 2);
    assert_int_equal(xlsxr_date1904(r), 0);
    select_sheet(r, 0, "Cases");
    expect_row(r, "case_id|name|dob|plan|note", 1);
    /* 14628 an int; dd/mm/yyyy a custom date format */
    expect_row(r, "14628|Siobhán|2015-03-01|CP|plain", 2);
    /* 14628.0 a float shown as 0014628 (format 0000000); mm-dd-yy is built-in 14 */
    expect_row(r, "14628|Zoë|2009-12-31|CIN|2.5", 3);
    /* serial 61 is 1900-03-01; 0.5 in h:mm is a time, not a date */
    expect_row(r, "1234567890123|TRUE|1900-03-01|FALSE|0.5", 4);
    /* B5 missing: an empty field; serial 59 is 1900-02-28 */
    expect_row(r, "C5 gap||1900-02-28", 5);
    /* rows 6-8 missing: row 9 keeps its number */
    expect_row(r, "after gap||||-3", 9);
    expect_bad_row(r, "formula", 10, FIXTURE("openpyxl.xlsx") "[Cases]:C10: the formula in this cell has no "
                   "calculated value");
    expect_bad_row(r, "error", 11, FIXTURE("openpyxl.xlsx") "[Cases]:D11: the cell shows the error #N/A");
    expect_bad_row(r, "leap", 12, FIXTURE("openpyxl.xlsx") "[Cases]:C12: the date 29/02/1900 never was");
    expect_row(r, "last|0014628|||0.1", 13);
    expect_end(r);
    select_sheet(r, 1, "Notes");
    expect_row(r, "read me", 1);
    expect_end(r);
    /* A sheet can be read again from its start. */
    select_sheet(r, 0, "Cases");
    expect_row(r, "case_id|name|dob|plan|note", 1);
    xlsxr_close(r);
}

static void test_date1904(void **state)
{
    (void)state;
    xlsxr *r = open_book(FIXTURE("date1904.xlsx"));
    assert_int_equal(xlsxr_date1904(r), 1);
    select_sheet(r, 0, "Mac");
    expect_row(r, "what|date", 1);
    expect_row(r, "as of|2026-11-01", 2);
    expect_row(r, "day 0|1904-01-01", 3);
    expect_row(r, "day 60|1904-03-01", 4); /* 1904 was a leap year: 31 + 29 days */
    expect_end(r);
    xlsxr_close(r);
}

static void test_libreoffice(void **state)
{
    (void)state;
    xlsxr *r = open_book(FIXTURE("libreoffice.xlsx"));
    select_sheet(r, 0, "libreoffice");
    expect_row(r, "case_id|name|dob|plan|age_band", 1);
    /* What LibreOffice made of the CSV with UK settings: the id lost its zeros and
     * the age band 1-4 became 1 April of the year it ran (2026), both as numbers
     * and dates in the file; the reader returns them as stored. */
    expect_row(r, "14628|Siobhán|2015-03-01|CP|2026-04-01", 2);
    expect_row(r, "22|Zoë Ó Briain|2024-02-29|CLA|10-15", 3);
    expect_end(r);
    xlsxr_close(r);
}

static void test_caseaudit(void **state)
{
    (void)state;
    xlsxr *r = open_book(FIXTURE("caseaudit.xlsx"));
    assert_int_equal(xlsxr_sheets(r), 1);
    select_sheet(r, 0, "2026-11");
    expect_row(r, "round|case_id|plan_type|age_band|team|worker|auditor|due|stratum|grade|audit_date|domain:voice|"
               "domain:assessment|domain:planning|domain:oversight|domain:timeliness|action|action_due|note", 1);
    /* ids and round labels written as text stay text; the due date is a dated cell */
    expect_row(r, "2026-11|C2|CIN|10-15|Team B|Worker 2||2026-11-30|CIN|10-15", 2);
    expect_row(r, "2026-11|0014628|CP|10-15|Team A|Siobhán Kelly||2026-11-30|CP|10-15", 3);
    expect_end(r);
    xlsxr_close(r);
}

static void test_handmade(void **state)
{
    (void)state;
    xlsxr *r = open_book(FIXTURE("handmade.xlsx"));
    assert_int_equal(xlsxr_sheets(r), 2);
    /* workbook order, not part order: Zeta lives in sheet2.xml (absolute target) */
    select_sheet(r, 0, "Zeta");
    /* shared strings: rich-text runs joined, the phonetic run left out, _x000D__x000A_ decoded */
    expect_row(r, "plain|Rich text runs|東京|line\r\nbreak", 1);
    /* inline strings (rich too), a formula's cached string, an ISO date cell */
    expect_row(r, "inline|inline rich|ab|2026-11-01", 2);
    /* a row and cells without r; 1.4628E4; a boolean; 46327 in "dd mmmm yyyy" is
     * 2026-11-01; [h]:mm and "day" 0 are no dates; 22 (date and time) keeps the day */
    expect_row(r, "14628|TRUE|2026-11-01|1.5|7|2026-11-01", 3);
    expect_bad_row(r, "|14628", 4, "[Zeta]:D4: the cell shows the error #DIV/0!");
    expect_bad_row(r, "||0", 5, "[Zeta]:A5: the formula in this cell has no calculated value");
    /* row 6 is empty and skipped; AA7 is the 27th field */
    expect_row(r, "||||||||||||||||||||||||||0.001", 7);
    expect_end(r);
    select_sheet(r, 1, "Alpha");
    expect_row(r, "alpha", 1);
    expect_end(r);
    xlsxr_close(r);
}

/* Opening or reading every row of PATH must fail with status and a message holding want. */
static void expect_hostile(const char *path, const char *want)
{
    ca_error err = CA_ERROR_INIT;
    xlsxr *r;
    int rc = xlsxr_open(&r, path, &err);
    if (rc == CA_OK && xlsxr_select(r, 0, &err) != CA_OK) {
        xlsxr_close(r);
    } else if (rc == CA_OK) {
        long rows = 0;
        while ((rc = xlsxr_next(r, &err)) == 1)
            rows++;
        assert_int_equal(rc, CA_ERR);
        assert_int_equal(xlsxr_broken(r), 1);
        ca_error again = CA_ERROR_INIT; /* the same error every later call */
        assert_int_equal(xlsxr_next(r, &again), CA_ERR);
        assert_string_equal(again.msg, err.msg);
        xlsxr_close(r);
    } else {
        assert_null(r);
    }
    assert_int_equal(err.status, CA_REFUSED);
    if (!strstr(err.msg, want))
        fail_msg("%s: expected a message with '%s', got '%s'", path, want, err.msg);
    ca_error_free(&err);
}

static void test_hostile(void **state)
{
    (void)state;
    expect_hostile(FIXTURE("bomb.xlsx"), "would expand 294 times (limit 100): the file looks like a zip bomb");
    expect_hostile(FIXTURE("bomb-lying.xlsx"), "expands more than 100 times: the file looks like a zip bomb");
    expect_hostile(FIXTURE("dtd-sheet.xlsx"), "[Sheet1]: part 'xl/worksheets/sheet1.xml' declares a DTD or "
                   "entities");
    expect_hostile(FIXTURE("dtd-workbook.xlsx"), "part 'xl/workbook.xml' declares a DTD or entities");
    expect_hostile(FIXTURE("truncated.xlsx"), "the workbook is damaged or incomplete (Not a zip archive); copy it "
                   "again, or open it in Excel and save it again as .xlsx");
    expect_hostile(FIXTURE("text.xlsx"), "not an .xlsx workbook (the file is not a zip archive): if it is a CSV "
                   "file, name it .csv");
    expect_hostile(FIXTURE("none.xlsx"), "cannot open");
}

static void test_serial_dates(void **state)
{
    (void)state;
    char d[11];
    static const struct { double serial; int mac; const char *want; } ok[] = {
        {1, 0, "1900-01-01"},      {59, 0, "1900-02-28"},     {61, 0, "1900-03-01"},
        {45000, 0, "2023-03-15"},  {45000.99, 0, "2023-03-15"}, {2958465, 0, "9999-12-31"},
        {0, 1, "1904-01-01"},      {43538, 1, "2023-03-15"}, /* 1904 serials are 1462 less */
    };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        assert_int_equal(xlsxr_serial_date(ok[i].serial, ok[i].mac, d), CA_OK);
        assert_string_equal(d, ok[i].want);
    }
    static const struct { double serial; int mac; } bad[] = {{60, 0}, {60.5, 0}, {0, 0}, {-1, 0}, {2958466, 0},
                                                              {-0.5, 1}, {2957004, 1}};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(xlsxr_serial_date(bad[i].serial, bad[i].mac, d), CA_ERR);
}

static void test_date_formats(void **state)
{
    (void)state;
    static const char *const dates[] = {"dd/mm/yyyy", "d-mmm-yy", "mmm", "[$-809]dd mmmm yyyy;@",
                                        "yyyy-mm-dd hh:mm", "[Red]dd/mm/yy", "DD/MM/YYYY", NULL};
    static const char *const others[] = {"General", "0", "0.00", "0000000", "h:mm", "[h]:mm", "mm:ss",
                                         "\"day\" 0", "0 \"dd\"", "#,##0;[Red]-#,##0", "\\d0", "@", NULL};
    for (int i = 0; dates[i]; i++)
        if (!xlsxr_format_is_date(dates[i]))
            fail_msg("'%s' is a date format", dates[i]);
    for (int i = 0; others[i]; i++)
        if (xlsxr_format_is_date(others[i]))
            fail_msg("'%s' is not a date format", others[i]);
}

/* ---- the table reader ---- */

static void test_tabread_csv(void **state)
{
    (void)state;
    char path[] = "/tmp/test_xlsxread_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "a,b\n\n1,2\n", 9), 9);
    close(fd);
    ca_error err = CA_ERROR_INIT;
    tabr *t;
    assert_int_equal(tabr_open(&t, path, 0, &err), CA_OK);
    assert_int_equal(tabr_is_xlsx(t), 0);
    assert_int_equal(tabr_sheets(t), 1);
    assert_null(tabr_sheet_name(t, 0));
    assert_null(tabr_sheet(t));
    for (int pass = 0; pass < 2; pass++) { /* selecting sheet 0 again reads it again */
        assert_int_equal(tabr_select(t, 0, &err), CA_OK);
        assert_int_equal(tabr_next(t, &err), 1);
        assert_string_equal(tabr_field(t, 1), "b");
        assert_int_equal(tabr_next(t, &err), 1);
        assert_int_equal(tabr_count(t), 2);
        assert_string_equal(tabr_field(t, 0), "1");
        assert_string_equal(tabr_field(t, 2), "");
        char where[128];
        snprintf(where, sizeof where, "%s:3", path);
        assert_string_equal(tabr_where(t), where);
        assert_int_equal(tabr_next(t, &err), 0);
    }
    char sha[65];
    assert_int_equal(tabr_sha256(t, sha, &err), CA_OK);
    /* sha256sum of the bytes "a,b\n\n1,2\n" */
    assert_string_equal(sha, "7d8fdc251145ff397758e46af84a4c454d474a0dbacca50dc129f5542c230c03");
    tabr_close(t);
    unlink(path);
}

static void test_tabread_sniffs_content(void **state)
{
    (void)state;
    /* A workbook named .csv is still a workbook. */
    char path[] = "/tmp/test_xlsxread_XXXXXX.csv";
    int fd = mkstemps(path, 4);
    assert_true(fd >= 0);
    FILE *in = fopen(FIXTURE("handmade.xlsx"), "rb");
    assert_non_null(in);
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        assert_int_equal(write(fd, buf, n), (ssize_t)n);
    fclose(in);
    close(fd);
    ca_error err = CA_ERROR_INIT;
    tabr *t;
    assert_int_equal(tabr_open(&t, path, 0, &err), CA_OK);
    assert_int_equal(tabr_is_xlsx(t), 1);
    assert_int_equal(tabr_sheets(t), 2);
    assert_string_equal(tabr_sheet(t), "Zeta"); /* the first sheet is selected */
    assert_int_equal(tabr_next(t, &err), 1);
    assert_string_equal(tabr_field(t, 1), "Rich text runs");
    char where[128];
    snprintf(where, sizeof where, "%s[Zeta]:1", path);
    assert_string_equal(tabr_where(t), where);
    assert_int_equal(tabr_select(t, 1, &err), CA_OK);
    assert_string_equal(tabr_sheet_name(t, 1), "Alpha");
    assert_int_equal(tabr_next(t, &err), 1);
    assert_string_equal(tabr_field(t, 0), "alpha");
    tabr_close(t);
    /* A text file named .xlsx is refused, not read as CSV. */
    assert_int_equal(tabr_open(&t, FIXTURE("text.xlsx"), 0, &err), CA_ERR);
    assert_null(t);
    assert_int_equal(err.status, CA_REFUSED);
    ca_error_free(&err);
    unlink(path);
}

/* ---- a full sheet: 1,048,576 rows, read in bounded memory ---- */

enum { ALL_ROWS = 1048576 };

/* Packs the sheet XML in the file dir/sheet1.xml into the workbook dir/NAME (path). */
static void pack_book(const char *dir, const char *name, char *path, size_t n)
{
    static const char wb[] = "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
                             "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
                             "<sheets><sheet name=\"Big\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
    static const char rels[] = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                               "<Relationship Id=\"rId1\" Type=\"x/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
                               "</Relationships>";
    static const char styles[] = "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
                                 "<cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/></cellXfs></styleSheet>";
    char xml[512];
    snprintf(xml, sizeof xml, "%s/sheet1.xml", dir);
    snprintf(path, n, "%s/%s", dir, name);
    int ze;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &ze);
    assert_non_null(z);
    const char *names[] = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml"};
    const char *bodies[] = {wb, rels, styles};
    for (int i = 0; i < 3; i++)
        assert_true(zip_file_add(z, names[i], zip_source_buffer(z, bodies[i], strlen(bodies[i]), 0), 0) >= 0);
    zip_int64_t idx = zip_file_add(z, "xl/worksheets/sheet1.xml", zip_source_file(z, xml, 0, -1), 0);
    assert_true(idx >= 0);
    zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 1);
    assert_int_equal(zip_close(z), 0);
    unlink(xml);
}

static FILE *sheet_file(const char *dir)
{
    char xml[512];
    snprintf(xml, sizeof xml, "%s/sheet1.xml", dir);
    FILE *f = fopen(xml, "w");
    assert_non_null(f);
    fprintf(f, "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>");
    return f;
}

static void make_big_book(const char *dir, char *path, size_t n)
{
    FILE *f = sheet_file(dir);
    for (long i = 1; i <= ALL_ROWS; i++)
        fprintf(f, "<row r=\"%ld\"><c r=\"A%ld\" t=\"inlineStr\"><is><t>C%07ld</t></is></c><c r=\"B%ld\"><v>%ld</v>"
                "</c><c r=\"C%ld\" s=\"1\"><v>%ld</v></c></row>", i, i, i * 7919 % 10000000, i, i, i, 40000 + i % 7000);
    fprintf(f, "</sheetData></worksheet>");
    assert_int_equal(fclose(f), 0);
    pack_book(dir, "big.xlsx", path, n);
}

/* Text that does not compress (so that the ratio cap does not stop it first) too
 * long for a cell or a tag, and a cell beyond column XFD: refused, naming the sheet. */
static void test_caps(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_xlsxread_caps_XXXXXX", path[600];
    assert_non_null(mkdtemp(dir));
    /* a cell's text over 4 MiB; a tag over 8 MiB (an attribute), which expat would hold whole */
    static const char *const shapes[][2] = {{"<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>", "</t></is></c>"},
                                            {"<row r=\"1\"><c r=\"A1\" x=\"", "\"/>"}};
    static const long lengths[] = {5L << 20, 9L << 20};
    for (int k = 0; k < 2; k++) {
        FILE *f = sheet_file(dir);
        fputs(shapes[k][0], f);
        uint64_t x = 88172645463325252ULL;
        for (long i = 0; i < lengths[k]; i++) { /* xorshift64: letters that deflate cannot squeeze much */
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            fputc('a' + (int)(x % 26), f);
        }
        fprintf(f, "%s</row></sheetData></worksheet>", shapes[k][1]);
        assert_int_equal(fclose(f), 0);
        pack_book(dir, "long.xlsx", path, sizeof path);
        expect_hostile(path, "[Big]:1: part 'xl/worksheets/sheet1.xml' is larger than any real workbook (a row or "
                       "a string over 4 MiB, a tag over twice that");
        unlink(path);
    }
    FILE *f = sheet_file(dir);
    fprintf(f, "<row r=\"1\"><c r=\"XFD1\"><v>1</v></c></row><row r=\"2\"><c r=\"XFE2\"><v>1</v></c></row>"
            "</sheetData></worksheet>");
    assert_int_equal(fclose(f), 0);
    pack_book(dir, "wide.xlsx", path, sizeof path);
    expect_hostile(path, "[Big]:2: a cell reference is not a cell of a worksheet");
    unlink(path);
    rmdir(dir);
}

/* In a child process: reads every row, checks the last, exits 0 when all is right.
 * The last row: C(1048576 * 7919 mod 10^7), 1048576, serial 40000 + 1048576 mod 7000
 * = 45576, which Python's date(1899,12,30) + timedelta(45576) says is 2024-10-11. */
static int read_big_book(const char *path)
{
    ca_error err = CA_ERROR_INIT;
    xlsxr *r;
    if (xlsxr_open(&r, path, &err) != CA_OK || xlsxr_select(r, 0, &err) != CA_OK)
        return 2;
    long rows = 0;
    int rc;
    char last[256] = "";
    while ((rc = xlsxr_next(r, &err)) == 1)
        if (++rows == ALL_ROWS)
            joined(r, last, sizeof last);
    int ok = rc == 0 && rows == ALL_ROWS && xlsxr_row(r) == ALL_ROWS && strcmp(last, "C3673344|1048576|2024-10-11") == 0;
    if (!ok)
        fprintf(stderr, "read %ld rows, the last '%s' (%s)\n", rows, last, err.msg);
    xlsxr_close(r);
    return ok ? 0 : 3;
}

static void test_a_million_rows(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_xlsxread_big_XXXXXX", path[600];
    assert_non_null(mkdtemp(dir));
    make_big_book(dir, path, sizeof path);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        _exit(read_big_book(path));
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    struct rusage ru;
    assert_int_equal(getrusage(RUSAGE_CHILDREN, &ru), 0);
#if defined(__SANITIZE_ADDRESS__)
    long limit_kib = 256 * 1024; /* ASan's shadow memory and quarantine */
#else
    long limit_kib = 64 * 1024; /* SPEC §11: under 64 MiB */
#endif
    const char *preload = getenv("LD_PRELOAD");
    if (preload && strstr(preload, "vgpreload"))
        limit_kib = 1024 * 1024; /* valgrind's own shadow memory (scripts/test --valgrind) */
    if (ru.ru_maxrss >= limit_kib)
        fail_msg("reading 1,048,576 rows took %ld KiB at peak", ru.ru_maxrss);
    print_message("read 1,048,576 rows in %ld KiB at peak\n", ru.ru_maxrss);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_openpyxl),
        cmocka_unit_test(test_date1904),
        cmocka_unit_test(test_libreoffice),
        cmocka_unit_test(test_caseaudit),
        cmocka_unit_test(test_handmade),
        cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_caps),
        cmocka_unit_test(test_serial_dates),
        cmocka_unit_test(test_date_formats),
        cmocka_unit_test(test_tabread_csv),
        cmocka_unit_test(test_tabread_sniffs_content),
        cmocka_unit_test(test_a_million_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
