/* Fuzzes the readers of returned audit and moderation lists: any bytes must give
 * rows or a refusal with a message, never a crash. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/grade.h"
#include "moderation/moderate.h"

static ca_db *db;
static char path[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ca_error err = CA_ERROR_INIT;
    if (!db) {
        if (db_open(&db, ":memory:", CA_DB_CREATE, NULL, &err) != CA_OK)
            abort();
        snprintf(path, sizeof path, "/tmp/fuzz-returns-%d.csv", (int)getpid());
    }
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    fwrite(data, 1, size, f);
    fclose(f);
    grade_input *g = NULL;
    long n = 0, skipped = 0;
    if (grade_read_file(db, "2026-11", path, size > 0 && (data[0] & 1), &g, &n, &skipped, &err) != CA_OK && !err.msg[0])
        abort();
    for (long i = 0; i < n; i++) {
        if (g[i].grade < 1 || g[i].grade > 4 || !g[i].case_id)
            abort();
        grade_input_free(&g[i]);
    }
    free(g);
    ca_error_free(&err);
    mod_input *m = NULL;
    n = 0;
    if (moderation_read_file("2026-11", path, size > 0 && (data[0] & 2), &m, &n, &skipped, &err) != CA_OK && !err.msg[0])
        abort();
    for (long i = 0; i < n; i++) {
        if (m[i].grade < 1 || m[i].grade > 4 || !m[i].round)
            abort();
        mod_input_free(&m[i]);
    }
    free(m);
    ca_error_free(&err);
    return 0;
}
