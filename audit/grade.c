#include "audit/grade.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/csvread.h"
#include "audit/people.h"
#include "audit/tabread.h"
#include "audit/store/audits.h"
#include "audit/store/rounds.h"
#include "audit/vocab.h"

void grade_input_free(grade_input *in)
{
    free(in->case_id);
    free(in->auditor);
    for (int i = 0; i < in->ndomains; i++)
        free(in->domain[i]);
    free(in->action);
    free(in->note);
}

struct domains {
    int n;
    char code[64][64];
    char label[64][128];
};

static int add_domain(void *u, const char *code, const char *label)
{
    struct domains *d = u;
    if (d->n < 64) {
        snprintf(d->code[d->n], sizeof d->code[0], "%s", code);
        snprintf(d->label[d->n], sizeof d->label[0], "%s", label);
        d->n++;
    }
    return 0;
}

static int load_domains(ca_db *db, struct domains *d, ca_error *err)
{
    d->n = 0;
    return domains_list(db, add_domain, d, err);
}

/* A domain by code or label, compared loosely; -1 when unknown. */
static int find_domain(const struct domains *d, const char *name)
{
    char key[128], k2[128];
    vocab_normalise(name, key, sizeof key);
    for (int i = 0; i < d->n; i++) {
        vocab_normalise(d->code[i], k2, sizeof k2);
        if (strcmp(key, k2) == 0)
            return i;
        vocab_normalise(d->label[i], k2, sizeof k2);
        if (strcmp(key, k2) == 0)
            return i;
    }
    return -1;
}

static void known_domains(const struct domains *d, char *buf, size_t len)
{
    size_t o = 0;
    buf[0] = 0;
    for (int i = 0; i < d->n && o < len; i++)
        o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? ", " : "", d->code[i]);
}

static int cmp_case(const void *a, const void *b)
{
    const grade_input *x = *(grade_input *const *)a, *y = *(grade_input *const *)b;
    int c = strcmp(x->case_id, y->case_id);
    return c ? c : (x->line > y->line) - (x->line < y->line);
}

static int check_twice(grade_input *in, long n, ca_error *err)
{
    grade_input **p = malloc(sizeof *p * (size_t)(n ? n : 1));
    if (!p)
        return ca_fail(err, CA_SYSTEM, "out of memory");
    for (long i = 0; i < n; i++)
        p[i] = &in[i];
    qsort(p, (size_t)n, sizeof *p, cmp_case);
    for (long i = 1; i < n; i++)
        if (strcmp(p[i]->case_id, p[i - 1]->case_id) == 0)
            ca_problem_in(err, p[i]->src, p[i]->line, "case_id", NULL, "case \"%s\" appears twice (first on line %ld): give one grade per case", p[i]->case_id, p[i - 1]->line);
    free(p);
    return CA_OK;
}

/* What grade_record knows while it checks and writes. */
struct grading {
    ca_db *db;
    round_info round;
    ca_day today;
    ca_people people;
    struct domains domains;
    audit_target *target;    /* per input row */
};

/* The "not on the list" problem, with the hint when a spreadsheet dropped leading zeros. */
static int not_on_list(struct grading *g, const grade_input *in, ca_error *err)
{
    char twin[256], hint[400] = "";
    int got = round_case_zero_twin(g->db, g->round.id, in->case_id, twin, sizeof twin, err);
    if (got < 0)
        return CA_ERR;
    if (got == 1)
        snprintf(hint, sizeof hint, " (the list has \"%s\": did a spreadsheet drop its leading zeros?)", twin);
    ca_problem_in(err, in->src, in->line, "case_id", NULL, "case \"%s\" is not on the list of round %s%s",
               in->case_id, g->round.label, hint);
    return CA_OK;
}

static void check_date(struct grading *g, const grade_input *in, ca_error *err)
{
    char uk[CA_DATE_ISO_LEN], ukt[CA_DATE_ISO_LEN];
    date_uk(in->date, uk);
    if (in->date > g->today) {
        date_uk(g->today, ukt);
        ca_problem_in(err, in->src, in->line, "audit_date", NULL, "the audit date %s is in the future (today is %s)",
                   uk, ukt);
    } else if (in->date < g->round.as_of) {
        date_uk(g->round.as_of, ukt);
        ca_problem_in(err, in->src, in->line, "audit_date", NULL, "the audit date %s is before %s, the as-of date of round %s's case list", uk, ukt, g->round.label);
    }
}

