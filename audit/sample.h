/* sample.h: drawing the monthly audit list (SPEC §5) and themed rounds (§15).
 *
 * Stratified simple random sampling without replacement by permanent random keys:
 * the sample depends only on the seed, the eligible frame and the design, never
 * on the order of rows in the input. Allocation follows SAS PROC SURVEYSELECT.
 */
#ifndef CASEAUDIT_SAMPLE_H
#define CASEAUDIT_SAMPLE_H

#include <stddef.h>
#include <stdint.h>

#include "audit/date.h"
#include "audit/store/store.h"
#include "audit/vocab.h"

/* FNV-1a 64 of the bytes of s. */
uint64_t sample_fnv1a64(const char *s);
/* The §5 permanent random key of a case: splitmix64's finaliser over fnv1a64(id) ^ seed. */
uint64_t sample_key(const char *case_id, uint64_t seed);

/* A seed is decimal or 0x hex, 64-bit. CA_ERR when not. */
int sample_seed_parse(const char *s, uint64_t *out);
void sample_seed_format(uint64_t seed, char out[17]);   /* 16 hex digits */
/* A seed from the operating system's random source. */
int sample_seed_random(uint64_t *out, ca_error *err);

enum sample_alloc { ALLOC_PROPORTIONAL, ALLOC_EQUAL, ALLOC_NEYMAN, ALLOC_FIXED };

/* Allocates n over H strata (pure). frame[h] = N_h (> 0); sd[h] = S_h (Neyman only);
 * fixed[h] = the requested n_h (fixed only). Bounds: at least min(K, N_h), at most
 * N_h; then the largest-remainder method, ties to the larger N_h, then the earlier
 * stratum. out[h] = n_h. CA_REFUSED with the numbers when infeasible. */
int sample_allocate(enum sample_alloc method, long n, int k, int nstrata, const long *frame, const double *sd,
                    const long *fixed, long *out, ca_error *err);

/* Neyman's S_h from a stratum's audit history: P_h is the share graded requires
 * improvement or inadequate among `audits`; fewer than 5 audits use P_h = 0.5;
 * the result is at least 0.1. */
double sample_neyman_sd(long audits, long poor);

/* Strata dimensions, in the order given by --strata. */
enum sample_dim { DIM_PLAN, DIM_AGE, DIM_TEAM };

/* A themed (deep-dive) round (SPEC §15): its frame is the open cases that pass every
 * filter given; the draw is then the monthly one. Lists are comma-separated. */
typedef struct sample_theme {
    const char *text;         /* the theme; NULL: a monthly round */
    const char *plans;        /* plan codes or spellings; NULL: any */
    const char *ages;         /* age band codes of the design's bands (5-9, 16-17); NULL: any */
    const char *teams;        /* team names, matched without regard to case; NULL: any */
    int open_months;          /* plan started at least this many months before the as-of date; 0: any */
    const char *cases_path;   /* a CSV whose first column is case ids (a header "case_id" is skipped) */
    int all;                  /* every eligible case (--all) instead of a size */
} sample_theme;

typedef struct sample_design {
    const char *round;        /* label, e.g. 2026-11 */
    long snapshot;            /* 0: the latest */
    long size;                /* n; 0 with a fixed file: its total */
    int ndims;
    enum sample_dim dims[3];
    enum sample_alloc alloc;
    const char *fixed_path;   /* fixed:FILE */
    int min_per_stratum;      /* K */
    ca_bands bands;
    int exclude_months;       /* 0: no exclusion for recent audits */
    uint64_t seed;
    ca_day due;               /* -1: none */
    int replace;
    sample_theme theme;       /* theme.text NULL: a monthly round, whose name must be YYYY-MM */
} sample_design;

/* Parses "plan,age,team" into design->dims. CA_ERR (usage) when bad. */
int sample_dims_parse(const char *s, sample_design *d, ca_error *err);

typedef struct sample_stratum {
    char name[160];
    long frame;    /* N_h */
    long n;        /* n_h */
} sample_stratum;

typedef struct sample_result {
    char label[64];          /* the round's label as stored (a monthly one as YYYY-MM) */
    long round_id;
    long snapshot;
    ca_day as_of;
    long population;         /* open cases in the snapshot */
    long excluded_audited;   /* audited within the window */
    long excluded_pending;   /* on a round that still has ungraded cases */
    long excluded_theme;     /* outside a themed round's filters */
    char theme_filter[600];  /* a themed round's filters in words ("" for a monthly round) */
    long eligible;
    long drawn;
    int nstrata;
    sample_stratum *strata;  /* owned: sample_result_free */
} sample_result;

void sample_result_free(sample_result *r);

/* Draws and stores the round in one transaction. A monthly round is named by its
 * month (YYYY-MM, or a spreadsheet's form of it: date_month_label), a themed round by
 * anything that does not read as a month (else CA_REFUSED). On error nothing is
 * stored and *out is left empty. */
int sample_draw(ca_db *db, const sample_design *d, sample_result *out, ca_error *err);

#endif
