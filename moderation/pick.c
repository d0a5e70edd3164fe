#include "moderation/pick.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/sample.h"
#include "audit/vocab.h"
#include "audit/store/moderations.h"
#include "audit/store/rounds.h"

static int by_auditor_key(const void *a, const void *b)
{
    const pick_audit *x = *(pick_audit *const *)a, *y = *(pick_audit *const *)b;
    int c = strcmp(x->auditor, y->auditor);
    if (c)
        return c;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return strcmp(x->case_id, y->case_id);
}

int pick_choose(pick_audit *a, long n, double rate, int all_inadequate)
{
    pick_audit **p = malloc(sizeof *p * (size_t)(n ? n : 1));
    if (!p)
        return CA_ERR;
    for (long i = 0; i < n; i++) {
        p[i] = &a[i];
        a[i].picked = all_inadequate && a[i].grade == 4 ? PICK_INADEQUATE : PICK_NONE;
    }
    qsort(p, (size_t)n, sizeof *p, by_auditor_key);
    for (long i = 0; i < n;) {
        long j = i;
        while (j < n && strcmp(p[j]->auditor, p[i]->auditor) == 0)
            j++;
        long n_a = j - i;
        /* The epsilon keeps 0.25 x 4 at 1 rather than rounding a representation error up to 2. */
        long quota = (long)ceil(rate * (double)n_a - 1e-9);
        if (quota < 1)
            quota = 1;
        for (long k = i; k < j && quota > 0; k++)
            if (p[k]->picked == PICK_NONE) {
                p[k]->picked = PICK_SAMPLE;
                quota--;
            }
        i = j;
    }
    free(p);
    return CA_OK;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const pick_auditor_count *)a)->name, ((const pick_auditor_count *)b)->name);
}

/* The candidates, read into memory: their strings are owned here. */
struct candidates {
    long n, cap;
    pick_audit *audits;
    long *round_id;
    char **round;
    uint64_t seed;
};

static void candidates_free(struct candidates *c)
{
    for (long i = 0; i < c->n; i++)
        free((char *)c->audits[i].case_id), free((char *)c->audits[i].auditor), free(c->round[i]);
    free(c->audits), free(c->round_id), free(c->round);
}

static int grow(struct candidates *c)
{
    long cap = c->cap ? 2 * c->cap : 256;
    pick_audit *a = realloc(c->audits, sizeof *a * (size_t)cap);
    if (a)
        c->audits = a;
    long *r = realloc(c->round_id, sizeof *r * (size_t)cap);
    if (r)
        c->round_id = r;
    char **l = realloc(c->round, sizeof *l * (size_t)cap);
    if (l)
        c->round = l;
    if (!a || !r || !l)
        return CA_ERR;
    c->cap = cap;
    return CA_OK;
}

static int add_candidate(void *u, const pick_candidate_row *r)
{
    struct candidates *c = u;
    if (c->n == c->cap && grow(c) != CA_OK)
        return CA_ERR;
    char *case_id = strdup(r->case_id), *auditor = strdup(r->auditor), *round = strdup(r->round);
    if (!case_id || !auditor || !round) {
        free(case_id), free(auditor), free(round);
        return CA_ERR;
    }
    c->audits[c->n] = (pick_audit){case_id, auditor, r->grade, sample_key(case_id, c->seed), PICK_NONE};
    c->round_id[c->n] = r->round_id;
    c->round[c->n++] = round;
    return 0;
}

/* Counts audit i for its auditor, for the summary. */
static int count_auditor(pick_result *out, const pick_audit *a)
{
    int k = 0;
    while (k < out->nauditors && strcmp(out->auditors[k].name, a->auditor) != 0)
        k++;
    if (k == out->nauditors) {
        pick_auditor_count *c = realloc(out->auditors, sizeof *c * (size_t)(k + 1));
        if (!c)
            return CA_ERR;
        out->auditors = c;
        memset(&c[k], 0, sizeof c[k]);
        snprintf(c[k].name, sizeof c[k].name, "%s", a->auditor);
        out->nauditors++;
    }
    out->auditors[k].in_scope++;
    out->auditors[k].inadequate += a->picked == PICK_INADEQUATE;
    out->auditors[k].sampled += a->picked == PICK_SAMPLE;
    return CA_OK;
}

