/* report_themed.h: the report's "Themed audits" part (SPEC §9, §15), internal to
 * the report model: each themed round with audits in the period, counted apart from
 * the monthly figures. */
#ifndef CASEAUDIT_REPORT_THEMED_H
#define CASEAUDIT_REPORT_THEMED_H

#include "audit/store/report_store.h"
#include "moderation/report.h"

/* Fills out->themed and out->nthemed from the audits dated in sc (as at sc->asat),
 * inside the caller's read transaction. On error out->themed is freed and empty. */
int report_themed_read(ca_db *db, const rs_scope *sc, report *out, ca_error *err);

#endif
