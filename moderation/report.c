#include "moderation/report.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/vocab.h"
#include "audit/store/report_store.h"
#include "moderation/outcome.h"
#include "moderation/report_themed.h"

const char *report_dim_name(enum report_dim d)
{
    static const char *const names[] = {"plan", "age", "team", "auditor"};
    return names[d];
}

void report_free(report *r)
{
    for (int i = 0; i < r->nby; i++)
        free(r->by[i].levels);
    free(r->domains);
    free(r->themed);
    memset(r, 0, sizeof *r);
}

/* Sort key of a level: plan types in §2 order, age bands ascending, names alphabetical. */
static int level_order(enum report_dim dim, const char *name)
{
    if (dim == BY_PLAN)
        return plan_parse(name);
    if (dim == BY_AGE) {
        if (strcmp(name, "unborn") == 0)
            return -2;
        if (strcmp(name, "under1") == 0)
            return 0;
        return atoi(name);
    }
    return 0;
}

static report_level *level(report_breakdown *b, const char *name)
{
    for (int i = 0; i < b->nlevels; i++)
        if (strcmp(b->levels[i].name, name) == 0)
            return &b->levels[i];
    report_level *l = realloc(b->levels, sizeof *l * (size_t)(b->nlevels + 1));
    if (!l)
        return NULL;
    b->levels = l;
    l = &b->levels[b->nlevels++];
    memset(l, 0, sizeof *l);
    snprintf(l->name, sizeof l->name, "%s", name);
    l->order = level_order(b->dim, name);
    return l;
}

static int cmp_level(const void *a, const void *b)
{
    const report_level *x = a, *y = b;
    if (x->order != y->order)
        return x->order < y->order ? -1 : 1;
    return strcmp(x->name, y->name);
}

struct stratum_acc {
    int64_t round_id;
    char name[160];
    long N, n, final[5];
};

/* Interned names for the one pass over the period's audits: a key is a number (a
 * round id, or 0) and a string (a case id, a level), so that no key is ever built
 * with printf a million times. A slot keeps the key's hash beside it, so that a probe
 * compares strings only when the hashes agree; the strings themselves are copied into
 * one growing arena, not allocated one by one. */
struct name_slot {
    uint32_t hash;    /* the key's hash, never 0; 0: an empty slot */
    int val;
    int64_t pre;      /* a round id, or 0 */
    size_t key;       /* offset into the arena */
};

struct names {
    struct name_slot *slot;
    size_t cap, n;
    char *arena;
    size_t used, size;
};

static uint32_t hash_key(int64_t pre, const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL ^ (uint64_t)pre * 0x9e3779b97f4a7c15ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
    /* The low bits pick the slot, and FNV-1a's mix poorly: fold the high bits down
     * (MurmurHash3's finaliser). */
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return (uint32_t)h ? (uint32_t)h : 1;
}

static int names_grow(struct names *t)
{
    size_t cap = t->cap ? 2 * t->cap : 64;
    struct name_slot *slot = calloc(cap, sizeof *slot);
    if (!slot)
        return -1;
    for (size_t i = 0; i < t->cap; i++)
        if (t->slot[i].hash) {
            size_t j = t->slot[i].hash & (cap - 1);
            while (slot[j].hash)
                j = (j + 1) & (cap - 1);
            slot[j] = t->slot[i];
        }
    free(t->slot);
    t->slot = slot, t->cap = cap;
    return 0;
}

/* The slot of (pre, key) with hash h: its own, or the empty one where it would go. */
static size_t names_slot(const struct names *t, uint32_t h, int64_t pre, const char *key)
{
    size_t j = h & (t->cap - 1);
    while (t->slot[j].hash &&
           !(t->slot[j].hash == h && t->slot[j].pre == pre && strcmp(t->arena + t->slot[j].key, key) == 0))
        j = (j + 1) & (t->cap - 1);
    return j;
}

