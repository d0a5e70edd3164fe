/* report (SPEC §9): one model, rendered as table, md, html, csv, json or xlsx. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"
#include "cmd/output.h"
#include "moderation/render/render.h"
#include "moderation/report.h"

static const cli_opt report_opts[] = {
    CLI_VALUE('q', "quarter", "Q", CLI_OR, "2026Q3 (July-September) or 2026/27Q2 (financial year)"),
    CLI_VALUE('F', "from", "DATE", CLI_AND,
              "or the first day of any other period (default: the last\ncomplete quarter)"),
    CLI_VALUE('T', "to", "DATE", 0, "and its last day"),
    CLI_VALUE('b', "by", "DIMS", 0, "breakdowns: comma list of plan, age, team, auditor (default plan,age)"),
    CLI_VALUE('a', "as-at", "DATE", 0, "the report as it stood at the end of DATE"),
    CLI_VALUE('f', "format", "table|md|html|csv|json|xlsx", 0,
              "the output format (default table; html and xlsx need -o)"),
    CLI_VALUE1('o', "output", 'o', "FILE", 0, "write to FILE (mode 0600)"),
    CLI_VALUE('s', "suppress-below", "K", 0, "show counts below K as <K in breakdowns (for public papers)"),
    CLI_END_OF_TABLE,
};
static const cli_spec report_spec = {
    "report", report_opts,
    "The quarterly report: audits completed, grade shares as audited and after moderation\n"
    "(95% Wilson intervals), the design-weighted estimate for all open cases, moderation\n"
    "(agreed, downgraded, upgraded, the transition matrix, Cohen's kappa, the sign test),\n"
    "breakdowns, domains, actions and the trend over four quarters. No child's identifier\n"
    "appears in any report.\n",
    NULL,
    NULL,
};

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
            return cli_usage_error(&report_spec, "--by: '%s' is not one of plan, age, team, auditor (or is "
                                   "given twice)", tok);
        o->dims[o->ndims++] = (enum report_dim)found;
    }
    return 0;
}

/* One option and its value: 0, or the exit status. */
static int parse_option(int c, char *value, struct options *o)
{
    char why[160], *end;
    switch (c) {
    case 'q':
        if (period_parse_quarter(value, &o->period, why, sizeof why) != CA_OK)
            return cli_error(CA_REFUSED, "--quarter \"%s\": %s", value, why);
        o->have_quarter = 1;
        return 0;
    case 'F': return cli_parse_date("--from", value, &o->from) ? CA_REFUSED : 0;
    case 'T': return cli_parse_date("--to", value, &o->to) ? CA_REFUSED : 0;
    case 'a': return cli_parse_date("--as-at", value, &o->as_at) ? CA_REFUSED : 0;
    case 'b': return parse_by(value, o);
    case 'f': return out_format_parse(value, 0x3f, &o->fmt) ? CA_USAGE : 0;
    case 'o': o->path = value; return 0;
    case 's':
        o->suppress = strtol(value, &end, 10);
        if (*end || o->suppress < 1)
            return cli_error(CA_REFUSED, "--suppress-below \"%s\": expected a whole number above 0", value);
        return 0;
    default: return 0;
    }
}

/* The options and how they combine: 0, or the exit status (*done when help was printed). */
static int parse_options(int argc, char **argv, struct options *o, int *done)
{
    *o = (struct options){.from = -1, .to = -1, .as_at = -1, .ndims = 2, .dims = {BY_PLAN, BY_AGE}, .fmt = OUT_TABLE};
    int c, rc;
    cli_args a;
    cli_args_begin(&a, &report_spec, argc, argv);
    while ((c = cli_next(&a)) > 0)
        if ((rc = parse_option(c, a.value, o)) != 0)
            return rc;
    if (c == CLI_STOP)
        return *done = 1, a.status;
    if ((rc = cli_check_period(&report_spec, o->have_quarter, "--quarter", o->from, o->to)) != 0 ||
        (rc = cli_check_file_format(&report_spec, o->fmt, o->path)) != 0)
        return rc;
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
