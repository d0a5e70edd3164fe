#include "audit/store/snapshots.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/store/db.h"
#include "audit/store/internal.h"

void snapshots_free(snapshot_info *s, int n)
{
    for (int i = 0; s && i < n; i++) {
        for (int f = 0; f < s[i].nfiles; f++)
            free(s[i].files[f].name);
        free(s[i].files);
    }
    free(s);
}

static int read_files(ca_stmt *files, snapshot_info *sn, ca_error *err)
{
    int got;
    stmt_bind_int(files, ":snapshot", sn->id);
    while ((got = stmt_step(files, err)) == 1) {
        snapshot_file_info *f = realloc(sn->files, sizeof *f * (size_t)(sn->nfiles + 1));
        if (!f)
            break;
        sn->files = f;
        f = &sn->files[sn->nfiles];
        if (!(f->name = strdup(stmt_text(files, 0))))
            break;
        sn->nfiles++;
        snprintf(f->sha256, sizeof f->sha256, "%s", stmt_text(files, 1));
        f->rows = (long)stmt_int(files, 2);
    }
    stmt_reset(files);
    return got == 1 ? ca_fail(err, CA_SYSTEM, "out of memory") : got < 0 ? CA_ERR : CA_OK;
}

static void read_counts(ca_stmt *s, snapshot_info *sn)
{
    sn->id = (long)stmt_int(s, 0);
    sn->as_of = store_day(s, 1);
    sn->rows = (long)stmt_int(s, 2);
    sn->cases = (long)stmt_int(s, 3);
    sn->merged = (long)stmt_int(s, 4);
    sn->closed = (long)stmt_int(s, 5);
    for (int p = 0; p < CA_NPLANS; p++)
        sn->open[p] = (long)stmt_int(s, 6 + p);
    sn->pruned = !stmt_is_null(s, 11);
}

int snapshots_list(ca_db *db, snapshot_info **out, int *n, ca_error *err)
{
    *out = NULL;
    *n = 0;
    ca_stmt s = {0}, files = {0};
    int got = CA_ERR;
    if (stmt_prepare(db, &s,
                     "SELECT id, as_of, rows, cases, merged, closed, open_eh, open_cin, open_cp, open_cla, open_cl,"
                     " pruned_at FROM snapshot ORDER BY id", err) != CA_OK ||
        stmt_prepare(db, &files, "SELECT name, sha256, rows FROM snapshot_file WHERE snapshot_id = :snapshot"
                                 " ORDER BY seq", err) != CA_OK)
        goto done;
    while ((got = stmt_step(&s, err)) == 1) {
        snapshot_info *grown = realloc(*out, sizeof **out * (size_t)(*n + 1));
        if (!grown) {
            got = ca_fail(err, CA_SYSTEM, "out of memory");
            break;
        }
        *out = grown;
        snapshot_info *sn = &(*out)[(*n)++];
        memset(sn, 0, sizeof *sn);
        read_counts(&s, sn);
        if (read_files(&files, sn, err) != CA_OK) {
            got = CA_ERR;
            break;
        }
    }
done:
    stmt_finalize(&s);
    stmt_finalize(&files);
    if (got < 0) {
        snapshots_free(*out, *n);
        *out = NULL;
        *n = 0;
        return CA_ERR;
    }
    return CA_OK;
}
