/* charts.h: the html report's SVG charts (SPEC §9), drawn for print and for
 * everyone: every series labelled where it is drawn (never colour alone), fills
 * that differ in lightness so that they read in greyscale and for colour-blind
 * readers, and text that contrasts at least 4.5:1 with what lies behind it.
 * Internal to moderation/render/. */
#ifndef CASEAUDIT_RENDER_CHARTS_H
#define CASEAUDIT_RENDER_CHARTS_H

#include <stdio.h>

#include "moderation/report.h"

void chart_grades(FILE *f, const report *r);      /* as audited against final, by grade */
void chart_trend(FILE *f, const report *r);       /* final grades by quarter */
void chart_transitions(FILE *f, const report *r); /* audited x moderated grade, a heat map */

#endif
