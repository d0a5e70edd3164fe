#include "audit/store/moderations.h"

#include "audit/store/db.h"
#include "audit/store/internal.h"

int moderation_picks(ca_db *db, const char *round, ca_day from, ca_day to, int pending,
                    int (*visit)(void *u, const moderation_list_row *r), void *u, ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(db, &s,
                     "SELECT r.label, k.case_id, rc.plan_type, rc.age_band, rc.team, a.auditor, a.grade, a.audit_date,"
                     " m.grade, m.moderator, m.moderation_date, m.reason"
                     " FROM moderation_pick k JOIN round r ON r.id = k.round_id"
                     " JOIN round_case rc ON rc.round_id = k.round_id AND rc.case_id = k.case_id"
                     " JOIN audit_current a ON a.round_id = k.round_id AND a.case_id = k.case_id"
                     " LEFT JOIN moderation_current m ON m.round_id = k.round_id AND m.case_id = k.case_id"
                     " WHERE ((:round IS NOT NULL AND r.label = :round) OR (:round IS NULL AND a.audit_date BETWEEN"
                     "   :from AND :to)) AND (:pending = 0 OR m.id IS NULL)"
                     " ORDER BY r.label, rc.seq", err) != CA_OK)
        return CA_ERR;
    char f[CA_DATE_ISO_LEN] = "", t[CA_DATE_ISO_LEN] = "";
    if (!round) {
        date_iso(from, f);
        date_iso(to, t);
    }
    stmt_bind_text(&s, ":round", round);
    stmt_bind_text(&s, ":from", f);
    stmt_bind_text(&s, ":to", t);
    stmt_bind_int(&s, ":pending", pending);
    int got, stop = 0;
    while (!stop && (got = stmt_step(&s, err)) == 1) {
        moderation_list_row r = {
            stmt_text(&s, 0),           stmt_text(&s, 1),           store_text_or_null(&s, 2),
            store_text_or_null(&s, 3),  store_text_or_null(&s, 4),  stmt_text(&s, 5),
            (int)stmt_int(&s, 6),       store_day(&s, 7),           (int)stmt_int(&s, 8),
            store_text_or_null(&s, 9),  store_text_or_null(&s, 11), store_day(&s, 10),
        };
        stop = visit(u, &r);
    }
    stmt_finalize(&s);
    return stop ? stop : got < 0 ? CA_ERR : CA_OK;
}
