/* grade.h: recording audit grades (SPEC §7), one case or a returned list. */
#ifndef CASEAUDIT_GRADE_H
#define CASEAUDIT_GRADE_H

#include "audit/date.h"
#include "audit/store/store.h"

enum { GRADE_MAX_DOMAINS = 32 };

typedef struct grade_input {
    char *case_id;
    int grade;                  /* 1..4 */
    char *auditor;              /* NULL: the case's allocated auditor; replaced by the register's spelling */
    ca_day date;                /* -1: today on the command line; refused in a file (see grade_fill_dates) */
    int ndomains;
    char *domain[GRADE_MAX_DOMAINS];   /* codes or labels, as given */
    int domain_grade[GRADE_MAX_DOMAINS];
    char *action;               /* NULL: none */
    ca_day action_due;          /* -1: none */
    char *note;
    int correct;                /* a correction of an earlier grade is intended */
    const char *src;            /* FILE for messages, NULL for the command line */
    long line;
    int stand_in;               /* out: graded by someone other than the allocated auditor */
    int unchanged;              /* out: identical to the recorded audit, so not written again */
} grade_input;

void grade_input_free(grade_input *in);   /* frees the strings, not the struct */

typedef struct grade_summary {
    long recorded, corrected, unchanged, stand_ins, actions;
} grade_summary;

/* Gives rows without an audit date the date DAY (--date with a file); returns how many. */
long grade_fill_dates(grade_input *in, long n, ca_day day);

/* Records the grades in one transaction, or nothing: each broken rule is a problem
 * in err ("FILE:LINE: column "NAME": …" for a file). The rules (SPEC §7): the case is
 * on the round's list; the auditor is an active person with the auditor role in the
 * register, never of the case's own team nor its allocated worker (someone other than
 * the allocated auditor is a stand-in, recorded as such); a date not in the future
 * nor before the round's as-of date, and given for every row of a file; a row
 * identical to the recorded audit (grade, date, auditor, domains, note, actions) is
 * unchanged and skipped, a different one needs correct. Text is trimmed; a blank
 * note or action is none. */
int grade_record(ca_db *db, const char *round, grade_input *in, long n, grade_summary *out, ca_error *err);

/* Reads a returned audit list (CSV, any column order). Rows with a blank grade are
 * skipped and counted in *skipped. On success *out (n entries) is owned by the
 * caller: free each with grade_input_free, then free(*out); on failure *out is NULL
 * and *n is 0. */
int grade_read_file(ca_db *db, const char *round, const char *path, int cp1252, grade_input **out, long *n,
                    long *skipped,
                    ca_error *err);

/* Domains (SPEC §2). */
int domain_add(ca_db *db, const char *code, const char *label, ca_error *err);

#endif
