#include "audit/sample.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#include "audit/csvread.h"
#include "audit/tabread.h"
#include "audit/store/draws.h"

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

/* No string is longer than a CSV line (CSVR_MAX_LINE), far less than a block. */
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
        if (!(a->blocks[a->n] = malloc(size)))
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
        free(a->blocks[i]);
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

static void idset_free(struct idset *t)
{
    free(t->hash);
    free(t->id);
}

/* A themed round's filters, resolved against the snapshot and the design. */
struct theme_filter {
    int active;
    unsigned plans, bands;    /* bit masks; 0: any */
    const char **teams;       /* arena strings; NULL: any */
    int nteams;
    ca_day started_by;        /* the plan started on or before; -1: any */
    struct idset cases;       /* --cases; used when by_cases */
    int by_cases;
};

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
    draw_snapshot snapshot;
    int team_dim;         /* team is one of the dimensions */
    struct idset recent, on_list;   /* the exclusions */
    struct theme_filter tf;         /* a themed round's filters */
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


struct idset_fill {
    struct idset *set;
    struct arena *arena;
};

static int idset_visit(void *u, const char *case_id)
{
    struct idset_fill *f = u;
    return idset_add(f->set, f->arena, case_id) == CA_OK ? 0 : CA_ERR;
}

/* Plan codes as stored (the canonical ones); -1 otherwise. */
static int stored_plan(const char *p)
{
    for (int i = 0; i < CA_NPLANS; i++)
        if (strcmp(p, plan_code(i)) == 0)
            return i;
    return plan_parse(p);
}

/* ---- themed rounds (SPEC §15) ---- */

static int has_control(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return 1;
    return 0;
}

/* A monthly round is named by its month (SPEC §5): YYYY-MM, or a form a spreadsheet makes
 * of it (Nov-26, 01/11/2026), stored as YYYY-MM in month[]. A themed round's name is
 * anything else that is readable: never one that reads as a month, which every command
 * would take for that month's round. */
static int check_label(const sample_design *d, char month[8], ca_error *err)
{
    int monthly = date_month_label(d->round, month) == CA_OK;
    const char *theme = d->theme.text;
    if (!theme)
        return monthly ? CA_OK : ca_fail(err, CA_REFUSED, "round \"%s\": a monthly round is named by its month, "
                                         "YYYY-MM such as 2026-11 (a themed round needs --theme)", d->round);
    if (monthly)
        return ca_fail(err, CA_REFUSED, "round \"%s\": a themed round needs a name that is not a month (it reads "
                       "as %s, a monthly round)", d->round, month);
    size_t n = strlen(d->round);
    if (n == 0 || n > 60 || has_control(d->round) || isspace((unsigned char)d->round[0]))
        return ca_fail(err, CA_REFUSED, "round \"%s\": a themed round's name is 1 to 60 characters, without "
                       "control characters or leading space", d->round);
    if (!*theme || strlen(theme) > 300 || has_control(theme))
        return ca_fail(err, CA_REFUSED, "--theme: expected 1 to 300 characters of text");
    return CA_OK;
}

/* The next comma-separated item of *p, trimmed, into buf; 0 at the end. */
static int next_item(const char **p, char *buf, size_t len)
{
    while (**p == ',' || isspace((unsigned char)**p))
        (*p)++;
    if (!**p)
        return 0;
    size_t n = strcspn(*p, ",");
    const char *e = *p + n;
    while (e > *p && isspace((unsigned char)e[-1]))
        e--;
    snprintf(buf, len, "%.*s", (int)(e - *p), *p);
    *p += n;
    return 1;
}

static int resolve_plans(struct draw *w, const char *list)
{
    char item[128];
    for (const char *p = list; next_item(&p, item, sizeof item);) {
        int plan = plan_parse(item);
        if (plan < 0)
            return ca_fail(w->err, CA_REFUSED, "--plan \"%s\": not a plan type (EH, CIN, CP, CLA, CL)", item);
        w->tf.plans |= 1u << plan;
    }
    return w->tf.plans ? CA_OK : ca_fail(w->err, CA_REFUSED, "--plan is empty");
}

