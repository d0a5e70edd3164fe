#include "audit/grade.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/csvread.h"
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

/* "FILE:LINE: column "NAME": " for a file, "" for the command line. */
static const char *where(const grade_input *in, const char *col, char *buf, size_t len)
{
    if (!in->src)
        return "";
    snprintf(buf, len, "%s:%ld: column \"%s\": ", in->src, in->line, col);
    return buf;
}

struct domains {
    int n;
    char code[64][64];
    char label[64][128];
};

static int load_domains(ca_db *db, struct domains *d, ca_error *err)
{
    ca_stmt s;
    d->n = 0;
    if (stmt_prepare(db, &s, "SELECT code, label FROM domain ORDER BY seq", err) != CA_OK)
        return CA_ERR;
    int rc;
    while ((rc = stmt_step(&s, err)) == 1 && d->n < 64) {
        snprintf(d->code[d->n], sizeof d->code[0], "%s", stmt_text(&s, 0));
        snprintf(d->label[d->n], sizeof d->label[0], "%s", stmt_text(&s, 1));
        d->n++;
    }
    stmt_finalize(&s);
    return rc < 0 ? CA_ERR : CA_OK;
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

static void check_twice(grade_input *in, long n, ca_error *err)
{
    grade_input **p = malloc(sizeof *p * (size_t)(n ? n : 1));
    if (!p)
        return;
    for (long i = 0; i < n; i++)
        p[i] = &in[i];
    qsort(p, (size_t)n, sizeof *p, cmp_case);
    char w[512];
    for (long i = 1; i < n; i++)
        if (strcmp(p[i]->case_id, p[i - 1]->case_id) == 0)
            ca_problem(err, "%scase \"%s\" appears twice (first on line %ld): give one grade per case",
                       where(p[i], "case_id", w, sizeof w), p[i]->case_id, p[i - 1]->line);
    free(p);
}

int grade_record(ca_db *db, const char *round, grade_input *in, long n, grade_summary *out, ca_error *err)
{
    memset(out, 0, sizeof *out);
    ca_stmt look = {0}, ins = {0}, dom = {0}, act = {0}, ev = {0}, sup = {0}, zeros = {0};
    struct domains *domains = calloc(1, sizeof *domains);
    long rid = 0;
    ca_day as_of = 0, today = date_today();
    int rc = CA_ERR;
    char w[512], as_of_iso[CA_DATE_ISO_LEN] = "";
    if (!domains)
        return ca_fail(err, CA_SYSTEM, "out of memory");
    if (db_begin(db, err) != CA_OK) {
        free(domains);
        return CA_ERR;
    }
    if (load_domains(db, domains, err) != CA_OK ||
        stmt_prepare(db, &look, "SELECT r.id, s.as_of FROM round r JOIN snapshot s ON s.id = r.snapshot_id"
                                " WHERE r.label = :l", err) != CA_OK)
        goto done;
    stmt_bind_text(&look, ":l", round);
    int got = stmt_step(&look, err);
    if (got == 1) {
        rid = stmt_int(&look, 0);
        snprintf(as_of_iso, sizeof as_of_iso, "%s", stmt_text(&look, 1));
    }
    stmt_finalize(&look);
    if (got < 0)
        goto done;
    if (got == 0) {
        ca_fail(err, CA_REFUSED, "there is no round '%s' (see 'caseaudit rounds')", round);
        goto done;
    }
    char why[160];
    date_parse(as_of_iso, &as_of, why, sizeof why);
    check_twice(in, n, err);
    if (stmt_prepare(db, &look,
                     "SELECT rc.worker, rc.auditor, (SELECT max(id) FROM audit a WHERE a.round_id = rc.round_id"
                     " AND a.case_id = rc.case_id) FROM round_case rc WHERE rc.round_id = :r AND rc.case_id = :c",
                     err) != CA_OK ||
        stmt_prepare(db, &zeros, "SELECT case_id FROM round_case WHERE round_id = :r AND case_id GLOB '0*'"
                                 " AND ltrim(case_id, '0') = ltrim(:c, '0') LIMIT 1", err) != CA_OK)
        goto done;
    /* Check every row before writing any. */
    long *previous = calloc((size_t)(n ? n : 1), sizeof *previous);
    char **owner = calloc((size_t)(n ? n : 1), sizeof *owner);
    if (!previous || !owner) {
        free(previous), free(owner);
        ca_fail(err, CA_SYSTEM, "out of memory");
        goto done;
    }
    for (long i = 0; i < n; i++) {
        grade_input *g = &in[i];
        stmt_bind_int(&look, ":r", rid);
        stmt_bind_text(&look, ":c", g->case_id);
        got = stmt_step(&look, err);
        if (got < 0)
            break;
        if (got == 0) {
            stmt_reset(&look);
            char hint[300] = "";
            /* Excel drops the leading zeros of numeric ids when a CSV is opened and saved. */
            stmt_bind_int(&zeros, ":r", rid);
            stmt_bind_text(&zeros, ":c", g->case_id);
            if (stmt_step(&zeros, err) == 1)
                snprintf(hint, sizeof hint, " (the list has \"%s\": did a spreadsheet drop its leading zeros?)",
                         stmt_text(&zeros, 0));
            stmt_reset(&zeros);
            ca_problem(err, "%scase \"%s\" is not on the list of round %s%s", where(g, "case_id", w, sizeof w),
                       g->case_id, round, hint);
            continue;
        }
        owner[i] = stmt_is_null(&look, 0) ? NULL : strdup(stmt_text(&look, 0));
        if (!g->auditor && !stmt_is_null(&look, 1))
            g->auditor = strdup(stmt_text(&look, 1));
        previous[i] = stmt_is_null(&look, 2) ? 0 : stmt_int(&look, 2);
        stmt_reset(&look);
        if (!g->auditor || !*g->auditor)
            ca_problem(err, "%scase \"%s\" has no auditor: give one (the case was not assigned)",
                       where(g, "auditor", w, sizeof w), g->case_id);
        if (g->date < 0)
            g->date = today;
        char uk[CA_DATE_ISO_LEN], ukt[CA_DATE_ISO_LEN];
        date_uk(g->date, uk);
        if (g->date > today) {
            date_uk(today, ukt);
            ca_problem(err, "%sthe audit date %s is in the future (today is %s)",
                       where(g, "audit_date", w, sizeof w), uk, ukt);
        } else if (g->date < as_of) {
            date_uk(as_of, ukt);
            ca_problem(err, "%sthe audit date %s is before %s, the as-of date of round %s's case list",
                       where(g, "audit_date", w, sizeof w), uk, ukt, round);
        }
        if (previous[i] && !g->correct)
            ca_problem(err, "%scase \"%s\" already has a grade in round %s: to change it, record the new one as a "
                       "correction (--correct, or a \"correct\" column set to yes)",
                       where(g, "grade", w, sizeof w), g->case_id, round);
        for (int d = 0; d < g->ndomains; d++)
            if (find_domain(domains, g->domain[d]) < 0) {
                char known[512];
                known_domains(domains, known, sizeof known);
                ca_problem(err, "%sunknown domain \"%s\": the domains are %s", where(g, g->domain[d], w, sizeof w),
                           g->domain[d], known);
            }
        if (g->action_due >= 0 && !g->action)
            ca_problem(err, "%sa due date without an action", where(g, "action_due", w, sizeof w));
    }
    if (got < 0 || err->ntotal) {
        if (got >= 0)
            ca_fail(err, CA_REFUSED, "nothing was recorded: %ld problem%s", err->ntotal,
                    err->ntotal == 1 ? "" : "s");
        for (long i = 0; i < n; i++)
            free(owner[i]);
        free(previous), free(owner);
        goto done;
    }
    char now[32];
    date_now_utc(now);
    if (stmt_prepare(db, &ins,
                     "INSERT INTO audit(round_id, case_id, grade, auditor, audit_date, note, corrects, entered_at,"
                     " entered_by, stratum, plan_type, age_band, team) SELECT :r, :c, :g, :a, :d, :note, :corrects,"
                     " :now, :by, rc.stratum, rc.plan_type, rc.age_band, rc.team FROM round_case rc"
                     " WHERE rc.round_id = :r AND rc.case_id = :c", err) != CA_OK ||
        stmt_prepare(db, &dom, "INSERT INTO audit_domain(audit_id, domain, grade) VALUES(:a, :d, :g)", err) != CA_OK ||
        stmt_prepare(db, &act, "INSERT INTO action(audit_id, round_id, case_id, text, owner, due, entered_at,"
                               " entered_by) VALUES(:a, :r, :c, :text, :owner, :due, :now, :by)", err) != CA_OK ||
        stmt_prepare(db, &ev, "INSERT INTO event(at, by, command, round, case_id, detail)"
                              " VALUES(:now, :by, 'grade', :round, :c, :detail)", err) != CA_OK ||
        stmt_prepare(db, &sup, "UPDATE audit SET superseded_at = :now WHERE id = :id", err) != CA_OK)
        got = -1;
    for (long i = 0; i < n && got >= 0; i++) {
        grade_input *g = &in[i];
        char date[CA_DATE_ISO_LEN], uk[CA_DATE_ISO_LEN], due[CA_DATE_ISO_LEN], detail[1024];
        date_iso(g->date, date);
        date_uk(g->date, uk);
        stmt_bind_int(&ins, ":r", rid);
        stmt_bind_text(&ins, ":c", g->case_id);
        stmt_bind_int(&ins, ":g", g->grade);
        stmt_bind_text(&ins, ":a", g->auditor);
        stmt_bind_text(&ins, ":d", date);
        stmt_bind_text(&ins, ":note", g->note);
        if (previous[i])
            stmt_bind_int(&ins, ":corrects", previous[i]);
        else
            stmt_bind_null(&ins, ":corrects");
        stmt_bind_text(&ins, ":now", now);
        stmt_bind_text(&ins, ":by", db_actor(db));
        got = stmt_step(&ins, err);
        stmt_reset(&ins);
        long audit = (long)sqlite3_last_insert_rowid(db_handle(db));
        if (previous[i] && got >= 0) {
            stmt_bind_text(&sup, ":now", now);
            stmt_bind_int(&sup, ":id", previous[i]);
            got = stmt_step(&sup, err);
            stmt_reset(&sup);
        }
        int o = snprintf(detail, sizeof detail, "%s %s by %s, audited %s", previous[i] ? "corrected to" : "graded",
                         grade_label(g->grade), g->auditor, uk);
        if (previous[i])
            o += snprintf(detail + o, sizeof detail - (size_t)o, " (replaces audit %ld)", previous[i]);
        for (int d = 0; d < g->ndomains && got >= 0; d++) {
            int k = find_domain(domains, g->domain[d]);
            stmt_bind_int(&dom, ":a", audit);
            stmt_bind_text(&dom, ":d", domains->code[k]);
            stmt_bind_int(&dom, ":g", g->domain_grade[d]);
            got = stmt_step(&dom, err);
            stmt_reset(&dom);
            if (o < (int)sizeof detail)
                o += snprintf(detail + o, sizeof detail - (size_t)o, "%s%s %s", d ? ", " : "; ", domains->code[k],
                              grade_label(g->domain_grade[d]));
        }
        if (g->action && got >= 0) {
            if (g->action_due >= 0)
                date_iso(g->action_due, due);
            stmt_bind_int(&act, ":a", audit);
            stmt_bind_int(&act, ":r", rid);
            stmt_bind_text(&act, ":c", g->case_id);
            stmt_bind_text(&act, ":text", g->action);
            stmt_bind_text(&act, ":owner", owner[i]);
            stmt_bind_text(&act, ":due", g->action_due >= 0 ? due : NULL);
            stmt_bind_text(&act, ":now", now);
            stmt_bind_text(&act, ":by", db_actor(db));
            got = stmt_step(&act, err);
            stmt_reset(&act);
            out->actions++;
            if (o < (int)sizeof detail)
                snprintf(detail + o, sizeof detail - (size_t)o, "; action %ld for %s: %s",
                         (long)sqlite3_last_insert_rowid(db_handle(db)), owner[i] ? owner[i] : "no owner", g->action);
        }
        stmt_bind_text(&ev, ":now", now);
        stmt_bind_text(&ev, ":by", db_actor(db));
        stmt_bind_text(&ev, ":round", round);
        stmt_bind_text(&ev, ":c", g->case_id);
        stmt_bind_text(&ev, ":detail", detail);
        if (got >= 0)
            got = stmt_step(&ev, err);
        stmt_reset(&ev);
        if (previous[i])
            out->corrected++;
        else
            out->recorded++;
    }
    for (long i = 0; i < n; i++)
        free(owner[i]);
    free(previous), free(owner);
    if (got >= 0)
        rc = CA_OK;
done:
    stmt_finalize(&look), stmt_finalize(&ins), stmt_finalize(&dom), stmt_finalize(&act), stmt_finalize(&ev);
    stmt_finalize(&sup), stmt_finalize(&zeros);
    free(domains);
    if (rc == CA_OK)
        return db_commit(db, err);
    db_rollback(db);
    return CA_ERR;
}

/* ---- returned lists ---- */

static int is_yes(const char *s)
{
    char k[16];
    vocab_normalise(s, k, sizeof k);
    return strcmp(k, "yes") == 0 || strcmp(k, "y") == 0 || strcmp(k, "true") == 0 || strcmp(k, "1") == 0;
}

int grade_read_file(ca_db *db, const char *round, const char *path, int cp1252, grade_input **out, long *n,
                    long *skipped,
                    ca_error *err)
{
    *out = NULL;
    *n = *skipped = 0;
    size_t plen = strlen(path);
    if (plen >= 5 && (strcmp(path + plen - 5, ".xlsx") == 0 || strcmp(path + plen - 5, ".XLSX") == 0))
        return ca_fail(err, CA_REFUSED, "cannot read '%s': returns in .xlsx are not read yet; in Excel use "
                       "File > Save As > CSV UTF-8, then give the .csv file", path);
    struct domains *domains = calloc(1, sizeof *domains);
    csvr *r = NULL;
    char **hdr = NULL;
    int nhdr = 0, rc = CA_ERR;
    int dcol[64], dcount = 0, ddom[64];
    long cap = 0;
    if (!domains)
        return ca_fail(err, CA_SYSTEM, "out of memory");
    if (load_domains(db, domains, err) != CA_OK || csvr_open(&r, path, cp1252, err) != CA_OK)
        goto done;
    int got = csvr_next(r, err);
    if (got <= 0) {
        if (got == 0)
            ca_fail(err, CA_REFUSED, "%s:1: the file is empty: expected the audit list with grades filled in", path);
        goto done;
    }
    nhdr = csvr_count(r);
    if (!(hdr = csvr_copy_fields(r))) {
        ca_fail(err, CA_SYSTEM, "out of memory");
        goto done;
    }
    csvr_set_names(r, hdr, nhdr); /* messages about a field name its column */
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
        ca_problem(err, "%s:1: column \"case_id\": required column missing", path);
    if (c_grade < 0)
        ca_problem(err, "%s:1: column \"grade\": required column missing", path);
    /* Domain columns: "domain:CODE", or a domain's code or label as the whole name. */
    for (int i = 0; i < nhdr && dcount < 64; i++) {
        const char *h = hdr[i];
        int is_domain_col = strncmp(h, "domain:", 7) == 0;
        int k = find_domain(domains, is_domain_col ? h + 7 : h);
        if (is_domain_col && k < 0) {
            char known[512];
            known_domains(domains, known, sizeof known);
            ca_problem(err, "%s:1: column \"%s\": unknown domain \"%s\": the domains are %s", path, h, h + 7, known);
        } else if (k >= 0 && i != c_id && i != c_grade && i != c_note && i != c_act) {
            dcol[dcount] = i, ddom[dcount++] = k;
        }
    }
    if (err->ntotal)
        goto refused;
    while ((got = csvr_next(r, err)) == 1) {
        long line = csvr_line(r);
        if (csvr_count(r) != nhdr) {
            ca_problem(err, "%s:%ld: the row has %d fields where the header has %d", path, line, csvr_count(r),
                       nhdr);
            continue;
        }
        const char *gv = csvr_field(r, c_grade);
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
        g->case_id = csvr_trim_dup(csvr_field(r, c_id));
        if (!*g->case_id)
            ca_problem(err, "%s:%ld: column \"%s\": empty case id", path, line, hdr[c_id]);
        if (c_round >= 0 && *csvr_field(r, c_round) && strcmp(csvr_field(r, c_round), round) != 0)
            ca_problem(err, "%s:%ld: column \"%s\": this row is for round %s, not %s (value \"%s\")", path, line,
                       hdr[c_round], csvr_field(r, c_round), round, csvr_field(r, c_round));
        if (!(g->grade = grade_parse(gv)))
            ca_problem(err, "%s:%ld: column \"%s\": not a grade; expected " CA_GRADE_EXPECTED " (value \"%s\")", path,
                       line, hdr[c_grade], gv);
        if (c_aud >= 0 && *csvr_field(r, c_aud))
            g->auditor = csvr_trim_dup(csvr_field(r, c_aud));
        char why[160];
        ca_day day;
        if (c_date >= 0 && *csvr_field(r, c_date)) {
            if (date_parse(csvr_field(r, c_date), &day, why, sizeof why) != CA_OK)
                ca_problem(err, "%s:%ld: column \"%s\": %s (value \"%s\")", path, line, hdr[c_date], why,
                           csvr_field(r, c_date));
            else
                g->date = day;
        }
        if (c_due >= 0 && *csvr_field(r, c_due)) {
            if (date_parse(csvr_field(r, c_due), &day, why, sizeof why) != CA_OK)
                ca_problem(err, "%s:%ld: column \"%s\": %s (value \"%s\")", path, line, hdr[c_due], why,
                           csvr_field(r, c_due));
            else
                g->action_due = day;
        }
        if (c_act >= 0 && *csvr_field(r, c_act))
            g->action = csvr_trim_dup(csvr_field(r, c_act));
        if (c_note >= 0 && *csvr_field(r, c_note))
            g->note = csvr_trim_dup(csvr_field(r, c_note));
        if (c_corr >= 0)
            g->correct = is_yes(csvr_field(r, c_corr));
        for (int d = 0; d < dcount; d++) {
            const char *v = csvr_field(r, dcol[d]);
            char k[64];
            vocab_normalise(v, k, sizeof k);
            if (!*k)
                continue;
            int dg = grade_parse(v);
            if (!dg) {
                ca_problem(err, "%s:%ld: column \"%s\": not a grade; expected " CA_GRADE_EXPECTED " (value \"%s\")",
                           path, line, hdr[dcol[d]], v);
                continue;
            }
            g->domain[g->ndomains] = strdup(domains->code[ddom[d]]);
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
done:
    csvr_strings_free(hdr, nhdr);
    csvr_close(r);
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
    if (db_begin(db, err) != CA_OK)
        return CA_ERR;
    struct domains *d = calloc(1, sizeof *d);
    int rc = CA_ERR;
    if (!d || load_domains(db, d, err) != CA_OK)
        goto done;
    if (find_domain(d, code) >= 0 || find_domain(d, label) >= 0) {
        ca_fail(err, CA_REFUSED, "there is already a domain \"%s\" or \"%s\"", code, label);
        goto done;
    }
    ca_stmt s;
    if (stmt_prepare(db, &s, "INSERT INTO domain(code, label, seq) VALUES(:c, :l,"
                             " (SELECT coalesce(max(seq), 0) + 1 FROM domain))", err) != CA_OK)
        goto done;
    stmt_bind_text(&s, ":c", code);
    stmt_bind_text(&s, ":l", label);
    int got = stmt_step(&s, err);
    stmt_finalize(&s);
    if (got < 0)
        goto done;
    char detail[300];
    snprintf(detail, sizeof detail, "added domain %s: %s", code, label);
    rc = db_event(db, "domains", NULL, NULL, detail, err);
done:
    free(d);
    if (rc == CA_OK)
        return db_commit(db, err);
    db_rollback(db);
    return CA_ERR;
}
