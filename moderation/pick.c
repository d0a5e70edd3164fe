#include "moderation/pick.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/sample.h"
#include "audit/vocab.h"

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

void pick_choose(pick_audit *a, long n, double rate, int all_inadequate)
{
    pick_audit **p = malloc(sizeof *p * (size_t)(n ? n : 1));
    if (!p)
        return;
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
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const pick_auditor_count *)a)->name, ((const pick_auditor_count *)b)->name);
}

/* Latest audits in scope that are neither moderated nor picked. */
static const char SCOPE[] =
    "SELECT a.round_id, a.case_id, a.auditor, a.grade, r.seed FROM audit a JOIN round r ON r.id = a.round_id"
    " WHERE a.id = (SELECT max(id) FROM audit b WHERE b.round_id = a.round_id AND b.case_id = a.case_id)"
    " AND ((:round IS NOT NULL AND r.label = :round) OR (:round IS NULL AND a.audit_date BETWEEN :from AND :to))"
    " AND NOT EXISTS (SELECT 1 FROM moderation m WHERE m.round_id = a.round_id AND m.case_id = a.case_id)"
    " AND NOT EXISTS (SELECT 1 FROM moderation_pick k WHERE k.round_id = a.round_id AND k.case_id = a.case_id)"
    " ORDER BY a.round_id, a.case_id";

struct row {
    long round_id;
    char *case_id, *auditor;
};

