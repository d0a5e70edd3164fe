/* people.h: the people register (SPEC §6), as stored.
 *
 * A person is found by name_key (lower case, spaces trimmed and collapsed: see
 * people_key in audit/people.h). teams and roles are lists joined with ';' (roles
 * from auditor, manager, qa-lead). Strings in a visited row are valid only during
 * the call.
 */
#ifndef CASEAUDIT_STORE_PEOPLE_H
#define CASEAUDIT_STORE_PEOPLE_H

#include "audit/store/store.h"

typedef struct person_row {
    long id;
    const char *name, *name_key, *teams, *roles;   /* teams "" when none */
    const char *email;                             /* NULL when none */
    long capacity;                                 /* -1: no limit */
    int active;
} person_row;

/* Every person, by name key. */
int people_each(ca_db *db, int (*visit)(void *u, const person_row *r), void *u, ca_error *err);

/* Adds a person (id 0) or rewrites person ID with R's fields (not id). Inside the
 * caller's transaction. */
int person_write(ca_db *db, long id, const person_row *r, ca_error *err);

/* The distinct teams of the latest snapshot (greatest as-of date), by name. *have
 * is set to 1 when there is a snapshot at all. */
int latest_snapshot_teams(ca_db *db, int *have, int (*visit)(void *u, const char *team), void *u, ca_error *err);

#endif