static int tidy(char **s, ca_error *err)
{
    return csvr_tidy(s) == CA_OK ? CA_OK : ca_fail(err, CA_SYSTEM, "out of memory");
}

/* The auditor: in the register, active, an auditor, not of the case's team nor its worker. */
static int check_auditor(struct grading *g, grade_input *in, const audit_target *t, ca_error *err)
{
    char wk[256], pk[256];
    ca_where at = {in->src, NULL, in->line};
    const char *at_col = "auditor";
    if (!in->auditor) {
        ca_problem_in(err, at.file, at.line, at_col, NULL, "case \"%s\" has no auditor: give one (the case was not assigned)", in->case_id);
        return CA_OK;
    }
    const ca_person *p = people_require(&g->people, in->auditor, ROLE_AUDITOR, &at, at_col, err);
    if (!p)
        return CA_OK;
    char *name = strdup(p->name);
    if (!name)
        return ca_fail(err, CA_SYSTEM, "out of memory");
    free(in->auditor);
    in->auditor = name;
    if (t->team && person_in_team(p, t->team))
        ca_problem_in(err, at.file, at.line, at_col, NULL, "%s is in team %s, the team that holds case \"%s\": nobody audits their own team's "
                   "cases; ask an auditor of another team", p->name, t->team, in->case_id);
    people_key(t->worker, wk, sizeof wk);
    people_key(p->name, pk, sizeof pk);
    if (t->worker && strcmp(wk, pk) == 0)
        ca_problem_in(err, at.file, at.line, at_col, NULL, "%s is the allocated worker of case \"%s\": nobody audits their own case; ask another "
                   "auditor", p->name, in->case_id);
    people_key(t->auditor, wk, sizeof wk);
    in->stand_in = t->auditor && strcmp(wk, pk) != 0;
    return CA_OK;
}

/* "code=grade;..." by code, as audit_recorded_find gives it, for the row's domains. */
static void row_domains(const struct grading *g, const grade_input *in, char *buf, size_t len)
{
    int order[GRADE_MAX_DOMAINS], n = 0;
    for (int d = 0; d < in->ndomains; d++) {
        int k = find_domain(&g->domains, in->domain[d]), i = n++;
        while (i > 0 && strcmp(g->domains.code[order[i - 1]], g->domains.code[k]) > 0)
            order[i] = order[i - 1], i--;
        order[i] = k;
    }
    size_t o = 0;
    buf[0] = 0;
    for (int i = 0; i < n && o < len; i++) {
        int d = 0;
        while (find_domain(&g->domains, in->domain[d]) != order[i])
            d++;
        o += (size_t)snprintf(buf + o, len - o, "%s%s=%d", i ? ";" : "", g->domains.code[order[i]], in->domain_grade[d]);
    }
}

static int known_domains_only(const struct grading *g, const grade_input *in)
{
    for (int d = 0; d < in->ndomains; d++)
        if (find_domain(&g->domains, in->domain[d]) < 0)
            return 0;
    return 1;
}

/* Whether the row says exactly what audit ID records. */
static int same_as_recorded(struct grading *g, grade_input *in, long id, int *same, ca_error *err)
{
    audit_recorded r;
    char doms[2048], acts[4096] = "", due[CA_DATE_ISO_LEN] = "";
    if (audit_recorded_find(g->db, id, &r, err) != 1)
        return err->status ? CA_ERR : ca_fail(err, CA_SYSTEM, "audit %ld vanished", id);
    row_domains(g, in, doms, sizeof doms);
    if (in->action_due >= 0)
        date_iso(in->action_due, due);
    if (in->action)
        snprintf(acts, sizeof acts, "%s|%s", in->action, due);
    char ka[256], kb[256];
    people_key(r.auditor, ka, sizeof ka);
    people_key(in->auditor, kb, sizeof kb);
    *same = r.grade == in->grade && r.date == in->date && strcmp(ka, kb) == 0 &&
            strcmp(r.note ? r.note : "", in->note ? in->note : "") == 0 && strcmp(r.domains, doms) == 0 &&
            strcmp(r.actions, acts) == 0;
    if (*same) { /* the register's spelling, as recorded */
        free(in->auditor);
        in->auditor = r.auditor;
        r.auditor = NULL;
    }
    audit_recorded_free(&r);
    return CA_OK;
}

