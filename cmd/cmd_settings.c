/* settings (SPEC §9): the council's name and the protective marking its reports carry. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "audit/setting.h"
#include "cmd/cli.h"
#include "cmd/output.h"

static const char settings_usage[] =
    "usage: caseaudit settings [--format table|csv|json]\n"
    "       caseaudit settings council \"NAME\"\n"
    "       caseaudit settings marking \"MARKING\"\n";

static const char settings_help[] =
    "\nWhat every report carries:\n"
    "  settings council \"Anyshire County Council\"   the council's name, at the top of each report\n"
    "  settings marking \"OFFICIAL-SENSITIVE\"         the protective marking, at the top (and foot) of\n"
    "                                               each report; OFFICIAL-SENSITIVE until set\n"
    "Without arguments, lists both.\n";

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
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    enum out_format fmt = OUT_TABLE;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (out_format_parse(optarg, OUT_ALLOW(OUT_TABLE) | OUT_ALLOW(OUT_CSV) | OUT_ALLOW(OUT_JSON), &fmt))
                return CA_USAGE;
            break;
        case 'h': return printf("%s", settings_usage), cli_help(settings_help);
        default: return cli_bad_option(settings_usage, argv, c);
        }
    }
    int nargs = argc - optind;
    if (nargs == 1 || nargs > 2)
        return cli_usage_error(settings_usage, "settings takes a setting and its value, or nothing");
    if (nargs == 2 && strcmp(argv[optind], "council") != 0 && strcmp(argv[optind], "marking") != 0)
        return cli_usage_error(settings_usage, "unknown setting '%s' (council, marking)", argv[optind]);
    ca_db *db; /* setting the council's name may well come first: it creates the database */
    int rc = cli_open_db(&db, nargs ? CA_DB_CREATE : CA_DB_EXISTING);
    if (rc)
        return rc;
    if (nargs == 0) {
        rc = list_settings(db, fmt);
    } else {
        ca_error err = CA_ERROR_INIT;
        if (setting_set(db, argv[optind], argv[optind + 1], &err) == CA_OK)
            printf("Setting saved: %s \"%s\"\n", argv[optind], argv[optind + 1]);
        else
            rc = cli_report(&err);
        ca_error_free(&err);
    }
    db_close(db);
    return rc;
}
