/* evidence_render.h: the inspection evidence pack's formats (SPEC §15). Renderers
 * only format the model (audit/evidence.h). table (the terminal: the main columns),
 * csv (every column), json (everything, with the rounds' designs and the method),
 * html (one self-contained page) and xlsx open with the method in plain English.
 *
 * Each writes to f (the caller opens, checks ferror and closes it) or, for xlsx,
 * the workbook at path (made safe by the caller), and returns CA_OK or CA_ERR with
 * err filled (out of memory: CA_SYSTEM). */
#ifndef CASEAUDIT_EVIDENCE_RENDER_H
#define CASEAUDIT_EVIDENCE_RENDER_H

#include <stdio.h>

#include "audit/evidence.h"
#include "audit/render/output.h"

int evidence_render(const evidence *e, enum out_format fmt, FILE *f, ca_error *err);  /* table, csv, json, html */
int evidence_render_xlsx(const evidence *e, const char *path, ca_error *err);

/* The method page as a sequence of parts, for html and xlsx (evidence_method.c). */
enum evidence_part { EP_HEADING, EP_PARA, EP_STRATA, EP_CODE };
/* Calls emit once per part, in order; for EP_STRATA text is NULL and round the
 * round whose strata to show. */
void evidence_method(const evidence *e,
                     void (*emit)(void *u, enum evidence_part kind, const char *text, const evidence_round *round),
                     void *u);

/* The page in html (evidence_html.c); evidence_render calls it for OUT_HTML. */
int evidence_html(const evidence *e, FILE *f, ca_error *err);

/* The audits as one table with every column (csv, xlsx, html); NULL out of memory. */
out_table *evidence_table(const evidence *e, int full);

#endif
