#include "audit/prune.h"

#include <stdio.h>

/* The case rows to delete, as one condition over snapshot_case c. */
#define DOOMED                                                                              \
    " FROM snapshot_case c JOIN snapshot s ON s.id = c.snapshot_id"                        \
    " WHERE (NOT EXISTS (SELECT 1 FROM round r WHERE r.snapshot_id = s.id)"                \
    "        AND s.id <> (SELECT max(id) FROM snapshot))"                                  \
    "    OR (s.as_of < :before"                                                             \
    "        AND NOT EXISTS (SELECT 1 FROM round_case rc WHERE rc.case_id = c.case_id))"

int prune_run(ca_db *db, ca_day before, int dry_run, prune_result *out, ca_error *err)
{
    char cutoff[CA_DATE_ISO_LEN] = "";  /* "" sorts before every date: no cutoff */
    if (before >= 0)
        date_iso(before, cutoff);
    ca_stmt count = {0}, del = {0}, mark = {0};
    int rc = CA_ERR;
    if (db_begin(db, err) != CA_OK)
        return CA_ERR;
    if (stmt_prepare(db, &count, "SELECT count(DISTINCT c.snapshot_id), count(*)" DOOMED, err) != CA_OK)
        goto done;
    stmt_bind_text(&count, ":before", cutoff);
    if (stmt_step(&count, err) != 1)
        goto done;
    out->snapshots = stmt_int(&count, 0);
    out->case_rows = stmt_int(&count, 1);
    if (dry_run || out->case_rows == 0) {
        rc = CA_OK;
        goto done;
    }
    char now[32];
    db_now_utc(db, now);
    /* Mark first: the marking query needs the rows that the delete removes. */
    if (stmt_prepare(db, &mark,
                     "UPDATE snapshot SET pruned_at = :now"
                     " WHERE id IN (SELECT DISTINCT c.snapshot_id" DOOMED ")", err) != CA_OK)
        goto done;
    stmt_bind_text(&mark, ":now", now);
    stmt_bind_text(&mark, ":before", cutoff);
    if (stmt_step(&mark, err) < 0)
        goto done;
    if (stmt_prepare(db, &del,
                     "DELETE FROM snapshot_case WHERE (snapshot_id, case_id) IN"
                     " (SELECT c.snapshot_id, c.case_id" DOOMED ")", err) != CA_OK)
        goto done;
    stmt_bind_text(&del, ":before", cutoff);
    if (stmt_step(&del, err) < 0)
        goto done;
    char detail[160];
    if (*cutoff)
        snprintf(detail, sizeof detail, "deleted %ld case rows from %ld snapshots (cutoff %s)", out->case_rows,
                 out->snapshots, cutoff);
    else
        snprintf(detail, sizeof detail, "deleted %ld case rows from %ld snapshots", out->case_rows,
                 out->snapshots);
    rc = db_event(db, "prune", NULL, NULL, detail, err);
done:
    stmt_finalize(&count);
    stmt_finalize(&mark);
    stmt_finalize(&del);
    if (rc == CA_OK && !dry_run && out->case_rows)
        return db_commit(db, err);
    db_rollback(db);
    return rc;
}
