/* db.h: the one SQLite database (SPEC §3), after Fossil's db.c.
 *
 * A thin statement wrapper (prepare, bind by name, step, finalize), nested
 * transactions (only the outermost one talks to SQLite; a rollback at any depth
 * dooms the whole), numbered migrations kept as C strings in schema.c, and the
 * append-only event log. Every SQL value goes through a bound parameter.
 */
#ifndef CASEAUDIT_DB_H
#define CASEAUDIT_DB_H

#include <sqlite3.h>
#include <stdint.h>

#include "audit/error.h"

typedef struct ca_db ca_db;

enum ca_db_mode {
    CA_DB_EXISTING = 0, /* refuse a missing file */
    CA_DB_CREATE = 1    /* create it (mode 0600) when missing */
};

/* Opens PATH, refusing a corrupt, foreign or too-new database (CA_SYSTEM) without
 * writing to it, then applies pending migrations in one transaction.
 * On success *out is owned by the caller: release it with db_close. */
int db_open(ca_db **out, const char *path, enum ca_db_mode mode, ca_error *err);
void db_close(ca_db *db);
sqlite3 *db_handle(ca_db *db);
const char *db_path(const ca_db *db);

/* Who is writing, for the event log (--by, else $USER). The string is copied. */
void db_set_actor(ca_db *db, const char *actor);
const char *db_actor(const ca_db *db);

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

/* Turns foreign-key enforcement on or off for the statements that follow. SQLite
 * allows it only outside a transaction: returns 1 when it changed, 0 when inside
 * one (nothing changed). Foreign keys are on unless a bulk writer turns them off
 * for rows that are right by construction, and back on when it is done. */
int db_foreign_keys(ca_db *db, int on);

/* Runs SQL with no parameters (schema, pragmas). */
int db_exec(ca_db *db, const char *sql, ca_error *err);

/* A prepared statement. Bind by name (":name"); binding a name the statement
 * does not have is a programming error reported by the next stmt_step. */
enum { CA_STMT_NAMES = 24 };
typedef struct ca_stmt {
    sqlite3_stmt *st;
    ca_db *db;
    const char *bad_bind;
    /* Parameter indexes by the address of the name: the names are string literals,
     * and SQLite's own lookup compares strings, which shows in a million-row import. */
    const char *names[CA_STMT_NAMES];
    int index[CA_STMT_NAMES];
    int nnames;
} ca_stmt;

int stmt_prepare(ca_db *db, ca_stmt *s, const char *sql, ca_error *err);
void stmt_bind_text(ca_stmt *s, const char *name, const char *value);  /* NULL binds NULL */
void stmt_bind_int(ca_stmt *s, const char *name, int64_t value);
void stmt_bind_double(ca_stmt *s, const char *name, double value);
void stmt_bind_null(ca_stmt *s, const char *name);
/* Returns 1 for a row, 0 when done, CA_ERR (err filled) on failure. */
int stmt_step(ca_stmt *s, ca_error *err);
void stmt_reset(ca_stmt *s);     /* reset and clear bindings, for the next row */
void stmt_finalize(ca_stmt *s);  /* safe on a zeroed or finalized statement */
const char *stmt_text(ca_stmt *s, int col);   /* "" for NULL; valid until the next step */
int64_t stmt_int(ca_stmt *s, int col);
double stmt_double(ca_stmt *s, int col);
int stmt_is_null(ca_stmt *s, int col);

/* Runs a statement that returns one integer (e.g. SELECT count(*)); the int
 * parameter :a (if present) is bound to a, and the text parameter :t to t. */
int db_int(ca_db *db, int64_t *out, const char *sql, ca_error *err);

/* Maps an SQLite result code to an error: busy/locked, I/O, corrupt and full are
 * CA_SYSTEM; constraint failures are CA_REFUSED. */
int db_fail(ca_db *db, int rc, const char *what, ca_error *err);

/* Appends to the event log: who (the actor), when (UTC now), what. round and
 * case_id may be NULL. Must be called inside the command's transaction. */
int db_event(ca_db *db, const char *command, const char *round, const char *case_id,
             const char *detail, ca_error *err);

#endif
