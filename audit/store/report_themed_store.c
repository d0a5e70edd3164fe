/* report_themed_store.c: the themed rounds' audits for the report (see report_themed_store.h). */
#include "audit/store/report_themed_store.h"

#include "audit/store/db.h"

int rs_themed_each(ca_db *db, const rs_scope *sc, int (*fn)(void *ctx, const rs_themed_audit *a), void *ctx,
                   ca_error *err)
{
    ca_stmt s = {0};
    /* The outcome is the one current as at then, paired with the audit record it judged (SPEC §8). */
    if (stmt_prepare(db, &s,
                     "SELECT r.id, r.label, r.theme, coalesce(r.theme_filter, ''),"
                     " (SELECT coalesce(sum(frame_n), 0) FROM round_stratum WHERE round_id = r.id),"
                     " (SELECT coalesce(sum(sample_n), 0) FROM round_stratum WHERE round_id = r.id),"
                     " a.grade, coalesce(m.grade, 0), coalesce(j.grade, 0)"
                     " FROM audit a JOIN round r ON r.id = a.round_id AND r.theme IS NOT NULL"
                     " LEFT JOIN moderation m ON m.round_id = a.round_id AND m.case_id = a.case_id"
                     "  AND m.entered_at < :asat AND (m.superseded_at IS NULL OR m.superseded_at >= :asat)"
                     " LEFT JOIN audit j ON j.id = m.audit_id"
                     " WHERE a.audit_date BETWEEN :from AND :to AND a.entered_at < :asat"
                     " AND (a.superseded_at IS NULL OR a.superseded_at >= :asat)"
                     " ORDER BY r.label, r.id", err) != CA_OK)
        return CA_ERR;
    stmt_bind_text(&s, ":asat", sc->asat);
    stmt_bind_text(&s, ":from", sc->from);
    stmt_bind_text(&s, ":to", sc->to);
    int got;
    while ((got = stmt_step(&s, err)) == 1) {
        rs_themed_audit a = {stmt_int(&s, 0),        stmt_text(&s, 1),      stmt_text(&s, 2),
                             stmt_text(&s, 3),       (long)stmt_int(&s, 4), (long)stmt_int(&s, 5),
                             (int)stmt_int(&s, 6),   (int)stmt_int(&s, 7),  (int)stmt_int(&s, 8)};
        if (fn(ctx, &a) != CA_OK) {
            got = -1;
            break;
        }
    }
    stmt_finalize(&s);
    return got < 0 ? CA_ERR : CA_OK;
}
