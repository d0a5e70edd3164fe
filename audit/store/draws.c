#include "audit/store/draws.h"

#include <string.h>

#include "audit/store/db.h"
#include "audit/store/internal.h"

int draw_snapshot_find(ca_db *db, long id, draw_snapshot *out, ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(db, &s, "SELECT id, as_of, pruned_at, coalesce(first_row, 0), coalesce(last_row, -1),"
                             " open_eh + open_cin + open_cp + open_cla + open_cl FROM snapshot"
                             " WHERE id = CASE WHEN :id = 0 THEN (SELECT id FROM snapshot_latest) ELSE :id END",
                     err) != CA_OK)
        return CA_ERR;
    stmt_bind_int(&s, ":id", id);
    int got = stmt_step(&s, err);
    if (got == 1) {
        memset(out, 0, sizeof *out);
        out->id = (long)stmt_int(&s, 0);
        out->as_of = store_day(&s, 1);
        out->pruned = !stmt_is_null(&s, 2);
        out->first_row = stmt_int(&s, 3);
        out->last_row = stmt_int(&s, 4);
        out->open_cases = (long)stmt_int(&s, 5);
    }
    stmt_finalize(&s);
    return got;
}

int draw_round_find(ca_db *db, const char *label, long *id, long *graded, ca_error *err)
{
    ca_stmt s;
    *id = 0, *graded = 0;
    if (stmt_prepare(db, &s, "SELECT id, (SELECT count(*) FROM audit a WHERE a.round_id = round.id) FROM round"
                             " WHERE label = :label", err) != CA_OK)
        return CA_ERR;
    stmt_bind_text(&s, ":label", label);
    int got = stmt_step(&s, err);
    if (got == 1)
        *id = (long)stmt_int(&s, 0), *graded = (long)stmt_int(&s, 1);
    stmt_finalize(&s);
    return got < 0 ? CA_ERR : CA_OK;
}

/* Visits the first column of every row of S as a case id. */
static int visit_ids(ca_stmt *s, int (*visit)(void *u, const char *case_id), void *u, ca_error *err)
{
    int got, stop = 0;
    while (!stop && (got = stmt_step(s, err)) == 1)
        stop = visit(u, stmt_text(s, 0));
    stmt_finalize(s);
    return stop ? stop : got < 0 ? CA_ERR : CA_OK;
}

int draw_audited_since(ca_db *db, ca_day cutoff, int (*visit)(void *u, const char *case_id), void *u,
                       ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(db, &s, "SELECT DISTINCT case_id FROM audit WHERE audit_date >= :cutoff", err) != CA_OK)
        return CA_ERR;
    char iso[CA_DATE_ISO_LEN];
    date_iso(cutoff, iso);
    stmt_bind_text(&s, ":cutoff", iso);
    return visit_ids(&s, visit, u, err);
}

int draw_pending(ca_db *db, long except_round, int (*visit)(void *u, const char *case_id), void *u,
                 ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(db, &s, "SELECT rc.case_id FROM round_case rc JOIN round r ON r.id = rc.round_id"
                             " WHERE r.id <> :except AND EXISTS (SELECT 1 FROM round_case x WHERE x.round_id = r.id"
                             "   AND NOT EXISTS (SELECT 1 FROM audit a WHERE a.round_id = x.round_id"
                             "   AND a.case_id = x.case_id))", err) != CA_OK)
        return CA_ERR;
    stmt_bind_int(&s, ":except", except_round);
    return visit_ids(&s, visit, u, err);
}

int draw_frame(ca_db *db, const draw_snapshot *sn, int (*visit)(void *u, const frame_row *r), void *u,
               ca_error *err)
{
    ca_stmt s;
    /* The snapshot's rows are one row-id range (migration 5): the frame is one range scan. */
    if (stmt_prepare(db, &s, "SELECT case_id, plan_type, age, coalesce(team, ''), rowid, plan_start FROM snapshot_case"
                             " WHERE rowid BETWEEN :lo AND :hi AND snapshot_id = :snapshot AND closed = 0",
                     err) != CA_OK)
        return CA_ERR;
    stmt_bind_int(&s, ":lo", sn->first_row);
    stmt_bind_int(&s, ":hi", sn->last_row);
    stmt_bind_int(&s, ":snapshot", sn->id);
    int got, stop = 0;
    while (!stop && (got = stmt_step(&s, err)) == 1) {
        frame_row r = {stmt_text(&s, 0), stmt_text(&s, 1), stmt_text(&s, 3), (int)stmt_int(&s, 2),
                       stmt_int(&s, 4), stmt_is_null(&s, 5) ? -1 : store_day(&s, 5)};
        stop = visit(u, &r);
    }
    stmt_finalize(&s);
    return stop ? stop : got < 0 ? CA_ERR : CA_OK;
}

int draw_history(ca_db *db, ca_day from, ca_day to, int (*visit)(void *u, const history_row *r), void *u,
                 ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(db, &s, "SELECT rc.plan_type, rc.age_band, coalesce(rc.team, ''), coalesce(m.grade, a.grade)"
                             " FROM audit_current a"
                             " JOIN round_case rc ON rc.round_id = a.round_id AND rc.case_id = a.case_id"
                             " JOIN round r ON r.id = a.round_id AND r.theme IS NULL"
                             " LEFT JOIN moderation_current m ON m.round_id = a.round_id AND m.case_id = a.case_id"
                             " WHERE a.audit_date >= :from AND a.audit_date <= :to", err) != CA_OK)
        return CA_ERR;
    char f[CA_DATE_ISO_LEN], t[CA_DATE_ISO_LEN];
    date_iso(from, f);
    date_iso(to, t);
    stmt_bind_text(&s, ":from", f);
    stmt_bind_text(&s, ":to", t);
    int got, stop = 0;
    while (!stop && (got = stmt_step(&s, err)) == 1) {
        history_row r = {stmt_text(&s, 0), stmt_text(&s, 1), stmt_text(&s, 2), (int)stmt_int(&s, 3)};
        stop = visit(u, &r);
    }
    stmt_finalize(&s);
    return stop ? stop : got < 0 ? CA_ERR : CA_OK;
}

