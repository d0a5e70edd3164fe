/* alias.h: a council's own spellings (SPEC §4): `caseaudit alias add column "NAME"
 * FIELD`, `alias add plan "VALUE" CODE`, `alias add team "VALUE" "TEAM"`, used by every
 * later import (and by the people register for teams). Spellings match as
 * vocab_normalise makes them: case, spaces and punctuation do not count. */
#ifndef CASEAUDIT_ALIAS_H
#define CASEAUDIT_ALIAS_H

#include "audit/store/store.h"

/* The fields of a generic case list that a column alias may name. */
extern const char *const alias_fields[];   /* NULL-terminated: case_id, date_of_birth, ... */

/* Adds (or replaces) an alias, checking the kind and the target; one transaction,
 * event-logged. On error nothing is changed. */
int alias_add(ca_db *db, const char *kind, const char *spelling, const char *target, ca_error *err);
/* Removes one; CA_REFUSED when there is none. */
int alias_remove(ca_db *db, const char *kind, const char *spelling, ca_error *err);

/* The aliases in memory, for one import. Owned by the caller: alias_set_free. */
typedef struct alias_set alias_set;
int alias_set_load(ca_db *db, alias_set **out, ca_error *err);
void alias_set_free(alias_set *a);
/* What SPELLING stands for as an alias of KIND, or NULL (a NULL set has none). The
 * string lives as long as the set. */
const char *alias_lookup(const alias_set *a, const char *kind, const char *spelling);
/* How many aliases of KIND the set holds (0 lets a caller skip the lookups). */
int alias_count(const alias_set *a, const char *kind);

#endif
