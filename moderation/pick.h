/* pick.h: choosing the audits that senior managers moderate (SPEC §8). */
#ifndef CASEAUDIT_PICK_H
#define CASEAUDIT_PICK_H

#include <stdint.h>

#include "audit/store/store.h"
#include "moderation/period.h"

enum pick_reason { PICK_NONE = 0, PICK_INADEQUATE = 1, PICK_SAMPLE = 2 };

typedef struct pick_audit {
    const char *case_id;
    const char *auditor;
    int grade;
    uint64_t key;            /* the §5 key of the case id with the pick's seed */
    enum pick_reason picked; /* out */
} pick_audit;

/* The pick rule (pure): every inadequate audit when all_inadequate, plus for each
 * auditor max(1, ceil(rate * n_a)) of their other audits with the smallest keys
 * (ties by case id), or all of them where there are fewer; n_a counts all of the
 * auditor's audits given, the inadequate ones included. */
int pick_choose(pick_audit *audits, long n, double rate, int all_inadequate);   /* CA_ERR: out of memory */

typedef struct pick_scope {
    const char *round;         /* a round label, or NULL */
    const ca_period *quarter;  /* or a period: audits dated in it */
} pick_scope;

typedef struct pick_auditor_count {
    char name[128];
    long in_scope, inadequate, sampled;
} pick_auditor_count;

typedef struct pick_result {
    uint64_t seed;
    long in_scope, picked;
    long inadequate, sampled;       /* picked because inadequate (all of them), and at the rate */
    int nauditors;
    pick_auditor_count *auditors;   /* owned: free() */
} pick_result;

/* Picks among graded audits in scope that are neither moderated nor picked yet,
 * and stores the picks in one transaction. has_seed 0: the round's seed for one
 * round, else one from the operating system. When audits in scope are already
 * picked, a second pick is refused (saying how many) unless add. */
int pick_run(ca_db *db, const pick_scope *scope, double rate, int all_inadequate, int has_seed, uint64_t seed,
             int add, pick_result *out, ca_error *err);

#endif
