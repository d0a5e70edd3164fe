/* cli.h: what the command implementations share. Only cmd/ talks to the user.
 *
 * Every command is `int cmd_NAME(int argc, char **argv)`; argv[0] is the command
 * name, and the return value is the exit status of SPEC §10.
 */
#ifndef CASEAUDIT_CLI_H
#define CASEAUDIT_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "audit/clock.h"
#include "audit/store/store.h"
#include "audit/error.h"
#include "audit/render/output.h"
#include "cmd/options.h"

/* Global options, set by main() before dispatch. */
extern const char *cli_db_path;  /* --db, else $CASEAUDIT_DB, else ./caseaudit.db */
extern const char *cli_by;       /* --by, else $USER; NULL when neither */
extern ca_clock cli_clock;       /* $CASEAUDIT_NOW, else the system clock */
extern int cli_network_ok;       /* --allow-network-filesystem */

/* Today by cli_clock, for commands that need it before opening the database. */
ca_day cli_today(void);

/* Opens the database (creating it only with CA_DB_CREATE) and sets the actor.
 * Returns 0, or prints the error and returns its exit status. */
int cli_open_db(ca_db **db, enum ca_db_mode mode);

/* Prints "error: MSG" and then each problem on its own line (with "and N more"
 * past the limit) to standard error, and returns err->status (1 if unset). */
int cli_report(const ca_error *err);

/* --problems FILE: every problem of a refused file as CSV (file,line,column,value,
 * problem), written 0600 through a temporary file. cli_problems_open attaches the
 * writer to err as its sink (path NULL: nothing); cli_problems_close keeps the file
 * when the command was refused (ok 0) and says on standard error what it wrote, and
 * removes it otherwise. Both return 0 or an exit status (printed). */
typedef struct cli_problems cli_problems;
int cli_problems_open(cli_problems **out, const char *path, ca_error *err);
int cli_problems_close(cli_problems *p, int refused);

/* Prints "error: ..." and the command's usage lines (none when spec is NULL)
 * to standard error; returns 2. */
int cli_usage_error(const cli_spec *spec, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The period options that report and evidence share: `other` (--quarter, --months), when
 * given, excludes --from and --to, which go together and in order (-1 when absent).
 * 0, or the exit status after printing why. */
int cli_check_period(const cli_spec *spec, int other_given, const char *other, long from, long to);

/* An xlsx or html file cannot go to standard output: 0, or the usage status after saying so. */
int cli_check_file_format(const cli_spec *spec, enum out_format fmt, const char *path);

/* Prints "error: ..." and returns status. */
int cli_error(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Parses --encoding: CSVR_UTF8 or CSVR_CP1252 (audit/csvread.h); -1 after printing a usage error.
 * Without --encoding a file is read as UTF-8 when it is, else as Windows-1252 (CSVR_AUTO). */
int cli_parse_encoding(const cli_spec *spec, const char *value);

/* Parses a date argument of option OPT (SPEC §4 formats) or prints why not and
 * returns 1 (an invalid value is data: exit 1). */
int cli_parse_date(const char *opt, const char *value, int *day);

/* A seed as given and in hex: "20261101 = 0x00000000013528ed" (given NULL: the hex only). */
const char *cli_seed_text(const char *given, uint64_t seed, char *buf, size_t len);

/* After writing PATH with -o: "Wrote WHAT PATH: DETAIL" on standard error (SPEC §10).
 * Nothing when PATH is NULL or "-" (standard output). */
void cli_wrote(const char *path, const char *what, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A date cell (ISO text), empty for -1. */
struct out_table;
void cli_date_cell(struct out_table *t, ca_day day);

/* The commands (one file each, cmd/cmd_NAME.c). */
int cmd_import(int argc, char **argv);
int cmd_snapshots(int argc, char **argv);
int cmd_alias(int argc, char **argv);
int cmd_snapshot(int argc, char **argv);
int cmd_round(int argc, char **argv);
int cmd_sample(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_rounds(int argc, char **argv);
int cmd_outstanding(int argc, char **argv);
int cmd_people(int argc, char **argv);
int cmd_assign(int argc, char **argv);
int cmd_grade(int argc, char **argv);
int cmd_domains(int argc, char **argv);
int cmd_actions(int argc, char **argv);
int cmd_action(int argc, char **argv);
int cmd_moderation(int argc, char **argv);
int cmd_moderate(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_evidence(int argc, char **argv);
int cmd_settings(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_prune(int argc, char **argv);

#endif
