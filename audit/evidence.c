/* evidence.c: the inspection evidence pack (see evidence.h). */
#include "audit/evidence.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/store/evidence.h"
#include "audit/store/rounds.h"
#include "audit/vocab.h"

const char evidence_rederive_script[] =
    "#!/usr/bin/env python3\n"
    "# Re-derives a monthly audit list from its seed (caseaudit, SPEC section 5).\n"
    "# usage: python3 rederive.py SEED FRAME.csv STRATA.csv\n"
    "#   SEED        the round's seed, 16 hex digits as printed (or 0x..., or decimal)\n"
    "#   FRAME.csv   the eligible cases: columns case_id,stratum\n"
    "#   STRATA.csv  the design: columns stratum,n (n_h), in stratum order\n"
    "# Prints the case ids drawn, in list order: stratum order, then key.\n"
    "import csv, sys\n"
    "MASK = (1 << 64) - 1\n"
    "def fnv1a64(text):\n"
    "    h = 0xcbf29ce484222325\n"
    "    for byte in text.encode('utf-8'):\n"
    "        h = ((h ^ byte) * 0x100000001b3) & MASK\n"
    "    return h\n"
    "def key(case_id, seed):\n"
    "    z = ((fnv1a64(case_id) ^ seed) + 0x9e3779b97f4a7c15) & MASK\n"
    "    z = ((z ^ (z >> 30)) * 0xbf58476d1ce4e5b9) & MASK\n"
    "    z = ((z ^ (z >> 27)) * 0x94d049bb133111eb) & MASK\n"
    "    return z ^ (z >> 31)\n"
    "def parse_seed(s):\n"
    "    s = s.strip()\n"
    "    if s.lower().startswith('0x'):\n"
    "        return int(s, 16)\n"
    "    return int(s, 16) if len(s) == 16 else int(s)\n"
    "seed = parse_seed(sys.argv[1])\n"
    "frame = {}\n"
    "for row in csv.DictReader(open(sys.argv[2], newline='', encoding='utf-8-sig')):\n"
    "    frame.setdefault(row['stratum'], []).append(row['case_id'])\n"
    "for row in csv.DictReader(open(sys.argv[3], newline='', encoding='utf-8-sig')):\n"
    "    cases = sorted(frame.get(row['stratum'], []), key=lambda c: (key(c, seed), c.encode('utf-8')))\n"
    "    for case_id in cases[:int(row['n'])]:\n"
    "        print(case_id)\n";

struct build {
    evidence *e;
    ca_db *db;
    ca_error *err;
    long capcases;
    int caprounds;
    evidence_case *c;       /* the case being filled */
    char text[4096];        /* corrections or actions being written */
    size_t used;
};

static int oom(struct build *b) { return ca_fail(b->err, CA_SYSTEM, "out of memory"); }

/* A copy of s kept in the evidence's pool; NULL for NULL. *failed set out of memory. */
static const char *keep(struct build *b, const char *s, int *failed)
{
    evidence *e = b->e;
    if (!s)
        return NULL;
    if (e->npool_ == e->cappool_) {
        long cap = e->cappool_ ? 2 * e->cappool_ : 256;
        char **p = realloc(e->pool_, sizeof *p * (size_t)cap);
        if (!p)
            return *failed = 1, NULL;
        e->pool_ = p, e->cappool_ = cap;
    }
    char *d = strdup(s);
    if (!d)
        return *failed = 1, NULL;
    return e->pool_[e->npool_++] = d;
}

/* Appends to b->text, separated by "; " (cut short rather than overflow). */
static void say(struct build *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct build *b, const char *fmt, ...)
{
    if (b->used + 3 >= sizeof b->text)
        return;
    if (b->used)
        b->used += (size_t)snprintf(b->text + b->used, sizeof b->text - b->used, "; ");
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b->text + b->used, sizeof b->text - b->used, fmt, ap);
    va_end(ap);
    b->used = n < 0 ? b->used : b->used + (size_t)n >= sizeof b->text ? sizeof b->text - 1 : b->used + (size_t)n;
}

static void uk(const char *iso, char out[CA_DATE_ISO_LEN])
{
    ca_day d;
    char why[160];
    if (iso && date_parse(iso, &d, why, sizeof why) == CA_OK)
        date_uk(d, out);
    else
        snprintf(out, CA_DATE_ISO_LEN, "%s", iso ? iso : "");
}

static int on_correction(void *ctx, const ev_correction *c)
{
    struct build *b = ctx;
    char d[CA_DATE_ISO_LEN];
    uk(c->audit_date, d);
    say(b, "%s on %s by %s (entered %s, replaced %s)", grade_label(c->grade), d, c->auditor, c->entered_at,
        c->superseded_at);
    return CA_OK;
}

