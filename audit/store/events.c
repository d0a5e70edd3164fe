#include "audit/store/events.h"

#include "audit/store/db.h"
#include "audit/store/internal.h"

int events_list(ca_db *db, const char *case_id, int (*visit)(void *u, const event_row *r), void *u, ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(db, &s, "SELECT at, by, command, round, case_id, detail FROM event"
                             " WHERE :case IS NULL OR case_id = :case ORDER BY id", err) != CA_OK)
        return CA_ERR;
    stmt_bind_text(&s, ":case", case_id);
    int got, stop = 0;
    while (!stop && (got = stmt_step(&s, err)) == 1) {
        event_row r = {stmt_text(&s, 0), stmt_text(&s, 1), stmt_text(&s, 2), stmt_text(&s, 5),
                       store_text_or_null(&s, 3), store_text_or_null(&s, 4)};
        stop = visit(u, &r);
    }
    stmt_finalize(&s);
    return stop ? stop : got < 0 ? CA_ERR : CA_OK;
}
