/* outcome.h: the outcome of a moderation, derived from the two grades (SPEC §8),
 * never typed in. */
#ifndef CASEAUDIT_OUTCOME_H
#define CASEAUDIT_OUTCOME_H

enum ca_outcome { CA_AGREED = 0, CA_DOWNGRADED = 1, CA_UPGRADED = 2 };

/* Grades are 1 (Outstanding) .. 4 (Inadequate); a worse grade is a higher code. */
enum ca_outcome outcome_of(int audited, int moderated);
const char *outcome_name(enum ca_outcome o);   /* "agreed", "downgraded", "upgraded" */

#endif