static int on_domain(void *ctx, const char *code, int grade)
{
    struct build *b = ctx;
    for (int i = 0; i < b->e->ndomains; i++)
        if (strcmp(b->e->domain_code[i], code) == 0)
            b->c->domain[i] = grade;
    return CA_OK;
}

static int on_action(void *ctx, const ev_action *a)
{
    struct build *b = ctx;
    char due[CA_DATE_ISO_LEN] = "", done[CA_DATE_ISO_LEN], today[CA_DATE_ISO_LEN];
    date_iso(b->e->today, today);
    b->c->nactions++;
    if (a->due)
        uk(a->due, due);
    if (a->done_date) {
        uk(a->done_date, done);
        say(b, "%s (due %s): done %s", a->text, a->due ? due : "none", done);
        return CA_OK;
    }
    b->c->actions_open++;
    say(b, "%s (due %s): %s", a->text, a->due ? due : "none", a->due && strcmp(a->due, today) < 0 ? "overdue" : "open");
    return CA_OK;
}

/* How a case was chosen, in words (SPEC §15). */
static void chosen_text(const ev_audit *a, char *buf, size_t len)
{
    if (a->theme)
        snprintf(buf, len, "themed round %s: %s; frame: %s", a->round, a->theme,
                 a->theme_filter ? a->theme_filter : "all open cases");
    else
        snprintf(buf, len, "monthly random sample %s: seed %s, stratum %s (%ld of %ld eligible), key %s", a->round,
                 a->seed, a->stratum, a->sample_n, a->frame_n, a->key);
}

static const char *outcome_text(int moderated, int judged)
{
    return moderated == judged ? "agreed" : moderated > judged ? "downgraded" : "upgraded";
}

/* Copies the row's strings into the pool; *failed set out of memory. */
static void keep_case(struct build *b, evidence_case *c, const ev_audit *a, int *failed)
{
    char chosen[1400];
    chosen_text(a, chosen, sizeof chosen);
    c->case_id = keep(b, a->case_id, failed), c->plan_type = keep(b, a->plan_type, failed);
    c->age_band = keep(b, a->age_band, failed), c->team = keep(b, a->team, failed);
    c->worker = keep(b, a->worker, failed), c->round = keep(b, a->round, failed);
    c->theme = keep(b, a->theme, failed), c->chosen = keep(b, chosen, failed);
    c->seed = keep(b, a->seed, failed), c->stratum = keep(b, a->stratum, failed), c->key = keep(b, a->key, failed);
    c->auditor = keep(b, a->auditor, failed), c->note = keep(b, a->note, failed);
    if (a->mod_grade) {
        c->moderator = keep(b, a->moderator, failed), c->mod_reason = keep(b, a->mod_reason, failed);
        c->mod_outcome = outcome_text(a->mod_grade, a->mod_judged);
        c->mod_chosen = !a->pick ? "unplanned" : strcmp(a->pick, "inadequate") == 0
                                                     ? "on the moderation list: every inadequate audit"
                                                     : "on the moderation list: the random sample";
    }
}

static int on_audit(void *ctx, const ev_audit *a)
{
    struct build *b = ctx;
    evidence *e = b->e;
    if (e->ncases == b->capcases) {
        long cap = b->capcases ? 2 * b->capcases : 64;
        evidence_case *c = realloc(e->cases, sizeof *c * (size_t)cap);
        if (!c)
            return oom(b);
        e->cases = c, b->capcases = cap;
    }
    evidence_case *c = b->c = &e->cases[e->ncases++];
    memset(c, 0, sizeof *c);
    int failed = 0;
    keep_case(b, c, a, &failed);
    c->frame_n = a->frame_n, c->sample_n = a->sample_n;
    c->grade = a->grade, c->stand_in = a->stand_in, c->ncorrections = a->corrections;
    c->mod_grade = a->mod_grade, c->mod_corrections = a->mod_corrections;
    c->final_grade = a->mod_grade ? a->mod_grade : a->grade;
    c->audit_date = -1, c->mod_date = -1;
    char why[160];
    ca_day d;
    if (date_parse(a->audit_date, &d, why, sizeof why) == CA_OK)
        c->audit_date = d;
    if (a->mod_date && date_parse(a->mod_date, &d, why, sizeof why) == CA_OK)
        c->mod_date = d;
    /* The case's other records: nested reads on the same connection, inside the read transaction. */
    b->used = 0, b->text[0] = 0;
    if (a->corrections && ev_corrections_each(b->db, a->round_id, a->case_id, on_correction, b, b->err) != CA_OK)
        return CA_ERR;
    c->corrections = keep(b, b->text, &failed);
    b->used = 0, b->text[0] = 0;
    if (ev_actions_each(b->db, a->round_id, a->case_id, on_action, b, b->err) != CA_OK ||
        ev_domains_each(b->db, a->id, on_domain, b, b->err) != CA_OK)
        return CA_ERR;
    c->actions = keep(b, b->text, &failed);
    return failed ? oom(b) : CA_OK;
}

