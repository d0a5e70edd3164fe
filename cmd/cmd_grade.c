/* grade, domains, actions and action (SPEC §7). */
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

static const cli_opt grade_opts[] = {
    CLI_ARG("ROUND", CLI_REQUIRED, NULL),
    CLI_ARG("CASE_ID", CLI_REQUIRED | CLI_FORM(1), NULL),
    CLI_VALUE('f', "file", "FILE", CLI_REQUIRED | CLI_FORM(2), "the returned list"),
    CLI_VALUE('g', "grade", "G", CLI_REQUIRED | CLI_FORM(1), "the grade"),
    CLI_VALUE('a', "auditor", "NAME", CLI_REQUIRED | CLI_FORM(1), "who audited the case"),
    CLI_VALUE('d', "date", "DATE", 0,
              "the audit date (default today; not before the round's as-of date);\n"
              "with --file, the date for rows whose audit_date is blank"),
    CLI_VALUE('D', "domain", "CODE=G", CLI_REPEAT | CLI_FORM(1),
              "a domain grade (see 'caseaudit domains'); repeat for more"),
    CLI_VALUE('A', "action", "TEXT", CLI_NEST | CLI_FORM(1), "an action for the case, owned by its allocated worker"),
    CLI_VALUE('u', "due", "DATE", CLI_FORM(1), "when the action is due"),
    CLI_VALUE('n', "note", "TEXT", CLI_FORM(1), "a note"),
    CLI_FLAG('c', "correct", CLI_FORM(1), "replace an earlier grade (the earlier one stays in the history)"),
    CLI_VALUE('e', "encoding", "utf-8|cp1252", CLI_FORM(2),
              "of the file: utf-8 (default) or cp1252 (Excel on Windows)"),
    CLI_END_OF_TABLE,
};
static const cli_spec grade_spec = {
    "grade", grade_opts,
    "Records an auditor's grade for a case on the round's list, or many from the returned\n"
    "audit list (CSV, any column order; rows with a blank grade are skipped; a row identical\n"
    "to what is recorded is unchanged and skipped, so the whole sheet may be sent again).\n"
    "The auditor must be an active auditor in the people register, never of the case's\n"
    "own team nor its worker; someone other than the allocated auditor is recorded as a\n"
    "stand-in. Grades:\n"
    "Outstanding, Good, Requires improvement, Inadequate (or 1-4, O, G, RI, I).\n",
    NULL,
    NULL,
};

/* A copy of an option's value into *to (replacing it); CA_SYSTEM when out of memory. */
static int copy_option(char **to, const char *value)
{
    char *copy = strdup(value);
    if (!copy)
        return cli_error(CA_SYSTEM, "out of memory");
    free(*to);
    *to = copy;
    return 0;
}

/* --domain CODE=GRADE into g. */
static int domain_option(grade_input *g, const char *value)
{
    const char *eq = strchr(value, '=');
    if (!eq || eq == value)
        return cli_usage_error(&grade_spec, "--domain '%s': expected CODE=GRADE, as in voice=Good", value);
    if (g->ndomains == GRADE_MAX_DOMAINS)
        return cli_usage_error(&grade_spec, "too many --domain options");
    int dg = grade_parse(eq + 1);
    if (!dg)
        return cli_error(CA_REFUSED, "--domain \"%s\": not a grade; expected " CA_GRADE_EXPECTED, value);
    if (!(g->domain[g->ndomains] = strndup(value, (size_t)(eq - value))))
        return cli_error(CA_SYSTEM, "out of memory");
    g->domain_grade[g->ndomains++] = dg;
    return 0;
}

struct grade_request {
    grade_input g;          /* one case typed at the command line */
    const char *file;       /* or a returned list */
    int encoding, any_single;
};

