/* evidence (SPEC §15): the inspection evidence pack, as table, csv, json, html or xlsx. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/evidence.h"
#include "audit/render/evidence_render.h"
#include "cmd/cli.h"
#include "cmd/output.h"

static const cli_opt evidence_opts[] = {
    CLI_VALUE('m', "months", "N", CLI_OR, "the N months up to today (default 6)"),
    CLI_VALUE('F', "from", "DATE", CLI_AND, "or the first day of any other period"),
    CLI_VALUE('T', "to", "DATE", 0, "and its last day"),
    CLI_VALUE('f', "format", "table|csv|json|xlsx|html", 0,
              "the output format (default table; xlsx and html need -o)"),
    CLI_VALUE1('o', "output", 'o', "FILE", 0, "write to FILE (mode 0600)"),
    CLI_END_OF_TABLE,
};
static const cli_spec evidence_spec = {
    "evidence", evidence_opts,
    "What inspectors ask for: every case audited in the period, with how it was chosen\n"
    "(a monthly round's seed, stratum, N_h, n_h and key; a themed round's theme and\n"
    "filters), the auditor, date, grade and domain grades, corrections, moderation\n"
    "(moderator, date, grade, reason; on the moderation list or unplanned) and actions.\n"
    "html and xlsx open with the method in plain English: each round's design and seed\n"
    "and how anyone re-derives a month's list from the seed (with a small script).\n"
    "It holds children's identifiers: files are written with mode 0600.\n",
    NULL,
    NULL,
};

struct options {
    int months, from, to;
    enum out_format fmt;
    const char *path;
};

static int parse_option(int c, const char *value, struct options *o)
{
    char *end;
    switch (c) {
    case 'm':
        o->months = (int)strtol(value, &end, 10);
        if (*end || end == value || o->months < 1 || o->months > 120)
            return cli_error(CA_REFUSED, "--months \"%s\": expected a whole number of months from 1 to 120", value);
        return 0;
    case 'F': return cli_parse_date("--from", value, &o->from) ? CA_REFUSED : 0;
    case 'T': return cli_parse_date("--to", value, &o->to) ? CA_REFUSED : 0;
    case 'f':
        return out_format_parse(value, OUT_ALLOW(OUT_TABLE) | OUT_ALLOW(OUT_CSV) | OUT_ALLOW(OUT_JSON) |
                                OUT_ALLOW(OUT_XLSX) | OUT_ALLOW(OUT_HTML), &o->fmt) ? CA_USAGE : 0;
    default: o->path = value; return 0; /* 'o' */
    }
}

/* 0, or the exit status (*done when help was printed). */
static int parse_options(int argc, char **argv, struct options *o, int *done)
{
    *o = (struct options){.months = 0, .from = -1, .to = -1, .fmt = OUT_TABLE};
    int c, rc;
    cli_args a;
    cli_args_begin(&a, &evidence_spec, argc, argv);
    while ((c = cli_next(&a)) > 0)
        if ((rc = parse_option(c, a.value, o)) != 0)
            return rc;
    if (c == CLI_STOP)
        return *done = 1, a.status;
    if ((rc = cli_check_period(&evidence_spec, o->months, "--months", o->from, o->to)) != 0 ||
        (rc = cli_check_file_format(&evidence_spec, o->fmt, o->path)) != 0)
        return rc;
    if (o->from < 0) {
        /* The last N months, today included: from the same day N months ago. */
        o->to = cli_today();
        o->from = date_add_months(o->to, -(o->months ? o->months : 6));
    }
    return 0;
}

static int write_pack(const evidence *e, enum out_format fmt, const char *path)
{
    out_file of;
    ca_error err = CA_ERROR_INIT;
    int rc = out_open(&of, path);
    if (rc)
        return rc;
    int ok = (fmt == OUT_XLSX ? evidence_render_xlsx(e, of.tmp, &err) : evidence_render(e, fmt, of.f, &err)) == CA_OK;
    rc = ok ? 0 : cli_report(&err);
    ca_error_free(&err);
    if (out_close(&of, ok && !ferror(of.f)) && !rc)
        rc = CA_SYSTEM;
    return rc;
}

int cmd_evidence(int argc, char **argv)
{
    struct options o;
    int done = 0, rc = parse_options(argc, argv, &o, &done);
    if (rc || done)
        return rc;
    ca_db *db;
    if ((rc = cli_open_db(&db, CA_DB_EXISTING)) != 0)
        return rc;
    ca_error err = CA_ERROR_INIT;
    evidence e;
    if (evidence_build(db, o.from, o.to, &e, &err) != CA_OK) {
        rc = cli_report(&err);
    } else {
        char a[CA_DATE_ISO_LEN], b[CA_DATE_ISO_LEN];
        date_uk(o.from, a);
        date_uk(o.to, b);
        if (e.ncases == 0)
            fprintf(stderr, "note: no audits dated from %s to %s\n", a, b);
        rc = write_pack(&e, o.fmt, o.path);
        if (rc == 0)
            cli_wrote(o.path, "evidence pack", "%ld audit%s from %s to %s", e.ncases, e.ncases == 1 ? "" : "s", a, b);
        evidence_free(&e);
    }
    ca_error_free(&err);
    db_close(db);
    return rc;
}
