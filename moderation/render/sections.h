/* sections.h: what the renderers for people (table, md, html, xlsx) share: the
 * report's sections as tables, the summary in words, and how a hidden cell reads.
 * Internal to moderation/render/. */
#ifndef CASEAUDIT_RENDER_SECTIONS_H
#define CASEAUDIT_RENDER_SECTIONS_H

#include <stddef.h>

#include "audit/render/output.h"
#include "moderation/report.h"

enum { MAX_SECTIONS = 16 };

enum section_kind { SEC_HEADLINE, SEC_GRADES, SEC_ESTIMATE, SEC_MODERATION, SEC_TRANSITIONS, SEC_AGREEMENT,
                    SEC_BREAKDOWN, SEC_DOMAINS, SEC_ACTIONS, SEC_TREND };

struct section {
    enum section_kind kind;
    enum report_dim dim;    /* SEC_BREAKDOWN's dimension */
    char title[64];
    out_table *table;
};

/* Fills s (MAX_SECTIONS) with the report's sections; returns how many, or -1 out
 * of memory (err filled, nothing left to free). Release with free_sections. */
int sections(const report *r, struct section *s, ca_error *err);
void free_sections(struct section *s, int n);

/* The report's title: "Anyshire County Council: case audit report, 2026Q3 (01/07/2026
 * to 30/09/2026)", or without the council when none is set. */
void report_title(const report *r, char *buf, size_t len);
/* The protective marking, as it heads and ends every report. */
static inline const char *report_marking(const report *r) { return r->settings.marking; }

/* When the data is as at: "the end of 10/10/2026", or "24/11/2026 12:00 UTC" (now). */
void data_as_at(const report *r, char *buf, size_t len);
/* A sentence or two explaining a section's figures (md and html), or NULL. */
const char *section_note(enum section_kind kind);

/* What a section's figures rest on, in words, for this report (empty when there is
 * nothing to say): for the estimate, the strata with one audit and the share of
 * the rounds' cases it covers; for the auditors, the service's downgrade rate. */
void section_detail(const report *r, const struct section *s, char *buf, size_t len);

/* The plain-English summary, as a committee paper would put it. */
void summary(const report *r, char *buf, size_t len);
/* "Good → Requires improvement: 4 of 4", or "none". */
void most_common(const report *r, char *buf, size_t len);
/* How a hidden cell reads: "<K". */
void hidden_text(const report *r, char *buf, size_t len);
/* The footnote on hidden cells (empty when nothing is suppressed). */
void suppression_note(const report *r, char *buf, size_t len);

#endif