/* The value stored for (pre, key), adding it with value next when new; -1 out of memory. */
static int names_get(struct names *t, int64_t pre, const char *key, int next)
{
    if (t->n * 2 >= t->cap && names_grow(t) != 0)
        return -1;
    uint32_t h = hash_key(pre, key);
    size_t j = names_slot(t, h, pre, key);
    if (t->slot[j].hash)
        return t->slot[j].val;
    size_t len = strlen(key) + 1;
    if (t->used + len > t->size) {
        size_t size = t->size ? t->size : 4096;
        while (t->used + len > size)
            size *= 2;
        char *a = realloc(t->arena, size);
        if (!a)
            return -1;
        t->arena = a, t->size = size;
    }
    memcpy(t->arena + t->used, key, len);
    t->slot[j] = (struct name_slot){h, next, pre, t->used};
    t->used += len;
    t->n++;
    return next;
}

/* The value stored for (pre, key), or -1. */
static int names_find(const struct names *t, int64_t pre, const char *key)
{
    if (!t->n)
        return -1;
    size_t j = names_slot(t, hash_key(pre, key), pre, key);
    return t->slot[j].hash ? t->slot[j].val : -1;
}

static void names_free(struct names *t)
{
    free(t->slot);
    free(t->arena);
}

/* What one build holds while it counts. */
struct build {
    report *out;
    ca_db *db;
    ca_error *err;
    rs_scope span;                 /* the period and the trend's quarters before it */
    rs_scope period;               /* the period itself (for the actions) */
    char q[4][CA_DATE_ISO_LEN];    /* each trend quarter's first day, this period first */
    int64_t maxid;
    unsigned char *inscope;        /* a bit per audit id in the period itself, for the domains */
    unsigned char *outcome;        /* per audit id: outcome_code(); 0: none */
    /* corrected: the (round, case)s with an audit replaced by a correction as at then;
     * moderated: their outcomes, by (round, case). */
    struct names corrected, moderated, dimnames[REPORT_NDIMS], stratnames;
    struct stratum_acc *strata;
    int nstrata;
    int64_t *rounds;
    long nrounds;
    double frame_total;            /* the covered rounds' frames, every stratum */
    int last_domain;
};

static int oom(struct build *b) { return ca_fail(b->err, CA_SYSTEM, "out of memory"); }

/* The dates of the scopes and the trend's labels. */
static void build_scopes(struct build *b, const ca_period *period, ca_day as_at)
{
    report *out = b->out;
    /* As at the end of the day: everything entered before the next day began (UTC). */
    snprintf(b->span.asat, sizeof b->span.asat, "9999-12-31");
    if (as_at >= 0)
        date_iso(as_at + 1, b->span.asat);
    date_iso(as_at >= 0 ? as_at : db_today(b->db), b->span.ref); /* the clock passed in */
    date_iso(period->to, b->span.to);
    /* The trend: this period, then (for a quarter) the three quarters before it. */
    out->ntrend = period->quarter ? 4 : 1;
    snprintf(out->trend[0].label, sizeof out->trend[0].label, "%s", period->label);
    date_iso(period->from, b->q[0]);
    for (int k = 1; k < 4; k++) {
        ca_period prev;
        if (period->quarter) {
            period_previous(period, k, &prev);
            snprintf(out->trend[k].label, sizeof out->trend[k].label, "%s", prev.label);
            date_iso(prev.from, b->q[k]);
        } else {
            snprintf(b->q[k], sizeof b->q[k], "%s", b->q[0]);
        }
    }
    snprintf(b->span.from, sizeof b->span.from, "%s", b->q[out->ntrend - 1]);
    b->period = b->span;
    date_iso(period->from, b->period.from);
}

static int on_corrected(void *ctx, int64_t round_id, const char *case_id)
{
    struct build *b = ctx;
    return names_get(&b->corrected, round_id, case_id, 1) < 0 ? oom(b) : CA_OK;
}

