/* schema.h: the numbered migrations. migration[i] takes user_version i to i+1. */
#ifndef CASEAUDIT_SCHEMA_H
#define CASEAUDIT_SCHEMA_H

extern const char *const ca_migrations[];
extern const int ca_nmigrations;

/* Written into PRAGMA application_id so that another program's SQLite file is
 * never mistaken for ours ("CAUD"). */
#define CA_APPLICATION_ID 0x43415544

#endif
