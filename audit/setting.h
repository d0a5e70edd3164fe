/* setting.h: the council's settings that every report carries (SPEC §9):
 * `caseaudit settings council "NAME"` and `caseaudit settings marking "..."`. */
#ifndef CASEAUDIT_SETTING_H
#define CASEAUDIT_SETTING_H

#include "audit/store/store.h"

#define SETTING_DEFAULT_MARKING "OFFICIAL-SENSITIVE"
#define SETTING_MAX 200   /* bytes of a value */

typedef struct ca_settings {
    char council[SETTING_MAX + 1];   /* "" until set */
    char marking[SETTING_MAX + 1];   /* SETTING_DEFAULT_MARKING until set */
    int council_set, marking_set;    /* whether stored, rather than the default */
} ca_settings;

/* The keys, NULL-terminated: "council", "marking". */
extern const char *const setting_keys[];

/* Sets KEY to VALUE (leading and trailing spaces dropped): refused (CA_REFUSED) for
 * an unknown key, a blank value, one longer than SETTING_MAX bytes or with control
 * characters. One transaction, event-logged; on error nothing is changed. */
int setting_set(ca_db *db, const char *key, const char *value, ca_error *err);

/* Every setting, with its default where none is stored. Inside or outside a
 * transaction; on error *out holds the defaults. */
int settings_read(ca_db *db, ca_settings *out, ca_error *err);

#endif
