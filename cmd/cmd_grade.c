/* grade, domains, actions and action (SPEC §7). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/action.h"
#include "audit/grade.h"
#include "audit/vocab.h"
#include "cmd/cli.h"
#include "audit/store/audits.h"
#include "audit/store/rounds.h"
#include "cmd/output.h"

static const char grade_usage[] =
    "usage: caseaudit grade ROUND CASE_ID --grade G --auditor NAME [--date DATE] [--domain CODE=G]...\n"
    "         [--action TEXT [--due DATE]] [--note TEXT] [--correct]\n"
    "       caseaudit grade ROUND --file FILE [--date DATE] [--encoding utf-8|cp1252]\n";
static const char grade_help[] =
    "\nRecords an auditor's grade for a case on the round's list, or many from the returned\n"
    "audit list (CSV, any column order; rows with a blank grade are skipped; a row identical\n"
    "to what is recorded is unchanged and skipped, so the whole sheet may be sent again).\n"
    "The auditor must be an active auditor in the people register, never of the case's\n"
    "own team nor its worker; someone other than the allocated auditor is recorded as a\n"
    "stand-in. Grades:\n"
    "Outstanding, Good, Requires improvement, Inadequate (or 1-4, O, G, RI, I).\n\n"
    "  --grade G          the grade\n"
    "  --auditor NAME     who audited the case\n"
    "  --date DATE        the audit date (default today; not before the round's as-of date);\n"
    "                     with --file, the date for rows whose audit_date is blank\n"
    "  --domain CODE=G    a domain grade (see 'caseaudit domains'); repeat for more\n"
    "  --action TEXT      an action for the case, owned by its allocated worker\n"
    "  --due DATE         when the action is due\n"
    "  --note TEXT        a note\n"
    "  --correct          replace an earlier grade (the earlier one stays in the history)\n"
    "  --file FILE        the returned list\n"
    "  --encoding ENC     of the file: utf-8 (default) or cp1252 (Excel on Windows)\n";

int cmd_grade(int argc, char **argv)
{
    static const struct option opts[] = {
        {"grade", required_argument, NULL, 'g'},   {"auditor", required_argument, NULL, 'a'},
        {"date", required_argument, NULL, 'd'},    {"domain", required_argument, NULL, 'D'},
        {"action", required_argument, NULL, 'A'},  {"due", required_argument, NULL, 'u'},
        {"note", required_argument, NULL, 'n'},    {"correct", no_argument, NULL, 'c'},
        {"file", required_argument, NULL, 'f'},    {"help", no_argument, NULL, 'h'},
        {"encoding", required_argument, NULL, 'e'},
        {NULL, 0, NULL, 0},
    };
    grade_input g = {.date = -1, .action_due = -1};
    const char *file = NULL;
    int c, day, rc = 0, any_single = 0, cp1252 = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1 && rc == 0) {
        any_single |= c != 'f' && c != 'h' && c != 'e' && c != 'd';
        switch (c) {
        case 'g':
            if (!(g.grade = grade_parse(optarg)))
                rc = cli_error(CA_REFUSED, "--grade \"%s\": not a grade; expected " CA_GRADE_EXPECTED, optarg);
            break;
        case 'a': free(g.auditor), g.auditor = strdup(optarg); break;
        case 'd':
            if (cli_parse_date("--date", optarg, &day))
                rc = CA_REFUSED;
            g.date = day;
            break;
        case 'D': {
            const char *eq = strchr(optarg, '=');
            if (!eq || eq == optarg) {
                rc = cli_usage_error(grade_usage, "--domain '%s': expected CODE=GRADE, as in voice=Good", optarg);
                break;
            }
            if (g.ndomains == GRADE_MAX_DOMAINS) {
                rc = cli_usage_error(grade_usage, "too many --domain options");
                break;
            }
            int dg = grade_parse(eq + 1);
            if (!dg) {
                rc = cli_error(CA_REFUSED, "--domain \"%s\": not a grade; expected " CA_GRADE_EXPECTED, optarg);
                break;
            }
            g.domain[g.ndomains] = strndup(optarg, (size_t)(eq - optarg));
            g.domain_grade[g.ndomains++] = dg;
            break;
        }
        case 'A': free(g.action), g.action = strdup(optarg); break;
        case 'u':
            if (cli_parse_date("--due", optarg, &day))
                rc = CA_REFUSED;
            g.action_due = day;
            break;
        case 'n': free(g.note), g.note = strdup(optarg); break;
        case 'c': g.correct = 1; break;
        case 'f': file = optarg; break;
        case 'e':
            if ((cp1252 = cli_parse_encoding(grade_usage, optarg)) < 0)
                rc = CA_USAGE;
            break;
        case 'h': grade_input_free(&g); return printf("%s", grade_usage), cli_help(grade_help);
        default: rc = cli_bad_option(grade_usage, argv, c);
        }
    }
    if (rc == 0) {
        int nargs = argc - optind;
        if (nargs < 1)
            rc = cli_usage_error(grade_usage, "no ROUND given");
        else if (file && (nargs > 1 || any_single))
            rc = cli_usage_error(grade_usage, "--file takes no CASE_ID and no other option but --date and --encoding");
        else if (!file && nargs != 2)
            rc = cli_usage_error(grade_usage, nargs < 2 ? "no CASE_ID given" : "unexpected argument '%s'",
                                 argv[optind + 2 < argc ? optind + 2 : optind]);
        else if (!file && !g.grade)
            rc = cli_usage_error(grade_usage, "--grade is required");
        else if (!file && !g.auditor)
            rc = cli_usage_error(grade_usage, "--auditor is required");
        else if (!file && !g.auditor[strspn(g.auditor, " \t")])
            rc = cli_error(CA_REFUSED, "--auditor is blank: give the name of the auditor who graded the case");
        else if (!file && g.action_due >= 0 && !g.action)
            rc = cli_usage_error(grade_usage, "--due needs --action");
    }
    ca_db *db = NULL;
    if (rc || (rc = cli_open_db(&db, CA_DB_EXISTING))) {
        grade_input_free(&g);
        return rc;
    }
    const char *round = argv[optind];
    ca_error err = CA_ERROR_INIT;
    grade_summary sum;
    grade_input *many = NULL;
    long n = 0, skipped = 0;
    if (file) {
        long filled = 0;
        int read = grade_read_file(db, round, file, cp1252, &many, &n, &skipped, &err);
        if (read == CA_OK && g.date >= 0)
            filled = grade_fill_dates(many, n, g.date);
        if (read != CA_OK || grade_record(db, round, many, n, &sum, &err) != CA_OK) {
            rc = cli_report(&err);
        } else {
            printf("Round %s: %ld grade%s recorded, %ld corrected, %ld unchanged, %ld row%s without a grade skipped "
                   "(not audited yet); %ld action%s raised", round, sum.recorded, sum.recorded == 1 ? "" : "s",
                   sum.corrected, sum.unchanged, skipped, skipped == 1 ? "" : "s", sum.actions,
                   sum.actions == 1 ? "" : "s");
            if (sum.stand_ins)
                printf("; %ld graded by a stand-in", sum.stand_ins);
            if (filled)
                printf("; %ld blank audit date%s filled with --date", filled, filled == 1 ? "" : "s");
            printf("\n");
        }
        for (long i = 0; i < n; i++)
            grade_input_free(&many[i]);
        free(many);
    } else {
        g.case_id = strdup(argv[optind + 1]);
        if (grade_record(db, round, &g, 1, &sum, &err) != CA_OK) {
            rc = cli_report(&err);
        } else {
            char uk[CA_DATE_ISO_LEN];
            date_uk(g.date, uk);
            if (sum.unchanged)
                printf("Round %s, case %s: unchanged (already recorded as %s by %s on %s)\n", round, g.case_id,
                       grade_label(g.grade), g.auditor, uk);
            else
                printf("Round %s, case %s: %s %s by %s on %s%s\n", round, g.case_id,
                       sum.corrected ? "corrected to" : "graded", grade_label(g.grade), g.auditor, uk,
                       g.stand_in ? " (a stand-in: not the allocated auditor)" : "");
        }
    }
    grade_input_free(&g);
    ca_error_free(&err);
    db_close(db);
    return rc;
}

/* ---- domains ---- */