static int store_picks(ca_db *db, const struct candidates *c, const char *hex, pick_result *out, ca_error *err)
{
    for (long i = 0; i < c->n; i++) {
        const pick_audit *a = &c->audits[i];
        if (count_auditor(out, a) != CA_OK)
            return ca_fail(err, CA_SYSTEM, "out of memory");
        if (a->picked == PICK_NONE)
            continue;
        out->picked++;
        out->inadequate += a->picked == PICK_INADEQUATE;
        out->sampled += a->picked == PICK_SAMPLE;
        char detail[300];
        snprintf(detail, sizeof detail, "picked for moderation (%s; audited %s by %s; seed %s)",
                 a->picked == PICK_INADEQUATE ? "every inadequate audit" : "sample of the auditor's audits",
                 grade_label(a->grade), a->auditor, hex);
        if (pick_insert(db, c->round_id[i], a->case_id, a->picked == PICK_INADEQUATE ? "inadequate" : "sample", hex,
                        err) != CA_OK ||
            db_event(db, "moderation pick", c->round[i], a->case_id, detail, err) != CA_OK)
            return CA_ERR;
    }
    return CA_OK;
}

/* The seed: given, else the round's own for one round, else one from the system. */
static int choose_seed(ca_db *db, const pick_scope *scope, int has_seed, uint64_t *seed, ca_error *err)
{
    if (scope->round) {
        round_info r;
        if (round_by_label(db, scope->round, &r, err) != CA_OK)
            return CA_ERR;
        if (!has_seed) {
            *seed = strtoull(r.seed, NULL, 16); /* stored as 16 hex digits */
            return CA_OK;
        }
    }
    return has_seed ? CA_OK : sample_seed_random(seed, err);
}

/* A second pick for the same scope is a mistake unless --add says otherwise. */
static int check_not_picked(ca_db *db, const pick_scope *scope, int add, ca_error *err)
{
    long already = 0;
    if (pick_count(db, scope->round, scope->quarter ? scope->quarter->from : 0, scope->quarter ? scope->quarter->to : 0,
                   &already, err) != CA_OK)
        return CA_ERR;
    if (already && !add) {
        const char *label = scope->round ? scope->round : scope->quarter->label;
        return ca_fail(err, CA_REFUSED, "%ld audit%s in %s %s already picked for moderation ('caseaudit moderation "
                       "list %s%s' shows them): nothing was picked; to pick more among the others, give --add",
                       already, already == 1 ? "" : "s", label, already == 1 ? "is" : "are",
                       scope->round ? "" : "--quarter ", label);
    }
    return CA_OK;
}

static int pick_in_transaction(ca_db *db, const pick_scope *scope, double rate, int all_inadequate,
                               struct candidates *c, pick_result *out, ca_error *err)
{
    if (pick_candidates(db, scope->round, scope->quarter ? scope->quarter->from : 0,
                        scope->quarter ? scope->quarter->to : 0, add_candidate, c, err) != CA_OK) {
        if (!err->status)
            ca_fail(err, CA_SYSTEM, "out of memory");
        return CA_ERR;
    }
    out->in_scope = c->n;
    if (pick_choose(c->audits, c->n, rate, all_inadequate) != CA_OK)
        return ca_fail(err, CA_SYSTEM, "out of memory");
    char hex[17], detail[300];
    sample_seed_format(c->seed, hex);
    if (store_picks(db, c, hex, out, err) != CA_OK)
        return CA_ERR;
    qsort(out->auditors, (size_t)out->nauditors, sizeof *out->auditors, by_name);
    snprintf(detail, sizeof detail, "picked %ld of %ld audits for moderation (rate %g%s, seed %s)", out->picked, c->n,
             rate, all_inadequate ? ", every inadequate audit" : "", hex);
    return db_event(db, "moderation pick", scope->round, NULL, detail, err);
}

int pick_run(ca_db *db, const pick_scope *scope, double rate, int all_inadequate, int has_seed, uint64_t seed,
             int add, pick_result *out, ca_error *err)
{
    memset(out, 0, sizeof *out);
    struct candidates c = {0};
    int rc = db_begin(db, err);
    if (rc != CA_OK)
        return rc;
    rc = check_not_picked(db, scope, add, err);
    if (rc == CA_OK)
        rc = choose_seed(db, scope, has_seed, &seed, err);
    c.seed = out->seed = seed;
    if (rc == CA_OK)
        rc = pick_in_transaction(db, scope, rate, all_inadequate, &c, out, err);
    rc = rc == CA_OK ? db_commit(db, err) : (db_rollback(db), CA_ERR);
    candidates_free(&c);
    if (rc != CA_OK) {
        free(out->auditors);
        memset(out, 0, sizeof *out);
    }
    return rc;
}
