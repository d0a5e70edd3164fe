/* snapshots.h: the imported snapshots (SPEC §4), as listed by 'caseaudit snapshots'. */
#ifndef CASEAUDIT_STORE_SNAPSHOTS_H
#define CASEAUDIT_STORE_SNAPSHOTS_H

#include "audit/store/store.h"
#include "audit/vocab.h"

typedef struct snapshot_file_info {
    char *name;
    char sha256[65];
    long rows;
} snapshot_file_info;

typedef struct snapshot_info {
    long id;
    ca_day as_of;
    long rows, cases, merged, closed;
    long open[CA_NPLANS];          /* open cases by plan type, in §2 order */
    int pruned;
    int nfiles;
    snapshot_file_info *files;
} snapshot_info;

/* Every snapshot by id, with its files. On success *out (n entries) is owned by the
 * caller: snapshots_free. On error *out is NULL and *n 0. */
int snapshots_list(ca_db *db, snapshot_info **out, int *n, ca_error *err);
void snapshots_free(snapshot_info *s, int n);

/* Data minimisation (SPEC §3): the case rows no round needs. Without a cutoff (before
 * < 0): every case row of each snapshot that no round drew from. With one: also, in
 * snapshots whose as-of date is before it, every case row on no round's list. Never
 * a row of the latest snapshot (the greatest as-of date). snapshots_prune_count counts
 * them; snapshots_prune deletes them and marks their snapshots pruned (inside the
 * caller's transaction). */
int snapshots_prune_count(ca_db *db, ca_day before, long *snapshots, long *case_rows, ca_error *err);
int snapshots_prune(ca_db *db, ca_day before, ca_error *err);

/* Snapshot ID: 1 with its as-of date and how many rounds drew from it, 0 when none. */
int snapshot_find(ca_db *db, long id, ca_day *as_of, long *rounds, ca_error *err);
/* Removes snapshot ID with its files and case rows (inside the caller's transaction). */
int snapshot_remove(ca_db *db, long id, ca_error *err);
#endif
