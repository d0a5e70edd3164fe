#include "moderation/report.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/vocab.h"
#include "moderation/outcome.h"

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
    long round_id;
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

/* The audits that count: the latest per (round, case) as at the end of the as-at
 * day (entered before it, not yet superseded then), dated in the period. */
#define IN_SCOPE                                                                                            \
    " a.audit_date BETWEEN :from AND :to AND a.entered_at < :asat"                                         \
    " AND (a.superseded_at IS NULL OR a.superseded_at >= :asat)"

int report_build(ca_db *db, const ca_period *period, ca_day as_at, const enum report_dim *dims, int ndims,
                 report *out, ca_error *err)
{
    memset(out, 0, sizeof *out);
    out->period = *period;
    out->as_at = as_at;
    struct stratum_acc *strata = NULL;
    int nstrata = 0, rc = CA_ERR;
    long *rounds = NULL;
    ca_stmt s = {0};
    for (int i = 0; i < ndims; i++) {
        out->by[i].dim = dims[i];
        out->nby++;
    }
    /* As at the end of the day: everything entered before the next day began (UTC). */
    char asat[CA_DATE_ISO_LEN] = "9999-12-31", ref[CA_DATE_ISO_LEN], from[CA_DATE_ISO_LEN], to[CA_DATE_ISO_LEN];
    char q[4][CA_DATE_ISO_LEN];
    if (as_at >= 0)
        date_iso(as_at + 1, asat);
    date_iso(as_at >= 0 ? as_at : date_today(), ref);
    date_iso(period->to, to);
    /* The trend: this period, then (for a quarter) the three quarters before it. */
    out->ntrend = period->quarter ? 4 : 1;
    snprintf(out->trend[0].label, sizeof out->trend[0].label, "%s", period->label);
    date_iso(period->from, q[0]);
    for (int k = 1; k < 4; k++) {
        ca_period prev;
        if (period->quarter) {
            period_previous(period, k, &prev);
            snprintf(out->trend[k].label, sizeof out->trend[k].label, "%s", prev.label);
            date_iso(prev.from, q[k]);
        } else {
            snprintf(q[k], sizeof q[k], "%s", q[0]);
        }
    }
    snprintf(from, sizeof from, "%s", q[out->ntrend - 1]);
    if (db_begin_read(db, err) != CA_OK) /* one consistent view of the database */
        return CA_ERR;

    /* The moderations as they stood, once, by audit key; then one pass over the
     * period's audits (and the trend's) on a covering index, counted in memory by
     * interned level names. Nothing is joined row by row. */
    struct names moderated = {0}, corrected = {0}, dimnames[REPORT_NDIMS] = {{0}}, stratnames = {0};
    unsigned char *inscope = NULL; /* a bit per audit id in the period itself, for the domains */
    unsigned char *outcome = NULL; /* per audit id: the moderated grade + 8 if planned; 0: none */
    /* corrected: the (round, case)s with an audit replaced by a correction as at then;
     * moderated: their outcomes, by (round, case). */
    int64_t maxid = 0;
    int got;
    if (db_int(db, &maxid, "SELECT coalesce(max(id), 0) FROM audit", err) != CA_OK ||
        !(inscope = calloc((size_t)maxid / 8 + 1, 1)) || !(outcome = calloc((size_t)maxid + 1, 1))) {
        if (!err->status)
            ca_fail(err, CA_SYSTEM, "out of memory");
        goto done;
    }
    /* An outcome counts for its (round, case). It names the audit it moderated, which is the
     * audit that counts unless a correction has replaced it since: so outcomes are found
     * by audit id, and by (round, case) only for the cases with a replaced audit. */
    if (stmt_prepare(db, &s, "SELECT round_id, case_id FROM audit WHERE superseded_at IS NOT NULL"
                             " AND superseded_at < :asat", err) != CA_OK)
        goto done;
    stmt_bind_text(&s, ":asat", asat);
    while ((got = stmt_step(&s, err)) == 1)
        if (names_get(&corrected, stmt_int(&s, 0), stmt_text(&s, 1), 1) < 0) {
            got = ca_fail(err, CA_SYSTEM, "out of memory");
            break;
        }
    stmt_finalize(&s);
    if (got < 0 || stmt_prepare(db, &s, "SELECT round_id, case_id, grade, planned, audit_id FROM moderation"
                                        " WHERE entered_at < :asat AND (superseded_at IS NULL OR superseded_at >= :asat)",
                                err) != CA_OK)
        goto done;
    stmt_bind_text(&s, ":asat", asat);
    while ((got = stmt_step(&s, err)) == 1) {
        int v = (int)stmt_int(&s, 2) + 8 * (stmt_int(&s, 3) != 0);
        int64_t id = stmt_int(&s, 4);
        if (id >= 0 && id <= maxid)
            outcome[id] = (unsigned char)v;
        if (names_find(&corrected, stmt_int(&s, 0), stmt_text(&s, 1)) >= 0 &&
            names_get(&moderated, stmt_int(&s, 0), stmt_text(&s, 1), v) < 0) {
            got = ca_fail(err, CA_SYSTEM, "out of memory");
            break;
        }
    }
    stmt_finalize(&s);
    if (got < 0)
        goto done;
    /* Only the levels that a breakdown needs are read: a column not decoded is time
     * saved a million times. */
    int want[REPORT_NDIMS] = {0};
    for (int i = 0; i < out->nby; i++)
        want[out->by[i].dim] = 1;
    char main_sql[512];
    snprintf(main_sql, sizeof main_sql,
             "SELECT a.round_id, a.stratum, %s, %s, %s, %s, a.grade, a.case_id, a.id, a.audit_date FROM audit a WHERE"
             IN_SCOPE, want[BY_PLAN] ? "a.plan_type" : "NULL", want[BY_AGE] ? "a.age_band" : "NULL",
             want[BY_TEAM] ? "coalesce(a.team, '(no team)')" : "NULL", want[BY_AUDITOR] ? "a.auditor" : "NULL");
    if (stmt_prepare(db, &s, main_sql, err) != CA_OK)
        goto done;
    stmt_bind_text(&s, ":asat", asat);
    stmt_bind_text(&s, ":from", from);
    stmt_bind_text(&s, ":to", to);
    long nrounds = 0;
    while ((got = stmt_step(&s, err)) == 1) {
        int64_t id = stmt_int(&s, 8);
        int m = id >= 0 && id <= maxid ? outcome[id] : 0;
        if (!m && moderated.n && (m = names_find(&moderated, stmt_int(&s, 0), stmt_text(&s, 7))) < 0)
            m = 0;
        int g = (int)stmt_int(&s, 6), mod = m > 0, mg = mod ? m % 8 : g, planned = m >= 8;
        const char *date = stmt_text(&s, 9);
        int qi = strcmp(date, q[0]) >= 0 ? 0 : strcmp(date, q[1]) >= 0 ? 1 : strcmp(date, q[2]) >= 0 ? 2 : 3;
        if (g < 1 || g > 4 || mg < 1 || mg > 4)
            continue;
        out->trend[qi].audits++;
        out->trend[qi].final[mg]++;
        if (qi != 0)
            continue;
        long round_id = stmt_int(&s, 0);
        if (id >= 0 && id <= maxid)
            inscope[id / 8] |= (unsigned char)(1u << (id % 8));
        out->audits++;
        out->audited[g]++;
        out->final[mg]++;
        enum ca_outcome o = outcome_of(g, mg);
        if (mod) {
            out->moderated++;
            out->transitions[g - 1][mg - 1]++;
            out->agreed += o == CA_AGREED;
            out->downgraded += o == CA_DOWNGRADED;
            out->upgraded += o == CA_UPGRADED;
            out->unplanned += !planned;
        }
        for (int i = 0; i < out->nby; i++) {
            int col = out->by[i].dim == BY_PLAN ? 2 : out->by[i].dim == BY_AGE ? 3 : out->by[i].dim == BY_TEAM ? 4 : 5;
            report_breakdown *b = &out->by[i];
            int k = names_get(&dimnames[i], 0, stmt_text(&s, col), b->nlevels);
            report_level *l = k < 0 ? NULL : k < b->nlevels ? &b->levels[k] : level(b, stmt_text(&s, col));
            if (!l) {
                got = ca_fail(err, CA_SYSTEM, "out of memory");
                break;
            }
            l->audits++;
            l->final[mg]++;
            l->moderated += mod;
            l->downgraded += mod && o == CA_DOWNGRADED;
        }
        int k = names_get(&stratnames, round_id, stmt_text(&s, 1), nstrata);
        if (k < 0) {
            got = ca_fail(err, CA_SYSTEM, "out of memory");
            break;
        }
        if (k == nstrata) {
            struct stratum_acc *a = realloc(strata, sizeof *a * (size_t)(nstrata + 1));
            if (!a) {
                got = ca_fail(err, CA_SYSTEM, "out of memory");
                break;
            }
            strata = a;
            memset(&strata[k], 0, sizeof strata[k]);
            strata[k].round_id = round_id;
            snprintf(strata[k].name, sizeof strata[k].name, "%s", stmt_text(&s, 1));
            nstrata++;
            long r = 0;
            while (r < nrounds && rounds[r] != round_id)
                r++;
            if (r == nrounds) {
                long *rr = realloc(rounds, sizeof *rr * (size_t)(nrounds + 1));
                if (!rr) {
                    got = ca_fail(err, CA_SYSTEM, "out of memory");
                    break;
                }
                rounds = rr;
                rounds[nrounds++] = round_id;
            }
        }
        strata[k].n++;
        strata[k].final[mg]++;
    }
    stmt_finalize(&s);
    if (got < 0)
        goto done;
    out->rounds = nrounds;
    for (int i = 0; i < out->nby; i++)
        if (out->by[i].nlevels > 1)
            qsort(out->by[i].levels, (size_t)out->by[i].nlevels, sizeof *out->by[i].levels, cmp_level);

    /* Each covered round's design (N_h) and progress. */
    if (stmt_prepare(db, &s, "SELECT stratum, frame_n FROM round_stratum WHERE round_id = :r", err) != CA_OK)
        goto done;
    for (long r = 0; r < nrounds && got >= 0; r++) {
        stmt_bind_int(&s, ":r", rounds[r]);
        while ((got = stmt_step(&s, err)) == 1)
            for (int k = 0; k < nstrata; k++)
                if (strata[k].round_id == rounds[r] && strcmp(strata[k].name, stmt_text(&s, 0)) == 0)
                    strata[k].N = stmt_int(&s, 1);
        stmt_reset(&s);
    }
    stmt_finalize(&s);
    /* Sampled (the round's n_h, which its list holds), and for a round past its due date
     * the cases not graded by then: those without an audit current at the as-at time
     * (one per graded case). */
    if (got < 0 || stmt_prepare(db, &s,
                                "SELECT (SELECT coalesce(sum(sample_n), 0) FROM round_stratum WHERE round_id = r.id),"
                                " CASE WHEN r.due < :ref THEN (SELECT count(*) FROM audit WHERE round_id = r.id"
                                "  AND entered_at < :asat AND (superseded_at IS NULL OR superseded_at >= :asat))"
                                " END FROM round r WHERE r.id = :r", err) != CA_OK)
        goto done;
    for (long r = 0; r < nrounds && got >= 0; r++) {
        stmt_bind_int(&s, ":r", rounds[r]);
        stmt_bind_text(&s, ":asat", asat);
        stmt_bind_text(&s, ":ref", ref);
        if ((got = stmt_step(&s, err)) == 1) {
            out->sampled += stmt_int(&s, 0);
            if (!stmt_is_null(&s, 1))
                out->overdue += stmt_int(&s, 0) - stmt_int(&s, 1);
        }
        stmt_reset(&s);
    }
    stmt_finalize(&s);
    if (got < 0)
        goto done;

    /* The design-weighted estimate, by final grade, pooled over the rounds' strata. */
    stats_stratum *ss = calloc((size_t)(nstrata ? nstrata : 1), sizeof *ss);
    if (!ss) {
        ca_fail(err, CA_SYSTEM, "out of memory");
        goto done;
    }
    for (int g = 1; g <= 4; g++) {
        for (int k = 0; k < nstrata; k++)
            ss[k] = (stats_stratum){strata[k].N > strata[k].n ? strata[k].N : strata[k].n, strata[k].n,
                                    strata[k].final[g]};
        out->estimate[g] = stats_stratified(ss, nstrata);
    }
    free(ss);

    /* Moderation: the most common downgrade (ties: the better from-grade, then the
     * better to-grade), agreement and the sign test. */
    for (int i = 0; i < 4; i++)
        for (int j = i + 1; j < 4; j++)
            if (out->transitions[i][j] > out->top_n)
                out->top_n = out->transitions[i][j], out->top_from = i + 1, out->top_to = j + 1;
    out->kappa = stats_kappa((const long(*)[4])out->transitions, 0);
    out->kappa_linear = stats_kappa((const long(*)[4])out->transitions, 1);
    out->sign_test_p = stats_sign_test(out->downgraded, out->upgraded);

    /* Domains: every domain, with the period's audits that graded it. */
    if (stmt_prepare(db, &s, "SELECT code, label FROM domain ORDER BY seq", err) != CA_OK)
        goto done;
    while ((got = stmt_step(&s, err)) == 1) {
        report_domain *d = realloc(out->domains, sizeof *d * (size_t)(out->ndomains + 1));
        if (!d) {
            got = ca_fail(err, CA_SYSTEM, "out of memory");
            break;
        }
        out->domains = d;
        d = &out->domains[out->ndomains++];
        memset(d, 0, sizeof *d);
        snprintf(d->code, sizeof d->code, "%s", stmt_text(&s, 0));
        snprintf(d->label, sizeof d->label, "%s", stmt_text(&s, 1));
    }
    stmt_finalize(&s);
    if (got < 0 || stmt_prepare(db, &s, "SELECT audit_id, domain, grade FROM audit_domain", err) != CA_OK)
        goto done;
    int last = 0;
    while ((got = stmt_step(&s, err)) == 1) {
        int64_t id = stmt_int(&s, 0);
        if (id < 0 || id > maxid || !(inscope[id / 8] & (1u << (id % 8))))
            continue;
        const char *code = stmt_text(&s, 1);
        if (last >= out->ndomains || strcmp(out->domains[last].code, code) != 0)
            for (last = 0; last < out->ndomains && strcmp(out->domains[last].code, code) != 0; last++)
                ;
        if (last < out->ndomains) {
            out->domains[last].audits++;
            out->domains[last].good_or_better += stmt_int(&s, 2) <= 2;
        }
    }
    stmt_finalize(&s);
    if (got < 0)
        goto done;
    char pfrom[CA_DATE_ISO_LEN];
    date_iso(period->from, pfrom);

    /* Actions raised by the period's audits: an audit in scope is in the bitmap; any
     * other (superseded since, say) is looked up by its id, which few are. */
    ca_stmt one = {0};
    if (stmt_prepare(db, &s,
                     "SELECT audit_id, done_at IS NOT NULL AND done_at < :asat,"
                     " (done_at IS NULL OR done_at >= :asat) AND due < :ref FROM action WHERE entered_at < :asat",
                     err) != CA_OK ||
        stmt_prepare(db, &one, "SELECT audit_date BETWEEN :from AND :to FROM audit WHERE id = :id", err) != CA_OK) {
        got = CA_ERR;
        goto actions_done;
    }
    stmt_bind_text(&s, ":asat", asat);
    stmt_bind_text(&s, ":ref", ref);
    while ((got = stmt_step(&s, err)) == 1) {
        int64_t id = stmt_int(&s, 0);
        if (id < 0 || id > maxid || !(inscope[id / 8] & (1u << (id % 8)))) {
            stmt_bind_text(&one, ":from", pfrom);
            stmt_bind_text(&one, ":to", to);
            stmt_bind_int(&one, ":id", id);
            int in = stmt_step(&one, err);
            in = in == 1 ? (int)stmt_int(&one, 0) : in;
            stmt_reset(&one);
            if (in < 0) {
                got = CA_ERR;
                break;
            }
            if (!in)
                continue;
        }
        out->actions_raised++;
        out->actions_done += stmt_int(&s, 1) != 0;
        out->actions_overdue += stmt_int(&s, 2) != 0;
    }
    out->actions_open = out->actions_raised - out->actions_done;
actions_done:
    stmt_finalize(&s);
    stmt_finalize(&one);
    if (got >= 0)
        rc = CA_OK;
done:
    free(strata);
    free(rounds);
    free(inscope);
    free(outcome);
    for (int i = 0; i < REPORT_NDIMS; i++)
        names_free(&dimnames[i]);
    names_free(&stratnames);
    names_free(&moderated);
    names_free(&corrected);
    db_rollback(db); /* read only */
    if (rc != CA_OK)
        report_free(out);
    return rc;
}
