#include "audit/prune.h"

#include <stdio.h>

#include "audit/store/rounds.h"
#include "audit/store/snapshots.h"

int prune_run(ca_db *db, ca_day before, int dry_run, prune_result *out, ca_error *err)
{
    if (db_begin(db, err) != CA_OK)
        return CA_ERR;
    int rc = snapshots_prune_count(db, before, &out->snapshots, &out->case_rows, err);
    if (rc != CA_OK || dry_run || out->case_rows == 0) {
        db_rollback(db);
        return rc;
    }
    char detail[160], uk[CA_DATE_ISO_LEN];
    int len = snprintf(detail, sizeof detail, "deleted %ld case rows from %ld snapshots", out->case_rows,
                       out->snapshots);
    if (before >= 0) {
        date_iso(before, uk);
        snprintf(detail + len, sizeof detail - (size_t)len, " (cutoff %s)", uk);
    }
    rc = snapshots_prune(db, before, err);
    if (rc == CA_OK)
        rc = db_event(db, "prune", NULL, NULL, detail, err);
    return rc == CA_OK ? db_commit(db, err) : (db_rollback(db), CA_ERR);
}

static int round_delete_checked(ca_db *db, const char *label, ca_error *err)
{
    round_info r;
    long graded = 0;
    char detail[200];
    if (round_by_label(db, label, &r, err) != CA_OK || round_grades(db, r.id, &graded, err) != CA_OK)
        return CA_ERR;
    if (graded)
        return ca_fail(err, CA_REFUSED, "round %s has %ld grade%s recorded: a graded round can never be deleted",
                       r.label, graded, graded == 1 ? "" : "s");
    snprintf(detail, sizeof detail, "deleted round %s (seed %s, from snapshot %ld) before any grade", r.label, r.seed,
             r.snapshot_id);
    if (round_remove(db, r.id, err) != CA_OK)
        return CA_ERR;
    return db_event(db, "round delete", r.label, NULL, detail, err);
}

int round_delete(ca_db *db, const char *label, ca_error *err)
{
    if (db_begin(db, err) != CA_OK)
        return CA_ERR;
    return round_delete_checked(db, label, err) == CA_OK ? db_commit(db, err) : (db_rollback(db), CA_ERR);
}

static int snapshot_delete_checked(ca_db *db, long id, ca_error *err)
{
    ca_day as_of = 0;
    long rounds = 0;
    char uk[CA_DATE_ISO_LEN], detail[160];
    int got = snapshot_find(db, id, &as_of, &rounds, err);
    if (got < 0)
        return CA_ERR;
    if (got == 0)
        return ca_fail(err, CA_REFUSED, "there is no snapshot %ld (see 'caseaudit snapshots')", id);
    date_uk(as_of, uk);
    if (rounds)
        return ca_fail(err, CA_REFUSED, "snapshot %ld (as at %s) was drawn from by %ld round%s: a snapshot that a "
                       "round used is kept (prune removes its case rows when no list needs them)", id, uk, rounds,
                       rounds == 1 ? "" : "s");
    snprintf(detail, sizeof detail, "deleted snapshot %ld as at %s, which no round drew from", id, uk);
    if (snapshot_remove(db, id, err) != CA_OK)
        return CA_ERR;
    return db_event(db, "snapshot delete", NULL, NULL, detail, err);
}

int snapshot_delete(ca_db *db, long id, ca_error *err)
{
    if (db_begin(db, err) != CA_OK)
        return CA_ERR;
    return snapshot_delete_checked(db, id, err) == CA_OK ? db_commit(db, err) : (db_rollback(db), CA_ERR);
}
