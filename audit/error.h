/* error.h: how library code reports failure.
 *
 * Library functions (audit/, moderation/) never print and never exit. They return
 * CA_OK or CA_ERR and fill a ca_error: a status class that cmd/ turns into the exit
 * status of SPEC §10, one message, and for validation a list of problems in the
 * form FILE:LINE: column "NAME": what is wrong (value "…").
 */
#ifndef CASEAUDIT_ERROR_H
#define CASEAUDIT_ERROR_H

#include <stddef.h>

enum { CA_OK = 0, CA_ERR = -1 };

/* Status classes; the values are the exit statuses of SPEC §10. */
enum ca_status {
    CA_DONE = 0,
    CA_REFUSED = 1, /* invalid data or a broken rule; nothing changed */
    CA_USAGE = 2,   /* unknown command or option, missing argument */
    CA_SYSTEM = 3   /* database locked, I/O, corrupt or too-new database */
};

#define CA_MAX_PROBLEMS 50
#define CA_MSG_MAX 1024

/* One validation problem, as data: where (file, sheet, line, column), the value, and
 * what is wrong. A front end formats it (ca_problem_text) or attaches it to a form's
 * field by its column. Fields that do not apply are NULL (line 0). */
typedef struct ca_problem_rec {
    char *file, *sheet, *column, *value, *message;
    long line;
    char *text;     /* the whole problem in the form FILE[SHEET]:LINE: column "NAME": what (value "…") */
} ca_problem_rec;

/* Where a problem is: a file (and sheet of a workbook) and a line or row. */
typedef struct ca_where {
    const char *file, *sheet;
    long line;
} ca_where;

/* Receives every problem as it is found, including those past CA_MAX_PROBLEMS (for
 * --problems FILE). The record is valid during the call only. */
typedef void (*ca_problem_sink)(void *arg, const ca_problem_rec *p);

typedef struct ca_error {
    int status;                                /* an enum ca_status; CA_DONE when no error */
    char msg[CA_MSG_MAX];                      /* the headline message, without "error: " */
    ca_problem_rec problems[CA_MAX_PROBLEMS];  /* the first ones; owned, freed by ca_error_free */
    int nproblems;                             /* problems kept */
    long ntotal;                               /* problems found, kept or not */
    ca_problem_sink sink;                      /* set by a front end; NULL: none */
    void *sink_arg;
} ca_error;

#define CA_ERROR_INIT {0, {0}, {{0}}, 0, 0, NULL, NULL}

/* Sets status and message (printf-style) and returns CA_ERR, so that callers can
 * write `return ca_fail(err, CA_REFUSED, "...", ...);`. A NULL err is allowed. */
int ca_fail(ca_error *err, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Records one validation problem at a place: column and value may be NULL. Past
 * CA_MAX_PROBLEMS only the count grows (and the sink still sees it). */
void ca_problem_at(ca_error *err, const ca_where *at, const char *column, const char *value, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* The same, where the place is a file (NULL: the command line or a web form, where
 * the column still names the field) and a line (0: none). */
void ca_problem_in(ca_error *err, const char *file, long line, const char *column, const char *value,
                   const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* A problem whose message already says where it is (free-form text). */
void ca_problem(ca_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Turns a refusal (status CA_REFUSED, a message) into one more problem and clears
 * the status, so that a reader can go on to report its own summary. */
void ca_error_demote(ca_error *err);

/* Frees the problem list and resets err to "no error" (the sink stays). */
void ca_error_free(ca_error *err);

#endif