/* Checks one row against the round and the rules; problems go to err. */
static int check_row(struct grading *g, grade_input *in, audit_target *t, ca_error *err)
{
    if (tidy(&in->auditor, err) || tidy(&in->note, err) || tidy(&in->action, err))
        return CA_ERR;
    int got = audit_target_find(g->db, g->round.id, in->case_id, t, err);
    if (got <= 0)
        return got < 0 ? CA_ERR : not_on_list(g, in, err);
    if (!in->auditor && t->auditor && !(in->auditor = strdup(t->auditor)))
        return ca_fail(err, CA_SYSTEM, "out of memory");
    if (in->date < 0 && !in->src)
        in->date = g->today;
    /* A row that says what is recorded is a re-sent sheet: nothing to check, nothing to write. */
    if (t->current && in->auditor && in->date >= 0 && known_domains_only(g, in)) {
        int same = 0;
        if (same_as_recorded(g, in, t->current, &same, err) != CA_OK)
            return CA_ERR;
        if ((in->unchanged = same))
            return CA_OK;
    }
    if (check_auditor(g, in, t, err) != CA_OK)
        return CA_ERR;
    if (in->date < 0 && in->src)
        ca_problem_in(err, in->src, in->line, "audit_date", NULL, "the audit date is blank: give the date of the audit (the quarter it counts in depends on "
                   "it), or --date DATE to fill the blanks");
    if (in->date >= 0)
        check_date(g, in, err);
    for (int d = 0; d < in->ndomains; d++)
        if (find_domain(&g->domains, in->domain[d]) < 0) {
            char known[512];
            known_domains(&g->domains, known, sizeof known);
            ca_problem_in(err, in->src, in->line, in->domain[d], NULL, "unknown domain \"%s\": the domains are %s",
                       in->domain[d], known);
        }
    if (in->action_due >= 0 && !in->action)
        ca_problem_in(err, in->src, in->line, "action_due", NULL, "a due date without an action");
    if (t->current && !in->correct)
        ca_problem_in(err, in->src, in->line, "grade", NULL, "case \"%s\" already has a different grade in round %s: to change it, record the new one "
                   "as a correction (--correct, or a \"correct\" column set to yes)",
                   in->case_id, g->round.label);
    return CA_OK;
}

/* Writes one checked row: the audit, its domain grades, its action, the event. */
static int write_row(struct grading *g, const grade_input *in, const audit_target *t, grade_summary *out,
                     ca_error *err)
{
    if (in->unchanged) {
        out->unchanged++;
        return CA_OK;
    }
    audit_new a = {g->round.id, in->case_id, in->grade, in->auditor, in->date, in->note, t->current, in->stand_in};
    long audit, action;
    char uk[CA_DATE_ISO_LEN], detail[1024];
    if (audit_insert(g->db, &a, &audit, err) != CA_OK)
        return CA_ERR;
    date_uk(in->date, uk);
    int o = snprintf(detail, sizeof detail, "%s %s by %s, audited %s", t->current ? "corrected to" : "graded",
                     grade_label(in->grade), in->auditor, uk);
    if (in->stand_in)
        o += snprintf(detail + o, sizeof detail - (size_t)o, ", standing in for %s", t->auditor);
    if (t->current)
        o += snprintf(detail + o, sizeof detail - (size_t)o, " (replaces audit %ld)", t->current);
    for (int d = 0; d < in->ndomains; d++) {
        int k = find_domain(&g->domains, in->domain[d]);
        if (audit_domain_insert(g->db, audit, g->domains.code[k], in->domain_grade[d], err) != CA_OK)
            return CA_ERR;
        if (o < (int)sizeof detail)
            o += snprintf(detail + o, sizeof detail - (size_t)o, "%s%s %s", d ? ", " : "; ", g->domains.code[k],
                          grade_label(in->domain_grade[d]));
    }
    if (in->action) {
        if (action_insert(g->db, audit, g->round.id, in->case_id, in->action, t->worker, in->action_due, &action,
                          err) != CA_OK)
            return CA_ERR;
        out->actions++;
        if (o < (int)sizeof detail)
            snprintf(detail + o, sizeof detail - (size_t)o, "; action %ld for %s: %s", action,
                     t->worker ? t->worker : "no owner", in->action);
    }
    if (t->current)
        out->corrected++;
    else
        out->recorded++;
    out->stand_ins += in->stand_in;
    return db_event(g->db, "grade", g->round.label, in->case_id, detail, err);
}

