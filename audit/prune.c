#include "audit/prune.h"

#include <stdio.h>

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
