#include "audit/action.h"

#include <stdio.h>

int action_done(ca_db *db, long id, ca_day date, ca_error *err)
{
    if (date > date_today()) {
        char uk[CA_DATE_ISO_LEN];
        date_uk(date, uk);
        return ca_fail(err, CA_REFUSED, "the date %s is in the future", uk);
    }
    if (db_begin(db, err) != CA_OK)
        return CA_ERR;
    ca_stmt s;
    int rc = CA_ERR;
    if (stmt_prepare(db, &s, "SELECT a.done_date, a.case_id, r.label FROM action a JOIN round r ON r.id = a.round_id"
                             " WHERE a.id = :id", err) != CA_OK)
        goto done;
    stmt_bind_int(&s, ":id", id);
    int got = stmt_step(&s, err);
    char case_id[256] = "", round[128] = "", was[CA_DATE_ISO_LEN] = "";
    if (got == 1) {
        snprintf(case_id, sizeof case_id, "%s", stmt_text(&s, 1));
        snprintf(round, sizeof round, "%s", stmt_text(&s, 2));
        snprintf(was, sizeof was, "%s", stmt_text(&s, 0));
    }
    stmt_finalize(&s);
    if (got < 0)
        goto done;
    if (got == 0) {
        ca_fail(err, CA_REFUSED, "there is no action %ld (see 'caseaudit actions')", id);
        goto done;
    }
    if (*was) {
        ca_fail(err, CA_REFUSED, "action %ld was already marked done on %s", id, was);
        goto done;
    }
    char iso[CA_DATE_ISO_LEN], uk[CA_DATE_ISO_LEN], now[32], detail[128];
    date_iso(date, iso);
    date_uk(date, uk);
    date_now_utc(now);
    if (stmt_prepare(db, &s, "UPDATE action SET done_date = :d, done_at = :now WHERE id = :id", err) != CA_OK)
        goto done;
    stmt_bind_text(&s, ":d", iso);
    stmt_bind_text(&s, ":now", now);
    stmt_bind_int(&s, ":id", id);
    got = stmt_step(&s, err);
    stmt_finalize(&s);
    if (got < 0)
        goto done;
    snprintf(detail, sizeof detail, "action %ld done on %s", id, uk);
    rc = db_event(db, "action", round, case_id, detail, err);
done:
    if (rc == CA_OK)
        return db_commit(db, err);
    db_rollback(db);
    return CA_ERR;
}