/* An outcome in a byte: the moderated grade (bits 0-2), planned (bit 3), and the grade
 * of the audit record the manager judged (bits 4-6). A correction made since pairs the
 * judged grade, not the corrected one, with the manager's (SPEC §8). */
static int outcome_code(const rs_moderation *m) { return m->grade | (m->planned != 0) << 3 | m->judged << 4; }

static int on_moderation(void *ctx, const rs_moderation *m)
{
    struct build *b = ctx;
    int v = outcome_code(m);
    if (m->audit_id >= 0 && m->audit_id <= b->maxid)
        b->outcome[m->audit_id] = (unsigned char)v;
    if (names_find(&b->corrected, m->round_id, m->case_id) >= 0 &&
        names_get(&b->moderated, m->round_id, m->case_id, v) < 0)
        return oom(b);
    return CA_OK;
}

/* The moderations as they stood, once. An outcome counts for its (round, case). It
 * names the audit it moderated, which is the audit that counts unless a correction
 * has replaced it since: so outcomes are found by audit id, and by (round, case)
 * only for the cases with a replaced audit. */
static int read_moderations(struct build *b)
{
    if (rs_max_audit_id(b->db, &b->maxid, b->err) != CA_OK)
        return CA_ERR;
    if (!(b->inscope = calloc((size_t)b->maxid / 8 + 1, 1)) || !(b->outcome = calloc((size_t)b->maxid + 1, 1)))
        return oom(b);
    if (rs_corrected_each(b->db, &b->span, on_corrected, b, b->err) != CA_OK)
        return CA_ERR;
    return rs_moderations_each(b->db, &b->span, on_moderation, b, b->err);
}

/* The stratum accumulator of (round, stratum), added (with its round) when new; NULL: out of memory. */
static struct stratum_acc *stratum_of(struct build *b, int64_t round_id, const char *name)
{
    int k = names_get(&b->stratnames, round_id, name, b->nstrata);
    if (k < 0)
        return NULL;
    if (k < b->nstrata)
        return &b->strata[k];
    struct stratum_acc *a = realloc(b->strata, sizeof *a * (size_t)(b->nstrata + 1));
    if (!a)
        return NULL;
    b->strata = a;
    a = &b->strata[b->nstrata++];
    memset(a, 0, sizeof *a);
    a->round_id = round_id;
    snprintf(a->name, sizeof a->name, "%s", name);
    long r = 0;
    while (r < b->nrounds && b->rounds[r] != round_id)
        r++;
    if (r == b->nrounds) {
        int64_t *rr = realloc(b->rounds, sizeof *rr * (size_t)(b->nrounds + 1));
        if (!rr)
            return NULL;
        b->rounds = rr;
        b->rounds[b->nrounds++] = round_id;
    }
    return a;
}

/* Counts one audit of the period into the headline, moderation and breakdowns. */
/* g is the audit's current grade, judged the grade the manager moderated (g when not
 * moderated), mg the final grade. */
static int count_audit(struct build *b, const rs_audit *a, int g, int judged, int mg, int mod, int planned)
{
    report *out = b->out;
    if (a->id >= 0 && a->id <= b->maxid)
        b->inscope[a->id / 8] |= (unsigned char)(1u << (a->id % 8));
    out->audits++;
    out->audited[g]++;
    out->final[mg]++;
    enum ca_outcome o = outcome_of(judged, mg);
    if (mod) {
        out->moderated++;
        out->transitions[judged - 1][mg - 1]++;
        out->agreed += o == CA_AGREED;
        out->downgraded += o == CA_DOWNGRADED;
        out->upgraded += o == CA_UPGRADED;
        out->unplanned += !planned;
    }
    for (int i = 0; i < out->nby; i++) {
        report_breakdown *bd = &out->by[i];
        const char *name = a->level[bd->dim];
        int k = names_get(&b->dimnames[i], 0, name, bd->nlevels);
        report_level *l = k < 0 ? NULL : k < bd->nlevels ? &bd->levels[k] : level(bd, name);
        if (!l)
            return oom(b);
        l->audits++;
        l->final[mg]++;
        l->moderated += mod;
        l->downgraded += mod && o == CA_DOWNGRADED;
    }
    struct stratum_acc *s = stratum_of(b, a->round_id, a->stratum);
    if (!s)
        return oom(b);
    s->n++;
    s->final[mg]++;
    return CA_OK;
}

