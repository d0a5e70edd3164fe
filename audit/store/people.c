#include "audit/store/people.h"

#include "audit/store/db.h"
#include "audit/store/internal.h"

int people_each(ca_db *db, int (*visit)(void *u, const person_row *r), void *u, ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(db, &s, "SELECT id, name, name_key, teams, roles, email, capacity, active FROM person"
                             " ORDER BY name_key", err) != CA_OK)
        return CA_ERR;
    int got, stop = 0;
    while (!stop && (got = stmt_step(&s, err)) == 1) {
        person_row r = {(long)stmt_int(&s, 0), stmt_text(&s, 1), stmt_text(&s, 2), stmt_text(&s, 3),
                        stmt_text(&s, 4), store_text_or_null(&s, 5),
                        stmt_is_null(&s, 6) ? -1 : (long)stmt_int(&s, 6), (int)stmt_int(&s, 7)};
        stop = visit(u, &r);
    }
    stmt_finalize(&s);
    return stop ? stop : got < 0 ? CA_ERR : CA_OK;
}

int person_write(ca_db *db, long id, const person_row *r, ca_error *err)
{
    ca_stmt s;
    const char *sql = id ? "UPDATE person SET name = :name, name_key = :key, teams = :teams, roles = :roles,"
                           " email = :email, capacity = :cap, active = :active, updated_at = :now WHERE id = :id"
                         : "INSERT INTO person(name, name_key, teams, roles, email, capacity, active, entered_at,"
                           " entered_by) VALUES(:name, :key, :teams, :roles, :email, :cap, :active, :now, :by)";
    if (stmt_prepare(db, &s, sql, err) != CA_OK)
        return CA_ERR;
    char now[32];
    db_now_utc(db, now);
    stmt_bind_text(&s, ":name", r->name);
    stmt_bind_text(&s, ":key", r->name_key);
    stmt_bind_text(&s, ":teams", r->teams);
    stmt_bind_text(&s, ":roles", r->roles);
    stmt_bind_text(&s, ":email", r->email);
    if (r->capacity >= 0)
        stmt_bind_int(&s, ":cap", r->capacity);
    else
        stmt_bind_null(&s, ":cap");
    stmt_bind_int(&s, ":active", r->active != 0);
    stmt_bind_text(&s, ":now", now);
    if (id)
        stmt_bind_int(&s, ":id", id);
    else
        stmt_bind_text(&s, ":by", db_actor(db));
    int got = stmt_step(&s, err);
    stmt_finalize(&s);
    return got < 0 ? CA_ERR : CA_OK;
}

int latest_snapshot_teams(ca_db *db, int *have, int (*visit)(void *u, const char *team), void *u, ca_error *err)
{
    int64_t n = 0;
    if (db_int(db, &n, "SELECT count(*) FROM snapshot_latest", err) != CA_OK)
        return CA_ERR;
    *have = n > 0;
    ca_stmt s;
    if (stmt_prepare(db, &s, "SELECT DISTINCT c.team FROM snapshot n JOIN snapshot_case c ON c.rowid BETWEEN n.first_row"
                             " AND n.last_row WHERE n.id = (SELECT id FROM snapshot_latest) AND c.snapshot_id = n.id"
                             " AND c.team IS NOT NULL AND trim(c.team) <> '' ORDER BY c.team", err) != CA_OK)
        return CA_ERR;
    int got, stop = 0;
    while (!stop && (got = stmt_step(&s, err)) == 1)
        stop = visit(u, stmt_text(&s, 0));
    stmt_finalize(&s);
    return stop ? stop : got < 0 ? CA_ERR : CA_OK;
}
