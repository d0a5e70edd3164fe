/* round delete, snapshot delete (SPEC §4, §5): removing what was made by mistake,
 * before it counts: a round with no grade, a snapshot no round drew from. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/prune.h"
#include "cmd/cli.h"

static const char round_usage[] = "usage: caseaudit round delete ROUND\n";
static const char snapshot_usage[] = "usage: caseaudit snapshot delete ID\n";

/* "delete ARG" and nothing else; 0 with *arg set, or a usage status. */
static int delete_arg(int argc, char **argv, const char *usage, const char *help, const char **arg)
{
    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
        return printf("%s", usage), cli_help(help), -1;
    if (argc < 2 || strcmp(argv[1], "delete") != 0)
        return cli_usage_error(usage, argc < 2 ? "expected 'delete'" : "unknown subcommand '%s'",
                               argc < 2 ? "" : argv[1]);
    if (argc != 3)
        return cli_usage_error(usage, argc < 3 ? "give what to delete" : "unexpected argument '%s'", argv[3]);
    *arg = argv[2];
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
    int rc = delete_arg(argc, argv, round_usage,
                        "\nDeletes a round drawn by mistake, with its list and allocation, as long as no grade\n"
                        "is recorded for it (a graded round can never be deleted). The event log keeps it.\n",
                        &label);
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
    int rc = delete_arg(argc, argv, snapshot_usage,
                        "\nDeletes a snapshot imported by mistake (the wrong file, the wrong date), with its\n"
                        "case rows, as long as no round drew from it. The event log keeps it.\n",
                        &id);
    if (rc)
        return rc < 0 ? 0 : rc;
    char done[100];
    snprintf(done, sizeof done, "Snapshot %s deleted.", id);
    return run_delete(delete_snapshot_text, id, done);
}