static int on_audit(void *ctx, const rs_audit *a)
{
    struct build *b = ctx;
    int m = a->id >= 0 && a->id <= b->maxid ? b->outcome[a->id] : 0;
    if (!m && b->moderated.n && (m = names_find(&b->moderated, a->round_id, rs_audit_case(a))) < 0)
        m = 0;
    int g = a->grade, mod = m > 0, mg = mod ? m & 7 : g, planned = (m >> 3) & 1, judged = mod ? m >> 4 : g;
    const char *date = a->audit_date;
    int qi = strcmp(date, b->q[0]) >= 0 ? 0 : strcmp(date, b->q[1]) >= 0 ? 1 : strcmp(date, b->q[2]) >= 0 ? 2 : 3;
    if (g < 1 || g > 4 || mg < 1 || mg > 4 || judged < 1 || judged > 4)
        return CA_OK;
    b->out->trend[qi].audits++;
    b->out->trend[qi].final[mg]++;
    return qi == 0 ? count_audit(b, a, g, judged, mg, mod, planned) : CA_OK;
}

/* One pass over the period's audits (and the trend's) on a covering index, counted
 * in memory by interned level names. Nothing is joined row by row. */
static int read_audits(struct build *b)
{
    report *out = b->out;
    int want[REPORT_NDIMS] = {0};
    for (int i = 0; i < out->nby; i++)
        want[out->by[i].dim] = 1;
    if (rs_audits_each(b->db, &b->span, want, on_audit, b, b->err) != CA_OK)
        return CA_ERR;
    out->rounds = b->nrounds;
    for (int i = 0; i < out->nby; i++)
        if (out->by[i].nlevels > 1)
            qsort(out->by[i].levels, (size_t)out->by[i].nlevels, sizeof *out->by[i].levels, cmp_level);
    return CA_OK;
}

struct round_ctx {
    struct build *b;
    int64_t round_id;
};

static int on_stratum(void *ctx, const char *name, long frame_n)
{
    struct round_ctx *rc = ctx;
    rc->b->frame_total += (double)frame_n;
    for (int k = 0; k < rc->b->nstrata; k++)
        if (rc->b->strata[k].round_id == rc->round_id && strcmp(rc->b->strata[k].name, name) == 0)
            rc->b->strata[k].N = frame_n;
    return CA_OK;
}

/* Each covered round's design (N_h) and progress: sampled (the round's n_h, which
 * its list holds), and for a round past its due date the cases not graded by then
 * (one audit current at the as-at time per graded case). */
static int read_rounds(struct build *b)
{
    for (long r = 0; r < b->nrounds; r++) {
        struct round_ctx rc = {b, b->rounds[r]};
        long sampled, graded;
        if (rs_strata_each(b->db, b->rounds[r], on_stratum, &rc, b->err) != CA_OK ||
            rs_round_progress(b->db, &b->span, b->rounds[r], &sampled, &graded, b->err) != CA_OK)
            return CA_ERR;
        b->out->sampled += sampled;
        if (graded >= 0)
            b->out->overdue += sampled - graded;
    }
    return CA_OK;
}

/* The design-weighted estimate for grade g, exactly 0 or 1 (with no spread) when
 * no audit or every audit had the grade, as the sum of the weights may miss 1. */
static void exact_estimate(stats_estimate *e, long k, long n)
{
    if (!e->any || (k != 0 && k != n))
        return;
    e->p = k == n ? 1 : 0;
    if (e->estimable)
        e->se = 0, e->lo = e->hi = e->p;
}

