/* round delete, snapshot delete (SPEC §4, §5): removing what was made by mistake,
 * before it counts: a round with no grade, a snapshot no round drew from. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/prune.h"
#include "cmd/cli.h"

static const cli_opt round_opts[] = {
    CLI_ARG("delete", CLI_REQUIRED, NULL),
    CLI_ARG("ROUND", CLI_REQUIRED, NULL),
    CLI_END_OF_TABLE,
};
static const cli_spec round_spec = {
    "round", round_opts,
    "Deletes a round drawn by mistake, with its list and allocation, as long as no grade\n"
    "is recorded for it (a graded round can never be deleted). The event log keeps it.\n",
    NULL,
    NULL,
};

static const cli_opt snapshot_opts[] = {
    CLI_ARG("delete", CLI_REQUIRED, NULL),
    CLI_ARG("ID", CLI_REQUIRED, NULL),
    CLI_END_OF_TABLE,
};
static const cli_spec snapshot_spec = {
    "snapshot", snapshot_opts,
    "Deletes a snapshot imported by mistake (the wrong file, the wrong date), with its\n"
    "case rows, as long as no round drew from it. The event log keeps it.\n",
    NULL,
    NULL,
};

/* "delete ARG" and nothing else; 0 with *arg set, -1 after --help, or a usage status. */
static int delete_arg(int argc, char **argv, const cli_spec *spec, const char **arg)
{
    cli_args a;
    cli_args_begin(&a, spec, argc, argv);
    if (cli_next(&a) == CLI_STOP) /* the tables have no options: CLI_STOP or CLI_DONE */
        return a.status ? a.status : -1;
    if (a.npos < 1 || strcmp(a.pos[0], "delete") != 0)
        return cli_usage_error(spec, a.npos < 1 ? "expected 'delete'" : "unknown subcommand '%s'",
                               a.npos < 1 ? "" : a.pos[0]);
    if (a.npos < 2)
        return cli_usage_error(spec, "give what to delete");
    *arg = a.pos[1];
    return 0;
}

static int run_delete(int (*fn)(ca_db *, const char *, ca_error *), const char *arg, const char *done)
{
    ca_db *db;
    int rc = cli_open_db(&db, CA_DB_EXISTING);
    if (rc)
        return rc;
    ca_error err = CA_ERROR_INIT;
    if (fn(db, arg, &err) != CA_OK)
        rc = cli_report(&err);
    else
        printf("%s\n", done);
    ca_error_free(&err);
    db_close(db);
    return rc;
}

int cmd_round(int argc, char **argv)
{
    const char *label = NULL;
    int rc = delete_arg(argc, argv, &round_spec, &label);
    if (rc)
        return rc < 0 ? 0 : rc;
    char done[200];
    snprintf(done, sizeof done, "Round %s deleted.", label);
    return run_delete(round_delete, label, done);
}

static int delete_snapshot_text(ca_db *db, const char *id, ca_error *err)
{
    char *end;
    long n = strtol(id, &end, 10);
    if (*end || n <= 0)
        return ca_fail(err, CA_REFUSED, "\"%s\" is not a snapshot id (see 'caseaudit snapshots')", id);
    return snapshot_delete(db, n, err);
}

int cmd_snapshot(int argc, char **argv)
{
    const char *id = NULL;
    int rc = delete_arg(argc, argv, &snapshot_spec, &id);
    if (rc)
        return rc < 0 ? 0 : rc;
    char done[100];
    snprintf(done, sizeof done, "Snapshot %s deleted.", id);
    return run_delete(delete_snapshot_text, id, done);
}
