/* evidence.h: the inspection evidence pack (SPEC §15) as one model: every case
 * audited in a period with how it was chosen, its grades, corrections, moderation
 * and actions, and the design of each round it came from, so that anyone can
 * re-derive a monthly list from its seed. Renderers (audit/render/evidence_*.c)
 * only format it. It holds children's identifiers: files of it are mode 0600.
 */
#ifndef CASEAUDIT_EVIDENCE_H
#define CASEAUDIT_EVIDENCE_H

#include "audit/date.h"
#include "audit/store/store.h"

#define EVIDENCE_MAX_DOMAINS 16

typedef struct evidence_stratum {
    char name[160];
    long frame_n, sample_n;   /* N_h, n_h */
} evidence_stratum;

typedef struct evidence_round {
    char label[64], seed[17], strata[32], alloc[600], age_bands[64];
    char *theme, *filter;          /* NULL: a monthly round */
    ca_day as_of;                  /* its snapshot's */
    long snapshot_id, size, population, excluded_audited, excluded_pending, excluded_theme;
    int min_per_stratum, exclude_months;
    int nstrata;
    evidence_stratum *strata_list; /* in stratum order */
    long audits;                   /* its audits in the period */
} evidence_round;

typedef struct evidence_case {
    const char *case_id, *plan_type, *age_band, *team, *worker;   /* team, worker NULL when none */
    const char *round, *theme;     /* theme NULL: a monthly round */
    const char *chosen;            /* how the case was chosen, in words */
    const char *seed, *stratum, *key;
    long frame_n, sample_n;
    const char *auditor, *note;    /* note NULL when none */
    ca_day audit_date;
    int grade, stand_in, final_grade;
    int domain[EVIDENCE_MAX_DOMAINS];   /* by the evidence's domain order; 0: not graded */
    long ncorrections;
    const char *corrections;       /* the records corrections replaced, in words; "" when none */
    int mod_grade;                 /* 0: not moderated */
    const char *moderator, *mod_reason, *mod_outcome, *mod_chosen;  /* mod_chosen: picked (why) or unplanned */
    ca_day mod_date;
    long mod_corrections;
    long nactions, actions_open;
    const char *actions;           /* each with its status, in words; "" when none */
} evidence_case;

typedef struct evidence {
    ca_day from, to, today;
    char produced_at[32];
    int ndomains;
    char domain_code[EVIDENCE_MAX_DOMAINS][64], domain_label[EVIDENCE_MAX_DOMAINS][128];
    long ncases;
    evidence_case *cases;          /* by audit date, round, case id */
    int nrounds;
    evidence_round *rounds;        /* monthly rounds first, then themed; by label */
    char **pool_;                  /* private: the strings the cases point to */
    long npool_, cappool_;
} evidence;

/* Builds the pack for audits dated FROM..TO (current records; corrections and
 * earlier outcomes listed with them), in one consistent read. On success *out is
 * the caller's: evidence_free; on error it is left empty and err says why (out
 * of memory: CA_SYSTEM). */
int evidence_build(ca_db *db, ca_day from, ca_day to, evidence *out, ca_error *err);
void evidence_free(evidence *e);

/* A Python 3 script (standard library only) that re-derives a monthly list from
 * its seed, the eligible cases with their strata, and each stratum's n_h (SPEC §5). */
extern const char evidence_rederive_script[];

#endif
