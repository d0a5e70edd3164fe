/* main.c: global options and the command table; each command lives in its own file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"
#include "cmd/web/web.h"

struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
};

static const struct command commands[] = {
    {"import", cmd_import, "import the monthly list of open cases (a snapshot)"},
    {"snapshots", cmd_snapshots, "list the imported snapshots"},
    {"snapshot", cmd_snapshot, "delete a snapshot imported by mistake"},
    {"alias", cmd_alias, "a council's own spellings of columns, plan values and teams"},
    {"sample", cmd_sample, "draw a month's stratified random audit list"},
    {"list", cmd_list, "export a round's audit list"},
    {"rounds", cmd_rounds, "list the rounds and their progress"},
    {"round", cmd_round, "delete a round drawn by mistake, before any grade"},
    {"outstanding", cmd_outstanding, "who has not returned their audits, and how late"},
    {"people", cmd_people, "the people register: import, list, disable"},
    {"assign", cmd_assign, "allocate a round's cases to auditors"},
    {"grade", cmd_grade, "record audit grades, one case or a returned list"},
    {"domains", cmd_domains, "list or add audit domains"},
    {"actions", cmd_actions, "list actions raised by audits"},
    {"action", cmd_action, "mark an action done"},
    {"moderation", cmd_moderation, "pick audits for moderation, or export the moderation list"},
    {"moderate", cmd_moderate, "record moderation outcomes"},
    {"report", cmd_report, "the quarterly report"},
    {"evidence", cmd_evidence, "every case audited in a period and how it was chosen (for inspectors)"},
    {"settings", cmd_settings, "the council's name and the protective marking reports carry"},
    {"history", cmd_history, "the event log, for the whole database or one case"},
    {"serve", cmd_serve, "the web front end: auditors grade and managers moderate in a browser"},
    {"prune", cmd_prune, "delete case rows no longer needed (data minimisation)"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: caseaudit [--db PATH] [--by NAME] COMMAND [OPTIONS]\n"
               "       caseaudit COMMAND --help\n"
               "       caseaudit --version\n\n"
               "Audits of children's social care cases: import the monthly case list, draw a\n"
               "stratified random sample, record grades and moderation, report each quarter.\n\n"
               "Commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(f, "  %-11s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\nGlobal options:\n"
               "  --db PATH   the database (else $CASEAUDIT_DB, else ./caseaudit.db)\n"
               "  --by NAME   who is making the change, for the event log (else $USER)\n"
               "  --allow-network-filesystem\n"
               "              open a database on an NFS or SMB drive (refused otherwise: SQLite's locking\n"
               "              is unreliable there; run 'caseaudit serve' on one machine instead)\n\n"
               "Exit status: 0 done; 1 refused (invalid data or a broken rule, nothing changed);\n"
               "2 usage error; 3 system error (database locked, I/O, corrupt or too-new database).\n");
}

/* Takes "--opt VALUE" or "--opt=VALUE" at argv[*i]; returns the value or NULL. */
static const char *global_value(int argc, char **argv, int *i, const char *opt)
{
    size_t n = strlen(opt);
    if (strncmp(argv[*i], opt, n) != 0)
        return NULL;
    if (argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (argv[*i][n] != 0)
        return NULL;
    if (*i + 1 >= argc)
        return "";
    return argv[++*i];
}

int main(int argc, char **argv)
{
    cli_db_path = getenv("CASEAUDIT_DB");
    if (!cli_db_path || !*cli_db_path)
        cli_db_path = "caseaudit.db";
    cli_by = getenv("USER");
    const char *now = getenv("CASEAUDIT_NOW");
    if (now && *now && clock_parse(now, &cli_clock) != CA_OK)
        return cli_usage_error(NULL, "$CASEAUDIT_NOW must be an ISO UTC time such as 2026-11-24T12:00:00Z"
                               " (it is \"%s\")", now);

    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *v;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        }
        if (strcmp(argv[i], "--version") == 0) {
            printf("caseaudit %s\n", CASEAUDIT_VERSION);
            return 0;
        }
        if (strcmp(argv[i], "--allow-network-filesystem") == 0) {
            cli_network_ok = 1;
        } else if ((v = global_value(argc, argv, &i, "--db"))) {
            if (!*v)
                return cli_usage_error(NULL, "--db needs a path"), usage(stderr), CA_USAGE;
            cli_db_path = v;
        } else if ((v = global_value(argc, argv, &i, "--by"))) {
            if (!*v)
                return cli_usage_error(NULL, "--by needs a name"), usage(stderr), CA_USAGE;
            cli_by = v;
        } else {
            cli_usage_error(NULL, "unknown option '%s'", argv[i]);
            usage(stderr);
            return CA_USAGE;
        }
    }
    if (i >= argc) {
        usage(stderr);
        return CA_USAGE;
    }
    static char help_opt[] = "--help";
    char *help_argv[] = {NULL, help_opt, NULL};
    if (strcmp(argv[i], "help") == 0) {
        if (i + 1 >= argc) {
            usage(stdout);
            return 0;
        }
        help_argv[0] = argv[i + 1];
        argv = help_argv;
        argc = 2;
        i = 0;
    }
    for (size_t c = 0; c < sizeof commands / sizeof *commands; c++)
        if (strcmp(argv[i], commands[c].name) == 0) {
            fflush(stdout);
            int rc = commands[c].fn(argc - i, argv + i);
            if (fflush(stdout) != 0 && rc == 0)
                rc = cli_error(CA_SYSTEM, "cannot write the output: standard output failed");
            return rc;
        }
    cli_usage_error(NULL, "unknown command '%s' (see 'caseaudit --help')", argv[i]);
    return CA_USAGE;
}
