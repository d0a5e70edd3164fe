/* Fuzzes the case-list import end to end (CSV reader, header recognition,
 * validation, merging) into an in-memory database: any bytes must import or be
 * refused with a message, never crash, and a refused import must write nothing. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/csvread.h"
#include "audit/import.h"
#include "audit/store/db.h" /* db_int: the test looks inside */

static ca_db *db;
static char path[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ca_error err = CA_ERROR_INIT;
    if (!db) {
        if (db_open(&db, ":memory:", CA_DB_CREATE, NULL, &err) != CA_OK)
            abort();
        snprintf(path, sizeof path, "/tmp/fuzz-import-%d.csv", (int)getpid());
    }
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    fwrite(data, 1, size, f);
    fclose(f);
    import_options opt = {.plan = -1, .encoding = size > 0 && (data[0] & 1) ? CSVR_CP1252 : CSVR_AUTO,
                          .no_team = size > 0 && (data[0] & 2), .force = 1};
    date_from_ymd(2026, 11, 1, &opt.as_of);
    static import_summary sum;
    const char *paths[] = {path};
    int64_t before, after;
    if (db_int(db, &before, "SELECT count(*) FROM snapshot_case", &err) != CA_OK)
        abort();
    int rc = import_run(db, paths, 1, &opt, &sum, &err);
    if (rc != CA_OK) {
        if (!err.msg[0] || err.status == CA_DONE)
            abort(); /* a refusal always says why */
        if (db_int(db, &after, "SELECT count(*) FROM snapshot_case", &err) != CA_OK || after != before)
            abort(); /* all or nothing */
    } else if (sum.rows != sum.cases + sum.merged) {
        abort();
    }
    ca_error_free(&err);
    return 0;
}
