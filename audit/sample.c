#include "audit/sample.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "audit/bigmem.h"
#include "audit/csvread.h"

uint64_t sample_fnv1a64(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        h ^= *p;
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* The §5 key from the case id's hash: the frame computes the hash once for both the
 * key and its set lookups. */
static uint64_t key_of_hash(uint64_t h, uint64_t seed)
{
    uint64_t z = (h ^ seed) + 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

uint64_t sample_key(const char *case_id, uint64_t seed) { return key_of_hash(sample_fnv1a64(case_id), seed); }

int sample_seed_parse(const char *s, uint64_t *out)
{
    if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
        return CA_ERR;
    char *end;
    errno = 0;
    unsigned long long v = (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ? strtoull(s + 2, &end, 16)
                                                                          : strtoull(s, &end, 10);
    if (errno || *end || end == s || (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && end == s + 2))
        return CA_ERR;
    *out = (uint64_t)v;
    return CA_OK;
}

void sample_seed_format(uint64_t seed, char out[17]) { snprintf(out, 17, "%016" PRIx64, seed); }

int sample_seed_random(uint64_t *out, ca_error *err)
{
    if (getrandom(out, sizeof *out, 0) != (ssize_t)sizeof *out)
        return ca_fail(err, CA_SYSTEM, "cannot read the operating system's random source: %s", strerror(errno));
    return CA_OK;
}

double sample_neyman_sd(long audits, long poor)
{
    double p = audits < 5 ? 0.5 : (double)poor / (double)audits;
    double s = sqrt(p * (1 - p));
    return s < 0.1 ? 0.1 : s;
}

int sample_allocate(enum sample_alloc method, long n, int k, int H, const long *frame, const double *sd,
                    const long *fixed, long *out, ca_error *err)
{
    long total = 0, minimum = 0;
    for (int h = 0; h < H; h++) {
        total += frame[h];
        minimum += frame[h] < k ? frame[h] : k;
    }
    if (method == ALLOC_FIXED) {
        for (int h = 0; h < H; h++)
            out[h] = fixed[h];
        return CA_OK; /* checked against N_h where the file is read */
    }
    if (n > total)
        return ca_fail(err, CA_REFUSED, "--size %ld is more than the %ld eligible cases", n, total);
    if (minimum > n)
        return ca_fail(err, CA_REFUSED,
                       "--min-per-stratum %d over %d strata needs %ld cases, more than --size %ld: "
                       "lower --min-per-stratum or use fewer strata", k, H, minimum, n);
    double *w = malloc(sizeof *w * (size_t)(H ? H : 1)), *q = malloc(sizeof *q * (size_t)(H ? H : 1));
    char *fix = calloc((size_t)(H ? H : 1), 1);
    if (!w || !q || !fix) {
        free(w), free(q), free(fix);
        return ca_fail(err, CA_SYSTEM, "out of memory");
    }
    for (int h = 0; h < H; h++)
        w[h] = method == ALLOC_EQUAL ? 1.0 : method == ALLOC_NEYMAN ? (double)frame[h] * sd[h] : (double)frame[h];
    /* Fix targets outside [min(K, N_h), N_h] at the bound and spread the rest again, until stable. */
    for (int changed = 1; changed;) {
        changed = 0;
        double left = (double)n, wsum = 0;
        for (int h = 0; h < H; h++) {
            if (fix[h])
                left -= q[h];
            else
                wsum += w[h];
        }
        for (int h = 0; h < H; h++)
            if (!fix[h])
                q[h] = wsum > 0 ? left * w[h] / wsum : 0;
        for (int h = 0; h < H; h++) {
            if (fix[h])
                continue;
            double lo = (double)(frame[h] < k ? frame[h] : k);
            if (q[h] < lo)
                q[h] = lo, fix[h] = 1, changed = 1;
            else if (q[h] > (double)frame[h])
                q[h] = (double)frame[h], fix[h] = 1, changed = 1;
        }
    }
    /* Largest remainder (Hamilton). */
    long given = 0;
    for (int h = 0; h < H; h++) {
        out[h] = fix[h] ? (long)llround(q[h]) : (long)floor(q[h] + 1e-9);
        given += out[h];
    }
    for (long left = n - given; left > 0; left--) {
        int best = -1;
        double bestfrac = -1;
        for (int h = 0; h < H; h++) {
            if (fix[h] || out[h] >= frame[h])
                continue;
            double frac = q[h] - (double)out[h];
            if (best < 0 || frac > bestfrac + 1e-12 ||
                (fabs(frac - bestfrac) <= 1e-12 && frame[h] > frame[best]))
                best = h, bestfrac = frac;
        }
        if (best < 0)
            break;
        out[best]++;
        fix[best] = 2; /* one unit each */
    }
    free(w), free(q), free(fix);
    return CA_OK;
}

int sample_dims_parse(const char *s, sample_design *d, ca_error *err)
{
    d->ndims = 0;
    const char *p = s;
    while (*p) {
        size_t len = strcspn(p, ",");
        enum sample_dim dim;
        if (len == 4 && strncmp(p, "plan", 4) == 0)
            dim = DIM_PLAN;
        else if (len == 3 && strncmp(p, "age", 3) == 0)
            dim = DIM_AGE;
        else if (len == 4 && strncmp(p, "team", 4) == 0)
            dim = DIM_TEAM;
        else
            return ca_fail(err, CA_USAGE, "--strata '%s': expected a comma list of plan, age and team", s);
        for (int i = 0; i < d->ndims; i++)
            if (d->dims[i] == dim)
                return ca_fail(err, CA_USAGE, "--strata '%s': a dimension is named twice", s);
        d->dims[d->ndims++] = dim;
        p += len;
        if (*p == ',')
            p++;
    }
    if (d->ndims == 0)
        return ca_fail(err, CA_USAGE, "--strata is empty: expected a comma list of plan, age and team");
    return CA_OK;
}

void sample_result_free(sample_result *r)
{
    free(r->strata);
    r->strata = NULL;
}

/* ---- the frame ---- */

struct unit {
    uint64_t key;
    int64_t row;   /* its snapshot_case row, for the team and worker of a selected case */
    const char *id;
    const char *team;
    int stratum;   /* ordinal in stratum order */
    int plan, band;
};

/* Strings for the frame, in big blocks: a million small mallocs would cost more than the draw. */
struct arena {
    char **blocks;
    int n, cap;
    size_t used, size;
};

/* Blocks on huge pages where the system has them (audit/bigmem.c): a frame of a million
 * cases would otherwise fault in thousands of small pages. No string is longer than a
 * CSV line (CSVR_MAX_LINE), far less than a block. */
#define ARENA_BLOCK ((size_t)4 << 20)

static const char *arena_dup(struct arena *a, const char *s)
{
    size_t len = strlen(s) + 1;
    if (len > ARENA_BLOCK)
        return NULL;
    if (a->n == 0 || a->used + len > a->size) {
        size_t size = ARENA_BLOCK;
        if (a->n == a->cap) {
            int cap = a->cap ? 2 * a->cap : 16;
            char **b = realloc(a->blocks, sizeof *b * (size_t)cap);
            if (!b)
                return NULL;
            a->blocks = b, a->cap = cap;
        }
        if (!(a->blocks[a->n] = big_alloc(size)))
            return NULL;
        a->n++, a->used = 0, a->size = size;
    }
    char *d = a->blocks[a->n - 1] + a->used;
    memcpy(d, s, len);
    a->used += len;
    return d;
}

static void arena_free(struct arena *a)
{
    for (int i = 0; i < a->n; i++)
        big_free(a->blocks[i], ARENA_BLOCK);
    free(a->blocks);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Smallest key first, ties by case id. */
static int unit_before(const struct unit *a, const struct unit *b)
{
    return a->key != b->key ? a->key < b->key : strcmp(a->id, b->id) < 0;
}

static int cmp_unit(const void *a, const void *b)
{
    const struct unit *x = a, *y = b;
    if (x->stratum != y->stratum)
        return x->stratum < y->stratum ? -1 : 1;
    return unit_before(x, y) ? -1 : unit_before(y, x) ? 1 : 0;
}

/* Keeps the n smallest of the units in heap (a max-heap of size at most n). */
static void heap_offer(struct unit **heap, long *len, long n, struct unit *u)
{
    if (n == 0)
        return;
    if (*len < n) {
        long i = (*len)++;
        heap[i] = u;
        while (i > 0 && unit_before(heap[(i - 1) / 2], heap[i])) {
            struct unit *t = heap[i];
            heap[i] = heap[(i - 1) / 2], heap[(i - 1) / 2] = t;
            i = (i - 1) / 2;
        }
        return;
    }
    if (!unit_before(u, heap[0]))
        return;
    heap[0] = u;
    for (long i = 0;;) {
        long l = 2 * i + 1, r = l + 1, big = i;
        if (l < *len && unit_before(heap[big], heap[l]))
            big = l;
        if (r < *len && unit_before(heap[big], heap[r]))
            big = r;
        if (big == i)
            break;
        struct unit *t = heap[i];
        heap[i] = heap[big], heap[big] = t;
        i = big;
    }
}

struct draw {
    ca_db *db;
    const sample_design *d;
    sample_result *res;
    ca_error *err;
    struct arena arena;
    struct unit *units;
    long nunits, capunits;
    const char **teams;   /* sorted, distinct */
    int nteams;
    int nlevels[3];
    long *frame;          /* N_h by stratum ordinal */
    long *alloc;          /* n_h */
    int nordinals;
    long replaced_round;  /* the round being redrawn, or 0 */
    char as_of[CA_DATE_ISO_LEN];
    int64_t first_row, last_row; /* the snapshot's rows in snapshot_case */
    long open_cases;              /* and how many of them are open */
};

static int level_count(const struct draw *w, enum sample_dim dim)
{
    return dim == DIM_PLAN ? CA_NPLANS : dim == DIM_AGE ? bands_count(&w->d->bands) : w->nteams;
}

static int level_of(const struct draw *w, const struct unit *u, enum sample_dim dim)
{
    if (dim == DIM_PLAN)
        return u->plan;
    if (dim == DIM_AGE)
        return u->band;
    const char **t = bsearch(&u->team, w->teams, (size_t)w->nteams, sizeof *w->teams, cmp_str);
    return t ? (int)(t - w->teams) : 0;
}

static void stratum_name(const struct draw *w, int ordinal, char *buf, size_t len)
{
    int idx[3];
    for (int i = w->d->ndims - 1; i >= 0; i--) {
        idx[i] = ordinal % w->nlevels[i];
        ordinal /= w->nlevels[i];
    }
    size_t o = 0;
    buf[0] = 0;
    for (int i = 0; i < w->d->ndims && o < len; i++) {
        char level[96];
        switch (w->d->dims[i]) {
        case DIM_PLAN: snprintf(level, sizeof level, "%s", plan_code(idx[i])); break;
        case DIM_AGE: band_code(&w->d->bands, idx[i], level, sizeof level); break;
        case DIM_TEAM: snprintf(level, sizeof level, "%s", w->teams[idx[i]]); break;
        }
        o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? "|" : "", level);
    }
}

/* The team level of a case without one. */
#define NO_TEAM "(no team)"

/* A set of case ids (the exclusions), by their FNV-1a hash, strings compared. */
struct idset {
    uint64_t *hash;
    const char **id;
    size_t cap, n;
};

static int idset_add(struct idset *t, struct arena *a, const char *id)
{
    if (t->n * 2 >= t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 1024;
        uint64_t *h = calloc(cap, sizeof *h);
        const char **ids = calloc(cap, sizeof *ids);
        if (!h || !ids) {
            free(h), free(ids);
            return CA_ERR;
        }
        for (size_t i = 0; i < t->cap; i++)
            if (t->id[i]) {
                size_t j = t->hash[i] & (cap - 1);
                while (ids[j])
                    j = (j + 1) & (cap - 1);
                h[j] = t->hash[i], ids[j] = t->id[i];
            }
        free(t->hash), free(t->id);
        t->hash = h, t->id = ids, t->cap = cap;
    }
    uint64_t h = sample_fnv1a64(id);
    size_t j = h & (t->cap - 1);
    for (; t->id[j]; j = (j + 1) & (t->cap - 1))
        if (t->hash[j] == h && strcmp(t->id[j], id) == 0)
            return CA_OK;
    if (!(t->id[j] = arena_dup(a, id)))
        return CA_ERR;
    t->hash[j] = h;
    t->n++;
    return CA_OK;
}

static int idset_has(const struct idset *t, uint64_t h, const char *id)
{
    if (!t->n)
        return 0;
    for (size_t j = h & (t->cap - 1); t->id[j]; j = (j + 1) & (t->cap - 1))
        if (t->hash[j] == h && strcmp(t->id[j], id) == 0)
            return 1;
    return 0;
}

static void idset_free(struct idset *t) { free(t->hash), free(t->id); }

/* Fills a set from a query whose first column is a case id. */
static int idset_load(struct draw *w, struct idset *t, ca_stmt *s)
{
    int rc;
    while ((rc = stmt_step(s, w->err)) == 1)
        if (idset_add(t, &w->arena, stmt_text(s, 0)) != CA_OK)
            return ca_fail(w->err, CA_SYSTEM, "out of memory");
    return rc < 0 ? CA_ERR : CA_OK;
}

/* Plan codes as stored (the canonical ones); -1 otherwise. */
static int stored_plan(const char *p)
{
    for (int i = 0; i < CA_NPLANS; i++)
        if (strcmp(p, plan_code(i)) == 0)
            return i;
    return plan_parse(p);
}

static int load_frame(struct draw *w)
{
    ca_stmt s = {0}, audited = {0}, pending = {0};
    struct idset recent = {0}, on_list = {0};
    char cutoff[CA_DATE_ISO_LEN] = "9999-12-31";
    ca_day as_of;
    char why[64];
    int rc = CA_ERR, team_dim = 0;
    if (date_parse(w->as_of, &as_of, why, sizeof why) != CA_OK)
        return ca_fail(w->err, CA_SYSTEM, "snapshot has a bad as-of date '%s'", w->as_of);
    w->res->as_of = as_of;
    if (w->d->exclude_months > 0)
        date_iso(date_add_months(as_of, -w->d->exclude_months), cutoff);
    for (int i = 0; i < w->d->ndims; i++)
        team_dim |= w->d->dims[i] == DIM_TEAM;
    /* The exclusions as sets first, then one pass over the open cases: no query per case. */
    if (stmt_prepare(w->db, &audited, "SELECT DISTINCT case_id FROM audit WHERE audit_date >= :cutoff",
                     w->err) != CA_OK ||
        stmt_prepare(w->db, &pending,
                     "SELECT rc.case_id FROM round_case rc JOIN round r ON r.id = rc.round_id WHERE r.id <> :replaced"
                     " AND EXISTS (SELECT 1 FROM round_case x WHERE x.round_id = r.id AND NOT EXISTS (SELECT 1"
                     "   FROM audit a WHERE a.round_id = x.round_id AND a.case_id = x.case_id))", w->err) != CA_OK ||
        stmt_prepare(w->db, &s, "SELECT case_id, plan_type, age, coalesce(team, ''), rowid FROM snapshot_case"
                                " WHERE rowid BETWEEN :lo AND :hi AND snapshot_id = :s AND closed = 0",
                     w->err) != CA_OK)
        goto done;
    stmt_bind_int(&s, ":lo", w->first_row);
    stmt_bind_int(&s, ":hi", w->last_row);
    stmt_bind_text(&audited, ":cutoff", cutoff);
    stmt_bind_int(&pending, ":replaced", w->replaced_round);
    stmt_bind_int(&s, ":s", w->res->snapshot);
    if (idset_load(w, &recent, &audited) != CA_OK || idset_load(w, &on_list, &pending) != CA_OK)
        goto done;
    int got;
    while ((got = stmt_step(&s, w->err)) == 1) {
        const char *id = stmt_text(&s, 0);
        uint64_t h = sample_fnv1a64(id);
        w->res->population++;
        if (idset_has(&recent, h, id)) {
            w->res->excluded_audited++;
            continue;
        }
        if (idset_has(&on_list, h, id)) {
            w->res->excluded_pending++;
            continue;
        }
        if (w->nunits == w->capunits) {
            /* Sized at first for the snapshot's open cases, so that it is allocated once. */
            long cap = w->capunits ? 2 * w->capunits : w->open_cases > 4096 ? w->open_cases : 4096;
            struct unit *u = big_alloc(sizeof *u * (size_t)cap);
            if (!u) {
                got = ca_fail(w->err, CA_SYSTEM, "out of memory");
                break;
            }
            if (w->nunits)
                memcpy(u, w->units, sizeof *u * (size_t)w->nunits);
            big_free(w->units, sizeof *u * (size_t)w->capunits);
            w->units = u, w->capunits = cap;
        }
        struct unit *u = &w->units[w->nunits++];
        const char *team = stmt_text(&s, 3);
        u->id = arena_dup(&w->arena, id);
        /* The team only when it is a dimension; the selected cases' teams and workers are read when stored. */
        u->team = team_dim ? arena_dup(&w->arena, *team ? team : NO_TEAM) : NO_TEAM;
        if (!u->id || !u->team) {
            got = ca_fail(w->err, CA_SYSTEM, "out of memory");
            break;
        }
        u->plan = stored_plan(stmt_text(&s, 1));
        u->band = band_of(&w->d->bands, (int)stmt_int(&s, 2));
        u->key = key_of_hash(h, w->d->seed);
        u->row = stmt_int(&s, 4);
    }
    if (got >= 0)
        rc = CA_OK;
done:
    stmt_finalize(&s), stmt_finalize(&audited), stmt_finalize(&pending);
    idset_free(&recent), idset_free(&on_list);
    w->res->eligible = w->nunits;
    return rc;
}

static int build_strata(struct draw *w)
{
    int team_dim = 0;
    for (int i = 0; i < w->d->ndims; i++)
        team_dim |= w->d->dims[i] == DIM_TEAM;
    if (team_dim) {
        const char **all = malloc(sizeof *all * (size_t)(w->nunits ? w->nunits : 1));
        if (!all)
            return ca_fail(w->err, CA_SYSTEM, "out of memory");
        for (long i = 0; i < w->nunits; i++)
            all[i] = w->units[i].team;
        qsort(all, (size_t)w->nunits, sizeof *all, cmp_str);
        long n = 0;
        for (long i = 0; i < w->nunits; i++)
            if (n == 0 || strcmp(all[n - 1], all[i]) != 0)
                all[n++] = all[i];
        w->teams = all;
        w->nteams = (int)n;
    }
    long ordinals = 1;
    for (int i = 0; i < w->d->ndims; i++) {
        w->nlevels[i] = level_count(w, w->d->dims[i]);
        if (w->nlevels[i] < 1)
            w->nlevels[i] = 1;
        ordinals *= w->nlevels[i];
    }
    if (ordinals > 1000000)
        return ca_fail(w->err, CA_REFUSED, "%ld possible strata is too many: use fewer dimensions", ordinals);
    w->nordinals = (int)ordinals;
    w->frame = calloc((size_t)ordinals, sizeof *w->frame);
    w->alloc = calloc((size_t)ordinals, sizeof *w->alloc);
    if (!w->frame || !w->alloc)
        return ca_fail(w->err, CA_SYSTEM, "out of memory");
    for (long i = 0; i < w->nunits; i++) {
        struct unit *u = &w->units[i];
        int ord = 0;
        for (int k = 0; k < w->d->ndims; k++)
            ord = ord * w->nlevels[k] + level_of(w, u, w->d->dims[k]);
        u->stratum = ord;
        w->frame[ord]++;
    }
    return CA_OK;
}

/* Neyman's S_h from the previous 12 months of final grades, by the current design's strata. */
static int neyman_sd(struct draw *w, const int *ords, int H, double *sd)
{
    long *audits = calloc((size_t)H, sizeof *audits), *poor = calloc((size_t)H, sizeof *poor);
    if (!audits || !poor) {
        free(audits), free(poor);
        return ca_fail(w->err, CA_SYSTEM, "out of memory");
    }
    char from[CA_DATE_ISO_LEN];
    date_iso(date_add_months(w->res->as_of, -12), from);
    ca_stmt s;
    static const char sql[] =
        "WITH last_audit AS (SELECT round_id, case_id, max(id) AS id FROM audit GROUP BY round_id, case_id),"
        " last_mod AS (SELECT round_id, case_id, max(id) AS id FROM moderation GROUP BY round_id, case_id)"
        " SELECT rc.stratum, rc.plan_type, rc.age_band, coalesce(rc.team, ''),"
        "  coalesce(m.grade, a.grade) FROM last_audit la JOIN audit a ON a.id = la.id"
        " JOIN round_case rc ON rc.round_id = a.round_id AND rc.case_id = a.case_id"
        " LEFT JOIN last_mod lm ON lm.round_id = a.round_id AND lm.case_id = a.case_id"
        " LEFT JOIN moderation m ON m.id = lm.id"
        " WHERE a.audit_date >= :from AND a.audit_date <= :to";
    int rc = stmt_prepare(w->db, &s, sql, w->err);
    if (rc == CA_OK) {
        stmt_bind_text(&s, ":from", from);
        stmt_bind_text(&s, ":to", w->as_of);
        while ((rc = stmt_step(&s, w->err)) == 1) {
            /* The audit's levels under this draw's dimensions. */
            char name[160] = "";
            size_t o = 0;
            for (int k = 0; k < w->d->ndims; k++) {
                const char *level = w->d->dims[k] == DIM_PLAN ? stmt_text(&s, 1)
                                    : w->d->dims[k] == DIM_AGE ? stmt_text(&s, 2)
                                                               : stmt_text(&s, 3);
                o += (size_t)snprintf(name + o, sizeof name - o, "%s%s", k ? "|" : "", *level ? level : NO_TEAM);
            }
            for (int h = 0; h < H; h++) {
                char sname[160];
                stratum_name(w, ords[h], sname, sizeof sname);
                if (strcmp(sname, name) == 0) {
                    audits[h]++;
                    poor[h] += stmt_int(&s, 4) >= 3;
                    break;
                }
            }
        }
        stmt_finalize(&s);
    }
    for (int h = 0; h < H; h++)
        sd[h] = sample_neyman_sd(audits[h], poor[h]);
    free(audits), free(poor);
    return rc < 0 ? CA_ERR : CA_OK;
}

/* fixed:FILE, a CSV of stratum,n. */
static int read_fixed(struct draw *w, const int *ords, int H, long *fixed, long *total)
{
    csvr *r;
    if (csvr_open(&r, w->d->fixed_path, 0, w->err) != CA_OK)
        return CA_ERR;
    int rc = csvr_next(r, w->err);
    static const char *const n_stratum[] = {"stratum", NULL}, *const n_n[] = {"n", "size", NULL};
    int cs = -1, cn = -1;
    char *hdr[2] = {NULL, NULL};
    if (rc == 1 && csvr_count(r) >= 2) {
        hdr[0] = (char *)csvr_field(r, 0);
        hdr[1] = (char *)csvr_field(r, 1);
        cs = csvr_find(hdr, 2, n_stratum);
        cn = csvr_find(hdr, 2, n_n);
    }
    if (rc >= 0 && (cs < 0 || cn < 0)) {
        ca_problem(w->err, "%s:1: expected the columns stratum,n", w->d->fixed_path);
        rc = -1;
    }
    *total = 0;
    while (rc >= 0 && cs >= 0 && (rc = csvr_next(r, w->err)) == 1) {
        const char *name = csvr_field(r, cs), *v = csvr_field(r, cn);
        char *end;
        long n = strtol(v, &end, 10);
        int found = -1;
        for (int h = 0; h < H && found < 0; h++) {
            char sname[160];
            stratum_name(w, ords[h], sname, sizeof sname);
            if (strcmp(sname, name) == 0)
                found = h;
        }
        if (*end || end == v || n < 0)
            ca_problem(w->err, "%s:%ld: column \"n\": not a whole number (value \"%s\")", w->d->fixed_path,
                       csvr_line(r), v);
        else if (found < 0)
            ca_problem(w->err, "%s:%ld: column \"stratum\": no eligible cases in a stratum \"%s\" (value \"%s\")",
                       w->d->fixed_path, csvr_line(r), name, name);
        else if (n > w->frame[ords[found]])
            ca_problem(w->err, "%s:%ld: column \"n\": %ld is more than the %ld eligible cases of %s (value \"%s\")",
                       w->d->fixed_path, csvr_line(r), n, w->frame[ords[found]], name, v);
        else
            fixed[found] = n, *total += n;
    }
    csvr_close(r);
    if (rc < 0 && w->err->status)
        return CA_ERR; /* unreadable */
    if (w->err->ntotal)
        return ca_fail(w->err, CA_REFUSED, "nothing was drawn: %ld problem%s in %s", w->err->ntotal,
                       w->err->ntotal == 1 ? "" : "s", w->d->fixed_path);
    return CA_OK;
}

static const char *alloc_name(enum sample_alloc a)
{
    static const char *const names[] = {"proportional", "equal", "neyman", "fixed"};
    return names[a];
}

static int find_round(struct draw *w, long *id, long *graded, ca_error *err)
{
    ca_stmt s;
    *id = 0, *graded = 0;
    if (stmt_prepare(w->db, &s,
                     "SELECT id, (SELECT count(*) FROM audit a WHERE a.round_id = round.id) FROM round"
                     " WHERE label = :label", err) != CA_OK)
        return CA_ERR;
    stmt_bind_text(&s, ":label", w->d->round);
    int rc = stmt_step(&s, err);
    if (rc == 1)
        *id = stmt_int(&s, 0), *graded = stmt_int(&s, 1);
    stmt_finalize(&s);
    return rc < 0 ? CA_ERR : CA_OK;
}

static int store(struct draw *w, const int *ords, int H, struct unit **chosen, long nchosen)
{
    ca_db *db = w->db;
    ca_error *err = w->err;
    ca_stmt s = {0};
    char now[32], seed[17], bands[64], strata[32] = "", due[CA_DATE_ISO_LEN];
    db_now_utc(db, now);
    sample_seed_format(w->d->seed, seed);
    bands_format(&w->d->bands, bands, sizeof bands);
    for (int i = 0; i < w->d->ndims; i++)
        strcat(strata, i ? "," : ""), strcat(strata, w->d->dims[i] == DIM_PLAN ? "plan"
                                                     : w->d->dims[i] == DIM_AGE ? "age" : "team");
    char alloc[600];
    if (w->d->alloc == ALLOC_FIXED)
        snprintf(alloc, sizeof alloc, "fixed:%s", w->d->fixed_path);
    else
        snprintf(alloc, sizeof alloc, "%s", alloc_name(w->d->alloc));
    if (w->d->due >= 0)
        date_iso(w->d->due, due);
    if (w->replaced_round) {
        ca_stmt del;
        if (stmt_prepare(db, &del, "DELETE FROM round WHERE id = :id", err) != CA_OK)
            return CA_ERR;
        stmt_bind_int(&del, ":id", w->replaced_round);
        int rc = stmt_step(&del, err);
        stmt_finalize(&del);
        if (rc < 0)
            return CA_ERR;
    }
    if (stmt_prepare(db, &s,
                     "INSERT INTO round(label, snapshot_id, seed, size, strata, alloc, min_per_stratum, age_bands,"
                     " exclude_months, population, excluded_audited, excluded_pending, due, entered_at, entered_by)"
                     " VALUES(:label, :snap, :seed, :size, :strata, :alloc, :k, :bands, :excl, :pop, :ea, :ep,"
                     " :due, :now, :by)", err) != CA_OK)
        return CA_ERR;
    stmt_bind_text(&s, ":label", w->d->round);
    stmt_bind_int(&s, ":snap", w->res->snapshot);
    stmt_bind_text(&s, ":seed", seed);
    stmt_bind_int(&s, ":size", nchosen);
    stmt_bind_text(&s, ":strata", strata);
    stmt_bind_text(&s, ":alloc", alloc);
    stmt_bind_int(&s, ":k", w->d->min_per_stratum);
    stmt_bind_text(&s, ":bands", bands);
    stmt_bind_int(&s, ":excl", w->d->exclude_months);
    stmt_bind_int(&s, ":pop", w->res->population);
    stmt_bind_int(&s, ":ea", w->res->excluded_audited);
    stmt_bind_int(&s, ":ep", w->res->excluded_pending);
    stmt_bind_text(&s, ":due", w->d->due >= 0 ? due : NULL);
    stmt_bind_text(&s, ":now", now);
    stmt_bind_text(&s, ":by", db_actor(db));
    int rc = stmt_step(&s, err);
    stmt_finalize(&s);
    if (rc < 0)
        return CA_ERR;
    long round = (long)sqlite3_last_insert_rowid(db_handle(db));
    w->res->round_id = round;
    if (stmt_prepare(db, &s, "INSERT INTO round_stratum(round_id, seq, stratum, frame_n, sample_n)"
                             " VALUES(:r, :seq, :name, :N, :n)", err) != CA_OK)
        return CA_ERR;
    for (int h = 0; h < H && rc >= 0; h++) {
        stmt_bind_int(&s, ":r", round);
        stmt_bind_int(&s, ":seq", h + 1);
        stmt_bind_text(&s, ":name", w->res->strata[h].name);
        stmt_bind_int(&s, ":N", w->res->strata[h].frame);
        stmt_bind_int(&s, ":n", w->res->strata[h].n);
        rc = stmt_step(&s, err);
        stmt_reset(&s);
    }
    stmt_finalize(&s);
    if (rc < 0)
        return CA_ERR;
    ca_stmt ev;
    if (stmt_prepare(db, &s,
                     "INSERT INTO round_case(round_id, case_id, seq, stratum, plan_type, age_band, team, worker,"
                     " sort_key, frame_n, sample_n, probability, weight) VALUES(:r, :id, :seq, :stratum, :plan,"
                     " :band, :team, :worker, :key, :N, :n, :p, :w)", err) != CA_OK)
        return CA_ERR;
    if (stmt_prepare(db, &ev,
                     "INSERT INTO event(at, by, command, round, case_id, detail)"
                     " VALUES(:at, :by, 'sample', :round, :id, :detail)", err) != CA_OK) {
        stmt_finalize(&s);
        return CA_ERR;
    }
    ca_stmt who;
    if (stmt_prepare(db, &who, "SELECT team, worker FROM snapshot_case WHERE rowid = :r", err) != CA_OK) {
        stmt_finalize(&s), stmt_finalize(&ev);
        return CA_ERR;
    }
    int h = 0;
    for (long i = 0; i < nchosen && rc >= 0; i++) {
        struct unit *u = chosen[i];
        char team[256] = "", worker[256] = "";
        stmt_bind_int(&who, ":r", u->row);
        if ((rc = stmt_step(&who, err)) == 1) {
            snprintf(team, sizeof team, "%s", stmt_text(&who, 0));
            snprintf(worker, sizeof worker, "%s", stmt_text(&who, 1));
        }
        stmt_reset(&who);
        if (rc < 0)
            break;
        while (ords[h] != u->stratum)
            h++;
        const sample_stratum *st = &w->res->strata[h];
        char key[17], band[32], detail[300];
        sample_seed_format(u->key, key);
        band_code(&w->d->bands, u->band, band, sizeof band);
        stmt_bind_int(&s, ":r", round);
        stmt_bind_text(&s, ":id", u->id);
        stmt_bind_int(&s, ":seq", i + 1);
        stmt_bind_text(&s, ":stratum", st->name);
        stmt_bind_text(&s, ":plan", plan_code(u->plan));
        stmt_bind_text(&s, ":band", band);
        stmt_bind_text(&s, ":team", *team ? team : NULL);
        stmt_bind_text(&s, ":worker", *worker ? worker : NULL);
        stmt_bind_text(&s, ":key", key);
        stmt_bind_int(&s, ":N", st->frame);
        stmt_bind_int(&s, ":n", st->n);
        stmt_bind_double(&s, ":p", (double)st->n / (double)st->frame);
        stmt_bind_double(&s, ":w", (double)st->frame / (double)st->n);
        rc = stmt_step(&s, err);
        stmt_reset(&s);
        snprintf(detail, sizeof detail, "drawn for round %s in stratum %s (%ld of %ld; key %s, seed %s)",
                 w->d->round, st->name, st->n, st->frame, key, seed);
        stmt_bind_text(&ev, ":at", now);
        stmt_bind_text(&ev, ":by", db_actor(db));
        stmt_bind_text(&ev, ":round", w->d->round);
        stmt_bind_text(&ev, ":id", u->id);
        stmt_bind_text(&ev, ":detail", detail);
        if (rc >= 0)
            rc = stmt_step(&ev, err);
        stmt_reset(&ev);
    }
    stmt_finalize(&s);
    stmt_finalize(&ev);
    stmt_finalize(&who);
    if (rc < 0)
        return CA_ERR;
    char detail[1400];
    snprintf(detail, sizeof detail,
             "%s round %s: %ld cases from snapshot %ld (seed %s, strata %s, %s allocation, K %d, age bands %s, "
             "exclusion %d months)", w->replaced_round ? "redrew" : "drew", w->d->round, nchosen, w->res->snapshot,
             seed, strata, alloc, w->d->min_per_stratum, bands, w->d->exclude_months);
    return db_event(db, "sample", w->d->round, NULL, detail, err);
}

int sample_draw(ca_db *db, const sample_design *d, sample_result *out, ca_error *err)
{
    memset(out, 0, sizeof *out);
    struct draw w = {.db = db, .d = d, .res = out, .err = err};
    int *ords = NULL;
    long *sizes = NULL, *fixed = NULL;
    double *sd = NULL;
    struct unit **chosen = NULL, **heap = NULL;
    int rc = CA_ERR;
    if (db_begin(db, err) != CA_OK)
        return CA_ERR;

    long existing, graded;
    if (find_round(&w, &existing, &graded, err) != CA_OK)
        goto done;
    if (existing && graded) {
        ca_fail(err, CA_REFUSED, "round %s has %ld grade%s recorded: a round with grades can never be redrawn",
                d->round, graded, graded == 1 ? "" : "s");
        goto done;
    }
    if (existing && !d->replace) {
        ca_fail(err, CA_REFUSED, "round %s has already been drawn: give --replace to draw it again", d->round);
        goto done;
    }
    w.replaced_round = existing;

    /* The snapshot: the latest unless named. */
    ca_stmt s;
    if (stmt_prepare(db, &s,
                     d->snapshot ? "SELECT id, as_of, pruned_at, coalesce(first_row, 0), coalesce(last_row, -1),"
                                   " open_eh + open_cin + open_cp + open_cla + open_cl FROM snapshot WHERE id = :id"
                                 : "SELECT id, as_of, pruned_at, coalesce(first_row, 0), coalesce(last_row, -1),"
                                   " open_eh + open_cin + open_cp + open_cla + open_cl"
                                   " FROM snapshot WHERE :id = 0 AND id = (SELECT id FROM snapshot_latest)",
                     err) != CA_OK)
        goto done;
    stmt_bind_int(&s, ":id", d->snapshot);
    int got = stmt_step(&s, err);
    if (got == 1) {
        out->snapshot = stmt_int(&s, 0);
        snprintf(w.as_of, sizeof w.as_of, "%s", stmt_text(&s, 1));
        w.first_row = stmt_int(&s, 3);
        w.last_row = stmt_int(&s, 4);
        w.open_cases = (long)stmt_int(&s, 5);
        if (!stmt_is_null(&s, 2))
            got = 2;
    }
    stmt_finalize(&s);
    if (got < 0)
        goto done;
    if (got == 0) {
        if (d->snapshot)
            ca_fail(err, CA_REFUSED, "there is no snapshot %ld (see 'caseaudit snapshots')", d->snapshot);
        else
            ca_fail(err, CA_REFUSED, "there is no snapshot to draw from: import a case list first");
        goto done;
    }
    if (got == 2) {
        ca_fail(err, CA_REFUSED, "snapshot %ld has been pruned: import the case list again to draw from it",
                out->snapshot);
        goto done;
    }
    if (load_frame(&w) != CA_OK || build_strata(&w) != CA_OK)
        goto done;

    /* The strata that have eligible cases, in stratum order. */
    int H = 0;
    ords = malloc(sizeof *ords * (size_t)(w.nordinals ? w.nordinals : 1));
    if (!ords)
        goto nomem;
    for (int o = 0; o < w.nordinals; o++)
        if (w.frame[o] > 0)
            ords[H++] = o;
    if (H == 0) {
        ca_fail(err, CA_REFUSED, "no eligible cases: %ld open, %ld audited within %d months, %ld on a round "
                "still being graded", out->population, out->excluded_audited, d->exclude_months,
                out->excluded_pending);
        goto done;
    }
    sizes = calloc((size_t)H, sizeof *sizes);
    fixed = calloc((size_t)H, sizeof *fixed);
    sd = calloc((size_t)H, sizeof *sd);
    out->strata = calloc((size_t)H, sizeof *out->strata);
    if (!sizes || !fixed || !sd || !out->strata)
        goto nomem;
    out->nstrata = H;
    long n = d->size;
    for (int h = 0; h < H; h++) {
        sizes[h] = w.frame[ords[h]];
        stratum_name(&w, ords[h], out->strata[h].name, sizeof out->strata[h].name);
        out->strata[h].frame = sizes[h];
    }
    if (d->alloc == ALLOC_NEYMAN && neyman_sd(&w, ords, H, sd) != CA_OK)
        goto done;
    if (d->alloc == ALLOC_FIXED) {
        long total;
        if (read_fixed(&w, ords, H, fixed, &total) != CA_OK)
            goto done;
        if (n && n != total) {
            ca_fail(err, CA_REFUSED, "--size %ld differs from the %ld cases that %s asks for", n, total,
                    d->fixed_path);
            goto done;
        }
        n = total;
    }
    long *alloc = calloc((size_t)H, sizeof *alloc);
    if (!alloc)
        goto nomem;
    if (sample_allocate(d->alloc, n, d->min_per_stratum, H, sizes, sd, fixed, alloc, err) != CA_OK) {
        free(alloc);
        goto done;
    }
    for (int h = 0; h < H; h++)
        w.alloc[ords[h]] = out->strata[h].n = alloc[h];
    free(alloc);

    /* Selection: in each stratum, the n_h smallest keys (ties by case id). */
    chosen = malloc(sizeof *chosen * (size_t)(n ? n : 1));
    heap = malloc(sizeof *heap * (size_t)(n ? n : 1));
    long *offset = calloc((size_t)w.nordinals + 1, sizeof *offset), *len = calloc((size_t)w.nordinals, sizeof *len);
    if (!chosen || !heap || !offset || !len) {
        free(offset), free(len);
        goto nomem;
    }
    for (int o = 0; o < w.nordinals; o++)
        offset[o + 1] = offset[o] + w.alloc[o];
    for (long i = 0; i < w.nunits; i++) {
        struct unit *u = &w.units[i];
        heap_offer(heap + offset[u->stratum], &len[u->stratum], w.alloc[u->stratum], u);
    }
    long nchosen = 0;
    for (int o = 0; o < w.nordinals; o++)
        for (long i = 0; i < len[o]; i++)
            chosen[nchosen++] = heap[offset[o] + i];
    free(offset), free(len);
    /* List order: stratum order, then key. */
    struct unit *sorted = malloc(sizeof *sorted * (size_t)(nchosen ? nchosen : 1));
    if (!sorted)
        goto nomem;
    for (long i = 0; i < nchosen; i++)
        sorted[i] = *chosen[i];
    qsort(sorted, (size_t)nchosen, sizeof *sorted, cmp_unit);
    for (long i = 0; i < nchosen; i++)
        chosen[i] = &sorted[i];
    out->drawn = nchosen;
    rc = store(&w, ords, H, chosen, nchosen);
    free(sorted);
    goto done;
nomem:
    ca_fail(err, CA_SYSTEM, "out of memory");
done:
    free(ords), free(sizes), free(fixed), free(sd), free(chosen), free(heap);
    big_free(w.units, sizeof *w.units * (size_t)w.capunits);
    free(w.teams), free(w.frame), free(w.alloc);
    arena_free(&w.arena);
    if (rc == CA_OK)
        return db_commit(db, err);
    db_rollback(db);
    return CA_ERR;
}
