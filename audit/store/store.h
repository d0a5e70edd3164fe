/* store.h: the database handle as operations and front ends see it (SPEC §3).
 *
 * The storage layer (audit/store/) is the only code that holds SQL or includes
 * sqlite3.h; everything above it talks to the database through this handle and
 * the per-entity functions of the other headers here (rounds.h, audits.h, ...).
 * A handle is one SQLite connection: use it from one thread at a time; several
 * threads each open their own.
 *
 * The context of a command is passed in, not read from the environment: who is
 * acting (the event log's "by") and what time it is (db_set_clock).
 */
#ifndef CASEAUDIT_STORE_H
#define CASEAUDIT_STORE_H

#include "audit/clock.h"
#include "audit/date.h"
#include "audit/error.h"

typedef struct ca_db ca_db;

enum ca_db_mode {
    CA_DB_EXISTING = 0, /* refuse a missing file */
    CA_DB_CREATE = 1,   /* create it (mode 0600) when missing */
    CA_DB_NETWORK = 2   /* or-ed in: accept a file on a network filesystem */
};

/* Whether a filesystem type (statfs f_type) is a network one: NFS, SMB/CIFS, where
 * SQLite's locking is unreliable (SPEC §3). db_open refuses a database there. */
int db_network_filesystem(long f_type);

/* Opens PATH, refusing a corrupt, foreign or too-new database, or one on a network
 * filesystem unless mode has CA_DB_NETWORK (CA_SYSTEM), without writing to it, then applies pending migrations in one transaction. *created is set
 * to 1 when the file was created (may be NULL). On success *out is owned by the
 * caller: release it with db_close. On error nothing is changed. */
int db_open(ca_db **out, const char *path, enum ca_db_mode mode, int *created, ca_error *err);
void db_close(ca_db *db);
const char *db_path(const ca_db *db);

/* Who is writing, for the event log (the front end's --by, else $USER, else the
 * logged-in person). The string is copied; NULL or "" is "unknown". */
int db_set_actor(ca_db *db, const char *actor);
const char *db_actor(const ca_db *db);

/* What time it is, for the event log and "today" (CA_CLOCK_SYSTEM: the real clock). */
void db_set_clock(ca_db *db, ca_clock clock);
ca_clock db_clock(const ca_db *db);
ca_day db_today(const ca_db *db);
void db_now_utc(const ca_db *db, char buf[32]);

/* The schema version this build writes. */
int db_schema_version(void);

/* Nested transactions. The outermost db_begin is BEGIN IMMEDIATE, so a writer
 * waits (busy timeout) for the write lock up front rather than failing later. */
int db_begin(ca_db *db, ca_error *err);
int db_commit(ca_db *db, ca_error *err);   /* CA_ERR if an inner level rolled back */
/* A read-only view that stays consistent across several queries (BEGIN, deferred:
 * writers are not held up). End it with db_rollback. */
int db_begin_read(ca_db *db, ca_error *err);
void db_rollback(ca_db *db);

/* Appends to the event log: who (the actor), when (the clock), what. round and
 * case_id may be NULL. Must be called inside the command's transaction. */
int db_event(ca_db *db, const char *command, const char *round, const char *case_id,
             const char *detail, ca_error *err);

#endif
