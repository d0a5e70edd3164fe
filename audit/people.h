/* people.h: the people register (SPEC §6): who audits, moderates and leads QA.
 *
 * Names are matched by their key: lower case, spaces trimmed and runs of spaces
 * collapsed ("  Owen   DRISCOLL " is "owen driscoll"). A name that matches nobody
 * is refused with the nearest names in the register. Teams are the latest case
 * list's: spellings that differ only by dashes, case, spaces or "&"/"and" are taken
 * as the list's spelling with a note; others are refused with the nearest teams.
 */
#ifndef CASEAUDIT_PEOPLE_H
#define CASEAUDIT_PEOPLE_H

#include <stddef.h>

#include "audit/store/store.h"

enum person_role { ROLE_AUDITOR = 1, ROLE_MANAGER = 2, ROLE_QA_LEAD = 4 };

typedef struct ca_person {
    long id;
    char *name, *key;
    char *teams;          /* joined with ';', "" when none */
    char *email;          /* NULL when none */
    int roles;            /* enum person_role bits */
    long capacity;        /* -1: no limit */
    int active;
} ca_person;

/* The register in memory, by key. Owned: people_free. */
typedef struct ca_people {
    long n;
    ca_person *p;
} ca_people;

int people_load(ca_db *db, ca_people *out, ca_error *err);
void people_free(ca_people *r);

/* The key of a name (see above) into out (always terminated). */
void people_key(const char *name, char *out, size_t len);
/* The key a team is compared by: lower case, no spaces or dashes, "&" as "and". */
void people_team_key(const char *team, char *out, size_t len);
/* The edit distance between two strings (bytes), capped at 255. */
int people_distance(const char *a, const char *b);

const ca_person *people_find(const ca_people *r, const char *name);
/* Whether team (a case's team) is one of the person's teams, compared by team key. */
int person_in_team(const ca_person *p, const char *team);
/* The same for teams joined with ';' (NULL: none). */
int people_teams_include(const char *teams, const char *team);
/* "auditor;manager" for the role bits (buf of at least 32). */
const char *people_roles_text(int roles, char *buf, size_t len);

/* Looks NAME up, whatever their role or state: returns the person, or NULL with
 * err refused (CA_REFUSED): not in the register, with the nearest names. */
const ca_person *people_named(const ca_people *r, const char *name, ca_error *err);

/* Looks NAME up for a record needing ROLE: returns the person, or NULL after adding
 * a problem (prefixed by prefix, e.g. "FILE:LINE: column "auditor": ") that says
 * what is wrong and what to do: not in the register (with the nearest names),
 * disabled, or without the role. */
const ca_person *people_require(const ca_people *r, const char *name, int role, const ca_where *at,
                                const char *column, ca_error *err);

typedef struct people_import_result {
    long added, updated, unchanged;
    int nnotes;
    char **notes;         /* owned: people_import_result_free */
} people_import_result;
void people_import_result_free(people_import_result *r);

/* Imports a people file (CSV: name, team or teams, roles, email, capacity, active;
 * any column order; a file of auditors with name, team, capacity is one too) into
 * the register in one transaction, all or nothing: the people it names are added
 * or updated (a known name keeps the register's spelling, which records use);
 * columns the file lacks keep what the register holds. Each problem is
 * "FILE:LINE: column "NAME": …". On error nothing is changed and *out is empty. */
int people_import_file(ca_db *db, const char *path, int cp1252, people_import_result *out, ca_error *err);

/* Marks NAME inactive (they keep their records). *was_active is 0 when they were
 * already inactive (then nothing is written); name_out gets the register's spelling. */
int people_disable(ca_db *db, const char *name, char *name_out, size_t len, int *was_active, ca_error *err);

#endif
