#include "audit/store/moderations.h"

#include <stdio.h>
#include <string.h>

#include "audit/store/db.h"
#include "audit/store/internal.h"

/* A round, or (round NULL) the audits dated FROM..TO. */
static void bind_scope(ca_stmt *s, const char *round, ca_day from, ca_day to)
{
    char f[CA_DATE_ISO_LEN] = "", t[CA_DATE_ISO_LEN] = "";
    if (!round) {
        date_iso(from, f);
        date_iso(to, t);
    }
    stmt_bind_text(s, ":round", round);
    stmt_bind_text(s, ":from", f);
    stmt_bind_text(s, ":to", t);
}

int moderation_picks(ca_db *db, const char *round, ca_day from, ca_day to, int pending,
                    int (*visit)(void *u, const moderation_list_row *r), void *u, ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(db, &s,
                     "SELECT r.label, k.case_id, rc.plan_type, rc.age_band, rc.team, a.auditor, a.grade, a.audit_date,"
                     " m.grade, m.moderator, m.moderation_date, m.reason, m.audit_id IS NOT NULL AND m.audit_id <> a.id"
                     " FROM moderation_pick k JOIN round r ON r.id = k.round_id"
                     " JOIN round_case rc ON rc.round_id = k.round_id AND rc.case_id = k.case_id"
                     " JOIN audit_current a ON a.round_id = k.round_id AND a.case_id = k.case_id"
                     " LEFT JOIN moderation_current m ON m.round_id = k.round_id AND m.case_id = k.case_id"
                     " WHERE ((:round IS NOT NULL AND r.label = :round) OR (:round IS NULL AND a.audit_date BETWEEN"
                     "   :from AND :to)) AND (:pending = 0 OR m.id IS NULL)"
                     " ORDER BY r.label, rc.seq", err) != CA_OK)
        return CA_ERR;
    bind_scope(&s, round, from, to);
    stmt_bind_int(&s, ":pending", pending);
    int got, stop = 0;
    while (!stop && (got = stmt_step(&s, err)) == 1) {
        moderation_list_row r = {
            stmt_text(&s, 0),           stmt_text(&s, 1),           store_text_or_null(&s, 2),
            store_text_or_null(&s, 3),  store_text_or_null(&s, 4),  stmt_text(&s, 5),
            (int)stmt_int(&s, 6),       store_day(&s, 7),           (int)stmt_int(&s, 8),
            store_text_or_null(&s, 9),  store_text_or_null(&s, 11), store_day(&s, 10),
            (int)stmt_int(&s, 12),
        };
        stop = visit(u, &r);
    }
    stmt_finalize(&s);
    return stop ? stop : got < 0 ? CA_ERR : CA_OK;
}

/* The columns both lookups read, and how they fill a target. */
#define TARGET_COLUMNS                                                                                              \
    "SELECT a.round_id, a.id, a.grade, a.auditor, a.audit_date, m.id, EXISTS (SELECT 1 FROM moderation_pick k"      \
    " WHERE k.round_id = a.round_id AND k.case_id = a.case_id), r.label, m.grade, m.moderator, m.moderation_date,"   \
    " m.reason FROM audit_current a JOIN round r ON r.id = a.round_id LEFT JOIN moderation_current m"                \
    " ON m.round_id = a.round_id AND m.case_id = a.case_id "

static void target_read(ca_stmt *s, moderation_target *out)
{
    memset(out, 0, sizeof *out);
    out->round_id = (long)stmt_int(s, 0);
    out->audit_id = (long)stmt_int(s, 1);
    out->audited = (int)stmt_int(s, 2);
    snprintf(out->auditor, sizeof out->auditor, "%s", stmt_text(s, 3));
    out->audit_date = store_day(s, 4);
    out->previous = (long)stmt_int(s, 5);
    out->planned = (int)stmt_int(s, 6);
    snprintf(out->round, sizeof out->round, "%s", stmt_text(s, 7));
    out->prev_grade = (int)stmt_int(s, 8);
    snprintf(out->prev_moderator, sizeof out->prev_moderator, "%s", stmt_text(s, 9));
    out->prev_date = store_day(s, 10);
    snprintf(out->prev_reason, sizeof out->prev_reason, "%s", stmt_text(s, 11));
}

int moderation_target_find(ca_db *db, const char *round, const char *case_id, moderation_target *out,
                           ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(db, &s, TARGET_COLUMNS "WHERE r.label = :round AND a.case_id = :case", err) != CA_OK)
        return CA_ERR;
    char month[8]; /* a monthly label as a spreadsheet wrote it is that month's round */
    stmt_bind_text(&s, ":round", date_month_label(round, month) == CA_OK ? month : round);
    stmt_bind_text(&s, ":case", case_id);
    int got = stmt_step(&s, err);
    if (got == 1)
        target_read(&s, out);
    stmt_finalize(&s);
    return got;
}

