/* settings.h: the council's settings (SPEC §9): its name and the protective
 * marking its reports carry, one row per key in the setting table. */
#ifndef CASEAUDIT_STORE_SETTINGS_H
#define CASEAUDIT_STORE_SETTINGS_H

#include <stddef.h>

#include "audit/store/store.h"

/* The value stored for KEY into buf (len bytes, truncated to fit): 1 when there is
 * one, 0 when not (buf is then ""), or CA_ERR. */
int settings_get(ca_db *db, const char *key, char *buf, size_t len, ca_error *err);
/* Stores KEY's value (replacing any), with who and when. Inside the caller's transaction. */
int settings_put(ca_db *db, const char *key, const char *value, ca_error *err);

#endif
