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

/* The case rows to delete, as one condition over snapshot_case c. */
#define DOOMED                                                                              \
    " FROM snapshot_case c JOIN snapshot s ON s.id = c.snapshot_id"                        \
    " WHERE s.id <> (SELECT id FROM snapshot_latest)"                                      \
    "   AND (NOT EXISTS (SELECT 1 FROM round r WHERE r.snapshot_id = s.id)"                \
    "    OR (s.as_of < :before"                                                             \
    "        AND NOT EXISTS (SELECT 1 FROM round_case rc WHERE rc.case_id = c.case_id)))"

static void bind_cutoff(ca_stmt *s, ca_day before)
{
    char cutoff[CA_DATE_ISO_LEN] = "";  /* "" sorts before every date: no cutoff */
    if (before >= 0)
        date_iso(before, cutoff);
    stmt_bind_text(s, ":before", cutoff);
}

int snapshots_prune_count(ca_db *db, ca_day before, long *snapshots, long *case_rows, ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(db, &s, "SELECT count(DISTINCT c.snapshot_id), count(*)" DOOMED, err) != CA_OK)
        return CA_ERR;
    bind_cutoff(&s, before);
    int got = stmt_step(&s, err);
    if (got == 1) {
        *snapshots = (long)stmt_int(&s, 0);
        *case_rows = (long)stmt_int(&s, 1);
    }
    stmt_finalize(&s);
    return got == 1 ? CA_OK : CA_ERR;
}

int snapshots_prune(ca_db *db, ca_day before, ca_error *err)
{
    ca_stmt mark = {0}, del = {0};
    char now[32];
    db_now_utc(db, now);
    int got = CA_ERR;
    /* Mark first: the marking query needs the rows that the delete removes. */
    if (stmt_prepare(db, &mark, "UPDATE snapshot SET pruned_at = :now WHERE id IN (SELECT DISTINCT c.snapshot_id"
                                DOOMED ")", err) == CA_OK &&
        stmt_prepare(db, &del, "DELETE FROM snapshot_case WHERE rowid IN (SELECT c.rowid" DOOMED ")", err) == CA_OK) {
        stmt_bind_text(&mark, ":now", now);
        bind_cutoff(&mark, before);
        bind_cutoff(&del, before);
        got = stmt_step(&mark, err);
        if (got >= 0)
            got = stmt_step(&del, err);
    }
    stmt_finalize(&mark);
    stmt_finalize(&del);
    return got < 0 ? CA_ERR : CA_OK;
}

int snapshot_find(ca_db *db, long id, ca_day *as_of, long *rounds, ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(db, &s, "SELECT as_of, (SELECT count(*) FROM round r WHERE r.snapshot_id = snapshot.id)"
                             " FROM snapshot WHERE id = :id", err) != CA_OK)
        return CA_ERR;
    stmt_bind_int(&s, ":id", id);
    int got = stmt_step(&s, err);
    if (got == 1) {
        *as_of = store_day(&s, 0);
        *rounds = (long)stmt_int(&s, 1);
    }
    stmt_finalize(&s);
    return got;
}

int snapshot_remove(ca_db *db, long id, ca_error *err)
{
    static const char *const sql[] = {
        "DELETE FROM snapshot_case WHERE snapshot_id = :id",
        "DELETE FROM snapshot_file WHERE snapshot_id = :id",
        "DELETE FROM snapshot WHERE id = :id",
    };
    for (size_t i = 0; i < sizeof sql / sizeof *sql; i++) {
        ca_stmt s;
        if (stmt_prepare(db, &s, sql[i], err) != CA_OK)
            return CA_ERR;
        stmt_bind_int(&s, ":id", id);
        int got = stmt_step(&s, err);
        stmt_finalize(&s);
        if (got < 0)
            return CA_ERR;
    }
    return CA_OK;
}