int moderation_target_find_dated(ca_db *db, ca_day from, ca_day to, const char *case_id, moderation_target *out,
                                 ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(db, &s, TARGET_COLUMNS "WHERE a.case_id = :case AND a.audit_date BETWEEN :from AND :to"
                             " ORDER BY r.label", err) != CA_OK)
        return CA_ERR;
    char f[CA_DATE_ISO_LEN], t[CA_DATE_ISO_LEN];
    date_iso(from, f);
    date_iso(to, t);
    stmt_bind_text(&s, ":case", case_id);
    stmt_bind_text(&s, ":from", f);
    stmt_bind_text(&s, ":to", t);
    int got, n = 0;
    while ((got = stmt_step(&s, err)) == 1)
        if (n++ == 0)
            target_read(&s, out);
    stmt_finalize(&s);
    return got < 0 ? CA_ERR : n;
}

int pick_count(ca_db *db, const char *round, ca_day from, ca_day to, long *n, ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(db, &s, "SELECT count(*) FROM moderation_pick k JOIN round r ON r.id = k.round_id"
                             " JOIN audit_current a ON a.round_id = k.round_id AND a.case_id = k.case_id"
                             " WHERE (:round IS NOT NULL AND r.label = :round) OR (:round IS NULL AND a.audit_date"
                             "   BETWEEN :from AND :to)", err) != CA_OK)
        return CA_ERR;
    bind_scope(&s, round, from, to);
    int got = stmt_step(&s, err);
    if (got == 1)
        *n = (long)stmt_int(&s, 0);
    stmt_finalize(&s);
    return got == 1 ? CA_OK : CA_ERR;
}

int moderation_insert(ca_db *db, const moderation_new *m, ca_error *err)
{
    /* The replaced outcome first: the database keeps one current outcome per case. */
    if (m->corrects &&
        store_supersede(db, "UPDATE moderation SET superseded_at = :now WHERE id = :id", m->corrects, err) != CA_OK)
        return CA_ERR;
    ca_stmt s;
    if (stmt_prepare(db, &s, "INSERT INTO moderation(round_id, case_id, audit_id, grade, moderator, moderation_date,"
                             " reason, planned, corrects, entered_at, entered_by) VALUES(:round, :case, :audit,"
                             " :grade, :moderator, :date, :reason, :planned, :corrects, :now, :by)", err) != CA_OK)
        return CA_ERR;
    char iso[CA_DATE_ISO_LEN], now[32];
    date_iso(m->date, iso);
    db_now_utc(db, now);
    stmt_bind_int(&s, ":round", m->round_id);
    stmt_bind_text(&s, ":case", m->case_id);
    stmt_bind_int(&s, ":audit", m->audit_id);
    stmt_bind_int(&s, ":grade", m->grade);
    stmt_bind_text(&s, ":moderator", m->moderator);
    stmt_bind_text(&s, ":date", iso);
    stmt_bind_text(&s, ":reason", m->reason);
    stmt_bind_int(&s, ":planned", m->planned);
    if (m->corrects)
        stmt_bind_int(&s, ":corrects", m->corrects);
    else
        stmt_bind_null(&s, ":corrects");
    stmt_bind_text(&s, ":now", now);
    stmt_bind_text(&s, ":by", db_actor(db));
    int got = stmt_step(&s, err);
    stmt_finalize(&s);
    return got < 0 ? CA_ERR : CA_OK;
}

int pick_candidates(ca_db *db, const char *round, ca_day from, ca_day to,
                    int (*visit)(void *u, const pick_candidate_row *r), void *u, ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(db, &s,
                     "SELECT a.round_id, r.label, a.case_id, a.auditor, a.grade FROM audit_current a"
                     " JOIN round r ON r.id = a.round_id"
                     " WHERE ((:round IS NOT NULL AND r.label = :round) OR (:round IS NULL AND a.audit_date"
                     "   BETWEEN :from AND :to))"
                     " AND NOT EXISTS (SELECT 1 FROM moderation m WHERE m.round_id = a.round_id AND m.case_id = a.case_id)"
                     " AND NOT EXISTS (SELECT 1 FROM moderation_pick k WHERE k.round_id = a.round_id"
                     "   AND k.case_id = a.case_id)"
                     " ORDER BY a.round_id, a.case_id", err) != CA_OK)
        return CA_ERR;
    bind_scope(&s, round, from, to);
    int got, stop = 0;
    while (!stop && (got = stmt_step(&s, err)) == 1) {
        pick_candidate_row r = {(long)stmt_int(&s, 0), stmt_text(&s, 1), stmt_text(&s, 2), stmt_text(&s, 3),
                                (int)stmt_int(&s, 4)};
        stop = visit(u, &r);
    }
    stmt_finalize(&s);
    return stop ? stop : got < 0 ? CA_ERR : CA_OK;
}

int pick_insert(ca_db *db, long round_id, const char *case_id, const char *why, const char *seed_hex,
                ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(db, &s, "INSERT INTO moderation_pick(round_id, case_id, reason, seed, entered_at, entered_by)"
                             " VALUES(:round, :case, :why, :seed, :now, :by)", err) != CA_OK)
        return CA_ERR;
    char now[32];
    db_now_utc(db, now);
    stmt_bind_int(&s, ":round", round_id);
    stmt_bind_text(&s, ":case", case_id);
    stmt_bind_text(&s, ":why", why);
    stmt_bind_text(&s, ":seed", seed_hex);
    stmt_bind_text(&s, ":now", now);
    stmt_bind_text(&s, ":by", db_actor(db));
    int got = stmt_step(&s, err);
    stmt_finalize(&s);
    return got < 0 ? CA_ERR : CA_OK;
}