static int check_all(struct grading *g, grade_input *in, long n, ca_error *err)
{
    if (check_twice(in, n, err) != CA_OK)
        return CA_ERR;
    for (long i = 0; i < n; i++)
        if (check_row(g, &in[i], &g->target[i], err) != CA_OK)
            return CA_ERR;
    if (err->ntotal)
        return ca_fail(err, CA_REFUSED, "nothing was recorded: %ld problem%s", err->ntotal,
                       err->ntotal == 1 ? "" : "s");
    return CA_OK;
}

int grade_record(ca_db *db, const char *round, grade_input *in, long n, grade_summary *out, ca_error *err)
{
    memset(out, 0, sizeof *out);
    struct grading *g = calloc(1, sizeof *g);
    if (!g || !(g->target = calloc((size_t)(n ? n : 1), sizeof *g->target))) {
        free(g);
        return ca_fail(err, CA_SYSTEM, "out of memory");
    }
    g->db = db;
    g->today = db_today(db);
    int rc = db_begin(db, err);
    if (rc == CA_OK) {
        rc = load_domains(db, &g->domains, err);
        if (rc == CA_OK)
            rc = people_load(db, &g->people, err);
        if (rc == CA_OK)
            rc = round_by_label(db, round, &g->round, err);
        if (rc == CA_OK)
            rc = check_all(g, in, n, err);
        for (long i = 0; i < n && rc == CA_OK; i++)
            rc = write_row(g, &in[i], &g->target[i], out, err);
        rc = rc == CA_OK ? db_commit(db, err) : (db_rollback(db), CA_ERR);
    }
    for (long i = 0; i < n; i++)
        audit_target_free(&g->target[i]);
    free(g->target);
    people_free(&g->people);
    free(g);
    if (rc != CA_OK)
        memset(out, 0, sizeof *out);
    return rc;
}

long grade_fill_dates(grade_input *in, long n, ca_day day)
{
    long filled = 0;
    for (long i = 0; i < n; i++)
        if (in[i].date < 0)
            in[i].date = day, filled++;
    return filled;
}

/* ---- returned lists ---- */

static int is_yes(const char *s)
{
    char k[16];
    vocab_normalise(s, k, sizeof k);
    return strcmp(k, "yes") == 0 || strcmp(k, "y") == 0 || strcmp(k, "true") == 0 || strcmp(k, "1") == 0;
}

/* Whether two round labels name the same round, whatever a spreadsheet made of a
 * monthly one (Nov-26, 01/11/2026: date_month_label). */
static int same_round(const char *a, const char *b)
{
    char ma[8], mb[8];
    if (date_month_label(a, ma) == CA_OK && date_month_label(b, mb) == CA_OK)
        return strcmp(ma, mb) == 0;
    return strcmp(a, b) == 0;
}

