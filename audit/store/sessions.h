/* sessions.h: what the web front end keeps (SPEC §14), as stored: passwords (an
 * Argon2id string per person), sessions (by the hash of their token, never the
 * token), failed logins and lockouts (by name key). Times are seconds since the
 * epoch by the caller's clock. Writes are inside the caller's transaction.
 */
#ifndef CASEAUDIT_STORE_SESSIONS_H
#define CASEAUDIT_STORE_SESSIONS_H

#include <stddef.h>
#include <stdint.h>

#include "audit/store/store.h"

/* The password string of person ID into hash: 1 when set, 0 when none, CA_ERR. */
int password_get(ca_db *db, long person_id, char *hash, size_t len, ca_error *err);
/* Sets (or replaces) the password string of person ID. */
int password_set(ca_db *db, long person_id, const char *hash, ca_error *err);

/* A live session and its person, as the register holds them now. */
typedef struct session_row {
    long person_id;
    char name[256];
    char roles[64];        /* joined with ';' */
    int active;
    int64_t created, last_seen;
} session_row;

int session_insert(ca_db *db, const char *token_hash, long person_id, int64_t now, ca_error *err);
/* 1 and *out filled when a session with that hash exists and has not ended (the
 * caller decides whether it has expired), 0 when not, CA_ERR. */
int session_find(ca_db *db, const char *token_hash, session_row *out, ca_error *err);
int session_touch(ca_db *db, const char *token_hash, int64_t now, ca_error *err);
int session_end(ca_db *db, const char *token_hash, int64_t now, ca_error *err);

/* Forgets what can no longer matter at NOW: sessions past the absolute limit
 * (created before NOW - max_age) and failures older than NOW - window. Logins and
 * logouts stay in the event log. */
int sessions_prune(ca_db *db, int64_t now, int64_t max_age, int64_t window, ca_error *err);

/* Failed logins for a name key: adds one at NOW, and counts those at or after SINCE. */
int login_failure_add(ca_db *db, const char *name_key, int64_t now, ca_error *err);
int login_failures_since(ca_db *db, const char *name_key, int64_t since, long *n, ca_error *err);
/* The lock of a name key: set until UNTIL; *until 0 when there is none. */
int login_lock_set(ca_db *db, const char *name_key, int64_t until, ca_error *err);
int login_lock_get(ca_db *db, const char *name_key, int64_t *until, ca_error *err);

#endif
