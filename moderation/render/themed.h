/* themed.h: the "Themed audits" section (SPEC §9, §15) as the renderers for people
 * show it: per themed round a sentence (theme, frame, audits, moderation) and a
 * table of final grades with their intervals. Internal to moderation/render/. */
#ifndef CASEAUDIT_RENDER_THEMED_H
#define CASEAUDIT_RENDER_THEMED_H

#include <stddef.h>
#include <stdio.h>

#include "audit/render/output.h"
#include "moderation/report.h"

#define THEMED_TITLE "Themed audits"
/* Why the section stands apart, in a sentence. */
#define THEMED_NOTE                                                                                          \
    "Themed rounds are deep dives into chosen cases, not random samples of all open cases: they are "        \
    "reported here on their own and never counted in the figures above."

/* "Themed audit 'cp-15m': CP plans open 15 months or more". */
void themed_title(const report_themed *t, char *buf, size_t len);
/* The round's frame, audits and moderation in words. */
void themed_intro(const report_themed *t, char *buf, size_t len);
/* The final grades: count, share and its 95% interval. NULL out of memory. */
out_table *themed_grades(const report_themed *t);
/* One row per themed round (for the workbook). NULL out of memory. */
out_table *themed_rounds_table(const report *r);
/* One row per themed round and grade (for the workbook). NULL out of memory. */
out_table *themed_grades_table(const report *r);

/* The whole section as table (terminal) or md; nothing when there are no themed rounds. */
int themed_write(const report *r, FILE *f, enum out_format fmt, ca_error *err);

#endif