static int add_domain_row(void *u, const char *code, const char *label)
{
    otab_row(u);
    otab_text(u, code);
    otab_text(u, label);
    return 0;
}

static const char domains_usage[] = "usage: caseaudit domains [--format table|json]\n"
                                    "       caseaudit domains add CODE \"Label\"\n";

int cmd_domains(int argc, char **argv)
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
            if (out_format_parse(optarg, OUT_ALLOW(OUT_TABLE) | OUT_ALLOW(OUT_JSON), &fmt))
                return CA_USAGE;
            break;
        case 'h':
            return printf("%s", domains_usage), cli_help("\nThe audit domains, graded on the same scale as the "
                                                         "case. 'add' adds one.\n");
        default: return cli_bad_option(domains_usage, argv, c);
        }
    }
    int nargs = argc - optind, adding = nargs > 0 && strcmp(argv[optind], "add") == 0;
    if (nargs > 0 && !adding)
        return cli_usage_error(domains_usage, "unknown subcommand '%s'", argv[optind]);
    if (adding && nargs != 3)
        return cli_usage_error(domains_usage, "domains add needs CODE and \"Label\"");
    ca_db *db;
    int rc = cli_open_db(&db, CA_DB_EXISTING);
    if (rc)
        return rc;
    ca_error err = CA_ERROR_INIT;
    if (adding) {
        if (domain_add(db, argv[optind + 1], argv[optind + 2], &err) != CA_OK)
            rc = cli_report(&err);
        else
            printf("Domain %s added: %s\n", argv[optind + 1], argv[optind + 2]);
    } else {
        out_table *t = otab_new();
        otab_col(t, "code", COL_TEXT);
        otab_col(t, "label", COL_TEXT);
        domains_list(db, add_domain_row, t, &err);
        if (err.status)
            rc = cli_report(&err);
        else
            rc = otab_write(t, fmt, stdout) ? CA_SYSTEM : 0;
        otab_free(t);
    }
    ca_error_free(&err);
    db_close(db);
    return rc;
}

