/* draws.h: what drawing a round (SPEC §5) reads and writes.
 *
 * Listings call a visitor once per row and stop early when it returns non-zero
 * (that value is returned); strings in a row are valid only during the call.
 */
#ifndef CASEAUDIT_STORE_DRAWS_H
#define CASEAUDIT_STORE_DRAWS_H

#include <stdint.h>

#include "audit/store/store.h"

typedef struct draw_snapshot {
    long id;
    ca_day as_of;
    int pruned;
    int64_t first_row, last_row;   /* its case rows */
    long open_cases;
} draw_snapshot;

/* Snapshot ID, or the latest (greatest as-of date) when ID is 0. 1 when found, 0 when
 * there is none, CA_ERR. */
int draw_snapshot_find(ca_db *db, long id, draw_snapshot *out, ca_error *err);

/* The round called LABEL: *id (0 when there is none) and how many grades it has. */
int draw_round_find(ca_db *db, const char *label, long *id, long *graded, ca_error *err);

/* Case ids with an audit dated on or after CUTOFF. */
int draw_audited_since(ca_db *db, ca_day cutoff, int (*visit)(void *u, const char *case_id), void *u,
                       ca_error *err);
/* Case ids on the list of a round (other than EXCEPT_ROUND) that still has ungraded cases. */
int draw_pending(ca_db *db, long except_round, int (*visit)(void *u, const char *case_id), void *u,
                 ca_error *err);

typedef struct frame_row {
    const char *case_id, *plan_type, *team;   /* team "" when none */
    int age;
    int64_t row;                              /* its snapshot row, for store_case */
    ca_day plan_start;                        /* -1: not known */
} frame_row;
/* The snapshot's open cases, in row order. */
int draw_frame(ca_db *db, const draw_snapshot *sn, int (*visit)(void *u, const frame_row *r), void *u,
               ca_error *err);

typedef struct history_row {
    const char *plan_type, *age_band, *team;  /* team "" when none */
    int final_grade;
} history_row;
/* The final grade of every current audit of a monthly round dated FROM..TO, with the levels
 * its round drew it in (a themed round's chosen cases would bias Neyman's S_h). */
int draw_history(ca_db *db, ca_day from, ca_day to, int (*visit)(void *u, const history_row *r), void *u,
                 ca_error *err);

typedef struct round_new {
    const char *label, *seed, *strata, *alloc, *age_bands;
    long snapshot_id, size;
    int min_per_stratum, exclude_months;
    long population, excluded_audited, excluded_pending;
    ca_day due;                               /* -1: none */
    const char *theme, *theme_filter;         /* NULL for a monthly round (SPEC §15) */
    long excluded_theme;                      /* open cases outside a themed round's filters */
} round_new;

/* Removes round ID with its strata and list (a redraw before any grade). */
int draw_round_delete(ca_db *db, long id, ca_error *err);
int draw_round_insert(ca_db *db, const round_new *r, long *id, ca_error *err);
int draw_stratum_insert(ca_db *db, long round_id, int seq, const char *stratum, long frame_n, long sample_n,
                        ca_error *err);

typedef struct round_case_new {
    const char *case_id, *stratum, *plan_type, *age_band, *sort_key;
    int64_t snapshot_row;                     /* team and worker are copied from it */
    long seq, frame_n, sample_n;
} round_case_new;
int draw_case_insert(ca_db *db, long round_id, const round_case_new *c, ca_error *err);

#endif