/* The design-weighted estimate, by final grade, pooled over the rounds' strata with
 * lonely strata as R's survey package adjusts them (SPEC §9 item 3); the strata
 * without an audit in the period are left out, and coverage says how much of the
 * rounds' frames the rest are. Then moderation's most common downgrade (ties: the better from-grade, then the
 * better to-grade), agreement and the sign test. */
static int compute(struct build *b)
{
    report *out = b->out;
    stats_stratum *ss = calloc((size_t)(b->nstrata ? b->nstrata : 1), sizeof *ss);
    if (!ss)
        return oom(b);
    for (int g = 1; g <= 4; g++) {
        for (int k = 0; k < b->nstrata; k++) {
            const struct stratum_acc *a = &b->strata[k];
            ss[k] = (stats_stratum){a->N > a->n ? a->N : a->n, a->n, a->final[g]};
        }
        out->estimate[g] = stats_stratified_adjust(ss, b->nstrata);
        exact_estimate(&out->estimate[g], out->final[g], out->audits);
    }
    double covered = 0;
    for (int k = 0; k < b->nstrata; k++)
        covered += (double)ss[k].N;
    out->strata = b->nstrata;
    out->lonely_strata = out->estimate[1].lonely;
    /* The frames as the rounds drew them; a stratum audited beyond its frame counts its audits. */
    out->covered_cases = (long)covered, out->frame_cases = (long)b->frame_total;
    out->coverage = b->frame_total > 0 ? (covered >= b->frame_total ? 1 : covered / b->frame_total) : NAN;
    free(ss);
    for (int i = 0; i < 4; i++)
        for (int j = i + 1; j < 4; j++)
            if (out->transitions[i][j] > out->top_n)
                out->top_n = out->transitions[i][j], out->top_from = i + 1, out->top_to = j + 1;
    out->kappa = stats_kappa((const long(*)[4])out->transitions, 0);
    out->kappa_linear = stats_kappa((const long(*)[4])out->transitions, 1);
    out->sign_test_p = out->downgraded ? stats_sign_test(out->downgraded, out->upgraded) : 1; /* P(X >= 0) */
    return CA_OK;
}

/* k of n with its Wilson interval, where the limits that are mathematically 0 or 1
 * (the lower limit of 0 of n, the upper of n of n) are exactly 0 or 1, not the
 * 2.8e-17 that rounding leaves. */
static stats_prop share(long k, long n)
{
    stats_prop p = stats_wilson(k, n);
    if (p.estimable && k == 0)
        p.lo = 0;
    if (p.estimable && k == n)
        p.hi = 1;
    return p;
}

/* Every share, rate and interval the report shows, computed once here. */
static void compute_shares(report *out)
{
    out->completion = out->sampled ? (double)out->audits / (double)out->sampled : NAN;
    for (int g = 1; g <= 4; g++) {
        out->audited_share[g] = share(out->audited[g], out->audits);
        out->final_share[g] = share(out->final[g], out->audits);
    }
    out->moderated_share = share(out->moderated, out->audits);
    out->agreed_share = share(out->agreed, out->moderated);
    out->downgraded_share = share(out->downgraded, out->moderated);
    out->upgraded_share = share(out->upgraded, out->moderated);
    for (int i = 0; i < out->nby; i++)
        for (int k = 0; k < out->by[i].nlevels; k++) {
            report_level *l = &out->by[i].levels[k];
            for (int g = 1; g <= 4; g++)
                l->share[g] = share(l->final[g], l->audits);
            l->downgrade_rate = share(l->downgraded, l->moderated);
        }
    for (int i = 0; i < out->ndomains; i++)
        out->domains[i].share = share(out->domains[i].good_or_better, out->domains[i].audits);
    for (int k = 0; k < out->ntrend; k++)
        for (int g = 1; g <= 4; g++)
            out->trend[k].share[g] = share(out->trend[k].final[g], out->trend[k].audits);
}

