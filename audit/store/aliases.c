#include "audit/store/aliases.h"

#include "audit/store/db.h"

int aliases_list(ca_db *db, int (*visit)(void *u, const alias_row *r), void *u, ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(db, &s, "SELECT kind, spelling, match, target FROM alias ORDER BY kind, match", err) != CA_OK)
        return CA_ERR;
    int got, stop = 0;
    while (!stop && (got = stmt_step(&s, err)) == 1) {
        alias_row r = {stmt_text(&s, 0), stmt_text(&s, 1), stmt_text(&s, 2), stmt_text(&s, 3)};
        stop = visit(u, &r);
    }
    stmt_finalize(&s);
    return stop ? stop : got < 0 ? CA_ERR : CA_OK;
}

int alias_put(ca_db *db, const alias_row *r, ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(db, &s, "INSERT OR REPLACE INTO alias(kind, match, spelling, target, entered_at, entered_by)"
                             " VALUES(:kind, :match, :spelling, :target, :now, :by)", err) != CA_OK)
        return CA_ERR;
    char now[32];
    db_now_utc(db, now);
    stmt_bind_text(&s, ":kind", r->kind);
    stmt_bind_text(&s, ":match", r->match);
    stmt_bind_text(&s, ":spelling", r->spelling);
    stmt_bind_text(&s, ":target", r->target);
    stmt_bind_text(&s, ":now", now);
    stmt_bind_text(&s, ":by", db_actor(db));
    int got = stmt_step(&s, err);
    stmt_finalize(&s);
    return got < 0 ? CA_ERR : CA_OK;
}

int alias_delete(ca_db *db, const char *kind, const char *match, ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(db, &s, "DELETE FROM alias WHERE kind = :kind AND match = :match", err) != CA_OK)
        return CA_ERR;
    stmt_bind_text(&s, ":kind", kind);
    stmt_bind_text(&s, ":match", match);
    int got = stmt_step(&s, err);
    stmt_finalize(&s);
    return got < 0 ? CA_ERR : db_changes(db) > 0;
}
