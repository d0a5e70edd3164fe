#include "audit/store/worklist.h"

#include <stdio.h>

#include "audit/store/db.h"
#include "audit/store/internal.h"

/* A round_case row as a worklist row (columns as both queries below select them). */
static int worklist_visit(ca_stmt *s, int (*visit)(void *u, const worklist_row *r), void *u, ca_error *err)
{
    int got, stop = 0;
    while (!stop && (got = stmt_step(s, err)) == 1) {
        worklist_row r = {stmt_text(s, 0), stmt_text(s, 1), stmt_text(s, 2), stmt_text(s, 3),
                          store_text_or_null(s, 4), store_day(s, 5), (int)stmt_int(s, 6), store_day(s, 7)};
        stop = visit(u, &r);
    }
    stmt_finalize(s);
    return stop ? stop : got < 0 ? CA_ERR : CA_OK;
}

/* The auditor is compared as the register spells the name, which is how assign
 * wrote it (round_case_auditor indexes it); one case is found by its key. */
int worklist_auditor(ca_db *db, const char *auditor, const char *round, const char *case_id,
                     int (*visit)(void *u, const worklist_row *r), void *u, ca_error *err)
{
    static const char cols[] = "SELECT r.label, rc.case_id, rc.plan_type, rc.age_band, rc.team, r.due, a.grade,"
                               " a.audit_date FROM round r JOIN round_case rc ON rc.round_id = r.id"
                               " LEFT JOIN audit_current a ON a.round_id = rc.round_id AND a.case_id = rc.case_id";
    char sql[1024];
    snprintf(sql, sizeof sql, "%s WHERE rc.auditor = :who%s", cols,
             round ? " AND r.label = :round AND rc.case_id = :case" : " ORDER BY r.label DESC, rc.seq");
    ca_stmt s;
    if (stmt_prepare(db, &s, sql, err) != CA_OK)
        return CA_ERR;
    stmt_bind_text(&s, ":who", auditor);
    if (round) {
        stmt_bind_text(&s, ":round", round);
        stmt_bind_text(&s, ":case", case_id);
    }
    return worklist_visit(&s, visit, u, err);
}

int worklist_outstanding(ca_db *db, int (*visit)(void *u, const char *auditor, long n), void *u, ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(db, &s, "SELECT rc.auditor, count(*) FROM round_case rc WHERE rc.auditor IS NOT NULL"
                             " AND NOT EXISTS (SELECT 1 FROM audit_current a WHERE a.round_id = rc.round_id"
                             " AND a.case_id = rc.case_id) GROUP BY rc.auditor ORDER BY rc.auditor", err) != CA_OK)
        return CA_ERR;
    int got, stop = 0;
    while (!stop && (got = stmt_step(&s, err)) == 1)
        stop = visit(u, stmt_text(&s, 0), (long)stmt_int(&s, 1));
    stmt_finalize(&s);
    return stop ? stop : got < 0 ? CA_ERR : CA_OK;
}

int audit_history(ca_db *db, long round_id, const char *case_id,
                  int (*visit)(void *u, const audit_history_row *r), void *u, ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(db, &s, "SELECT grade, audit_date, auditor, note, entered_at, entered_by,"
                             " superseded_at IS NULL FROM audit WHERE round_id = :round AND case_id = :case"
                             " ORDER BY id", err) != CA_OK)
        return CA_ERR;
    stmt_bind_int(&s, ":round", round_id);
    stmt_bind_text(&s, ":case", case_id);
    int got, stop = 0;
    while (!stop && (got = stmt_step(&s, err)) == 1) {
        audit_history_row r = {(int)stmt_int(&s, 0), store_day(&s, 1), stmt_text(&s, 2), store_text_or_null(&s, 3),
                               stmt_text(&s, 4),      stmt_text(&s, 5), (int)stmt_int(&s, 6)};
        stop = visit(u, &r);
    }
    stmt_finalize(&s);
    return stop ? stop : got < 0 ? CA_ERR : CA_OK;
}
