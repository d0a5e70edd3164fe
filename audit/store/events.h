/* events.h: the append-only event log (SPEC §3), read back. Written by db_event. */
#ifndef CASEAUDIT_STORE_EVENTS_H
#define CASEAUDIT_STORE_EVENTS_H

#include "audit/store/store.h"

typedef struct event_row {
    const char *at;        /* ISO UTC time */
    const char *by, *command, *detail;
    const char *round, *case_id;   /* NULL when none */
} event_row;

/* The events in the order they were written; case_id NULL for all of them. */
int events_list(ca_db *db, const char *case_id, int (*visit)(void *u, const event_row *r), void *u, ca_error *err);

#endif
