#include "audit/store/rounds.h"

#include <stdio.h>
#include <string.h>

#include "audit/store/db.h"
#include "audit/store/internal.h"

/* A date column read back: ISO text, or -1 when NULL or unreadable. */
ca_day store_day(ca_stmt *s, int col)
{
    char why[160];
    ca_day d;
    if (stmt_is_null(s, col) || date_parse(stmt_text(s, col), &d, why, sizeof why) != CA_OK)
        return -1;
    return d;
}

const char *store_text_or_null(ca_stmt *s, int col)
{
    return stmt_is_null(s, col) ? NULL : stmt_text(s, col);
}

int round_by_label(ca_db *db, const char *label, round_info *out, ca_error *err)
{
    /* A monthly label as a spreadsheet wrote it (Nov-26, 01/11/2026...) is that month's round. */
    char month[8];
    const char *given = label;
    if (date_month_label(label, month) == CA_OK)
        label = month;
    ca_stmt s;
    if (stmt_prepare(db, &s, "SELECT r.id, r.label, r.snapshot_id, sn.as_of, r.seed, r.due FROM round r"
                             " JOIN snapshot sn ON sn.id = r.snapshot_id WHERE r.label = :label", err) != CA_OK)
        return CA_ERR;
    stmt_bind_text(&s, ":label", label);
    int got = stmt_step(&s, err);
    if (got == 1) {
        memset(out, 0, sizeof *out);
        out->id = (long)stmt_int(&s, 0);
        snprintf(out->label, sizeof out->label, "%s", stmt_text(&s, 1));
        out->snapshot_id = (long)stmt_int(&s, 2);
        out->as_of = store_day(&s, 3);
        snprintf(out->seed, sizeof out->seed, "%s", stmt_text(&s, 4));
        out->due = store_day(&s, 5);
    }
    stmt_finalize(&s);
    if (got == 0)
        return ca_fail(err, CA_REFUSED, "there is no round '%s' (see 'caseaudit rounds')", given);
    return got == 1 ? CA_OK : CA_ERR;
}

int round_strata(ca_db *db, long round_id, int (*visit)(void *u, const round_stratum_row *r), void *u,
                 ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(db, &s, "SELECT stratum, frame_n, sample_n FROM round_stratum WHERE round_id = :round"
                             " ORDER BY seq", err) != CA_OK)
        return CA_ERR;
    stmt_bind_int(&s, ":round", round_id);
    int got, stop = 0;
    while (!stop && (got = stmt_step(&s, err)) == 1) {
        round_stratum_row r = {stmt_text(&s, 0), (long)stmt_int(&s, 1), (long)stmt_int(&s, 2)};
        stop = visit(u, &r);
    }
    stmt_finalize(&s);
    return stop ? stop : got < 0 ? CA_ERR : CA_OK;
}

int round_cases(ca_db *db, long round_id, int (*visit)(void *u, const round_case_row *r), void *u,
                ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(db, &s, "SELECT case_id, plan_type, age_band, team, worker, auditor, stratum, probability,"
                             " weight FROM round_case WHERE round_id = :round ORDER BY seq", err) != CA_OK)
        return CA_ERR;
    stmt_bind_int(&s, ":round", round_id);
    int got, stop = 0;
    while (!stop && (got = stmt_step(&s, err)) == 1) {
        round_case_row r = {
            store_text_or_null(&s, 0), store_text_or_null(&s, 1), store_text_or_null(&s, 2),
            store_text_or_null(&s, 3), store_text_or_null(&s, 4), store_text_or_null(&s, 5),
            stmt_text(&s, 6),          stmt_double(&s, 7),        stmt_double(&s, 8),
        };
        stop = visit(u, &r);
    }
    stmt_finalize(&s);
    return stop ? stop : got < 0 ? CA_ERR : CA_OK;
}

int rounds_progress(ca_db *db, ca_day today, int (*visit)(void *u, const round_progress_row *r), void *u,
                    ca_error *err)
{
    static const char sql[] =
        "SELECT r.label, r.snapshot_id, s.as_of, r.seed, r.due,"
        " (SELECT count(*) FROM round_case rc WHERE rc.round_id = r.id),"
        " (SELECT count(*) FROM audit_current a WHERE a.round_id = r.id),"
        " CASE WHEN r.due < :today THEN (SELECT count(*) FROM round_case rc WHERE rc.round_id = r.id AND NOT EXISTS"
        "   (SELECT 1 FROM audit a WHERE a.round_id = rc.round_id AND a.case_id = rc.case_id)) ELSE 0 END,"
        " (SELECT count(*) FROM moderation_current m WHERE m.round_id = r.id), r.theme"
        " FROM round r JOIN snapshot s ON s.id = r.snapshot_id ORDER BY r.label";
    ca_stmt s;
    if (stmt_prepare(db, &s, sql, err) != CA_OK)
        return CA_ERR;
    char iso[CA_DATE_ISO_LEN];
    date_iso(today, iso);
    stmt_bind_text(&s, ":today", iso);
    int got, stop = 0;
    while (!stop && (got = stmt_step(&s, err)) == 1) {
        round_progress_row r = {stmt_text(&s, 0),        stmt_text(&s, 3),        (long)stmt_int(&s, 1),
                                store_day(&s, 2),         store_day(&s, 4),         (long)stmt_int(&s, 5),
                                (long)stmt_int(&s, 6),    (long)stmt_int(&s, 7),    (long)stmt_int(&s, 8),
                                stmt_is_null(&s, 9) ? NULL : stmt_text(&s, 9)};
        stop = visit(u, &r);
    }
    stmt_finalize(&s);
    return stop ? stop : got < 0 ? CA_ERR : CA_OK;
}

