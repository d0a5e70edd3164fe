/* clock.h: "now" as a value the front end passes in, never read from the environment
 * by the library (SPEC §3's event log times, "today" for dates).
 *
 * A ca_clock is a fixed time in seconds since the epoch (UTC), or CA_CLOCK_SYSTEM for
 * the real clock. The command line sets it from $CASEAUDIT_NOW; the web front end from
 * the same variable, per request.
 */
#ifndef CASEAUDIT_CLOCK_H
#define CASEAUDIT_CLOCK_H

#include <stdint.h>

#include "audit/date.h"

typedef int64_t ca_clock;
#define CA_CLOCK_SYSTEM ((ca_clock)-1)

/* Parses an ISO UTC time "yyyy-mm-ddThh:mm:ssZ" (or a plain "yyyy-mm-dd", midnight).
 * CA_OK, or CA_ERR when s is not one. */
int clock_parse(const char *s, ca_clock *out);

/* Today: the fixed time's UTC date, or the local date by the system clock. */
ca_day clock_today(ca_clock c);

/* Now as "yyyy-mm-ddThh:mm:ssZ" (UTC). */
void clock_now_utc(ca_clock c, char buf[32]);

#endif