static int resolve_ages(struct draw *w, const char *list)
{
    char item[128], code[32], known[256] = "";
    int nb = bands_count(&w->d->bands);
    for (int b = 0; b < nb; b++) {
        band_code(&w->d->bands, b, code, sizeof code);
        snprintf(known + strlen(known), sizeof known - strlen(known), "%s%s", b ? ", " : "", code);
    }
    for (const char *p = list; next_item(&p, item, sizeof item);) {
        int found = -1;
        for (int b = 0; b < nb && found < 0; b++) {
            band_code(&w->d->bands, b, code, sizeof code);
            if (strcmp(code, item) == 0)
                found = b;
        }
        if (found < 0)
            return ca_fail(w->err, CA_REFUSED, "--age \"%s\": not an age band of the design (%s)", item, known);
        w->tf.bands |= 1u << found;
    }
    return w->tf.bands ? CA_OK : ca_fail(w->err, CA_REFUSED, "--age is empty");
}

static int resolve_teams(struct draw *w, const char *list)
{
    char item[512];
    int n = 1;
    for (const char *p = list; *p; p++)
        n += *p == ',';
    if (!(w->tf.teams = calloc((size_t)n, sizeof *w->tf.teams)))
        return ca_fail(w->err, CA_SYSTEM, "out of memory");
    for (const char *p = list; next_item(&p, item, sizeof item);)
        if (!(w->tf.teams[w->tf.nteams++] = arena_dup(&w->arena, item)))
            return ca_fail(w->err, CA_SYSTEM, "out of memory");
    return w->tf.nteams ? CA_OK : ca_fail(w->err, CA_REFUSED, "--team is empty");
}

/* Whether a record's first field is a header naming the case id column. */
static int is_id_header(const char *s)
{
    static const char *const names[] = {"case_id", "case id", "caseid", "id", "case", "child id", NULL};
    for (int i = 0; names[i]; i++)
        if (strcasecmp(s, names[i]) == 0)
            return 1;
    return 0;
}

/* --cases FILE: the first column's case ids, trimmed; *count the distinct ids. */
static int read_cases(struct draw *w, const char *path, long *count)
{
    tabr *r; /* CSV or .xlsx */
    if (tabr_open(&r, path, CSVR_AUTO, w->err) != CA_OK)
        return CA_ERR;
    int got, first = 1, rc = CA_OK;
    char id[512];
    while (rc == CA_OK && (got = tabr_next(r, w->err)) == 1) {
        const char *f = tabr_field(r, 0), *e;
        while (isspace((unsigned char)*f))
            f++;
        for (e = f + strlen(f); e > f && isspace((unsigned char)e[-1]); e--)
            ;
        snprintf(id, sizeof id, "%.*s", (int)(e - f), f);
        if ((first && is_id_header(id)) || !id[0]) {
            first = 0;
            continue;
        }
        first = 0;
        if (idset_add(&w->tf.cases, &w->arena, id) != CA_OK)
            rc = ca_fail(w->err, CA_SYSTEM, "out of memory");
    }
    tabr_close(r);
    if (rc == CA_OK && got < 0)
        rc = CA_ERR;
    *count = (long)w->tf.cases.n;
    if (rc == CA_OK && *count == 0)
        rc = ca_fail(w->err, CA_REFUSED, "%s: no case ids in its first column", path);
    return rc;
}

/* Resolves the theme's filters and says them in words (stored with the round). */
static int resolve_theme(struct draw *w)
{
    const sample_theme *t = &w->d->theme;
    char *text = w->res->theme_filter, day[CA_DATE_ISO_LEN];
    size_t len = sizeof w->res->theme_filter, o = 0;
    long ncases = 0;
    w->tf.active = t->text != NULL, w->tf.started_by = -1;
    if (!t->text)
        return CA_OK;
    if ((t->plans && resolve_plans(w, t->plans) != CA_OK) || (t->ages && resolve_ages(w, t->ages) != CA_OK) ||
        (t->teams && resolve_teams(w, t->teams) != CA_OK) ||
        (t->cases_path && read_cases(w, t->cases_path, &ncases) != CA_OK))
        return CA_ERR;
    w->tf.by_cases = t->cases_path != NULL;
    if (t->plans)
        o += (size_t)snprintf(text + o, len - o, "%splan %s", o ? "; " : "", t->plans);
    if (t->ages)
        o += (size_t)snprintf(text + o, len - o, "%sage %s", o ? "; " : "", t->ages);
    if (t->teams)
        o += (size_t)snprintf(text + o, len - o, "%steam %s", o ? "; " : "", t->teams);
    if (t->open_months > 0) {
        w->tf.started_by = date_add_months(w->snapshot.as_of, -t->open_months);
        date_uk(w->tf.started_by, day);
        o += (size_t)snprintf(text + o, len - o, "%sopen for at least %d months (plan started on or before %s)",
                              o ? "; " : "", t->open_months, day);
    }
    if (t->cases_path && o < len)
        o += (size_t)snprintf(text + o, len - o, "%sthe %ld case%s listed in %s", o ? "; " : "", ncases,
                              ncases == 1 ? "" : "s", t->cases_path);
    if (o == 0)
        snprintf(text, len, "all open cases");
    return CA_OK;
}

