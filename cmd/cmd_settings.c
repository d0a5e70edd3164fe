/* settings (SPEC §9): the council's name and the protective marking its reports carry. */
#include <stdio.h>
#include <string.h>

#include "audit/setting.h"
#include "cmd/cli.h"
#include "cmd/output.h"

static const cli_opt settings_opts[] = {
    CLI_VALUE('f', "format", "table|csv|json", CLI_FORM(1), "the output format of the list (default table)"),
    CLI_ARG("council", CLI_REQUIRED | CLI_FORM(2), NULL),
    CLI_ARG("NAME", CLI_REQUIRED | CLI_FORM(2), NULL),
    CLI_ARG("marking", CLI_REQUIRED | CLI_FORM(3), NULL),
    CLI_ARG("MARKING", CLI_REQUIRED | CLI_FORM(3), NULL),
    CLI_END_OF_TABLE,
};
static const cli_spec settings_spec = {
    "settings", settings_opts,
    "What every report carries:\n"
    "  settings council \"Anyshire County Council\"   the council's name, at the top of each report\n"
    "  settings marking \"OFFICIAL-SENSITIVE\"         the protective marking, at the top and foot of\n"
    "                                               each report; OFFICIAL-SENSITIVE until set\n"
    "Without arguments, lists both.\n",
    NULL,
    NULL,
};

static int list_settings(ca_db *db, enum out_format fmt)
{
    ca_error err = CA_ERROR_INIT;
    ca_settings s;
    int rc = settings_read(db, &s, &err) != CA_OK ? cli_report(&err) : 0;
    ca_error_free(&err);
    if (rc)
        return rc;
    out_table *t = otab_new();
    otab_col(t, "setting", COL_TEXT);
    otab_col(t, "value", COL_TEXT);
    otab_col(t, "default", COL_TEXT);
    otab_row(t), otab_text(t, "council"), otab_text(t, s.council_set ? s.council : NULL);
    otab_text(t, s.council_set ? "" : "not set");
    otab_row(t), otab_text(t, "marking"), otab_text(t, s.marking);
    otab_text(t, s.marking_set ? "" : "default");
    rc = otab_write(t, fmt, stdout) ? CA_SYSTEM : 0;
    otab_free(t);
    return rc;
}

int cmd_settings(int argc, char **argv)
{
    enum out_format fmt = OUT_TABLE;
    int c;
    cli_args args;
    cli_args_begin(&args, &settings_spec, argc, argv);
    while ((c = cli_next(&args)) > 0) {
        if (c == 'f' &&
            out_format_parse(args.value, OUT_ALLOW(OUT_TABLE) | OUT_ALLOW(OUT_CSV) | OUT_ALLOW(OUT_JSON), &fmt))
            return CA_USAGE;
    }
    if (c == CLI_STOP)
        return args.status;
    int nargs = args.npos;
    char **a = args.pos;
    if (nargs == 1 || nargs > 2)
        return cli_usage_error(&settings_spec, "settings takes a setting and its value, or nothing");
    if (nargs == 2 && strcmp(a[0], "council") != 0 && strcmp(a[0], "marking") != 0)
        return cli_usage_error(&settings_spec, "unknown setting '%s' (council, marking)", a[0]);
    ca_db *db; /* setting the council's name may well come first: it creates the database */
    int rc = cli_open_db(&db, nargs ? CA_DB_CREATE : CA_DB_EXISTING);
    if (rc)
        return rc;
    if (nargs == 0) {
        rc = list_settings(db, fmt);
    } else {
        ca_error err = CA_ERROR_INIT;
        if (setting_set(db, a[0], a[1], &err) == CA_OK)
            printf("Setting saved: %s \"%s\"\n", a[0], a[1]);
        else
            rc = cli_report(&err);
        ca_error_free(&err);
    }
    db_close(db);
    return rc;
}
