/* snapwrite.h: writing one snapshot's cases (SPEC §4), fast.
 *
 * The import offers each file's valid rows through a callback; the writer moves a
 * whole file into SQLite with one INSERT ... SELECT from an eponymous virtual table
 * (no prepare-bind-step per row), appending at the next row ids, so that a snapshot's
 * cases are one row-id range. A case seen before in the same snapshot is found by a
 * 32-bit hash of its id (8 bytes a case; ids that share a hash are told apart by
 * reading the row back); its row is marked with the row it merges into, and the import
 * merges such rows afterwards (snap_repeats, snap_case_set, snap_drop_repeats).
 */
#ifndef CASEAUDIT_STORE_SNAPWRITE_H
#define CASEAUDIT_STORE_SNAPWRITE_H

#include <stddef.h>
#include <stdint.h>

#include "audit/store/store.h"
#include "audit/vocab.h"

/* The text fields of a case row, in the order the writer stores them. */
enum snap_field { SNAP_ID, SNAP_PLAN, SNAP_DOB, SNAP_TEAM, SNAP_WORKER, SNAP_START, SNAP_END, SNAP_GENDER,
                  SNAP_ETHNICITY, SNAP_DISABILITY, SNAP_NTEXT };

typedef struct snap_text {
    const char *p;   /* NULL: no value; not NUL-terminated */
    int n;
} snap_text;

typedef struct snap_row {
    snap_text v[SNAP_NTEXT];   /* dates as ISO text; the plan as its §2 code */
    int plan;                  /* enum ca_plan */
    int closed;
    long age;                  /* whole years at the as-of date; -1 unborn */
    long line;                 /* where it was read */
} snap_row;

/* Fills *row with the next valid row of the file: 1, or 0 at its end, or CA_ERR to
 * stop the import (err filled). The row's text stays valid until the next call. */
typedef int (*snap_next_fn)(void *u, snap_row *row, ca_error *err);

typedef struct snap_writer snap_writer;

/* Before the import's transaction: foreign-key enforcement off. Every row the writer
 * writes refers to the snapshot row it inserted first, by the id SQLite has just given
 * it (never a value from a file), so checking that a million times only repeats a
 * known-true check (about a tenth of a large import). Returns 1 when it changed;
 * give that to snap_checks_on after the transaction. */
int snap_checks_off(ca_db *db);
void snap_checks_on(ca_db *db, int changed);

/* Starts snapshot AS_OF inside the caller's transaction, with room for about
 * expected_cases cases. On success *out is owned by the caller: snap_close. */
int snap_open(ca_db *db, ca_day as_of, size_t expected_cases, snap_writer **out, ca_error *err);
/* Unregisters the virtual table and frees the writer; the transaction is the caller's. */
void snap_close(snap_writer *w);
long snap_id(const snap_writer *w);

/* Appends every row NEXT gives, as file FILESEQ (1-based). */
int snap_append(snap_writer *w, int fileseq, snap_next_fn next, void *u, ca_error *err);

/* Rows that repeat a case of this snapshot (0: every row is a case of its own). */
long snap_repeats(const snap_writer *w);

/* A stored case row, as merging reads and writes it. Strings owned by the caller of
 * snap_case_set; in a visited row, valid during the call. */
typedef struct snap_case {
    int64_t row;
    const char *case_id, *plan_type, *dob, *team, *worker, *plan_start, *plan_end, *gender, *ethnicity,
        *disability;   /* NULL when none */
    long age;
    int closed;
    int src_file;
    long src_line;
} snap_case;

/* Every case that has more than one row, row by row, grouped by case (its first row
 * first, then the others in reading order); group is the case's first row. */
int snap_repeats_list(snap_writer *w, int (*visit)(void *u, int64_t group, const snap_case *c), void *u,
                      ca_error *err);
/* Overwrites row c->row with c's values. */
int snap_case_set(snap_writer *w, const snap_case *c, ca_error *err);
/* Removes the repeated rows once merged into their case's first row. */
int snap_drop_repeats(snap_writer *w, ca_error *err);

/* Pairs of cases whose ids differ only by leading zeros (0014628 and 14628): a
 * spreadsheet has dropped the zeros of one. Each pair once: the id with zeros first. */
typedef struct snap_twin {
    const char *zeros_id, *id;
    int zeros_file, file;
    long zeros_line, line;
} snap_twin;
int snap_zero_twins(snap_writer *w, int (*visit)(void *u, const snap_twin *t), void *u, ca_error *err);

/* Cases, closed ones, and open ones by plan type, as stored now. */
int snap_counts(snap_writer *w, long *cases, long *closed, long open[CA_NPLANS], ca_error *err);

typedef struct snap_file {
    const char *name, *sha256, *kind;
    long rows;
} snap_file;
/* Records the snapshot's counts and files and logs the import. */
int snap_record(snap_writer *w, long rows, long cases, long merged, long closed, const long open[CA_NPLANS],
                const snap_file *files, int nfiles, ca_error *err);

/* A snapshot other than EXCEPT that holds a file with this SHA-256: 1 with its id and
 * as-of date, 0 when none. */
int snapshot_file_find(ca_db *db, const char *sha256, long except, long *snapshot, ca_day *as_of, ca_error *err);

#endif
