/* outstanding (SPEC §13): who has not returned their audits, and how late. */
#include <stdio.h>
#include <string.h>

#include "audit/store/rounds.h"
#include "cmd/cli.h"
#include "cmd/output.h"

static const cli_opt outstanding_opts[] = {
    CLI_ARG("ROUND", CLI_OR, "that round only (also when everything is in)"),
    CLI_FLAG('a', "all", 0, "every round"),
    CLI_FLAG('c', "cases", 0, "the outstanding cases themselves: round, case_id, auditor, due"),
    CLI_VALUE('f', "format", "table|csv|json|md", 0, "the output format (default table)"),
    CLI_END_OF_TABLE,
};
static const cli_spec outstanding_spec = {
    "outstanding", outstanding_opts,
    "Chasing returns: per round and auditor, the cases allocated, returned (graded,\n"
    "by them or a stand-in) and outstanding, with the round's due date and how many\n"
    "days late the outstanding ones are (days_overdue: negative is days left).\n"
    "Default scope: every round with an ungraded case.\n",
    NULL,
    NULL,
};

/* "3 days late", "due in 2 days", "due today", "no due date", "all returned". */
static void status_text(long outstanding, int has_due, long days, char *buf, size_t len)
{
    if (!outstanding)
        snprintf(buf, len, "all returned");
    else if (!has_due)
        snprintf(buf, len, "no due date");
    else if (days > 0)
        snprintf(buf, len, "%ld day%s late", days, days == 1 ? "" : "s");
    else if (days < 0)
        snprintf(buf, len, "due in %ld day%s", -days, days == -1 ? "" : "s");
    else
        snprintf(buf, len, "due today");
}

/* The lateness cells: days_overdue (empty without a due date or when all is in) and status. */
static void lateness_cells(out_table *t, long outstanding, int has_due, long days)
{
    char status[64];
    if (outstanding && has_due)
        otab_int(t, days);
    else
        otab_null(t);
    status_text(outstanding, has_due, days, status, sizeof status);
    otab_text(t, status);
}

static int add_auditor_row(void *u, const round_outstanding_row *r)
{
    out_table *t = u;
    otab_row(t);
    otab_text(t, r->round);
    otab_text(t, r->auditor);
    otab_int(t, r->allocated);
    otab_int(t, r->returned);
    otab_int(t, r->outstanding);
    cli_date_cell(t, r->due);
    lateness_cells(t, r->outstanding, r->has_due, r->days_overdue);
    return 0;
}

static int add_case_row(void *u, const round_outstanding_case_row *r)
{
    out_table *t = u;
    otab_row(t);
    otab_text(t, r->round);
    otab_text(t, r->case_id);
    otab_text(t, r->auditor);
    cli_date_cell(t, r->due);
    lateness_cells(t, 1, r->has_due, r->days_overdue);
    return 0;
}

static void outstanding_columns(out_table *t, int cases)
{
    otab_col(t, "round", COL_TEXT);
    if (cases) {
        otab_col(t, "case_id", COL_TEXT);
        otab_col(t, "auditor", COL_TEXT);
    } else {
        otab_col(t, "auditor", COL_TEXT);
        otab_col(t, "allocated", COL_INT);
        otab_col(t, "returned", COL_INT);
        otab_col(t, "outstanding", COL_INT);
    }
    otab_col(t, "due", COL_DATE);
    otab_col(t, "days_overdue", COL_INT);
    otab_col(t, "status", COL_TEXT);
}

int cmd_outstanding(int argc, char **argv)
{
    enum out_format fmt = OUT_TABLE;
    int c, all = 0, cases = 0;
    cli_args a;
    cli_args_begin(&a, &outstanding_spec, argc, argv);
    while ((c = cli_next(&a)) > 0) {
        switch (c) {
        case 'a': all = 1; break;
        case 'c': cases = 1; break;
        case 'f':
            if (out_format_parse(a.value, OUT_ALLOW(OUT_TABLE) | OUT_ALLOW(OUT_CSV) | OUT_ALLOW(OUT_JSON) |
                                 OUT_ALLOW(OUT_MD), &fmt))
                return CA_USAGE;
            break;
        }
    }
    if (c == CLI_STOP)
        return a.status;
    const char *label = a.npos ? a.pos[0] : NULL;
    if (label && all)
        return cli_usage_error(&outstanding_spec, "give a ROUND or --all, not both");
    ca_db *db;
    int rc = cli_open_db(&db, CA_DB_EXISTING);
    if (rc)
        return rc;
    ca_error err = CA_ERROR_INIT;
    round_info round = {.id = 0};
    out_table *t = otab_new();
    outstanding_columns(t, cases);
    if (label && round_by_label(db, label, &round, &err) != CA_OK)
        goto fail;
    if ((cases ? rounds_outstanding_cases(db, round.id, all, cli_today(), add_case_row, t, &err)
               : rounds_outstanding(db, round.id, all, cli_today(), add_auditor_row, t, &err)) != CA_OK)
        goto fail;
    if (fmt == OUT_TABLE && otab_nrows(t) == 0 && (label || cases))
        fprintf(stderr, "Nothing outstanding%s%s: every case is graded.\n", label ? " in round " : "", label ? label : "");
    else if (fmt == OUT_TABLE && otab_nrows(t) == 0)
        fprintf(stderr, all ? "No rounds yet.\n" : "Nothing outstanding: every case of every round is graded.\n");
    else
        rc = otab_write(t, fmt, stdout) ? cli_error(CA_SYSTEM, "cannot write the output") : 0;
    goto done;
fail:
    rc = cli_report(&err);
done:
    otab_free(t);
    ca_error_free(&err);
    db_close(db);
    return rc;
}
