#include "audit/store/settings.h"

#include <stdio.h>

#include "audit/store/db.h"

int settings_get(ca_db *db, const char *key, char *buf, size_t len, ca_error *err)
{
    ca_stmt s;
    buf[0] = 0;
    if (stmt_prepare(db, &s, "SELECT value FROM setting WHERE key = :key", err) != CA_OK)
        return CA_ERR;
    stmt_bind_text(&s, ":key", key);
    int got = stmt_step(&s, err);
    if (got == 1)
        snprintf(buf, len, "%s", stmt_text(&s, 0));
    stmt_finalize(&s);
    return got < 0 ? CA_ERR : got;
}

int settings_put(ca_db *db, const char *key, const char *value, ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(db, &s, "INSERT OR REPLACE INTO setting(key, value, entered_at, entered_by)"
                             " VALUES(:key, :value, :now, :by)", err) != CA_OK)
        return CA_ERR;
    char now[32];
    db_now_utc(db, now);
    stmt_bind_text(&s, ":key", key);
    stmt_bind_text(&s, ":value", value);
    stmt_bind_text(&s, ":now", now);
    stmt_bind_text(&s, ":by", db_actor(db));
    int got = stmt_step(&s, err);
    stmt_finalize(&s);
    return got < 0 ? CA_ERR : CA_OK;
}
