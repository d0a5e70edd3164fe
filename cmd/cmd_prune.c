#include <stdio.h>

#include "audit/prune.h"
#include "cmd/cli.h"

static const cli_opt prune_opts[] = {
    CLI_VALUE('b', "before", "DATE", 0, "also prune snapshots with an as-of date before DATE"),
    CLI_FLAG('n', "dry-run", 0, "say what would be deleted, delete nothing"),
    CLI_END_OF_TABLE,
};
static const cli_spec prune_spec = {
    "prune", prune_opts,
    "Data minimisation: deletes the case rows of snapshots that no round drew from\n"
    "(the latest snapshot is kept, for the month's draw), and with --before, the case\n"
    "rows of older snapshots that are on no round's list. Rounds keep their own copy\n"
    "of the cases they drew and their strata counts, so lists and reports do not change.\n",
    NULL,
    NULL,
};

int cmd_prune(int argc, char **argv)
{
    int before = -1, dry_run = 0, c;
    cli_args a;
    cli_args_begin(&a, &prune_spec, argc, argv);
    while ((c = cli_next(&a)) > 0) {
        switch (c) {
        case 'b':
            if (cli_parse_date("--before", a.value, &before))
                return CA_REFUSED;
            break;
        case 'n':
            dry_run = 1;
            break;
        }
    }
    if (c == CLI_STOP)
        return a.status;

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
