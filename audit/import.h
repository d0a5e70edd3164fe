/* import.h: importing the monthly list of open cases as one snapshot (SPEC §4). */
#ifndef CASEAUDIT_IMPORT_H
#define CASEAUDIT_IMPORT_H

#include "audit/date.h"
#include "audit/store/store.h"
#include "audit/vocab.h"

/* The kinds of file recognised from the header. */
enum import_kind {
    KIND_GENERIC,
    KIND_ANNEX_A2,   /* early help (assessments) */
    KIND_ANNEX_A6,   /* children in need; plan from Case Status */
    KIND_ANNEX_A7,   /* child protection plans */
    KIND_ANNEX_A8,   /* children looked after */
    KIND_ANNEX_A9,   /* care leavers */
    KIND_UNKNOWN
};
const char *import_kind_name(enum import_kind k);   /* "generic", "Annex A list 6", ... */

/* Recognises a header (the fields of the first record). */
enum import_kind import_kind_of(char *const *hdr, int n);

typedef struct import_options {
    ca_day as_of;
    int plan;        /* --plan-type as enum ca_plan, or -1 */
    int encoding;    /* enum csvr_encoding: CSVR_AUTO (per file), or one forced */
    int dry_run;     /* validate and count, write nothing */
    int force;       /* accept a file already imported in another snapshot */
    int no_team;     /* accept a generic list without a team column */
    /* Called every 100,000 rows with the rows read so far (NULL: none); for
     * progress on a terminal. */
    void (*progress)(long rows, void *arg);
    void *progress_arg;
} import_options;

enum { IMPORT_MAX_FILES = 64, IMPORT_MAX_NOTES = 16 };

typedef struct import_file {
    char name[256];     /* base name */
    char sha256[65];
    long rows;          /* data rows, header excluded */
    enum import_kind kind;
} import_file;

typedef struct import_summary {
    long snapshot_id;   /* 0 on a dry run */
    ca_day as_of;
    long rows, cases, merged, closed;
    long open[CA_NPLANS];
    int nfiles;
    import_file files[IMPORT_MAX_FILES];
    int nnotes;
    char notes[IMPORT_MAX_NOTES][512];   /* e.g. columns ignored, a file read as Windows-1252 */
} import_summary;

/* Imports the files as one snapshot in one transaction, or nothing: every problem
 * found goes into err->problems (up to 50) and the status is CA_REFUSED. */
int import_run(ca_db *db, const char *const *paths, int npaths, const import_options *opt,
               import_summary *out, ca_error *err);

#endif