int grade_read_file(ca_db *db, const char *round, const char *path, int cp1252, grade_input **out, long *n,
                    long *skipped,
                    ca_error *err)
{
    *out = NULL;
    *n = *skipped = 0;
    struct domains *domains = calloc(1, sizeof *domains);
    tabr *r = NULL; /* a CSV file, or the first sheet of a workbook */
    char **hdr = NULL;
    int nhdr = 0, rc = CA_ERR;
    int dcol[64], dcount = 0, ddom[64];
    long cap = 0;
    if (!domains)
        return ca_fail(err, CA_SYSTEM, "out of memory");
    if (load_domains(db, domains, err) != CA_OK || tabr_open(&r, path, cp1252, err) != CA_OK)
        goto done;
    int got = tabr_next(r, err);
    if (got <= 0) {
        if (got == 0)
            ca_fail(err, CA_REFUSED, "%s:1: the file is empty: expected the audit list with grades filled in", path);
        goto done;
    }
    nhdr = tabr_count(r);
    if (!(hdr = tabr_copy_fields(r))) {
        ca_fail(err, CA_SYSTEM, "out of memory");
        goto done;
    }
    tabr_set_names(r, hdr, nhdr); /* messages about a field name its column */
    const ca_where head = {path, tabr_sheet(r), 1}; /* a workbook's problems name its sheet */
    static const char *const N_ID[] = {"caseid", "childuniqueid", NULL}, *const N_GRADE[] = {"grade", NULL},
                             *const N_AUDITOR[] = {"auditor", NULL}, *const N_DATE[] = {"auditdate", "date", NULL},
                             *const N_ACTION[] = {"action", NULL}, *const N_DUE[] = {"actiondue", NULL},
                             *const N_NOTE[] = {"note", "notes", NULL}, *const N_CORRECT[] = {"correct", NULL},
                             *const N_ROUND[] = {"round", NULL};
    int c_id = csvr_find(hdr, nhdr, N_ID), c_grade = csvr_find(hdr, nhdr, N_GRADE),
        c_aud = csvr_find(hdr, nhdr, N_AUDITOR), c_date = csvr_find(hdr, nhdr, N_DATE),
        c_act = csvr_find(hdr, nhdr, N_ACTION), c_due = csvr_find(hdr, nhdr, N_DUE),
        c_note = csvr_find(hdr, nhdr, N_NOTE), c_corr = csvr_find(hdr, nhdr, N_CORRECT),
        c_round = csvr_find(hdr, nhdr, N_ROUND);
    if (c_id < 0)
        ca_problem_at(err, &head, "case_id", NULL, "required column missing");
    static const char *const N_MODERATED[] = {"moderatedgrade", NULL};
    if (c_grade < 0 && csvr_find(hdr, nhdr, N_MODERATED) >= 0)
        ca_problem_at(err, &head, NULL, NULL, "this is a moderation list (it has a moderated_grade column and no grade column): "
                   "record it with 'caseaudit moderate %s --file %s'", round, path);
    else if (c_grade < 0)
        ca_problem_at(err, &head, "grade", NULL, "required column missing");
    /* Domain columns: "domain:CODE", or a domain's code or label as the whole name. */
    for (int i = 0; i < nhdr && dcount < 64; i++) {
        const char *h = hdr[i];
        int is_domain_col = strncmp(h, "domain:", 7) == 0;
        int k = find_domain(domains, is_domain_col ? h + 7 : h);
        if (is_domain_col && k < 0) {
            char known[512];
            known_domains(domains, known, sizeof known);
            ca_problem_at(err, &head, h, NULL, "unknown domain \"%s\": the domains are %s", h + 7, known);
        } else if (k >= 0 && i != c_id && i != c_grade && i != c_note && i != c_act) {
            dcol[dcount] = i, ddom[dcount++] = k;
        }
    }
    if (err->ntotal)
        goto refused;
    while ((got = tabr_next(r, err)) != 0) {
        if (got < 0 && tabr_can_go_on(r) && err->status == CA_REFUSED) {
            ca_error_demote(err); /* a bad cell (#N/A, an uncalculated formula): a problem of its row */
            continue;
        }
        if (got < 0)
            break;
        long line = tabr_line(r);
        const ca_where at = {path, tabr_sheet(r), line};
        /* A sheet leaves out the empty cells at the end of a row; a CSV row must match its header. */
        if (!tabr_is_xlsx(r) && tabr_count(r) != nhdr) {
            ca_problem_at(err, &at, NULL, NULL, "the row has %d fields where the header has %d", tabr_count(r), nhdr);
            continue;
        }
        const char *gv = tabr_field(r, c_grade);
        char gbuf[64];
        vocab_normalise(gv, gbuf, sizeof gbuf);
        if (!*gbuf) {
            (*skipped)++;
            continue;
        }
        if (*n == cap) {
            cap = cap ? 2 * cap : 64;
            grade_input *g = realloc(*out, sizeof *g * (size_t)cap);
            if (!g) {
                ca_fail(err, CA_SYSTEM, "out of memory");
                goto done;
            }
            *out = g;
        }
        grade_input *g = &(*out)[(*n)++];
        memset(g, 0, sizeof *g);
        g->src = path;
        g->line = line;
        g->date = g->action_due = -1;
        if (!(g->case_id = csvr_trim_dup(tabr_field(r, c_id))))
            goto nomem;
        if (!*g->case_id)
            ca_problem_at(err, &at, hdr[c_id], NULL, "empty case id");
        if (c_round >= 0 && *tabr_field(r, c_round) && !same_round(tabr_field(r, c_round), round))
            ca_problem_at(err, &at, hdr[c_round], tabr_field(r, c_round), "this row is for round %s, not %s", tabr_field(r, c_round), round);
        if (!(g->grade = grade_parse(gv)))
            ca_problem_at(err, &at, hdr[c_grade], gv, "not a grade; expected " CA_GRADE_EXPECTED);
        if (c_aud >= 0 && *tabr_field(r, c_aud) && !(g->auditor = csvr_trim_dup(tabr_field(r, c_aud))))
            goto nomem;
        char why[160];
        ca_day day;
        if (c_date >= 0 && *tabr_field(r, c_date)) {
            if (date_parse(tabr_field(r, c_date), &day, why, sizeof why) != CA_OK)
                ca_problem_at(err, &at, hdr[c_date], tabr_field(r, c_date), "%s", why);
            else
                g->date = day;
        }
        if (c_due >= 0 && *tabr_field(r, c_due)) {
            if (date_parse(tabr_field(r, c_due), &day, why, sizeof why) != CA_OK)
                ca_problem_at(err, &at, hdr[c_due], tabr_field(r, c_due), "%s", why);
            else
                g->action_due = day;
        }
        if ((c_act >= 0 && *tabr_field(r, c_act) && !(g->action = csvr_trim_dup(tabr_field(r, c_act)))) ||
            (c_note >= 0 && *tabr_field(r, c_note) && !(g->note = csvr_trim_dup(tabr_field(r, c_note)))))
            goto nomem;
        if (c_corr >= 0)
            g->correct = is_yes(tabr_field(r, c_corr));
        for (int d = 0; d < dcount; d++) {
            const char *v = tabr_field(r, dcol[d]);
            char k[64];
            vocab_normalise(v, k, sizeof k);
            if (!*k)
                continue;
            int dg = grade_parse(v);
            if (!dg) {
                ca_problem_at(err, &at, hdr[dcol[d]], v, "not a grade; expected " CA_GRADE_EXPECTED);
                continue;
            }
            if (!(g->domain[g->ndomains] = strdup(domains->code[ddom[d]])))
                goto nomem;
            g->domain_grade[g->ndomains++] = dg;
        }
    }
    if (got < 0) {
        if (err->status != CA_REFUSED)
            goto done;
        ca_error_demote(err);
    }
    if (err->ntotal)
        goto refused;
    rc = CA_OK;
    goto done;
refused:
    ca_fail(err, CA_REFUSED, "nothing was recorded: %ld problem%s in %s", err->ntotal, err->ntotal == 1 ? "" : "s",
            path);
    goto done;
nomem:
    ca_fail(err, CA_SYSTEM, "out of memory");
done:
    csvr_strings_free(hdr, nhdr);
    tabr_close(r);
    free(domains);
    if (rc != CA_OK) { /* nothing half-read reaches the caller */
        for (long i = 0; i < *n; i++)
            grade_input_free(&(*out)[i]);
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

int domain_add(ca_db *db, const char *code, const char *label, ca_error *err)
{
    size_t len = strlen(code);
    if (len == 0 || len > 32)
        return ca_fail(err, CA_REFUSED, "a domain code is 1 to 32 lower-case letters, digits or _ (\"%s\")", code);
    for (const char *p = code; *p; p++)
        if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_'))
            return ca_fail(err, CA_REFUSED, "a domain code is lower-case letters, digits or _ (\"%s\")", code);
    if (!*label)
        return ca_fail(err, CA_REFUSED, "the domain needs a label");
    struct domains *d = calloc(1, sizeof *d);
    if (!d)
        return ca_fail(err, CA_SYSTEM, "out of memory");
    int rc = db_begin(db, err);
    if (rc == CA_OK) {
        rc = load_domains(db, d, err);
        if (rc == CA_OK && (find_domain(d, code) >= 0 || find_domain(d, label) >= 0))
            rc = ca_fail(err, CA_REFUSED, "there is already a domain \"%s\" or \"%s\"", code, label);
        if (rc == CA_OK)
            rc = domain_insert(db, code, label, err);
        char detail[300];
        snprintf(detail, sizeof detail, "added domain %s: %s", code, label);
        if (rc == CA_OK)
            rc = db_event(db, "domains", NULL, NULL, detail, err);
        rc = rc == CA_OK ? db_commit(db, err) : (db_rollback(db), CA_ERR);
    }
    free(d);
    return rc;
}