/* Whether an open case passes every filter of the theme. */
static int theme_pass(const struct draw *w, const frame_row *r, uint64_t h)
{
    const struct theme_filter *f = &w->tf;
    if (f->plans) {
        int plan = stored_plan(r->plan_type);
        if (plan < 0 || !(f->plans & 1u << plan))
            return 0;
    }
    if (f->bands && !(f->bands & 1u << band_of(&w->d->bands, r->age)))
        return 0;
    if (f->teams) {
        int in = 0;
        for (int i = 0; i < f->nteams && !in; i++)
            in = strcasecmp(f->teams[i], r->team) == 0;
        if (!in)
            return 0;
    }
    if (f->started_by >= 0 && (r->plan_start < 0 || r->plan_start > f->started_by))
        return 0;
    return !f->by_cases || idset_has(&f->cases, h, r->case_id);
}

static int grow_units(struct draw *w)
{
    /* Sized at first for the snapshot's open cases, so that it is allocated once. */
    long open = w->snapshot.open_cases;
    long cap = w->capunits ? 2 * w->capunits : open > 4096 ? open : 4096;
    struct unit *u = realloc(w->units, sizeof *u * (size_t)cap);
    if (!u)
        return CA_ERR;
    w->units = u, w->capunits = cap;
    return CA_OK;
}

/* One open case: excluded, or a unit of the frame. */
static int frame_visit(void *ctx, const frame_row *r)
{
    struct draw *w = ctx;
    uint64_t h = sample_fnv1a64(r->case_id);
    w->res->population++;
    if (w->tf.active && !theme_pass(w, r, h)) {
        w->res->excluded_theme++;
        return 0;
    }
    if (idset_has(&w->recent, h, r->case_id)) {
        w->res->excluded_audited++;
        return 0;
    }
    if (idset_has(&w->on_list, h, r->case_id)) {
        w->res->excluded_pending++;
        return 0;
    }
    if (w->nunits == w->capunits && grow_units(w) != CA_OK)
        return CA_ERR;
    struct unit *u = &w->units[w->nunits++];
    u->id = arena_dup(&w->arena, r->case_id);
    /* The team only when it is a dimension; the selected cases' teams and workers are copied when stored. */
    u->team = w->team_dim ? arena_dup(&w->arena, *r->team ? r->team : NO_TEAM) : NO_TEAM;
    if (!u->id || !u->team)
        return CA_ERR;
    u->plan = stored_plan(r->plan_type);
    u->band = band_of(&w->d->bands, r->age);
    u->key = key_of_hash(h, w->d->seed);
    u->row = r->row;
    return 0;
}

