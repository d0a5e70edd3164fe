/* grade.h: recording audit grades (SPEC §7), one case or a returned list. */
#ifndef CASEAUDIT_GRADE_H
#define CASEAUDIT_GRADE_H

#include "audit/date.h"
#include "audit/store/store.h"

enum { GRADE_MAX_DOMAINS = 32 };

typedef struct grade_input {
    char *case_id;
    int grade;                  /* 1..4 */
    char *auditor;              /* NULL: the case's allocated auditor */
    ca_day date;                /* -1: today */
    int ndomains;
    char *domain[GRADE_MAX_DOMAINS];   /* codes or labels, as given */
    int domain_grade[GRADE_MAX_DOMAINS];
    char *action;               /* NULL: none */
    ca_day action_due;          /* -1: none */
    char *note;
    int correct;                /* a correction of an earlier grade is intended */
    const char *src;            /* FILE for messages, NULL for the command line */
    long line;
} grade_input;

void grade_input_free(grade_input *in);   /* frees the strings, not the struct */

typedef struct grade_summary {
    long recorded, corrected, skipped, actions;
} grade_summary;

/* Records the grades in one transaction, or nothing: each broken rule is a problem
 * in err ("FILE:LINE: column "NAME": …" for a file). */
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
