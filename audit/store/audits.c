#include "audit/store/audits.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/store/db.h"
#include "audit/store/internal.h"

void audit_target_free(audit_target *t)
{
    free(t->worker);
    free(t->auditor);
    free(t->team);
    memset(t, 0, sizeof *t);
}

int audit_target_find(ca_db *db, long round_id, const char *case_id, audit_target *out, ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(db, &s, "SELECT rc.worker, rc.auditor, rc.team, (SELECT a.id FROM audit_current a WHERE a.round_id ="
                             " rc.round_id AND a.case_id = rc.case_id) FROM round_case rc"
                             " WHERE rc.round_id = :round AND rc.case_id = :case", err) != CA_OK)
        return CA_ERR;
    stmt_bind_int(&s, ":round", round_id);
    stmt_bind_text(&s, ":case", case_id);
    int got = stmt_step(&s, err);
    if (got == 1) {
        memset(out, 0, sizeof *out);
        if ((!stmt_is_null(&s, 0) && !(out->worker = strdup(stmt_text(&s, 0)))) ||
            (!stmt_is_null(&s, 1) && !(out->auditor = strdup(stmt_text(&s, 1)))) ||
            (!stmt_is_null(&s, 2) && !(out->team = strdup(stmt_text(&s, 2))))) {
            audit_target_free(out);
            got = ca_fail(err, CA_SYSTEM, "out of memory");
        } else {
            out->current = (long)stmt_int(&s, 3);
        }
    }
    stmt_finalize(&s);
    return got;
}

int round_case_zero_twin(ca_db *db, long round_id, const char *case_id, char *twin, size_t len, ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(db, &s, "SELECT case_id FROM round_case WHERE round_id = :round AND case_id GLOB '0*'"
                             " AND ltrim(case_id, '0') = ltrim(:case, '0') LIMIT 1", err) != CA_OK)
        return CA_ERR;
    stmt_bind_int(&s, ":round", round_id);
    stmt_bind_text(&s, ":case", case_id);
    int got = stmt_step(&s, err);
    if (got == 1)
        snprintf(twin, len, "%s", stmt_text(&s, 0));
    stmt_finalize(&s);
    return got;
}

/* Marks record ID of TABLE (audit or moderation) replaced now. */
int store_supersede(ca_db *db, const char *sql, long id, ca_error *err)
{
    char now[32];
    db_now_utc(db, now);
    ca_stmt s;
    if (stmt_prepare(db, &s, sql, err) != CA_OK)
        return CA_ERR;
    stmt_bind_text(&s, ":now", now);
    stmt_bind_int(&s, ":id", id);
    int got = stmt_step(&s, err);
    stmt_finalize(&s);
    return got < 0 ? CA_ERR : CA_OK;
}

int audit_insert(ca_db *db, const audit_new *a, long *id, ca_error *err)
{
    /* The replaced record first: the database keeps one current audit per case. */
    if (a->corrects &&
        store_supersede(db, "UPDATE audit SET superseded_at = :now WHERE id = :id", a->corrects, err) != CA_OK)
        return CA_ERR;
    ca_stmt s;
    if (stmt_prepare(db, &s,
                     "INSERT INTO audit(round_id, case_id, grade, auditor, audit_date, note, corrects, entered_at,"
                     " entered_by, stand_in, stratum, plan_type, age_band, team) SELECT :round, :case, :grade, :auditor,"
                     " :date, :note, :corrects, :now, :by, :stand_in, rc.stratum, rc.plan_type, rc.age_band, rc.team FROM round_case rc"
                     " WHERE rc.round_id = :round AND rc.case_id = :case", err) != CA_OK)
        return CA_ERR;
    char date[CA_DATE_ISO_LEN], now[32];
    date_iso(a->date, date);
    db_now_utc(db, now);
    stmt_bind_int(&s, ":round", a->round_id);
    stmt_bind_text(&s, ":case", a->case_id);
    stmt_bind_int(&s, ":grade", a->grade);
    stmt_bind_text(&s, ":auditor", a->auditor);
    stmt_bind_text(&s, ":date", date);
    stmt_bind_text(&s, ":note", a->note);
    if (a->corrects)
        stmt_bind_int(&s, ":corrects", a->corrects);
    else
        stmt_bind_null(&s, ":corrects");
    stmt_bind_text(&s, ":now", now);
    stmt_bind_text(&s, ":by", db_actor(db));
    stmt_bind_int(&s, ":stand_in", a->stand_in != 0);
    int got = stmt_step(&s, err);
    stmt_finalize(&s);
    if (got < 0)
        return CA_ERR;
    if (db_changes(db) != 1)
        return ca_fail(err, CA_REFUSED, "case \"%s\" is not on the round's list", a->case_id);
    *id = (long)db_last_rowid(db);
    return CA_OK;
}

