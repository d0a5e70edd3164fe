#include <getopt.h>
#include <stdio.h>

#include "audit/prune.h"
#include "cmd/cli.h"

static const char usage[] =
    "usage: caseaudit prune [--before DATE] [--dry-run]\n";
static const char help[] =
    "usage: caseaudit prune [--before DATE] [--dry-run]\n\n"
    "Data minimisation: deletes the case rows of snapshots that no round drew from\n"
    "(the latest snapshot is kept, for the month's draw), and with --before, the case\n"
    "rows of older snapshots that are on no round's list. Rounds keep their own copy\n"
    "of the cases they drew and their strata counts, so lists and reports do not change.\n\n"
    "  --before DATE   also prune snapshots with an as-of date before DATE\n"
    "  --dry-run       say what would be deleted, delete nothing\n";

int cmd_prune(int argc, char **argv)
{
    static const struct option opts[] = {
        {"before", required_argument, NULL, 'b'},
        {"dry-run", no_argument, NULL, 'n'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int before = -1, dry_run = 0, c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        switch (c) {
        case 'b':
            if (cli_parse_date("--before", optarg, &before))
                return CA_REFUSED;
            break;
        case 'n':
            dry_run = 1;
            break;
        case 'h':
            return cli_help(help);
        default:
            return cli_bad_option(usage, argv, c);
        }
    }
    if (optind < argc)
        return cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);

    ca_db *db;
    int rc = cli_open_db(&db, CA_DB_EXISTING);
    if (rc)
        return rc;
    ca_error err = CA_ERROR_INIT;
    prune_result res = {0, 0};
    if (prune_run(db, before, dry_run, &res, &err) != CA_OK) {
        rc = cli_report(&err);
    } else {
        printf("%s %ld case rows from %ld snapshot%s.\n", dry_run ? "Would delete" : "Deleted", res.case_rows,
               res.snapshots, res.snapshots == 1 ? "" : "s");
    }
    ca_error_free(&err);
    db_close(db);
    return rc;
}
