/* render.h: the quarterly report's formats (SPEC §9), one file each. A renderer
 * only formats the model (moderation/report.h): every figure, and which cells a
 * public paper hides, was decided when it was built and suppressed. A hidden cell
 * reads <K in every format; table, md, html and xlsx explain it in a footnote.
 *
 * Each writes to f (the caller opens, checks ferror and closes it) and returns
 * CA_OK, or CA_ERR with err filled (out of memory: CA_SYSTEM). render_xlsx writes
 * the workbook at path, which the caller has made safe (mode 0600, a temporary name
 * renamed into place). */
#ifndef CASEAUDIT_RENDER_H
#define CASEAUDIT_RENDER_H

#include <stdio.h>

#include "audit/error.h"
#include "moderation/report.h"

int render_table(const report *r, FILE *f, ca_error *err);  /* the terminal */
int render_md(const report *r, FILE *f, ca_error *err);     /* Markdown, for a committee paper */
int render_html(const report *r, FILE *f, ca_error *err);   /* one self-contained page with SVG charts */
int render_csv(const report *r, FILE *f, ca_error *err);    /* long form: section,dimension,level,measure,value,lower,upper */
int render_json(const report *r, FILE *f, ca_error *err);   /* the §9 shape */
int render_xlsx(const report *r, const char *path, ca_error *err);  /* a sheet per section */

#endif
