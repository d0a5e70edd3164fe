#include "audit/store/sessions.h"

#include <stdio.h>

#include "audit/store/db.h"
#include "audit/store/internal.h"

int password_get(ca_db *db, long person_id, char *hash, size_t len, ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(db, &s, "SELECT hash FROM person_password WHERE person_id = :id", err) != CA_OK)
        return CA_ERR;
    stmt_bind_int(&s, ":id", person_id);
    int got = stmt_step(&s, err);
    if (got == 1)
        snprintf(hash, len, "%s", stmt_text(&s, 0));
    stmt_finalize(&s);
    return got;
}

int password_set(ca_db *db, long person_id, const char *hash, ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(db, &s, "INSERT INTO person_password(person_id, hash, set_at, set_by)"
                             " VALUES(:id, :hash, :now, :by) ON CONFLICT(person_id) DO UPDATE SET"
                             " hash = excluded.hash, set_at = excluded.set_at, set_by = excluded.set_by", err) != CA_OK)
        return CA_ERR;
    char now[32];
    db_now_utc(db, now);
    stmt_bind_int(&s, ":id", person_id);
    stmt_bind_text(&s, ":hash", hash);
    stmt_bind_text(&s, ":now", now);
    stmt_bind_text(&s, ":by", db_actor(db));
    int got = stmt_step(&s, err);
    stmt_finalize(&s);
    return got < 0 ? CA_ERR : CA_OK;
}

int session_insert(ca_db *db, const char *token_hash, long person_id, int64_t now, ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(db, &s, "INSERT INTO session(token_hash, person_id, created, last_seen)"
                             " VALUES(:h, :id, :now, :now)", err) != CA_OK)
        return CA_ERR;
    stmt_bind_text(&s, ":h", token_hash);
    stmt_bind_int(&s, ":id", person_id);
    stmt_bind_int(&s, ":now", now);
    int got = stmt_step(&s, err);
    stmt_finalize(&s);
    return got < 0 ? CA_ERR : CA_OK;
}

int session_find(ca_db *db, const char *token_hash, session_row *out, ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(db, &s, "SELECT s.person_id, p.name, p.roles, p.active, s.created, s.last_seen FROM session s"
                             " JOIN person p ON p.id = s.person_id WHERE s.token_hash = :h AND s.ended IS NULL",
                     err) != CA_OK)
        return CA_ERR;
    stmt_bind_text(&s, ":h", token_hash);
    int got = stmt_step(&s, err);
    if (got == 1) {
        out->person_id = (long)stmt_int(&s, 0);
        snprintf(out->name, sizeof out->name, "%s", stmt_text(&s, 1));
        snprintf(out->roles, sizeof out->roles, "%s", stmt_text(&s, 2));
        out->active = (int)stmt_int(&s, 3);
        out->created = stmt_int(&s, 4);
        out->last_seen = stmt_int(&s, 5);
    }
    stmt_finalize(&s);
    return got;
}

/* Runs an UPDATE or INSERT with :h (text) and :t (integer). */
static int exec_ht(ca_db *db, const char *sql, const char *h, int64_t t, ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(db, &s, sql, err) != CA_OK)
        return CA_ERR;
    stmt_bind_text(&s, ":h", h);
    stmt_bind_int(&s, ":t", t);
    int got = stmt_step(&s, err);
    stmt_finalize(&s);
    return got < 0 ? CA_ERR : CA_OK;
}

int session_touch(ca_db *db, const char *token_hash, int64_t now, ca_error *err)
{
    return exec_ht(db, "UPDATE session SET last_seen = :t WHERE token_hash = :h AND ended IS NULL", token_hash, now,
                   err);
}

int session_end(ca_db *db, const char *token_hash, int64_t now, ca_error *err)
{
    return exec_ht(db, "UPDATE session SET ended = :t WHERE token_hash = :h AND ended IS NULL", token_hash, now, err);
}

/* Runs a statement with the one integer parameter :t. */
static int exec_t(ca_db *db, const char *sql, int64_t t, ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(db, &s, sql, err) != CA_OK)
        return CA_ERR;
    stmt_bind_int(&s, ":t", t);
    int got = stmt_step(&s, err);
    stmt_finalize(&s);
    return got < 0 ? CA_ERR : CA_OK;
}

int sessions_prune(ca_db *db, int64_t now, int64_t max_age, int64_t window, ca_error *err)
{
    if (exec_t(db, "DELETE FROM session WHERE created < :t", now - max_age, err) != CA_OK)
        return CA_ERR;
    return exec_t(db, "DELETE FROM login_failure WHERE at < :t", now - window, err);
}

int login_failure_add(ca_db *db, const char *name_key, int64_t now, ca_error *err)
{
    return exec_ht(db, "INSERT INTO login_failure(name_key, at) VALUES(:h, :t)", name_key, now, err);
}

int login_failures_since(ca_db *db, const char *name_key, int64_t since, long *n, ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(db, &s, "SELECT count(*) FROM login_failure WHERE name_key = :h AND at >= :t", err) != CA_OK)
        return CA_ERR;
    stmt_bind_text(&s, ":h", name_key);
    stmt_bind_int(&s, ":t", since);
    int got = stmt_step(&s, err);
    if (got == 1)
        *n = (long)stmt_int(&s, 0);
    stmt_finalize(&s);
    return got < 0 ? CA_ERR : CA_OK;
}

int login_lock_set(ca_db *db, const char *name_key, int64_t until, ca_error *err)
{
    return exec_ht(db, "INSERT INTO login_lock(name_key, until) VALUES(:h, :t)"
                       " ON CONFLICT(name_key) DO UPDATE SET until = excluded.until", name_key, until, err);
}

int login_lock_get(ca_db *db, const char *name_key, int64_t *until, ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(db, &s, "SELECT until FROM login_lock WHERE name_key = :h", err) != CA_OK)
        return CA_ERR;
    stmt_bind_text(&s, ":h", name_key);
    int got = stmt_step(&s, err);
    *until = got == 1 ? stmt_int(&s, 0) : 0;
    stmt_finalize(&s);
    return got < 0 ? CA_ERR : CA_OK;
}
