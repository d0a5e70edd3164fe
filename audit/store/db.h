/* db.h: inside the storage layer only: the statement wrapper, after Fossil's db.c.
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
#include "audit/store/store.h"

/* Turns foreign-key enforcement on or off for the statements that follow. SQLite
 * allows it only outside a transaction: returns 1 when it changed, 0 when inside
 * one (nothing changed). Foreign keys are on unless a bulk writer turns them off
 * for rows that are right by construction, and back on when it is done. */
int db_foreign_keys(ca_db *db, int on);

/* Runs SQL with no parameters (schema, pragmas). */
int db_exec(ca_db *db, const char *sql, ca_error *err);

/* A prepared statement. Bind by name (":name"); binding a name the statement
 * does not have is a programming error reported by the next stmt_step. */
typedef struct ca_stmt {
    sqlite3_stmt *st;
    ca_db *db;
    const char *bad_bind;
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

/* The row id of the last INSERT, and the rows the last statement changed. */
int64_t db_last_rowid(ca_db *db);
int db_changes(ca_db *db);
sqlite3 *db_handle(ca_db *db);   /* for registering a virtual table (the import) */

/* Maps an SQLite result code to an error: busy/locked, I/O, corrupt and full are
 * CA_SYSTEM; constraint failures are CA_REFUSED. */
int db_fail(ca_db *db, int rc, const char *what, ca_error *err);

#endif