static int add_action_row(void *u, const action_row *r)
{
    out_table *t = u;
    otab_row(t);
    otab_int(t, r->id);
    otab_text(t, r->round);
    otab_text(t, r->case_id);
    otab_text(t, r->text);
    otab_text(t, r->owner);
    cli_date_cell(t, r->due);
    cli_date_cell(t, r->done);
    otab_text(t, r->auditor);
    return 0;
}

/* ---- actions ---- */

static const char actions_usage[] = "usage: caseaudit actions [--round R] [--open] [--overdue] "
                                    "[--format table|csv|json]\n";

int cmd_actions(int argc, char **argv)
{
    static const struct option opts[] = {
        {"round", required_argument, NULL, 'r'}, {"open", no_argument, NULL, 'o'},
        {"overdue", no_argument, NULL, 'v'},     {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0},
    };
    enum out_format fmt = OUT_TABLE;
    const char *round = NULL;
    int c, open = 0, overdue = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        switch (c) {
        case 'r': round = optarg; break;
        case 'o': open = 1; break;
        case 'v': overdue = 1; break;
        case 'f':
            if (out_format_parse(optarg, OUT_ALLOW(OUT_TABLE) | OUT_ALLOW(OUT_CSV) | OUT_ALLOW(OUT_JSON), &fmt))
                return CA_USAGE;
            break;
        case 'h':
            return printf("%s", actions_usage), cli_help(
                "\nThe actions raised by audits: --open those not done, --overdue those not done\n"
                "past their due date. Mark one done with 'caseaudit action done ID'.\n");
        default: return cli_bad_option(actions_usage, argv, c);
        }
    }
    if (optind < argc)
        return cli_usage_error(actions_usage, "unexpected argument '%s'", argv[optind]);
    ca_db *db;
    int rc = cli_open_db(&db, CA_DB_EXISTING);
    if (rc)
        return rc;
    ca_error err = CA_ERROR_INIT;
    out_table *t = otab_new();
    static const char *const names[] = {"id", "round", "case_id", "action", "owner", "due", "done", "raised_by"};
    static const enum out_col_type types[] = {COL_INT, COL_TEXT, COL_TEXT, COL_TEXT, COL_TEXT, COL_DATE, COL_DATE,
                                              COL_TEXT};
    for (int k = 0; k < 8; k++)
        otab_col(t, names[k], types[k]);
    actions_list(db, round, open, overdue, cli_today(), add_action_row, t, &err);
    if (err.status)
        rc = cli_report(&err);
    else if (fmt == OUT_TABLE && otab_nrows(t) == 0)
        rc = (fprintf(stderr, "No actions%s.\n", overdue ? " overdue" : open ? " open" : ""), 0);
    else
        rc = otab_write(t, fmt, stdout) ? CA_SYSTEM : 0;
    otab_free(t);
    ca_error_free(&err);
    db_close(db);
    return rc;
}

static const char action_usage[] = "usage: caseaudit action done ID [--date DATE]\n";

int cmd_action(int argc, char **argv)
{
    static const struct option opts[] = {
        {"date", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c, day = cli_today();
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            if (cli_parse_date("--date", optarg, &day))
                return CA_REFUSED;
            break;
        case 'h': return printf("%s", action_usage), cli_help("\nMarks an action done (default today).\n");
        default: return cli_bad_option(action_usage, argv, c);
        }
    }
    if (argc - optind != 2 || strcmp(argv[optind], "done") != 0)
        return cli_usage_error(action_usage, "expected 'action done ID'");
    char *end;
    long id = strtol(argv[optind + 1], &end, 10);
    if (*end || id <= 0)
        return cli_error(CA_REFUSED, "'%s' is not an action id (see 'caseaudit actions')", argv[optind + 1]);
    ca_db *db;
    int rc = cli_open_db(&db, CA_DB_EXISTING);
    if (rc)
        return rc;
    ca_error err = CA_ERROR_INIT;
    if (action_done(db, id, day, &err) != CA_OK) {
        rc = cli_report(&err);
    } else {
        char uk[CA_DATE_ISO_LEN];
        date_uk(day, uk);
        printf("Action %ld done on %s\n", id, uk);
    }
    ca_error_free(&err);
    db_close(db);
    return rc;
}
