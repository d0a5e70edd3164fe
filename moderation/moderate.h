/* moderate.h: recording moderation outcomes (SPEC §8), one audit or a returned
 * moderation list. The outcome (agreed, downgraded, upgraded) is derived. */
#ifndef CASEAUDIT_MODERATE_H
#define CASEAUDIT_MODERATE_H

#include "audit/date.h"
#include "audit/store/store.h"

typedef struct mod_input {
    char *round;          /* a round's label, or a quarter (2026Q3, 2026/27Q2): the round whose audit of the
                             case is dated in it; replaced by the round's label */
    char *case_id;
    int grade;            /* 1..4 */
    char *moderator;
    ca_day date;          /* -1: today */
    char *reason;         /* NULL: none */
    int correct;
    const char *src;      /* FILE for messages, NULL for the command line */
    long line;
    int unchanged;        /* out: identical to the recorded outcome, so not written again */
} mod_input;

void mod_input_free(mod_input *in);

typedef struct mod_summary {
    long recorded, corrected, unchanged, unplanned, agreed, downgraded, upgraded;
} mod_summary;

/* All or nothing, in one transaction; each broken rule is a problem in err. The rules
 * (SPEC §8): the moderator is an active person with the manager role in the register
 * and not the audit's auditor (compared through the register, trimmed); a reason
 * (trimmed: "   " is none) when the grade changes; a date neither before the audit
 * date nor in the future; a row identical to the recorded outcome (grade, moderator,
 * date when given, reason) is unchanged and skipped, a different one needs correct.
 * The outcome is paired with the audit as it stands when recorded (audit_id). */
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
