/* period.h: reporting periods (SPEC §9): calendar quarters (2026Q3, July to
 * September), UK financial-year quarters (2026/27Q2: the year starts in April, so
 * also July to September 2026), or explicit dates. */
#ifndef CASEAUDIT_PERIOD_H
#define CASEAUDIT_PERIOD_H

#include <stddef.h>

#include "audit/date.h"

typedef struct ca_period {
    ca_day from, to;    /* inclusive */
    char label[32];     /* "2026Q3", "2026/27Q2" or "01/07/2026 to 30/09/2026" */
    int fiscal;         /* 1 for a financial-year quarter */
    int quarter;        /* 1..4, 0 for explicit dates */
    int year;           /* calendar year, or the financial year's first year */
} ca_period;

/* CA_OK, or CA_ERR with a reason that says what is expected. */
int period_parse_quarter(const char *s, ca_period *p, char *why, size_t whylen);
void period_from_dates(ca_day from, ca_day to, ca_period *p);
/* The quarter k quarters before p, labelled the same way. p must be a quarter. */
void period_previous(const ca_period *p, int k, ca_period *out);

#endif
