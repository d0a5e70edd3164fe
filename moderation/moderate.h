/* moderate.h: recording moderation outcomes (SPEC §8), one audit or a returned
 * moderation list. The outcome (agreed, downgraded, upgraded) is derived. */
#ifndef CASEAUDIT_MODERATE_H
#define CASEAUDIT_MODERATE_H

#include "audit/date.h"
#include "audit/store/store.h"

typedef struct mod_input {
    char *round;          /* label */
    char *case_id;
    int grade;            /* 1..4 */
    char *moderator;
    ca_day date;          /* -1: today */
    char *reason;         /* NULL: none */
    int correct;
    const char *src;      /* FILE for messages, NULL for the command line */
    long line;
} mod_input;

void mod_input_free(mod_input *in);

typedef struct mod_summary {
    long recorded, corrected, unplanned, agreed, downgraded, upgraded;
} mod_summary;

/* All or nothing, in one transaction; each broken rule is a problem in err. */
int moderation_record(ca_db *db, mod_input *in, long n, mod_summary *out, ca_error *err);

/* Reads a returned moderation list (CSV, any column order): moderated_grade,
 * moderator, moderation_date, reason, correct; a blank moderated_grade is skipped
 * and counted. Each row's round is its round column, else default_round. On
 * success *out is owned by the caller (mod_input_free each, then free); on failure
 * it is NULL and *n is 0. */
int moderation_read_file(const char *default_round, const char *path, int cp1252, mod_input **out, long *n,
                         long *skipped,
                         ca_error *err);

#endif
