/* report (SPEC §9): one model, rendered as table, md, html, csv, json or xlsx. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"
#include "cmd/output.h"
#include "moderation/render/render.h"
#include "moderation/report.h"

static const char report_usage[] =
    "usage: caseaudit report [--quarter 2026Q3 | --quarter 2026/27Q2 | --from DATE --to DATE] [--by DIMS]\n"
    "         [--as-at DATE] [--format table|md|html|csv|json|xlsx] [-o FILE] [--suppress-below K]\n";
static const char report_help[] =
    "\nThe quarterly report: audits completed, grade shares as audited and after moderation\n"
    "(95% Wilson intervals), the design-weighted estimate for all open cases, moderation\n"
    "(agreed, downgraded, upgraded, the transition matrix, Cohen's kappa, the sign test),\n"
    "breakdowns, domains, actions and the trend over four quarters. No child's identifier\n"
    "appears in any report.\n\n"
    "  --quarter Q          2026Q3 (July-September) or 2026/27Q2 (financial year)\n"
    "  --from DATE --to DATE  any period instead (default: the last complete quarter)\n"
    "  --by DIMS            breakdowns: comma list of plan, age, team, auditor (default plan,age)\n"
    "  --as-at DATE         the report as it stood at the end of DATE\n"
    "  --format FMT         table (default), md, html, csv, json or xlsx (html and xlsx need -o)\n"
    "  -o FILE              write to FILE (mode 0600)\n"
    "  --suppress-below K   show counts below K as <K in breakdowns (for public papers)\n";

/* Writes the report as fmt to path (NULL or "-": standard output); xlsx and html
 * need a path. Returns the exit status. */
static int render(const report *r, enum out_format fmt, const char *path)
{
    out_file of;
    ca_error err = CA_ERROR_INIT;
    int rc = out_open(&of, path), ok;
    if (rc)
        return rc;
    switch (fmt) {
    case OUT_XLSX: ok = render_xlsx(r, of.tmp, &err) == CA_OK; break; /* the temporary file, 0600 */
    case OUT_JSON: ok = render_json(r, of.f, &err) == CA_OK; break;
    case OUT_CSV: ok = render_csv(r, of.f, &err) == CA_OK; break;
    case OUT_HTML: ok = render_html(r, of.f, &err) == CA_OK; break;
    case OUT_MD: ok = render_md(r, of.f, &err) == CA_OK; break;
    default: ok = render_table(r, of.f, &err) == CA_OK; break;
    }
    rc = ok ? 0 : cli_report(&err);
    ca_error_free(&err);
    if (out_close(&of, ok && !ferror(of.f)) && !rc)
        rc = CA_SYSTEM;
    return rc;
}

/* The last complete quarter before today. */
static void default_period(ca_period *p)
{
    int y, m, d;
    date_to_ymd(cli_today(), &y, &m, &d);
    int q = (m - 1) / 3 + 1;
    char label[32], why[160];
    snprintf(label, sizeof label, "%04dQ%d", (q == 1 ? y - 1 : y) % 10000, q == 1 ? 4 : q - 1);
    period_parse_quarter(label, p, why, sizeof why);
}

/* What the command line asks for. */
struct options {
    ca_period period;
    int have_quarter, from, to, as_at, ndims;
    enum report_dim dims[REPORT_NDIMS];
    enum out_format fmt;
    const char *path;
    long suppress;
};

