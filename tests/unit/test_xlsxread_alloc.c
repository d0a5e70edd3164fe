/* Out of memory at every allocation of the .xlsx reader (audit/xlsxread.c) and the
 * table reader over it, as tests/unit/test_alloc.c does for the operations: the
 * binary is linked with -Wl,--wrap for malloc, calloc, realloc and strdup, so that
 * each allocation of caseaudit's own code, and expat's (the reader gives expat our
 * malloc), can be made to fail in turn (libzip's are its own; their failure is
 * mapped to out of memory too). Reading a workbook whole, each run must either
 * give exactly what the full run gave or fail as a system error ("out of memory");
 * never a refusal or other rows. LeakSanitizer (the ASan build) checks nothing leaks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "audit/tabread.h"

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

#define FIXTURE(name) CASEAUDIT_SOURCE_DIR "/tests/data/xlsx/" name

enum { DUMP = 1 << 14 };

/* Reads every sheet of path into out (rows, and the messages of bad cells); the
 * status of the error that stopped it, or CA_DONE. */
static int read_all(const char *path, char *out)
{
    ca_error err = CA_ERROR_INIT;
    size_t o = 0;
    out[0] = 0;
    tabr *t;
    if (tabr_open(&t, path, 0, &err) != CA_OK)
        return err.status;
    int status = CA_DONE;
    for (int s = 0; s < tabr_sheets(t) && status == CA_DONE; s++) {
        if (tabr_select(t, s, &err) != CA_OK) {
            status = err.status;
            break;
        }
        int rc;
        while ((rc = tabr_next(t, &err)) != 0) {
            if (rc < 0 && !tabr_can_go_on(t)) {
                status = err.status;
                break;
            }
            if (rc < 0)
                o += (size_t)snprintf(out + o, DUMP - o, "! %s\n", err.msg);
            ca_error_free(&err);
            o += (size_t)snprintf(out + o, DUMP - o, "%s:", tabr_where(t));
            for (int i = 0; i < tabr_count(t) && o < DUMP; i++)
                o += (size_t)snprintf(out + o, DUMP - o, "|%s", tabr_field(t, i));
            o += (size_t)snprintf(out + o, DUMP - o, "\n");
            assert_true(o < DUMP);
        }
    }
    if (status == CA_SYSTEM)
        assert_string_equal(err.msg, "out of memory");
    tabr_close(t);
    ca_error_free(&err);
    return status;
}

static void every_allocation_fails_once(const char *path)
{
    static char want[DUMP], got[DUMP];
    fail_at = 0;
    allocations = 0;
    assert_int_equal(read_all(path, want), CA_DONE);
    long total = allocations;
    assert_true(total > 10);
    long failed = 0;
    for (long k = 1; k <= total; k++) {
        fail_at = k;
        allocations = 0;
        int status = read_all(path, got);
        fail_at = 0;
        if (status == CA_DONE) {
            if (strcmp(got, want) != 0)
                fail_msg("%s: with allocation %ld failing, the reading gave other rows:\n%s", path, k, got);
        } else if (status == CA_SYSTEM) {
            failed++;
        } else {
            fail_msg("%s: with allocation %ld failing, the reading ended with status %d", path, k, status);
        }
    }
    assert_true(failed > 0);
    print_message("%s: %ld allocations, each failing in turn: %ld runs out of memory, the others the same rows\n",
                  strrchr(path, '/') + 1, total, failed);
}

static void test_handmade(void **state)
{
    (void)state;
    every_allocation_fails_once(FIXTURE("handmade.xlsx"));
}

static void test_openpyxl(void **state)
{
    (void)state;
    every_allocation_fails_once(FIXTURE("openpyxl.xlsx"));
}

static void test_caseaudit(void **state)
{
    (void)state;
    every_allocation_fails_once(FIXTURE("caseaudit.xlsx"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_handmade),
        cmocka_unit_test(test_openpyxl),
        cmocka_unit_test(test_caseaudit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
