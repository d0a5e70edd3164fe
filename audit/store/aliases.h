/* aliases.h: a council's own spellings of columns, plan values and teams (SPEC §4). */
#ifndef CASEAUDIT_STORE_ALIASES_H
#define CASEAUDIT_STORE_ALIASES_H

#include "audit/store/store.h"

typedef struct alias_row {
    const char *kind;       /* column, plan, team */
    const char *spelling;   /* as given */
    const char *match;      /* normalised (vocab_normalise) */
    const char *target;     /* a field name, a plan code, a team */
} alias_row;

/* Every alias, by kind then spelling. */
int aliases_list(ca_db *db, int (*visit)(void *u, const alias_row *r), void *u, ca_error *err);
/* Adds or replaces the alias of KIND for MATCH. Inside the caller's transaction. */
int alias_put(ca_db *db, const alias_row *r, ca_error *err);
/* Removes it: 1 when there was one, 0 when not. */
int alias_delete(ca_db *db, const char *kind, const char *match, ca_error *err);

#endif
