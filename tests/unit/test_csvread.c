/* The streaming CSV reader (audit/csvread.h): what real exports throw at it (SPEC §4, §10). */
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

static char path[64];

static int setup(void **state)
{
    (void)state;
    snprintf(path, sizeof path, "/tmp/test_csvread_XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    close(fd);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(path);
    return 0;
}

static void write_file(const char *bytes, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(bytes, 1, n, f), n);
    fclose(f);
}
#define WRITE(lit) write_file(lit, sizeof lit - 1)

static csvr *open_reader(int cp1252)
{
    csvr *r;
    ca_error err = CA_ERROR_INIT;
    assert_int_equal(csvr_open(&r, path, cp1252, &err), CA_OK);
    return r;
}

/* The next record, which must exist, as fields joined by '|' and its line. */
static void expect_record(csvr *r, const char *joined, long line)
{
    ca_error err = CA_ERROR_INIT;
    int got = csvr_next(r, &err);
    if (got != 1)
        fail_msg("expected the record '%s', got %d (%s)", joined, got, err.msg);
    char buf[512] = "";
    for (int i = 0; i < csvr_count(r); i++) {
        strcat(buf, i ? "|" : "");
        strcat(buf, csvr_field(r, i));
    }
    assert_string_equal(buf, joined);
    assert_int_equal(csvr_line(r), line);
}

static void expect_end(csvr *r)
{
    ca_error err = CA_ERROR_INIT;
    assert_int_equal(csvr_next(r, &err), 0);
    assert_int_equal(csvr_next(r, &err), 0);
}

/* Reads records until the reader refuses; the message must hold `want`. */
static void expect_refusal(csvr *r, int status, const char *want)
{
    ca_error err = CA_ERROR_INIT;
    int got;
    while ((got = csvr_next(r, &err)) == 1)
        ;
    assert_int_equal(got, CA_ERR);
    assert_int_equal(err.status, status);
    if (!strstr(err.msg, want))
        fail_msg("expected a message with '%s', got '%s'", want, err.msg);
    ca_error_free(&err);
}

static void test_plain_and_no_final_newline(void **state)
{
    (void)state;
    WRITE("a,b,c\n1,2,3\n4,5,6");
    csvr *r = open_reader(0);
    expect_record(r, "a|b|c", 1);
    expect_record(r, "1|2|3", 2);
    expect_record(r, "4|5|6", 3);
    expect_end(r);
    assert_int_equal(csvr_records(r), 3);
    csvr_close(r);
}

static void test_bom_crlf_quotes_and_line_breaks(void **state)
{
    (void)state;
    WRITE("\xef\xbb\xbf" "id,team,worker\r\n"
          "1,\"North, East\",\"Ann \"\"Nan\"\" Lee\"\r\n"
          "2,\"Two\r\nlines\",Bob\r\n"
          "3,,\r\n");
    csvr *r = open_reader(0);
    expect_record(r, "id|team|worker", 1);   /* the BOM is not part of "id" */
    expect_record(r, "1|North, East|Ann \"Nan\" Lee", 2);
    expect_record(r, "2|Two\r\nlines|Bob", 3);
    expect_record(r, "3||", 5);             /* the line where the record starts */
    expect_end(r);
    csvr_close(r);
}

static void test_blank_lines_skipped_but_counted(void **state)
{
    (void)state;
    WRITE("a,b\n\n\r\n,\n1,2\n,,\n3,4\n");
    csvr *r = open_reader(0);
    expect_record(r, "a|b", 1);
    expect_record(r, "1|2", 5);
    expect_record(r, "3|4", 7);
    expect_end(r);
    csvr_close(r);
}