static int run_with_id(ca_db *db, const char *sql, long id, ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(db, &s, sql, err) != CA_OK)
        return CA_ERR;
    stmt_bind_int(&s, ":id", id);
    int got = stmt_step(&s, err);
    stmt_finalize(&s);
    return got < 0 ? CA_ERR : CA_OK;
}

int draw_round_delete(ca_db *db, long id, ca_error *err)
{
    /* round_stratum and round_case go with it (ON DELETE CASCADE). */
    return run_with_id(db, "DELETE FROM round WHERE id = :id", id, err);
}

int draw_round_insert(ca_db *db, const round_new *r, long *id, ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(db, &s,
                     "INSERT INTO round(label, snapshot_id, seed, size, strata, alloc, min_per_stratum, age_bands,"
                     " exclude_months, population, excluded_audited, excluded_pending, due, entered_at, entered_by,"
                     " theme, theme_filter, excluded_theme)"
                     " VALUES(:label, :snapshot, :seed, :size, :strata, :alloc, :k, :bands, :exclude, :population,"
                     " :audited, :pending, :due, :now, :by, :theme, :filter, :outside)", err) != CA_OK)
        return CA_ERR;
    char due[CA_DATE_ISO_LEN], now[32];
    if (r->due >= 0)
        date_iso(r->due, due);
    db_now_utc(db, now);
    stmt_bind_text(&s, ":label", r->label);
    stmt_bind_int(&s, ":snapshot", r->snapshot_id);
    stmt_bind_text(&s, ":seed", r->seed);
    stmt_bind_int(&s, ":size", r->size);
    stmt_bind_text(&s, ":strata", r->strata);
    stmt_bind_text(&s, ":alloc", r->alloc);
    stmt_bind_int(&s, ":k", r->min_per_stratum);
    stmt_bind_text(&s, ":bands", r->age_bands);
    stmt_bind_int(&s, ":exclude", r->exclude_months);
    stmt_bind_int(&s, ":population", r->population);
    stmt_bind_int(&s, ":audited", r->excluded_audited);
    stmt_bind_int(&s, ":pending", r->excluded_pending);
    stmt_bind_text(&s, ":due", r->due >= 0 ? due : NULL);
    stmt_bind_text(&s, ":now", now);
    stmt_bind_text(&s, ":by", db_actor(db));
    stmt_bind_text(&s, ":theme", r->theme);
    stmt_bind_text(&s, ":filter", r->theme_filter);
    stmt_bind_int(&s, ":outside", r->excluded_theme);
    int got = stmt_step(&s, err);
    stmt_finalize(&s);
    if (got < 0)
        return CA_ERR;
    *id = (long)db_last_rowid(db);
    return CA_OK;
}

int draw_stratum_insert(ca_db *db, long round_id, int seq, const char *stratum, long frame_n, long sample_n,
                        ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(db, &s, "INSERT INTO round_stratum(round_id, seq, stratum, frame_n, sample_n)"
                             " VALUES(:round, :seq, :stratum, :N, :n)", err) != CA_OK)
        return CA_ERR;
    stmt_bind_int(&s, ":round", round_id);
    stmt_bind_int(&s, ":seq", seq);
    stmt_bind_text(&s, ":stratum", stratum);
    stmt_bind_int(&s, ":N", frame_n);
    stmt_bind_int(&s, ":n", sample_n);
    int got = stmt_step(&s, err);
    stmt_finalize(&s);
    return got < 0 ? CA_ERR : CA_OK;
}

int draw_case_insert(ca_db *db, long round_id, const round_case_new *c, ca_error *err)
{
    ca_stmt s;
    /* The list keeps its own copy of the case's team and worker, so prune never changes it. */
    if (stmt_prepare(db, &s,
                     "INSERT INTO round_case(round_id, case_id, seq, stratum, plan_type, age_band, team, worker,"
                     " sort_key, frame_n, sample_n, probability, weight) SELECT :round, :case, :seq, :stratum,"
                     " :plan, :band, nullif(sc.team, ''), nullif(sc.worker, ''), :key, :N, :n, :p, :w"
                     " FROM snapshot_case sc WHERE sc.rowid = :row", err) != CA_OK)
        return CA_ERR;
    stmt_bind_int(&s, ":round", round_id);
    stmt_bind_text(&s, ":case", c->case_id);
    stmt_bind_int(&s, ":seq", c->seq);
    stmt_bind_text(&s, ":stratum", c->stratum);
    stmt_bind_text(&s, ":plan", c->plan_type);
    stmt_bind_text(&s, ":band", c->age_band);
    stmt_bind_text(&s, ":key", c->sort_key);
    stmt_bind_int(&s, ":N", c->frame_n);
    stmt_bind_int(&s, ":n", c->sample_n);
    stmt_bind_double(&s, ":p", (double)c->sample_n / (double)c->frame_n);
    stmt_bind_double(&s, ":w", (double)c->frame_n / (double)c->sample_n);
    stmt_bind_int(&s, ":row", c->snapshot_row);
    int got = stmt_step(&s, err);
    stmt_finalize(&s);
    if (got >= 0 && db_changes(db) != 1)
        return ca_fail(err, CA_SYSTEM, "the case row of \"%s\" has gone from its snapshot", c->case_id);
    return got < 0 ? CA_ERR : CA_OK;
}