/* The rounds in scope (see rounds.h): :round, :all. */
#define OUTSTANDING_SCOPE                                                                                       \
    " (:round > 0 AND r.id = :round OR :round <= 0 AND (:all OR EXISTS (SELECT 1 FROM round_case u"             \
    " WHERE u.round_id = r.id AND NOT EXISTS (SELECT 1 FROM audit_current x"                                   \
    " WHERE x.round_id = u.round_id AND x.case_id = u.case_id))))"
#define OUTSTANDING_ORDER " ORDER BY r.label, rc.auditor IS NULL, rc.auditor COLLATE NOCASE, rc.auditor"

static void bind_scope(ca_stmt *s, long round_id, int all)
{
    stmt_bind_int(s, ":round", round_id);
    stmt_bind_int(s, ":all", all != 0);
}

int rounds_outstanding(ca_db *db, long round_id, int all, ca_day today,
                       int (*visit)(void *u, const round_outstanding_row *r), void *u, ca_error *err)
{
    static const char sql[] =
        "SELECT r.label, rc.auditor, r.due, count(*), count(a.id) FROM round r"
        " JOIN round_case rc ON rc.round_id = r.id"
        " LEFT JOIN audit_current a ON a.round_id = rc.round_id AND a.case_id = rc.case_id"
        " WHERE" OUTSTANDING_SCOPE " GROUP BY r.id, rc.auditor" OUTSTANDING_ORDER;
    ca_stmt s;
    if (stmt_prepare(db, &s, sql, err) != CA_OK)
        return CA_ERR;
    bind_scope(&s, round_id, all);
    int got, stop = 0;
    while (!stop && (got = stmt_step(&s, err)) == 1) {
        round_outstanding_row r = {stmt_text(&s, 0), store_text_or_null(&s, 1), store_day(&s, 2),
                             (long)stmt_int(&s, 3), (long)stmt_int(&s, 4), 0, 0, 0};
        r.outstanding = r.allocated - r.returned;
        r.has_due = r.due >= 0;
        r.days_overdue = r.has_due ? (long)(today - r.due) : 0;
        stop = visit(u, &r);
    }
    stmt_finalize(&s);
    return stop ? stop : got < 0 ? CA_ERR : CA_OK;
}

int rounds_outstanding_cases(ca_db *db, long round_id, int all, ca_day today,
                             int (*visit)(void *u, const round_outstanding_case_row *r), void *u, ca_error *err)
{
    static const char sql[] =
        "SELECT r.label, rc.case_id, rc.auditor, r.due FROM round r JOIN round_case rc ON rc.round_id = r.id"
        " WHERE" OUTSTANDING_SCOPE " AND NOT EXISTS (SELECT 1 FROM audit_current a"
        " WHERE a.round_id = rc.round_id AND a.case_id = rc.case_id)" OUTSTANDING_ORDER ", rc.seq";
    ca_stmt s;
    if (stmt_prepare(db, &s, sql, err) != CA_OK)
        return CA_ERR;
    bind_scope(&s, round_id, all);
    int got, stop = 0;
    while (!stop && (got = stmt_step(&s, err)) == 1) {
        round_outstanding_case_row r = {stmt_text(&s, 0), stmt_text(&s, 1), store_text_or_null(&s, 2), store_day(&s, 3),
                                  0, 0};
        r.has_due = r.due >= 0;
        r.days_overdue = r.has_due ? (long)(today - r.due) : 0;
        stop = visit(u, &r);
    }
    stmt_finalize(&s);
    return stop ? stop : got < 0 ? CA_ERR : CA_OK;
}

int domains_list(ca_db *db, int (*visit)(void *u, const char *code, const char *label), void *u, ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(db, &s, "SELECT code, label FROM domain ORDER BY seq", err) != CA_OK)
        return CA_ERR;
    int got, stop = 0;
    while (!stop && (got = stmt_step(&s, err)) == 1)
        stop = visit(u, stmt_text(&s, 0), stmt_text(&s, 1));
    stmt_finalize(&s);
    return stop ? stop : got < 0 ? CA_ERR : CA_OK;
}

int round_grades(ca_db *db, long round_id, long *n, ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(db, &s, "SELECT count(*) FROM audit WHERE round_id = :round", err) != CA_OK)
        return CA_ERR;
    stmt_bind_int(&s, ":round", round_id);
    int got = stmt_step(&s, err);
    if (got == 1)
        *n = (long)stmt_int(&s, 0);
    stmt_finalize(&s);
    return got == 1 ? CA_OK : CA_ERR;
}

int round_remove(ca_db *db, long round_id, ca_error *err)
{
    /* round_stratum and round_case go with the round (ON DELETE CASCADE); picks name its cases. */
    static const char *const sql[] = {
        "DELETE FROM moderation_pick WHERE round_id = :round",
        "DELETE FROM round WHERE id = :round",
    };
    for (size_t i = 0; i < sizeof sql / sizeof *sql; i++) {
        ca_stmt s;
        if (stmt_prepare(db, &s, sql[i], err) != CA_OK)
            return CA_ERR;
        stmt_bind_int(&s, ":round", round_id);
        int got = stmt_step(&s, err);
        stmt_finalize(&s);
        if (got < 0)
            return CA_ERR;
    }
    return CA_OK;
}