static int load_frame(struct draw *w)
{
    ca_day as_of = w->snapshot.as_of;
    w->res->as_of = as_of;
    for (int i = 0; i < w->d->ndims; i++)
        w->team_dim |= w->d->dims[i] == DIM_TEAM;
    /* The exclusions as sets first, then one pass over the open cases: no query per case. */
    struct idset_fill recent = {&w->recent, &w->arena}, on_list = {&w->on_list, &w->arena};
    int rc = CA_OK;
    if (w->d->exclude_months > 0)
        rc = draw_audited_since(w->db, date_add_months(as_of, -w->d->exclude_months), idset_visit, &recent, w->err);
    if (rc == CA_OK)
        rc = draw_pending(w->db, w->replaced_round, idset_visit, &on_list, w->err);
    if (rc == CA_OK)
        rc = draw_frame(w->db, &w->snapshot, frame_visit, w, w->err);
    w->res->eligible = w->nunits;
    if (rc != CA_OK && !w->err->status)
        ca_fail(w->err, CA_SYSTEM, "out of memory");
    return rc == CA_OK ? CA_OK : CA_ERR;
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

struct neyman_count {
    struct draw *w;
    const int *ords;
    int H;
    long *audits, *poor;
};

/* Counts one past audit in the stratum of this draw's design that it falls in. */
static int neyman_visit(void *u, const history_row *r)
{
    struct neyman_count *c = u;
    const struct draw *w = c->w;
    char name[160] = "";
    size_t o = 0;
    for (int k = 0; k < w->d->ndims; k++) {
        const char *level = w->d->dims[k] == DIM_PLAN ? r->plan_type
                            : w->d->dims[k] == DIM_AGE ? r->age_band : r->team;
        o += (size_t)snprintf(name + o, sizeof name - o, "%s%s", k ? "|" : "", *level ? level : NO_TEAM);
    }
    for (int h = 0; h < c->H; h++) {
        char sname[160];
        stratum_name(w, c->ords[h], sname, sizeof sname);
        if (strcmp(sname, name) == 0) {
            c->audits[h]++;
            c->poor[h] += r->final_grade >= 3;
            break;
        }
    }
    return 0;
}

/* Neyman's S_h from the previous 12 months of final grades, by the current design's strata. */
static int neyman_sd(struct draw *w, const int *ords, int H, double *sd)
{
    struct neyman_count c = {w, ords, H, calloc((size_t)H, sizeof(long)), calloc((size_t)H, sizeof(long))};
    int rc = CA_ERR;
    if (!c.audits || !c.poor)
        ca_fail(w->err, CA_SYSTEM, "out of memory");
    else
        rc = draw_history(w->db, date_add_months(w->res->as_of, -12), w->res->as_of, neyman_visit, &c, w->err);
    for (int h = 0; h < H && rc == CA_OK; h++)
        sd[h] = sample_neyman_sd(c.audits[h], c.poor[h]);
    free(c.audits), free(c.poor);
    return rc;
}

/* fixed:FILE, a CSV of stratum,n. */
static int read_fixed(struct draw *w, const int *ords, int H, long *fixed, long *total)
{
    tabr *r; /* CSV or .xlsx */
    if (tabr_open(&r, w->d->fixed_path, CSVR_AUTO, w->err) != CA_OK)
        return CA_ERR;
    int rc = tabr_next(r, w->err);
    static const char *const n_stratum[] = {"stratum", NULL}, *const n_n[] = {"n", "size", NULL};
    int cs = -1, cn = -1;
    char *hdr[2] = {NULL, NULL};
    if (rc == 1 && tabr_count(r) >= 2) {
        hdr[0] = (char *)tabr_field(r, 0);
        hdr[1] = (char *)tabr_field(r, 1);
        cs = csvr_find(hdr, 2, n_stratum);
        cn = csvr_find(hdr, 2, n_n);
    }
    if (rc >= 0 && (cs < 0 || cn < 0)) {
        ca_problem_in(w->err, w->d->fixed_path, 1, NULL, NULL, "expected the columns stratum,n");
        rc = -1;
    }
    *total = 0;
    while (rc >= 0 && cs >= 0 && (rc = tabr_next(r, w->err)) == 1) {
        const char *name = tabr_field(r, cs), *v = tabr_field(r, cn);
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
            ca_problem_in(w->err, w->d->fixed_path, tabr_line(r), "n", v, "not a whole number");
        else if (found < 0)
            ca_problem_in(w->err, w->d->fixed_path, tabr_line(r), "stratum", name, "no eligible cases in a stratum \"%s\"", name);
        else if (n > w->frame[ords[found]])
            ca_problem_in(w->err, w->d->fixed_path, tabr_line(r), "n", v, "%ld is more than the %ld eligible cases of %s", n, w->frame[ords[found]], name);
        else
            fixed[found] = n, *total += n;
    }
    tabr_close(r);
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

static void design_text(const sample_design *d, char *strata, size_t slen, char *alloc, size_t alen)
{
    size_t o = 0;
    strata[0] = 0;
    for (int i = 0; i < d->ndims; i++)
        o += (size_t)snprintf(strata + o, slen - o, "%s%s", i ? "," : "",
                              d->dims[i] == DIM_PLAN ? "plan" : d->dims[i] == DIM_AGE ? "age" : "team");
    if (d->alloc == ALLOC_FIXED)
        snprintf(alloc, alen, "fixed:%s", d->fixed_path);
    else
        snprintf(alloc, alen, "%s", alloc_name(d->alloc));
}

/* The selected cases, in list order, each with its event. */
static int store_cases(struct draw *w, const int *ords, struct unit **chosen, long nchosen, const char *seed)
{
    int h = 0;
    for (long i = 0; i < nchosen; i++) {
        struct unit *u = chosen[i];
        while (ords[h] != u->stratum)
            h++;
        const sample_stratum *st = &w->res->strata[h];
        char key[17], band[32], detail[300];
        sample_seed_format(u->key, key);
        band_code(&w->d->bands, u->band, band, sizeof band);
        round_case_new c = {u->id, st->name, plan_code(u->plan), band, key, u->row, i + 1, st->frame, st->n};
        snprintf(detail, sizeof detail, "drawn for round %s in stratum %s (%ld of %ld; key %s, seed %s)",
                 w->d->round, st->name, st->n, st->frame, key, seed);
        if (draw_case_insert(w->db, w->res->round_id, &c, w->err) != CA_OK ||
            db_event(w->db, "sample", w->d->round, u->id, detail, w->err) != CA_OK)
            return CA_ERR;
    }
    return CA_OK;
}

static int store(struct draw *w, const int *ords, int H, struct unit **chosen, long nchosen)
{
    const sample_design *d = w->d;
    char seed[17], bands[64], strata[32], alloc[600], detail[1400];
    sample_seed_format(d->seed, seed);
    bands_format(&d->bands, bands, sizeof bands);
    design_text(d, strata, sizeof strata, alloc, sizeof alloc);
    round_new r = {d->round, seed, strata, alloc, bands, w->res->snapshot, nchosen, d->min_per_stratum,
                   d->exclude_months, w->res->population, w->res->excluded_audited, w->res->excluded_pending, d->due,
                   d->theme.text, d->theme.text ? w->res->theme_filter : NULL, w->res->excluded_theme};
    if ((w->replaced_round && draw_round_delete(w->db, w->replaced_round, w->err) != CA_OK) ||
        draw_round_insert(w->db, &r, &w->res->round_id, w->err) != CA_OK)
        return CA_ERR;
    for (int h = 0; h < H; h++)
        if (draw_stratum_insert(w->db, w->res->round_id, h + 1, w->res->strata[h].name, w->res->strata[h].frame,
                                w->res->strata[h].n, w->err) != CA_OK)
            return CA_ERR;
    if (store_cases(w, ords, chosen, nchosen, seed) != CA_OK)
        return CA_ERR;
    if (d->theme.text) {
        char *what = malloc(1024);
        if (!what)
            return ca_fail(w->err, CA_SYSTEM, "out of memory");
        snprintf(what, 1024, "themed round %s: theme \"%s\"; frame: %s (%ld open cases outside it)", d->round,
                 d->theme.text, w->res->theme_filter, w->res->excluded_theme);
        int rc = db_event(w->db, "sample", d->round, NULL, what, w->err);
        free(what);
        if (rc != CA_OK)
            return CA_ERR;
    }
    snprintf(detail, sizeof detail,
             "%s round %s: %ld cases from snapshot %ld (seed %s, strata %s, %s allocation, K %d, age bands %s, "
             "exclusion %d months)", w->replaced_round ? "redrew" : "drew", d->round, nchosen, w->res->snapshot,
             seed, strata, alloc, d->min_per_stratum, bands, d->exclude_months);
    return db_event(w->db, "sample", d->round, NULL, detail, w->err);
}

/* The round may be drawn (again), and from which snapshot. */
static int check_round_and_snapshot(struct draw *w)
{
    const sample_design *d = w->d;
    long existing, graded;
    if (draw_round_find(w->db, d->round, &existing, &graded, w->err) != CA_OK)
        return CA_ERR;
    if (existing && graded)
        return ca_fail(w->err, CA_REFUSED, "round %s has %ld grade%s recorded: a round with grades can never be "
                       "redrawn", d->round, graded, graded == 1 ? "" : "s");
    if (existing && !d->replace)
        return ca_fail(w->err, CA_REFUSED, "round %s has already been drawn: give --replace to draw it again",
                       d->round);
    w->replaced_round = existing;
    /* The snapshot: the latest (greatest as-of date) unless named. */
    int got = draw_snapshot_find(w->db, d->snapshot, &w->snapshot, w->err);
    if (got < 0)
        return CA_ERR;
    if (got == 0 && d->snapshot)
        return ca_fail(w->err, CA_REFUSED, "there is no snapshot %ld (see 'caseaudit snapshots')", d->snapshot);
    if (got == 0)
        return ca_fail(w->err, CA_REFUSED, "there is no snapshot to draw from: import a case list first");
    w->res->snapshot = w->snapshot.id;
    if (w->snapshot.pruned)
        return ca_fail(w->err, CA_REFUSED, "snapshot %ld has been pruned: import the case list again to draw from "
                       "it", w->snapshot.id);
    return CA_OK;
}

/* The strata that have eligible cases, in stratum order, with their N_h and names. */
static int list_strata(struct draw *w, int **ords, int *H)
{
    *H = 0;
    if (!(*ords = malloc(sizeof **ords * (size_t)(w->nordinals ? w->nordinals : 1))))
        return ca_fail(w->err, CA_SYSTEM, "out of memory");
    for (int o = 0; o < w->nordinals; o++)
        if (w->frame[o] > 0)
            (*ords)[(*H)++] = o;
    if (*H == 0 && w->tf.active)
        return ca_fail(w->err, CA_REFUSED, "no eligible cases: %ld open, %ld outside the theme's filters (%s), %ld "
                       "audited within %d months, %ld on a round still being graded", w->res->population,
                       w->res->excluded_theme, w->res->theme_filter, w->res->excluded_audited,
                       w->d->exclude_months, w->res->excluded_pending);
    if (*H == 0)
        return ca_fail(w->err, CA_REFUSED, "no eligible cases: %ld open, %ld audited within %d months, %ld on a "
                       "round still being graded", w->res->population, w->res->excluded_audited,
                       w->d->exclude_months, w->res->excluded_pending);
    if (!(w->res->strata = calloc((size_t)*H, sizeof *w->res->strata)))
        return ca_fail(w->err, CA_SYSTEM, "out of memory");
    w->res->nstrata = *H;
    for (int h = 0; h < *H; h++) {
        stratum_name(w, (*ords)[h], w->res->strata[h].name, sizeof w->res->strata[h].name);
        w->res->strata[h].frame = w->frame[(*ords)[h]];
    }
    return CA_OK;
}

/* n_h for each stratum by the design's allocation; *n is the total drawn. */
static int allocate(struct draw *w, const int *ords, int H, long *n)
{
    const sample_design *d = w->d;
    long *sizes = calloc((size_t)H, sizeof *sizes), *fixed = calloc((size_t)H, sizeof *fixed),
         *alloc = calloc((size_t)H, sizeof *alloc);
    double *sd = calloc((size_t)H, sizeof *sd);
    int rc = sizes && fixed && alloc && sd ? CA_OK : ca_fail(w->err, CA_SYSTEM, "out of memory");
    *n = d->size;
    for (int h = 0; h < H && rc == CA_OK; h++)
        sizes[h] = w->res->strata[h].frame;
    if (rc == CA_OK && d->theme.all) {
        /* --all: every eligible case, so n_h = N_h whatever the allocation. */
        for (int h = 0; h < H; h++)
            w->alloc[ords[h]] = w->res->strata[h].n = sizes[h];
        *n = w->res->eligible;
        free(sizes), free(fixed), free(alloc), free(sd);
        return CA_OK;
    }
    if (rc == CA_OK && d->alloc == ALLOC_NEYMAN)
        rc = neyman_sd(w, ords, H, sd);
    if (rc == CA_OK && d->alloc == ALLOC_FIXED) {
        long total;
        rc = read_fixed(w, ords, H, fixed, &total);
        if (rc == CA_OK && *n && *n != total)
            rc = ca_fail(w->err, CA_REFUSED, "--size %ld differs from the %ld cases that %s asks for", *n, total,
                         d->fixed_path);
        *n = total;
    }
    if (rc == CA_OK)
        rc = sample_allocate(d->alloc, *n, d->min_per_stratum, H, sizes, sd, fixed, alloc, w->err);
    for (int h = 0; h < H && rc == CA_OK; h++)
        w->alloc[ords[h]] = w->res->strata[h].n = alloc[h];
    free(sizes), free(fixed), free(alloc), free(sd);
    return rc;
}

/* In each stratum the n_h smallest keys (ties by case id), in list order: stratum, then key.
 * *sorted holds the units, *chosen points into it; both owned by the caller. */
static int select_units(struct draw *w, long n, struct unit **sorted, struct unit ***chosen, long *nchosen)
{
    struct unit **heap = malloc(sizeof *heap * (size_t)(n ? n : 1));
    long *offset = calloc((size_t)w->nordinals + 1, sizeof *offset), *len = calloc((size_t)w->nordinals, sizeof *len);
    *chosen = malloc(sizeof **chosen * (size_t)(n ? n : 1));
    *sorted = malloc(sizeof **sorted * (size_t)(n ? n : 1));
    int rc = heap && offset && len && *chosen && *sorted ? CA_OK : ca_fail(w->err, CA_SYSTEM, "out of memory");
    *nchosen = 0;
    for (int o = 0; o < w->nordinals && rc == CA_OK; o++)
        offset[o + 1] = offset[o] + w->alloc[o];
    for (long i = 0; i < w->nunits && rc == CA_OK; i++) {
        struct unit *u = &w->units[i];
        heap_offer(heap + offset[u->stratum], &len[u->stratum], w->alloc[u->stratum], u);
    }
    for (int o = 0; o < w->nordinals && rc == CA_OK; o++)
        for (long i = 0; i < len[o]; i++)
            (*sorted)[(*nchosen)++] = *heap[offset[o] + i];
    if (rc == CA_OK)
        qsort(*sorted, (size_t)*nchosen, sizeof **sorted, cmp_unit);
    for (long i = 0; i < *nchosen; i++)
        (*chosen)[i] = &(*sorted)[i];
    free(heap), free(offset), free(len);
    return rc;
}

static void draw_free(struct draw *w)
{
    free(w->units);
    free(w->teams), free(w->frame), free(w->alloc);
    idset_free(&w->recent), idset_free(&w->on_list), idset_free(&w->tf.cases);
    free(w->tf.teams);
    arena_free(&w->arena);
}

static int draw_in_transaction(struct draw *w)
{
    int *ords = NULL, H = 0;
    struct unit *sorted = NULL, **chosen = NULL;
    long n = 0, nchosen = 0;
    int rc = check_round_and_snapshot(w);
    if (rc == CA_OK)
        rc = resolve_theme(w);
    if (rc == CA_OK)
        rc = load_frame(w);
    if (rc == CA_OK)
        rc = build_strata(w);
    if (rc == CA_OK)
        rc = list_strata(w, &ords, &H);
    if (rc == CA_OK)
        rc = allocate(w, ords, H, &n);
    if (rc == CA_OK)
        rc = select_units(w, n, &sorted, &chosen, &nchosen);
    w->res->drawn = nchosen;
    if (rc == CA_OK)
        rc = store(w, ords, H, chosen, nchosen);
    free(ords), free(sorted), free(chosen);
    return rc;
}

int sample_draw(ca_db *db, const sample_design *given, sample_result *out, ca_error *err)
{
    memset(out, 0, sizeof *out);
    char month[8];
    if (check_label(given, month, err) != CA_OK)
        return CA_ERR;
    sample_design d = *given; /* a monthly round under its canonical label */
    if (!d.theme.text)
        d.round = month;
    struct draw w = {.db = db, .d = &d, .res = out, .err = err};
    if (db_begin(db, err) != CA_OK)
        return CA_ERR;
    int rc = draw_in_transaction(&w);
    draw_free(&w);
    if (rc == CA_OK && db_commit(db, err) == CA_OK) {
        snprintf(out->label, sizeof out->label, "%s", d.round);
        return CA_OK;
    }
    if (rc != CA_OK)
        db_rollback(db);
    sample_result_free(out);
    memset(out, 0, sizeof *out);
    return CA_ERR;
}