/* One option into q; 0, or an exit status. */
static int grade_option(struct grade_request *q, int c, const char *value)
{
    int day;
    q->any_single |= c != 'f' && c != 'e' && c != 'd';
    switch (c) {
    case 'g':
        if (!(q->g.grade = grade_parse(value)))
            return cli_error(CA_REFUSED, "--grade \"%s\": not a grade; expected " CA_GRADE_EXPECTED, value);
        return 0;
    case 'a': return copy_option(&q->g.auditor, value);
    case 'd': return cli_parse_date("--date", value, &day) ? CA_REFUSED : (q->g.date = day, 0);
    case 'D': return domain_option(&q->g, value);
    case 'A': return copy_option(&q->g.action, value);
    case 'u': return cli_parse_date("--due", value, &day) ? CA_REFUSED : (q->g.action_due = day, 0);
    case 'n': return copy_option(&q->g.note, value);
    case 'c': q->g.correct = 1; return 0;
    case 'f': q->file = value; return 0;
    case 'e': return (q->encoding = cli_parse_encoding(&grade_spec, value)) < 0 ? CA_USAGE : 0;
    default: return 0;
    }
}

/* What the arguments must be for one case or for a file. */
static int check_grade_args(const struct grade_request *q, int nargs)
{
    const grade_input *g = &q->g;
    if (nargs < 1)
        return cli_usage_error(&grade_spec, "no ROUND given");
    if (q->file && (nargs > 1 || q->any_single))
        return cli_usage_error(&grade_spec, "--file takes no CASE_ID and no other option but --date and --encoding");
    if (q->file)
        return 0;
    if (nargs < 2)
        return cli_usage_error(&grade_spec, "no CASE_ID given");
    if (!g->grade)
        return cli_usage_error(&grade_spec, "--grade is required");
    if (!g->auditor)
        return cli_usage_error(&grade_spec, "--auditor is required");
    if (!g->auditor[strspn(g->auditor, " \t")])
        return cli_error(CA_REFUSED, "--auditor is blank: give the name of the auditor who graded the case");
    if (g->action_due >= 0 && !g->action)
        return cli_usage_error(&grade_spec, "--due needs --action");
    return 0;
}