void audit_recorded_free(audit_recorded *r)
{
    free(r->auditor), free(r->note), free(r->domains), free(r->actions);
    memset(r, 0, sizeof *r);
}

int audit_recorded_find(ca_db *db, long id, audit_recorded *out, ca_error *err)
{
    ca_stmt s;
    memset(out, 0, sizeof *out);
    if (stmt_prepare(db, &s, "SELECT a.grade, a.audit_date, a.auditor, a.note,"
                             " (SELECT coalesce(group_concat(x, ';'), '') FROM (SELECT d.domain || '=' || d.grade AS x"
                             "   FROM audit_domain d WHERE d.audit_id = a.id ORDER BY d.domain)),"
                             " (SELECT coalesce(group_concat(x, ';'), '') FROM (SELECT t.text || '|' || coalesce(t.due, '')"
                             "   AS x FROM action t WHERE t.audit_id = a.id ORDER BY t.id))"
                             " FROM audit a WHERE a.id = :id", err) != CA_OK)
        return CA_ERR;
    stmt_bind_int(&s, ":id", id);
    int got = stmt_step(&s, err);
    if (got == 1) {
        out->grade = (int)stmt_int(&s, 0);
        out->date = store_day(&s, 1);
        out->auditor = strdup(stmt_text(&s, 2));
        out->note = stmt_is_null(&s, 3) ? NULL : strdup(stmt_text(&s, 3));
        out->domains = strdup(stmt_text(&s, 4));
        out->actions = strdup(stmt_text(&s, 5));
        if (!out->auditor || (!stmt_is_null(&s, 3) && !out->note) || !out->domains || !out->actions) {
            audit_recorded_free(out);
            got = ca_fail(err, CA_SYSTEM, "out of memory");
        }
    }
    stmt_finalize(&s);
    return got;
}

int audit_domain_insert(ca_db *db, long audit_id, const char *domain, int grade, ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(db, &s, "INSERT INTO audit_domain(audit_id, domain, grade) VALUES(:audit, :domain, :grade)",
                     err) != CA_OK)
        return CA_ERR;
    stmt_bind_int(&s, ":audit", audit_id);
    stmt_bind_text(&s, ":domain", domain);
    stmt_bind_int(&s, ":grade", grade);
    int got = stmt_step(&s, err);
    stmt_finalize(&s);
    return got < 0 ? CA_ERR : CA_OK;
}

int action_insert(ca_db *db, long audit_id, long round_id, const char *case_id, const char *text, const char *owner,
                  ca_day due, long *id, ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(db, &s, "INSERT INTO action(audit_id, round_id, case_id, text, owner, due, entered_at,"
                             " entered_by) VALUES(:audit, :round, :case, :text, :owner, :due, :now, :by)",
                     err) != CA_OK)
        return CA_ERR;
    char iso[CA_DATE_ISO_LEN], now[32];
    db_now_utc(db, now);
    if (due >= 0)
        date_iso(due, iso);
    stmt_bind_int(&s, ":audit", audit_id);
    stmt_bind_int(&s, ":round", round_id);
    stmt_bind_text(&s, ":case", case_id);
    stmt_bind_text(&s, ":text", text);
    stmt_bind_text(&s, ":owner", owner);
    stmt_bind_text(&s, ":due", due >= 0 ? iso : NULL);
    stmt_bind_text(&s, ":now", now);
    stmt_bind_text(&s, ":by", db_actor(db));
    int got = stmt_step(&s, err);
    stmt_finalize(&s);
    if (got < 0)
        return CA_ERR;
    *id = (long)db_last_rowid(db);
    return CA_OK;
}