static int on_stratum(void *ctx, const round_stratum_row *r)
{
    evidence_round *rd = ctx;
    evidence_stratum *s = &rd->strata_list[rd->nstrata++];
    snprintf(s->name, sizeof s->name, "%s", r->stratum);
    s->frame_n = r->frame_n, s->sample_n = r->sample_n;
    return 0;
}

static int count_stratum(void *ctx, const round_stratum_row *r)
{
    (void)r;
    ++*(int *)ctx;
    return 0;
}

static int on_round(void *ctx, const ev_round *r)
{
    struct build *b = ctx;
    evidence *e = b->e;
    if (e->nrounds == b->caprounds) {
        int cap = b->caprounds ? 2 * b->caprounds : 8;
        evidence_round *p = realloc(e->rounds, sizeof *p * (size_t)cap);
        if (!p)
            return oom(b);
        e->rounds = p, b->caprounds = cap;
    }
    evidence_round *rd = &e->rounds[e->nrounds++];
    memset(rd, 0, sizeof *rd);
    int failed = 0, n = 0;
    snprintf(rd->label, sizeof rd->label, "%s", r->label);
    snprintf(rd->seed, sizeof rd->seed, "%s", r->seed);
    snprintf(rd->strata, sizeof rd->strata, "%s", r->strata);
    snprintf(rd->alloc, sizeof rd->alloc, "%s", r->alloc);
    snprintf(rd->age_bands, sizeof rd->age_bands, "%s", r->age_bands);
    rd->theme = (char *)keep(b, r->theme, &failed), rd->filter = (char *)keep(b, r->theme_filter, &failed);
    char why[160];
    if (date_parse(r->as_of, &rd->as_of, why, sizeof why) != CA_OK)
        rd->as_of = -1;
    rd->snapshot_id = r->snapshot_id, rd->size = r->size, rd->population = r->population;
    rd->excluded_audited = r->excluded_audited, rd->excluded_pending = r->excluded_pending;
    rd->excluded_theme = r->excluded_theme;
    rd->min_per_stratum = r->min_per_stratum, rd->exclude_months = r->exclude_months;
    if (failed)
        return oom(b);
    if (round_strata(b->db, r->id, count_stratum, &n, b->err) != CA_OK)
        return CA_ERR;
    if (n && !(rd->strata_list = calloc((size_t)n, sizeof *rd->strata_list)))
        return oom(b);
    return round_strata(b->db, r->id, on_stratum, rd, b->err) == CA_OK ? CA_OK : CA_ERR;
}

static int on_domain_def(void *ctx, const char *code, const char *label)
{
    evidence *e = ctx;
    if (e->ndomains == EVIDENCE_MAX_DOMAINS)
        return 0; /* more domains than the pack has columns for: the first ones */
    snprintf(e->domain_code[e->ndomains], sizeof e->domain_code[0], "%s", code);
    snprintf(e->domain_label[e->ndomains], sizeof e->domain_label[0], "%s", label);
    e->ndomains++;
    return 0;
}

static int read_all(struct build *b)
{
    evidence *e = b->e;
    if (domains_list(b->db, on_domain_def, e, b->err) != CA_OK ||
        ev_rounds_each(b->db, e->from, e->to, on_round, b, b->err) != CA_OK ||
        ev_audits_each(b->db, e->from, e->to, on_audit, b, b->err) != CA_OK)
        return CA_ERR;
    for (long i = 0; i < e->ncases; i++)
        for (int r = 0; r < e->nrounds; r++)
            if (strcmp(e->rounds[r].label, e->cases[i].round) == 0)
                e->rounds[r].audits++;
    return CA_OK;
}

int evidence_build(ca_db *db, ca_day from, ca_day to, evidence *out, ca_error *err)
{
    memset(out, 0, sizeof *out);
    if (from > to)
        return ca_fail(err, CA_REFUSED, "the period starts after it ends");
    out->from = from, out->to = to, out->today = db_today(db);
    db_now_utc(db, out->produced_at);
    struct build b = {.e = out, .db = db, .err = err};
    if (db_begin_read(db, err) != CA_OK)
        return CA_ERR;
    int rc = read_all(&b);
    db_rollback(db); /* read only */
    if (rc != CA_OK)
        evidence_free(out);
    return rc;
}

void evidence_free(evidence *e)
{
    for (long i = 0; i < e->npool_; i++)
        free(e->pool_[i]);
    for (int r = 0; r < e->nrounds; r++)
        free(e->rounds[r].strata_list);
    free(e->pool_), free(e->cases), free(e->rounds);
    memset(e, 0, sizeof *e);
}
