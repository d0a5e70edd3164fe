/* alias (SPEC §4): a council's own spellings of columns, plan values and teams. */
#include <stdio.h>
#include <string.h>

#include "audit/alias.h"
#include "audit/store/aliases.h"
#include "cmd/cli.h"
#include "cmd/output.h"

static const cli_opt alias_opts[] = {
    CLI_ARG("list", CLI_FORM(1), NULL),
    CLI_VALUE('f', "format", "table|csv|json", CLI_FORM(1), "the output format of the list (default table)"),
    CLI_ARG("add", CLI_REQUIRED | CLI_FORM(2), NULL),
    CLI_ARG("remove", CLI_REQUIRED | CLI_FORM(3), NULL),
    CLI_ARG("column|plan|team", CLI_REQUIRED | CLI_FORM(2) | CLI_FORM(3), NULL),
    CLI_ARG("SPELLING", CLI_REQUIRED | CLI_FORM(2) | CLI_FORM(3), NULL),
    CLI_ARG("TARGET", CLI_REQUIRED | CLI_FORM(2), NULL),
    CLI_END_OF_TABLE,
};
static const cli_spec alias_spec = {
    "alias", alias_opts,
    "A council's own spellings, used by every later import:\n"
    "  alias add column \"Ref No\" case_id     a column name for one caseaudit reads (case_id,\n"
    "                                         date_of_birth, age, plan_type, team, worker,\n"
    "                                         plan_start, plan_end, gender, ethnicity, disability)\n"
    "  alias add plan \"Supervision Order\" CP  a plan value for a plan type (EH, CIN, CP, CLA, CL)\n"
    "  alias add team \"CWD\" \"Children with Disabilities\"   a team's spelling for the team\n"
    "Spellings match whatever their case, spaces and punctuation. Built in already: Person ID,\n"
    "Child ID, Client ID; Current Plan, Legal Status; Service Area, Team Name; Key Worker; CP Plan,\n"
    "CIN Plan, Early Help Plan, TAF, Section 20, S20, Care Order, Pathway Plan and others.\n",
    NULL,
    NULL,
};

static int add_alias_row(void *u, const alias_row *r)
{
    otab_row(u);
    otab_text(u, r->kind);
    otab_text(u, r->spelling);
    otab_text(u, r->target);
    return 0;
}

static int list_aliases(ca_db *db, enum out_format fmt)
{
    ca_error err = CA_ERROR_INIT;
    out_table *t = otab_new();
    otab_col(t, "kind", COL_TEXT);
    otab_col(t, "spelling", COL_TEXT);
    otab_col(t, "means", COL_TEXT);
    int rc = aliases_list(db, add_alias_row, t, &err) != CA_OK ? cli_report(&err) : 0;
    if (!rc && fmt == OUT_TABLE && otab_nrows(t) == 0)
        fprintf(stderr, "No aliases yet: add one with 'caseaudit alias add column|plan|team \"SPELLING\" TARGET'.\n");
    else if (!rc)
        rc = otab_write(t, fmt, stdout) ? CA_SYSTEM : 0;
    otab_free(t);
    ca_error_free(&err);
    return rc;
}

int cmd_alias(int argc, char **argv)
{
    enum out_format fmt = OUT_TABLE;
    int c;
    cli_args args;
    cli_args_begin(&args, &alias_spec, argc, argv);
    while ((c = cli_next(&args)) > 0) {
        if (c == 'f' &&
            out_format_parse(args.value, OUT_ALLOW(OUT_TABLE) | OUT_ALLOW(OUT_CSV) | OUT_ALLOW(OUT_JSON), &fmt))
            return CA_USAGE;
    }
    if (c == CLI_STOP)
        return args.status;
    int nargs = args.npos;
    const char *sub = nargs ? args.pos[0] : "list";
    int adding = strcmp(sub, "add") == 0, removing = strcmp(sub, "remove") == 0;
    if (!adding && !removing && strcmp(sub, "list") != 0)
        return cli_usage_error(&alias_spec, "unknown subcommand '%s'", sub);
    if ((adding && nargs != 4) || (removing && nargs != 3) || (!adding && !removing && nargs > 1))
        return cli_usage_error(&alias_spec, "alias %s takes %s", sub,
                               adding ? "a kind, a spelling and what it means" : removing ? "a kind and a spelling"
                                                                                          : "no argument");
    ca_db *db;
    int rc = cli_open_db(&db, CA_DB_EXISTING);
    if (rc)
        return rc;
    ca_error err = CA_ERROR_INIT;
    char **a = args.pos;
    if (adding && alias_add(db, a[1], a[2], a[3], &err) == CA_OK)
        printf("Alias added: %s \"%s\" means \"%s\"\n", a[1], a[2], a[3]);
    else if (removing && alias_remove(db, a[1], a[2], &err) == CA_OK)
        printf("Alias removed: %s \"%s\"\n", a[1], a[2]);
    else if (!adding && !removing)
        rc = list_aliases(db, fmt);
    if (err.status)
        rc = cli_report(&err);
    ca_error_free(&err);
    db_close(db);
    return rc;
}