int action_find(ca_db *db, long id, ca_day *done, char *case_id, size_t case_len, char *round, size_t round_len,
                ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(db, &s, "SELECT a.done_date, a.case_id, r.label FROM action a JOIN round r ON r.id = a.round_id"
                             " WHERE a.id = :id", err) != CA_OK)
        return CA_ERR;
    stmt_bind_int(&s, ":id", id);
    int got = stmt_step(&s, err);
    if (got == 1) {
        *done = store_day(&s, 0);
        snprintf(case_id, case_len, "%s", stmt_text(&s, 1));
        snprintf(round, round_len, "%s", stmt_text(&s, 2));
    }
    stmt_finalize(&s);
    return got;
}

int action_set_done(ca_db *db, long id, ca_day date, ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(db, &s, "UPDATE action SET done_date = :date, done_at = :now WHERE id = :id", err) != CA_OK)
        return CA_ERR;
    char iso[CA_DATE_ISO_LEN], now[32];
    date_iso(date, iso);
    db_now_utc(db, now);
    stmt_bind_text(&s, ":date", iso);
    stmt_bind_text(&s, ":now", now);
    stmt_bind_int(&s, ":id", id);
    int got = stmt_step(&s, err);
    stmt_finalize(&s);
    return got < 0 ? CA_ERR : CA_OK;
}

int actions_list(ca_db *db, const char *round, int open, int overdue, ca_day today,
                 int (*visit)(void *u, const action_row *r), void *u, ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(db, &s,
                     "SELECT a.id, r.label, a.case_id, a.text, a.owner, a.due, a.done_date, au.auditor"
                     " FROM action a JOIN round r ON r.id = a.round_id JOIN audit au ON au.id = a.audit_id"
                     " WHERE (:round IS NULL OR r.label = :round) AND (:open = 0 OR a.done_date IS NULL)"
                     " AND (:overdue = 0 OR (a.done_date IS NULL AND a.due < :today)) ORDER BY a.id", err) != CA_OK)
        return CA_ERR;
    char iso[CA_DATE_ISO_LEN];
    date_iso(today, iso);
    stmt_bind_text(&s, ":round", round);
    stmt_bind_int(&s, ":open", open);
    stmt_bind_int(&s, ":overdue", overdue);
    stmt_bind_text(&s, ":today", iso);
    int got, stop = 0;
    while (!stop && (got = stmt_step(&s, err)) == 1) {
        action_row r = {(long)stmt_int(&s, 0),      stmt_text(&s, 1), stmt_text(&s, 2), stmt_text(&s, 3),
                        store_text_or_null(&s, 4), stmt_text(&s, 7), store_day(&s, 5), store_day(&s, 6)};
        stop = visit(u, &r);
    }
    stmt_finalize(&s);
    return stop ? stop : got < 0 ? CA_ERR : CA_OK;
}

int domain_insert(ca_db *db, const char *code, const char *label, ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(db, &s, "INSERT INTO domain(code, label, seq) VALUES(:code, :label,"
                             " (SELECT coalesce(max(seq), 0) + 1 FROM domain))", err) != CA_OK)
        return CA_ERR;
    stmt_bind_text(&s, ":code", code);
    stmt_bind_text(&s, ":label", label);
    int got = stmt_step(&s, err);
    stmt_finalize(&s);
    return got < 0 ? CA_ERR : CA_OK;
}