/* --by plan,age,...: 0, or the usage error's status. */
static int parse_by(char *arg, struct options *o)
{
    o->ndims = 0;
    for (char *save = NULL, *tok = strtok_r(arg, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        int found = -1;
        for (int d = 0; d < REPORT_NDIMS; d++)
            if (strcmp(tok, report_dim_name((enum report_dim)d)) == 0)
                found = d;
        for (int i = 0; i < o->ndims; i++)
            if ((int)o->dims[i] == found)
                found = -2;
        if (found < 0)
            return cli_usage_error(report_usage, "--by: '%s' is not one of plan, age, team, auditor (or is "
                                   "given twice)", tok);
        o->dims[o->ndims++] = (enum report_dim)found;
    }
    return 0;
}

/* One option: 0, or the exit status (help printed: 0 through *done). */
static int parse_option(int c, char **argv, struct options *o, int *done)
{
    char why[160], *end;
    switch (c) {
    case 'q':
        if (period_parse_quarter(optarg, &o->period, why, sizeof why) != CA_OK)
            return cli_error(CA_REFUSED, "--quarter \"%s\": %s", optarg, why);
        o->have_quarter = 1;
        return 0;
    case 'F': return cli_parse_date("--from", optarg, &o->from) ? CA_REFUSED : 0;
    case 'T': return cli_parse_date("--to", optarg, &o->to) ? CA_REFUSED : 0;
    case 'a': return cli_parse_date("--as-at", optarg, &o->as_at) ? CA_REFUSED : 0;
    case 'b': return parse_by(optarg, o);
    case 'f': return out_format_parse(optarg, 0x3f, &o->fmt) ? CA_USAGE : 0;
    case 'o': o->path = optarg; return 0;
    case 's':
        o->suppress = strtol(optarg, &end, 10);
        if (*end || o->suppress < 1)
            return cli_error(CA_REFUSED, "--suppress-below \"%s\": expected a whole number above 0", optarg);
        return 0;
    case 'h': return *done = 1, printf("%s", report_usage), cli_help(report_help);
    default: return cli_bad_option(report_usage, argv, c);
    }
}

/* The options and how they combine: 0, or the exit status (*done when help was printed). */
static int parse_options(int argc, char **argv, struct options *o, int *done)
{
    static const struct option opts[] = {
        {"quarter", required_argument, NULL, 'q'}, {"from", required_argument, NULL, 'F'},
        {"to", required_argument, NULL, 'T'},      {"by", required_argument, NULL, 'b'},
        {"as-at", required_argument, NULL, 'a'},   {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},  {"suppress-below", required_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
    };
    *o = (struct options){.from = -1, .to = -1, .as_at = -1, .ndims = 2, .dims = {BY_PLAN, BY_AGE}, .fmt = OUT_TABLE};
    int c, rc;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:", opts, NULL)) != -1)
        if ((rc = parse_option(c, argv, o, done)) != 0 || *done)
            return rc;
    if (optind < argc)
        return cli_usage_error(report_usage, "unexpected argument '%s'", argv[optind]);
    if (o->have_quarter && (o->from >= 0 || o->to >= 0))
        return cli_usage_error(report_usage, "give --quarter or --from and --to, not both");
    if ((o->from >= 0) != (o->to >= 0))
        return cli_usage_error(report_usage, "--from and --to go together");
    if (o->from >= 0 && o->from > o->to)
        return cli_error(CA_REFUSED, "--from is after --to");
    if ((o->fmt == OUT_XLSX || o->fmt == OUT_HTML) && (!o->path || strcmp(o->path, "-") == 0))
        return cli_usage_error(report_usage, "--format %s needs -o FILE", o->fmt == OUT_XLSX ? "xlsx" : "html");
    if (o->from >= 0)
        period_from_dates(o->from, o->to, &o->period);
    else if (!o->have_quarter)
        default_period(&o->period);
    return 0;
}

/* Parse the options, build the model, hide what a public paper must not show, render. */
int cmd_report(int argc, char **argv)
{
    struct options o;
    int done = 0, rc = parse_options(argc, argv, &o, &done);
    if (rc || done)
        return rc;
    ca_db *db;
    if ((rc = cli_open_db(&db, CA_DB_EXISTING)) != 0)
        return rc;
    ca_error err = CA_ERROR_INIT;
    report r;
    if (report_build(db, &o.period, o.as_at, o.dims, o.ndims, &r, &err) != CA_OK) {
        rc = cli_report(&err);
    } else {
        report_suppress(&r, o.suppress);
        if (r.audits == 0)
            fprintf(stderr, "note: no audits in this period (%s)\n", o.period.label);
        rc = render(&r, o.fmt, o.path);
        if (rc == 0)
            cli_wrote(o.path, "report", "%s, %ld audit%s", o.period.label, r.audits, r.audits == 1 ? "" : "s");
        report_free(&r);
    }
    ca_error_free(&err);
    db_close(db);
    return rc;
}
