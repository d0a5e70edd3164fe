/* evidence (SPEC §15): the inspection evidence pack, as table, csv, json, html or xlsx. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/evidence.h"
#include "audit/render/evidence_render.h"
#include "cmd/cli.h"
#include "cmd/output.h"

static const char evidence_usage[] =
    "usage: caseaudit evidence [--months 6 | --from DATE --to DATE] [--format table|csv|json|xlsx|html]\n"
    "         [-o FILE]\n";
static const char evidence_help[] =
    "\nWhat inspectors ask for: every case audited in the period, with how it was chosen\n"
    "(a monthly round's seed, stratum, N_h, n_h and key; a themed round's theme and\n"
    "filters), the auditor, date, grade and domain grades, corrections, moderation\n"
    "(moderator, date, grade, reason; on the moderation list or unplanned) and actions.\n"
    "html and xlsx open with the method in plain English: each round's design and seed\n"
    "and how anyone re-derives a month's list from the seed (with a small script).\n"
    "It holds children's identifiers: files are written with mode 0600.\n\n"
    "  --months N            the N months up to today (default 6)\n"
    "  --from DATE --to DATE  any period instead\n"
    "  --format FMT          table (default), csv, json, xlsx or html (xlsx and html need -o)\n"
    "  -o FILE               write to FILE (mode 0600)\n";

struct options {
    int months, from, to;
    enum out_format fmt;
    const char *path;
};

/* 0, or the exit status (*done when help was printed). */
static int parse_options(int argc, char **argv, struct options *o, int *done)
{
    static const struct option opts[] = {
        {"months", required_argument, NULL, 'm'}, {"from", required_argument, NULL, 'F'},
        {"to", required_argument, NULL, 'T'},     {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    *o = (struct options){.months = 0, .from = -1, .to = -1, .fmt = OUT_TABLE};
    int c;
    char *end;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:", opts, NULL)) != -1) {
        switch (c) {
        case 'm':
            o->months = (int)strtol(optarg, &end, 10);
            if (*end || end == optarg || o->months < 1 || o->months > 120)
                return cli_error(CA_REFUSED, "--months \"%s\": expected a whole number of months from 1 to 120",
                                 optarg);
            break;
        case 'F':
            if (cli_parse_date("--from", optarg, &o->from))
                return CA_REFUSED;
            break;
        case 'T':
            if (cli_parse_date("--to", optarg, &o->to))
                return CA_REFUSED;
            break;
        case 'f':
            if (out_format_parse(optarg, OUT_ALLOW(OUT_TABLE) | OUT_ALLOW(OUT_CSV) | OUT_ALLOW(OUT_JSON) |
                                 OUT_ALLOW(OUT_XLSX) | OUT_ALLOW(OUT_HTML), &o->fmt))
                return CA_USAGE;
            break;
        case 'o': o->path = optarg; break;
        case 'h': return *done = 1, printf("%s", evidence_usage), cli_help(evidence_help);
        default: return cli_bad_option(evidence_usage, argv, c);
        }
    }
    if (optind < argc)
        return cli_usage_error(evidence_usage, "unexpected argument '%s'", argv[optind]);
    if (o->months && (o->from >= 0 || o->to >= 0))
        return cli_usage_error(evidence_usage, "give --months or --from and --to, not both");
    if ((o->from >= 0) != (o->to >= 0))
        return cli_usage_error(evidence_usage, "--from and --to go together");
    if (o->from > o->to)
        return cli_error(CA_REFUSED, "--from is after --to");
    if ((o->fmt == OUT_XLSX || o->fmt == OUT_HTML) && (!o->path || strcmp(o->path, "-") == 0))
        return cli_usage_error(evidence_usage, "--format %s needs -o FILE", o->fmt == OUT_XLSX ? "xlsx" : "html");
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