static int on_domain(void *ctx, const char *code, const char *label)
{
    struct build *b = ctx;
    report *out = b->out;
    report_domain *d = realloc(out->domains, sizeof *d * (size_t)(out->ndomains + 1));
    if (!d)
        return oom(b);
    out->domains = d;
    d = &out->domains[out->ndomains++];
    memset(d, 0, sizeof *d);
    snprintf(d->code, sizeof d->code, "%s", code);
    snprintf(d->label, sizeof d->label, "%s", label);
    return CA_OK;
}

static int in_period(void *ctx, int64_t id)
{
    const struct build *b = ctx;
    return id >= 0 && id <= b->maxid && (b->inscope[id / 8] & (1u << (id % 8)));
}

static int on_audit_domain(void *ctx, int64_t id, const char *code, int grade)
{
    struct build *b = ctx;
    report *out = b->out;
    if (!in_period(b, id))
        return CA_OK;
    int last = b->last_domain;
    if (last >= out->ndomains || strcmp(out->domains[last].code, code) != 0)
        for (last = 0; last < out->ndomains && strcmp(out->domains[last].code, code) != 0; last++)
            ;
    if (last < out->ndomains) {
        out->domains[last].audits++;
        out->domains[last].good_or_better += grade <= 2;
    }
    b->last_domain = last;
    return CA_OK;
}

static int on_action(void *ctx, int done, int overdue)
{
    report *out = ((struct build *)ctx)->out;
    out->actions_raised++;
    out->actions_done += done;
    out->actions_overdue += overdue;
    return CA_OK;
}

/* Domains: every domain, with the period's audits that graded it. Actions raised by
 * the period's audits: an audit in scope is in the bitmap; any other (superseded
 * since, say) is looked up by its id, which few are. */
static int read_domains_actions(struct build *b)
{
    if (rs_domains_each(b->db, on_domain, b, b->err) != CA_OK ||
        rs_audit_domains_each(b->db, on_audit_domain, b, b->err) != CA_OK ||
        rs_actions_each(b->db, &b->period, in_period, on_action, b, b->err) != CA_OK)
        return CA_ERR;
    b->out->actions_open = b->out->actions_raised - b->out->actions_done;
    return CA_OK;
}

int report_build(ca_db *db, const ca_period *period, ca_day as_at, const enum report_dim *dims, int ndims,
                 report *out, ca_error *err)
{
    memset(out, 0, sizeof *out);
    out->period = *period;
    out->as_at = as_at;
    for (int i = 0; i < ndims; i++) {
        out->by[i].dim = dims[i];
        out->nby++;
    }
    struct build b = {.out = out, .db = db, .err = err};
    db_now_utc(db, out->produced_at);
    out->produced_on = db_today(db);
    build_scopes(&b, period, as_at);
    if (db_begin_read(db, err) != CA_OK) /* one consistent view of the database */
        return CA_ERR;
    int rc = settings_read(db, &out->settings, err) == CA_OK && read_moderations(&b) == CA_OK &&
                     read_audits(&b) == CA_OK && read_rounds(&b) == CA_OK && compute(&b) == CA_OK &&
                     read_domains_actions(&b) == CA_OK && report_themed_read(db, &b.period, out, err) == CA_OK
                 ? CA_OK
                 : CA_ERR;
    db_rollback(db); /* read only */
    if (rc == CA_OK)
        compute_shares(out);
    free(b.strata);
    free(b.rounds);
    free(b.inscope);
    free(b.outcome);
    for (int i = 0; i < REPORT_NDIMS; i++)
        names_free(&b.dimnames[i]);
    names_free(&b.stratnames);
    names_free(&b.moderated);
    names_free(&b.corrected);
    if (rc != CA_OK)
        report_free(out);
    return rc;
}
