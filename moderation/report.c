#include "moderation/report.h"

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

/* The audits that count: the latest per (round, case) entered by the end of the
 * as-at day, dated in the period or the three quarters before it (for the trend).
 * q is 0 for the period itself, 1..3 for the trend quarters. */
static int make_scope(ca_db *db, const char *asat, const char *from, const char *to, const char q[4][CA_DATE_ISO_LEN],
                      ca_error *err)
{
    if (db_exec(db, "PRAGMA temp_store = MEMORY; DROP TABLE IF EXISTS temp.scope;"
                    " CREATE TEMP TABLE scope(id INTEGER PRIMARY KEY, q INTEGER NOT NULL)", err) != CA_OK)
        return CA_ERR;
    ca_stmt s;
    if (stmt_prepare(db, &s,
                     "INSERT INTO temp.scope(id, q) SELECT a.id, CASE WHEN a.audit_date >= :q0 THEN 0"
                     " WHEN a.audit_date >= :q1 THEN 1 WHEN a.audit_date >= :q2 THEN 2 ELSE 3 END"
                     " FROM (SELECT max(id) AS id FROM audit WHERE entered_at < :asat GROUP BY round_id, case_id) l"
                     " JOIN audit a ON a.id = l.id WHERE a.audit_date BETWEEN :from AND :to", err) != CA_OK)
        return CA_ERR;
    stmt_bind_text(&s, ":q0", q[0]);
    stmt_bind_text(&s, ":q1", q[1]);
    stmt_bind_text(&s, ":q2", q[2]);
    stmt_bind_text(&s, ":asat", asat);
    stmt_bind_text(&s, ":from", from);
    stmt_bind_text(&s, ":to", to);
    int rc = stmt_step(&s, err);
    stmt_finalize(&s);
    return rc < 0 ? CA_ERR : CA_OK;
}

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
    if (db_begin(db, err) != CA_OK) /* one consistent view of the database */
        return CA_ERR;
    if (make_scope(db, asat, from, to, q, err) != CA_OK)
        goto done;

    /* One pass, aggregated in SQL over everything the report breaks down by. */
    static const char main_sql[] =
        "SELECT a.round_id, rc.stratum, rc.plan_type, rc.age_band, coalesce(rc.team, '(no team)'), a.auditor,"
        " a.grade, m.grade, m.planned, sc.q, count(*)"
        " FROM temp.scope sc JOIN audit a ON a.id = sc.id"
        " JOIN round_case rc ON rc.round_id = a.round_id AND rc.case_id = a.case_id"
        " LEFT JOIN moderation m ON m.id = (SELECT max(x.id) FROM moderation x WHERE x.round_id = a.round_id"
        "   AND x.case_id = a.case_id AND x.entered_at < :asat)"
        " GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10";
    if (stmt_prepare(db, &s, main_sql, err) != CA_OK)
        goto done;
    stmt_bind_text(&s, ":asat", asat);
    int got;
    long nrounds = 0;
    while ((got = stmt_step(&s, err)) == 1) {
        int g = (int)stmt_int(&s, 6), mod = !stmt_is_null(&s, 7), mg = mod ? (int)stmt_int(&s, 7) : g;
        int qi = (int)stmt_int(&s, 9);
        long n = stmt_int(&s, 10);
        if (g < 1 || g > 4 || mg < 1 || mg > 4)
            continue;
        out->trend[qi].audits += n;
        out->trend[qi].final[mg] += n;
        if (qi != 0)
            continue;
        long round_id = stmt_int(&s, 0);
        out->audits += n;
        out->audited[g] += n;
        out->final[mg] += n;
        enum ca_outcome o = outcome_of(g, mg);
        if (mod) {
            out->moderated += n;
            out->transitions[g - 1][mg - 1] += n;
            out->agreed += o == CA_AGREED ? n : 0;
            out->downgraded += o == CA_DOWNGRADED ? n : 0;
            out->upgraded += o == CA_UPGRADED ? n : 0;
            out->unplanned += stmt_int(&s, 8) ? 0 : n;
        }
        for (int i = 0; i < out->nby; i++) {
            int col = out->by[i].dim == BY_PLAN ? 2 : out->by[i].dim == BY_AGE ? 3 : out->by[i].dim == BY_TEAM ? 4 : 5;
            report_level *l = level(&out->by[i], stmt_text(&s, col));
            if (!l) {
                got = ca_fail(err, CA_SYSTEM, "out of memory");
                break;
            }
            l->audits += n;
            l->final[mg] += n;
            l->moderated += mod ? n : 0;
            l->downgraded += mod && o == CA_DOWNGRADED ? n : 0;
        }
        int k = 0;
        while (k < nstrata && !(strata[k].round_id == round_id && strcmp(strata[k].name, stmt_text(&s, 1)) == 0))
            k++;
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
        strata[k].n += n;
        strata[k].final[mg] += n;
    }
    stmt_finalize(&s);
    if (got < 0)
        goto done;
    out->rounds = nrounds;
    for (int i = 0; i < out->nby; i++)
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
    if (got < 0 || stmt_prepare(db, &s,
                                "SELECT (SELECT count(*) FROM round_case WHERE round_id = r.id),"
                                " (SELECT count(DISTINCT case_id) FROM audit WHERE round_id = r.id"
                                "  AND entered_at < :asat), r.due FROM round r WHERE r.id = :r", err) != CA_OK)
        goto done;
    for (long r = 0; r < nrounds && got >= 0; r++) {
        stmt_bind_int(&s, ":r", rounds[r]);
        stmt_bind_text(&s, ":asat", asat);
        if ((got = stmt_step(&s, err)) == 1) {
            out->sampled += stmt_int(&s, 0);
            if (!stmt_is_null(&s, 2) && strcmp(stmt_text(&s, 2), ref) < 0)
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

    /* Domains. */
    if (stmt_prepare(db, &s,
                     "SELECT dm.code, dm.label, count(d.audit_id), coalesce(sum(d.grade <= 2), 0) FROM domain dm"
                     " LEFT JOIN (SELECT ad.* FROM audit_domain ad JOIN temp.scope sc ON sc.id = ad.audit_id"
                     "   AND sc.q = 0) d ON d.domain = dm.code GROUP BY dm.code ORDER BY dm.seq", err) != CA_OK)
        goto done;
    while ((got = stmt_step(&s, err)) == 1) {
        report_domain *d = realloc(out->domains, sizeof *d * (size_t)(out->ndomains + 1));
        if (!d) {
            got = ca_fail(err, CA_SYSTEM, "out of memory");
            break;
        }
        out->domains = d;
        d = &out->domains[out->ndomains++];
        snprintf(d->code, sizeof d->code, "%s", stmt_text(&s, 0));
        snprintf(d->label, sizeof d->label, "%s", stmt_text(&s, 1));
        d->audits = stmt_int(&s, 2);
        d->good_or_better = stmt_int(&s, 3);
    }
    stmt_finalize(&s);
    if (got < 0)
        goto done;

    /* Actions raised by the period's audits. */
    if (stmt_prepare(db, &s,
                     "SELECT count(*), coalesce(sum(ac.done_at IS NOT NULL AND ac.done_at < :asat), 0),"
                     " coalesce(sum((ac.done_at IS NULL OR ac.done_at >= :asat) AND ac.due < :ref), 0)"
                     " FROM action ac JOIN audit a ON a.id = ac.audit_id"
                     " WHERE ac.entered_at < :asat AND a.audit_date BETWEEN :from AND :to", err) != CA_OK)
        goto done;
    char pfrom[CA_DATE_ISO_LEN];
    date_iso(period->from, pfrom);
    stmt_bind_text(&s, ":asat", asat);
    stmt_bind_text(&s, ":ref", ref);
    stmt_bind_text(&s, ":from", pfrom);
    stmt_bind_text(&s, ":to", to);
    if ((got = stmt_step(&s, err)) == 1) {
        out->actions_raised = stmt_int(&s, 0);
        out->actions_done = stmt_int(&s, 1);
        out->actions_open = out->actions_raised - out->actions_done;
        out->actions_overdue = stmt_int(&s, 2);
    }
    stmt_finalize(&s);
    if (got >= 0)
        rc = CA_OK;
done:
    free(strata);
    free(rounds);
    db_rollback(db); /* read only: the temporary table goes with the connection */
    if (rc != CA_OK)
        report_free(out);
    return rc;
}