static int grade_from_file(ca_db *db, const char *round, struct grade_request *q, ca_error *err)
{
    grade_input *many = NULL;
    long n = 0, skipped = 0, filled = 0;
    grade_summary sum;
    int rc = 0, read = grade_read_file(db, round, q->file, q->encoding, &many, &n, &skipped, err);
    if (read == CA_OK && q->g.date >= 0)
        filled = grade_fill_dates(many, n, q->g.date);
    if (read != CA_OK || grade_record(db, round, many, n, &sum, err) != CA_OK) {
        rc = cli_report(err);
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
    return rc;
}

static int grade_one(ca_db *db, const char *round, const char *case_id, grade_input *g, ca_error *err)
{
    grade_summary sum;
    if (!(g->case_id = strdup(case_id)))
        return cli_error(CA_SYSTEM, "out of memory");
    if (grade_record(db, round, g, 1, &sum, err) != CA_OK)
        return cli_report(err);
    char uk[CA_DATE_ISO_LEN];
    date_uk(g->date, uk);
    if (sum.unchanged)
        printf("Round %s, case %s: unchanged (already recorded as %s by %s on %s)\n", round, g->case_id,
               grade_label(g->grade), g->auditor, uk);
    else
        printf("Round %s, case %s: %s %s by %s on %s%s\n", round, g->case_id, sum.corrected ? "corrected to" : "graded",
               grade_label(g->grade), g->auditor, uk, g->stand_in ? " (a stand-in: not the allocated auditor)" : "");
    return 0;
}

int cmd_grade(int argc, char **argv)
{
    struct grade_request q = {.g = {.date = -1, .action_due = -1}};
    int c, rc = 0;
    cli_args a;
    cli_args_begin(&a, &grade_spec, argc, argv);
    while (rc == 0 && (c = cli_next(&a)) > 0)
        rc = grade_option(&q, c, a.value);
    if (rc == 0 && c == CLI_STOP) {
        grade_input_free(&q.g);
        return a.status;
    }
    ca_db *db = NULL;
    if (rc || (rc = check_grade_args(&q, a.npos)) || (rc = cli_open_db(&db, CA_DB_EXISTING))) {
        grade_input_free(&q.g);
        return rc;
    }
    ca_error err = CA_ERROR_INIT;
    rc = q.file ? grade_from_file(db, a.pos[0], &q, &err) : grade_one(db, a.pos[0], a.pos[1], &q.g, &err);
    grade_input_free(&q.g);
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

static const cli_opt domains_opts[] = {
    CLI_VALUE('f', "format", "table|json", CLI_FORM(1), "the output format (default table)"),
    CLI_ARG("add", CLI_REQUIRED | CLI_FORM(2), NULL),
    CLI_ARG("CODE", CLI_REQUIRED | CLI_FORM(2), "the new domain's short code, such as voice"),
    CLI_ARG("LABEL", CLI_REQUIRED | CLI_FORM(2), "its label, such as \"The child's voice\""),
    CLI_END_OF_TABLE,
};
static const cli_spec domains_spec = {
    "domains", domains_opts,
    "The audit domains, graded on the same scale as the case. 'add' adds one.\n",
    NULL,
    NULL,
};

int cmd_domains(int argc, char **argv)
{
    enum out_format fmt = OUT_TABLE;
    int c;
    cli_args a;
    cli_args_begin(&a, &domains_spec, argc, argv);
    while ((c = cli_next(&a)) > 0) {
        if (c == 'f' && out_format_parse(a.value, OUT_ALLOW(OUT_TABLE) | OUT_ALLOW(OUT_JSON), &fmt))
            return CA_USAGE;
    }
    if (c == CLI_STOP)
        return a.status;
    int nargs = a.npos, adding = nargs > 0 && strcmp(a.pos[0], "add") == 0;
    if (nargs > 0 && !adding)
        return cli_usage_error(&domains_spec, "unknown subcommand '%s'", a.pos[0]);
    if (adding && nargs != 3)
        return cli_usage_error(&domains_spec, "domains add needs CODE and \"Label\"");
    ca_db *db;
    int rc = cli_open_db(&db, CA_DB_EXISTING);
    if (rc)
        return rc;
    ca_error err = CA_ERROR_INIT;
    if (adding) {
        if (domain_add(db, a.pos[1], a.pos[2], &err) != CA_OK)
            rc = cli_report(&err);
        else
            printf("Domain %s added: %s\n", a.pos[1], a.pos[2]);
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

static const cli_opt actions_opts[] = {
    CLI_VALUE('r', "round", "R", 0, "only the actions of round R"),
    CLI_FLAG('o', "open", 0, "only those not done"),
    CLI_FLAG('v', "overdue", 0, "only those not done past their due date"),
    CLI_VALUE('f', "format", "table|csv|json", 0, "the output format (default table)"),
    CLI_END_OF_TABLE,
};
static const cli_spec actions_spec = {
    "actions", actions_opts,
    "The actions raised by audits. Mark one done with 'caseaudit action done ID'.\n",
    NULL,
    NULL,
};

int cmd_actions(int argc, char **argv)
{
    enum out_format fmt = OUT_TABLE;
    const char *round = NULL;
    int c, open = 0, overdue = 0;
    cli_args a;
    cli_args_begin(&a, &actions_spec, argc, argv);
    while ((c = cli_next(&a)) > 0) {
        switch (c) {
        case 'r': round = a.value; break;
        case 'o': open = 1; break;
        case 'v': overdue = 1; break;
        case 'f':
            if (out_format_parse(a.value, OUT_ALLOW(OUT_TABLE) | OUT_ALLOW(OUT_CSV) | OUT_ALLOW(OUT_JSON), &fmt))
                return CA_USAGE;
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

static const cli_opt action_opts[] = {
    CLI_ARG("done", CLI_REQUIRED, NULL),
    CLI_ARG("ID", CLI_REQUIRED, "the action's id (see 'caseaudit actions')"),
    CLI_VALUE('d', "date", "DATE", 0, "when it was done (default today)"),
    CLI_END_OF_TABLE,
};
static const cli_spec action_spec = {"action", action_opts, "Marks an action done.\n", NULL, NULL};

int cmd_action(int argc, char **argv)
{
    int c, day = cli_today();
    cli_args a;
    cli_args_begin(&a, &action_spec, argc, argv);
    while ((c = cli_next(&a)) > 0) {
        if (c == 'd' && cli_parse_date("--date", a.value, &day))
            return CA_REFUSED;
    }
    if (c == CLI_STOP)
        return a.status;
    if (a.npos != 2 || strcmp(a.pos[0], "done") != 0)
        return cli_usage_error(&action_spec, "expected 'action done ID'");
    char *end;
    long id = strtol(a.pos[1], &end, 10);
    if (*end || id <= 0)
        return cli_error(CA_REFUSED, "'%s' is not an action id (see 'caseaudit actions')", a.pos[1]);
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