int pick_run(ca_db *db, const pick_scope *scope, double rate, int all_inadequate, int has_seed, uint64_t seed,
             pick_result *out, ca_error *err)
{
    memset(out, 0, sizeof *out);
    ca_stmt s = {0};
    pick_audit *audits = NULL;
    struct row *rows = NULL;
    long n = 0, cap = 0;
    int rc = CA_ERR;
    if (db_begin(db, err) != CA_OK)
        return CA_ERR;
    if (scope->round) {
        int64_t exists;
        ca_stmt r;
        if (stmt_prepare(db, &r, "SELECT seed FROM round WHERE label = :l", err) != CA_OK)
            goto done;
        stmt_bind_text(&r, ":l", scope->round);
        exists = stmt_step(&r, err);
        if (exists == 1 && !has_seed)
            seed = strtoull(stmt_text(&r, 0), NULL, 16), has_seed = 1; /* stored as 16 hex digits */
        stmt_finalize(&r);
        if (exists < 0)
            goto done;
        if (exists == 0) {
            ca_fail(err, CA_REFUSED, "there is no round '%s' (see 'caseaudit rounds')", scope->round);
            goto done;
        }
    }
    if (!has_seed && sample_seed_random(&seed, err) != CA_OK)
        goto done;
    out->seed = seed;
    char from[CA_DATE_ISO_LEN] = "", to[CA_DATE_ISO_LEN] = "";
    if (scope->quarter) {
        date_iso(scope->quarter->from, from);
        date_iso(scope->quarter->to, to);
    }
    if (stmt_prepare(db, &s, SCOPE, err) != CA_OK)
        goto done;
    stmt_bind_text(&s, ":round", scope->round);
    stmt_bind_text(&s, ":from", from);
    stmt_bind_text(&s, ":to", to);
    int got;
    while ((got = stmt_step(&s, err)) == 1) {
        if (n == cap) {
            cap = cap ? 2 * cap : 256;
            pick_audit *a = realloc(audits, sizeof *a * (size_t)cap);
            struct row *r = a ? realloc(rows, sizeof *r * (size_t)cap) : NULL;
            if (a)
                audits = a;
            if (r)
                rows = r;
            if (!a || !r) {
                got = ca_fail(err, CA_SYSTEM, "out of memory");
                break;
            }
        }
        rows[n] = (struct row){stmt_int(&s, 0), strdup(stmt_text(&s, 1)), strdup(stmt_text(&s, 2))};
        audits[n] = (pick_audit){rows[n].case_id, rows[n].auditor, (int)stmt_int(&s, 3),
                                 sample_key(rows[n].case_id, seed), PICK_NONE};
        n++;
    }
    stmt_finalize(&s);
    if (got < 0)
        goto done;
    out->in_scope = n;
    pick_choose(audits, n, rate, all_inadequate);

    char now[32], hex[17];
    db_now_utc(db, now);
    sample_seed_format(seed, hex);
    ca_stmt ins, ev;
    if (stmt_prepare(db, &ins, "INSERT INTO moderation_pick(round_id, case_id, reason, seed, entered_at, entered_by)"
                               " VALUES(:r, :c, :why, :seed, :now, :by)", err) != CA_OK)
        goto done;
    if (stmt_prepare(db, &ev, "INSERT INTO event(at, by, command, round, case_id, detail) VALUES(:now, :by,"
                              " 'moderation pick', (SELECT label FROM round WHERE id = :r), :c, :detail)", err) != CA_OK) {
        stmt_finalize(&ins);
        goto done;
    }
    for (long i = 0; i < n && got >= 0; i++) {
        /* The count per auditor, for the summary. */
        int k = 0;
        while (k < out->nauditors && strcmp(out->auditors[k].name, audits[i].auditor) != 0)
            k++;
        if (k == out->nauditors) {
            pick_auditor_count *c = realloc(out->auditors, sizeof *c * (size_t)(k + 1));
            if (!c) {
                got = ca_fail(err, CA_SYSTEM, "out of memory");
                break;
            }
            out->auditors = c;
            memset(&c[k], 0, sizeof c[k]);
            snprintf(c[k].name, sizeof c[k].name, "%s", audits[i].auditor);
            out->nauditors++;
        }
        out->auditors[k].in_scope++;
        if (audits[i].picked == PICK_NONE)
            continue;
        out->auditors[k].inadequate += audits[i].picked == PICK_INADEQUATE;
        out->auditors[k].sampled += audits[i].picked == PICK_SAMPLE;
        out->picked++;
        const char *why = audits[i].picked == PICK_INADEQUATE ? "inadequate" : "sample";
        stmt_bind_int(&ins, ":r", rows[i].round_id);
        stmt_bind_text(&ins, ":c", rows[i].case_id);
        stmt_bind_text(&ins, ":why", why);
        stmt_bind_text(&ins, ":seed", hex);
        stmt_bind_text(&ins, ":now", now);
        stmt_bind_text(&ins, ":by", db_actor(db));
        got = stmt_step(&ins, err);
        stmt_reset(&ins);
        char detail[300];
        snprintf(detail, sizeof detail, "picked for moderation (%s; audited %s by %s; seed %s)",
                 audits[i].picked == PICK_INADEQUATE ? "every inadequate audit" : "sample of the auditor's audits",
                 grade_label(audits[i].grade), audits[i].auditor, hex);
        stmt_bind_text(&ev, ":now", now);
        stmt_bind_text(&ev, ":by", db_actor(db));
        stmt_bind_int(&ev, ":r", rows[i].round_id);
        stmt_bind_text(&ev, ":c", rows[i].case_id);
        stmt_bind_text(&ev, ":detail", detail);
        if (got >= 0)
            got = stmt_step(&ev, err);
        stmt_reset(&ev);
    }
    stmt_finalize(&ins);
    stmt_finalize(&ev);
    if (got < 0)
        goto done;
    qsort(out->auditors, (size_t)out->nauditors, sizeof *out->auditors, by_name);
    char detail[300];
    snprintf(detail, sizeof detail, "picked %ld of %ld audits for moderation (rate %g%s, seed %s)", out->picked, n,
             rate, all_inadequate ? ", every inadequate audit" : "", hex);
    rc = db_event(db, "moderation pick", scope->round, NULL, detail, err);
done:
    for (long i = 0; i < n; i++)
        free(rows[i].case_id), free(rows[i].auditor);
    free(rows);
    free(audits);
    if (rc == CA_OK)
        return db_commit(db, err);
    db_rollback(db);
    return CA_ERR;
}