static void test_formula_quote_stripped(void **state)
{
    (void)state;
    /* Our exports prefix ' to cells beginning = + - @ tab CR; only those lose it. */
    WRITE("a,b,c,d,e,f,g,h\n'=1+1,'+44,'-x,'@SUM(A1),\"'\tx\",'abc,',O'Neill\n");
    csvr *r = open_reader(0);
    expect_record(r, "a|b|c|d|e|f|g|h", 1);
    expect_record(r, "=1+1|+44|-x|@SUM(A1)|\tx|'abc|'|O'Neill", 2);
    expect_end(r);
    csvr_close(r);
}

static void test_field_past_the_end_is_empty(void **state)
{
    (void)state;
    WRITE("a,b\n1\n");
    csvr *r = open_reader(0);
    expect_record(r, "a|b", 1);
    expect_record(r, "1", 2);
    assert_int_equal(csvr_count(r), 1);
    assert_string_equal(csvr_field(r, 1), "");
    assert_string_equal(csvr_field(r, -1), "");
    csvr_close(r);
}

static void test_empty_file(void **state)
{
    (void)state;
    write_file("", 0);
    csvr *r = open_reader(0);
    expect_end(r);
    char hex[65];
    csvr_sha256(r, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    csvr_close(r);
}

static void test_sha256_of_the_raw_bytes(void **state)
{
    (void)state;
    static const char bytes[] = "\xef\xbb\xbf" "a,b\r\n\"x\r\ny\",2\r\n\r\n";
    WRITE(bytes);
    csvr *r = open_reader(0);
    ca_error err = CA_ERROR_INIT;
    while (csvr_next(r, &err) == 1)
        ;
    char got[65];
    csvr_sha256(r, got);
    /* As sha256sum(1) gives it for the same bytes, BOM and CRs included. */
    assert_string_equal(got, "c8a9d9fd12bb7832259a9660175fcddabe71e395808b9bf35c60bc45194c282c");
    csvr_close(r);
}

static void test_unclosed_quote(void **state)
{
    (void)state;
    char *names[] = {"id", "dob", "plan"};
    WRITE("id,dob,plan\n1,2,3\n2,\"01/01/2015,CP\n3,4,5\n");
    csvr *r = open_reader(0);
    expect_record(r, "id|dob|plan", 1);
    csvr_set_names(r, names, 3);
    char want[256];
    snprintf(want, sizeof want, "%s:3: a quoted field is never closed in column \"dob\"", path);
    expect_refusal(r, CA_REFUSED, want);
    csvr_close(r);

    /* Without names: the line only. */
    r = open_reader(0);
    snprintf(want, sizeof want, "%s:3: a quoted field is never closed (a", path);
    expect_refusal(r, CA_REFUSED, want);
    csvr_close(r);
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    char *names[] = {"id", "team"};
    static const struct { const char *line; const char *byte; } bad[] = {
        {"1,Ren\xe9" "e\n", "0xe9"},               /* Windows-1252 é */
        {"1,\xc0\x80\n", "0xc0"},                  /* overlong NUL */
        {"1,\xed\xa0\x80\n", "0xed"},              /* a UTF-16 surrogate */
        {"1,\xf4\x90\x80\x80\n", "0xf4"},          /* beyond U+10FFFF */
        {"1,\xe2\x82\n", "0xe2"},                  /* cut short */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char content[64], want[256];
        snprintf(content, sizeof content, "id,team\n%s", bad[i].line);
        write_file(content, strlen(content));
        csvr *r = open_reader(CSVR_UTF8);
        assert_int_equal(csvr_guessed_cp1252(r), 0);
        expect_record(r, "id|team", 1);
        csvr_set_names(r, names, 2);
        snprintf(want, sizeof want, "%s:2: not valid UTF-8 (byte %s) in column \"team\", though --encoding utf-8 "
                 "was given", path, bad[i].byte);
        expect_refusal(r, CA_REFUSED, want);
        csvr_close(r);
    }
    /* Valid UTF-8 of every length passes untouched. */
    WRITE("id,team\n1,\xc3\xa9\xe2\x80\x99\xf0\x9f\x98\x80\n");
    csvr *r = open_reader(0);
    expect_record(r, "id|team", 1);
    expect_record(r, "1|\xc3\xa9\xe2\x80\x99\xf0\x9f\x98\x80", 2);
    csvr_close(r);
}

/* Without a forced encoding each file is read as it is (SPEC §4): UTF-8 when the whole
 * file is, else Windows-1252, and the reader says it guessed. A character cut by the end
 * of the 256 KiB block of the pre-scan is still UTF-8. */
static void test_encoding_decided_per_file(void **state)
{
    (void)state;
    WRITE("id,team\n1,Ren\xe9" "e\n");
    csvr *r = open_reader(CSVR_AUTO);
    assert_int_equal(csvr_guessed_cp1252(r), 1);
    expect_record(r, "id|team", 1);
    expect_record(r, "1|Ren\xc3\xa9" "e", 2);
    csvr_close(r);
    size_t n = (1 << 18) + 64;
    char *big = malloc(n);
    assert_non_null(big);
    memset(big, 'a', n);
    memcpy(big, "id,team\n1,", 10);
    memcpy(big + (1 << 18) - 1, "\xc3\xa9", 2);   /* straddles the block boundary */
    big[n - 1] = '\n';
    write_file(big, n);
    free(big);
    r = open_reader(CSVR_AUTO);
    assert_int_equal(csvr_guessed_cp1252(r), 0);
    csvr_close(r);
}

static void test_column_of_a_bad_byte_in_a_multiline_field(void **state)
{
    (void)state;
    char *names[] = {"id", "team", "worker"};
    /* The bad byte is on line 3, inside the quoted team that began on line 2 and holds a comma. */
    WRITE("id,team,worker\n1,\"North,\n\"\"East\"\", \xff\",Ann\n");
    csvr *r = open_reader(CSVR_UTF8);
    expect_record(r, "id|team|worker", 1);
    csvr_set_names(r, names, 3);
    char want[256];
    snprintf(want, sizeof want, "%s:3: not valid UTF-8 (byte 0xff) in column \"team\"", path);
    expect_refusal(r, CA_REFUSED, want);
    csvr_close(r);
}

static void test_nul_byte(void **state)
{
    (void)state;
    char *names[] = {"a", "b"};
    WRITE("a,b\n1,x\0y\n");
    csvr *r = open_reader(0);
    expect_record(r, "a|b", 1);
    csvr_set_names(r, names, 2);
    char want[256];
    snprintf(want, sizeof want, "%s:2: the line holds a NUL byte in column \"b\"", path);
    expect_refusal(r, CA_REFUSED, want);
    csvr_close(r);
}

static void test_cp1252_converted(void **state)
{
    (void)state;
    WRITE("id,worker\r\n1,Ren\xe9" "e\r\n2,\x80" "5 \x93quoted\x94\r\n");
    csvr *r = open_reader(1);
    expect_record(r, "id|worker", 1);
    expect_record(r, "1|Ren\xc3\xa9" "e", 2);
    expect_record(r, "2|\xe2\x82\xac" "5 \xe2\x80\x9cquoted\xe2\x80\x9d", 3);
    expect_end(r);
    csvr_close(r);

    /* 0x81 has no character in Windows-1252. */
    char *names[] = {"id", "worker"};
    WRITE("id,worker\n1,a\x81\n");
    r = open_reader(1);
    expect_record(r, "id|worker", 1);
    csvr_set_names(r, names, 2);
    char want[256];
    snprintf(want, sizeof want, "%s:2: byte 0x81 is not a Windows-1252 (cp1252) character in column \"worker\"", path);
    expect_refusal(r, CA_REFUSED, want);
    csvr_close(r);
}

static void test_too_many_fields(void **state)
{
    (void)state;
    size_t n = (CSVR_MAX_FIELDS + 10) * 2;
    char *s = malloc(n + 1);
    assert_non_null(s);
    for (size_t i = 0; i < n; i += 2)
        s[i] = 'x', s[i + 1] = ',';
    s[n - 1] = '\n';
    write_file(s, n);
    free(s);
    csvr *r = open_reader(0);
    expect_refusal(r, CA_REFUSED, ":1: more than 2000 fields in one record");
    csvr_close(r);
}

/* A quote never closed early in a big file is refused once the record passes 1 MiB,
 * rather than gathering the rest of the file into memory. */
static void test_run_on_quote_bounded(void **state)
{
    (void)state;
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs("id,team\n1,North\n2,\"South\n", f);
    for (int i = 0; i < 20000; i++)
        fprintf(f, "%099d\n", i);
    fclose(f);
    char *names[] = {"id", "team"};
    csvr *r = open_reader(0);
    expect_record(r, "id|team", 1);
    csvr_set_names(r, names, 2);
    expect_record(r, "1|North", 2);
    char want[256];
    snprintf(want, sizeof want, "%s:3: a quoted field runs on for more than 1048576 bytes in column \"team\"", path);
    expect_refusal(r, CA_REFUSED, want);
    csvr_close(r);
}

static void test_missing_file(void **state)
{
    (void)state;
    csvr *r = (csvr *)1;
    ca_error err = CA_ERROR_INIT;
    assert_int_equal(csvr_open(&r, "/nonexistent/x.csv", 0, &err), CA_ERR);
    assert_null(r);
    assert_int_equal(err.status, CA_REFUSED);
    assert_string_equal(err.msg, "cannot open '/nonexistent/x.csv': No such file or directory");
}

/* Many records through the reader's buffers: every one whole, every line number right. */
static void test_many_records(void **state)
{
    (void)state;
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs("id,note\n", f);
    for (int i = 0; i < 20000; i++)
        fprintf(f, i % 100 == 0 ? "%d,\"a\nb\"\n" : "%d,n%d\n", i, i);
    fclose(f);
    csvr *r = open_reader(0);
    ca_error err = CA_ERROR_INIT;
    assert_int_equal(csvr_next(r, &err), 1);
    long line = 2;
    for (int i = 0; i < 20000; i++) {
        assert_int_equal(csvr_next(r, &err), 1);
        assert_int_equal(csvr_count(r), 2);
        assert_int_equal(atoi(csvr_field(r, 0)), i);
        assert_int_equal(csvr_line(r), line);
        line += i % 100 == 0 ? 2 : 1;
    }
    expect_end(r);
    csvr_close(r);
}

static void test_header_lookup(void **state)
{
    (void)state;
    char *hdr[] = {"Child Unique ID", "Date of  Birth", "Age of Child (Years)", "Eligibity Category"};
    static const char *const dob[] = {"dateofbirth", "dob", NULL};
    static const char *const age[] = {"age", "ageofchildyears", NULL};
    static const char *const team[] = {"team", NULL};
    assert_int_equal(csvr_find(hdr, 4, dob), 1);
    assert_int_equal(csvr_find(hdr, 4, age), 2);
    assert_int_equal(csvr_find(hdr, 4, team), -1);
    char *t = csvr_trim_dup(" \t x y \r\n");
    assert_string_equal(t, "x y");
    free(t);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_plain_and_no_final_newline), T(test_bom_crlf_quotes_and_line_breaks),
        T(test_blank_lines_skipped_but_counted), T(test_formula_quote_stripped),
        T(test_field_past_the_end_is_empty), T(test_empty_file), T(test_sha256_of_the_raw_bytes),
        T(test_unclosed_quote), T(test_invalid_utf8), T(test_encoding_decided_per_file), T(test_column_of_a_bad_byte_in_a_multiline_field),
        T(test_nul_byte), T(test_cp1252_converted), T(test_too_many_fields), T(test_run_on_quote_bounded), T(test_missing_file),
        T(test_many_records), T(test_header_lookup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
