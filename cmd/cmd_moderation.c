/* moderation pick, moderation list and moderate (SPEC §8). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/sample.h"
#include "audit/vocab.h"
#include "cmd/cli.h"
#include "audit/store/moderations.h"
#include "audit/store/rounds.h"
#include "cmd/output.h"
#include "moderation/moderate.h"
#include "moderation/pick.h"

#define QUARTER_HELP "2026Q3 (July-September) or 2026/27Q2 (financial year)"

static const cli_opt pick_opts[] = {
    CLI_ARG("ROUND", CLI_REQUIRED | CLI_OR, "the round's audits"),
    CLI_VALUE('q', "quarter", "Q", 0, "or the audits dated in a quarter:\n" QUARTER_HELP),
    CLI_VALUE('r', "rate", "R", 0, "the share of each auditor's audits (default 0.25)"),
    CLI_FLAG('i', "all-inadequate", 0, "every inadequate audit as well"),
    CLI_VALUE('s', "seed", "SEED", 0, "decimal or 0x hex (default the round's; for a quarter,\n"
                                      "one from the system's random source)"),
    CLI_FLAG('a', "add", 0, "pick more where a pick was made already (else refused)"),
    CLI_END_OF_TABLE,
};
static const cli_spec pick_spec = {
    "moderation pick", pick_opts,
    "Chooses graded audits for moderation, among those not yet moderated or picked:\n"
    "every inadequate audit with --all-inadequate, plus for each auditor\n"
    "max(1, ceil(R x n)) of their other audits (n: all their audits in scope), those with\n"
    "the smallest permanent random keys. A second pick for the same round or quarter is\n"
    "refused unless --add. ROUND may be a quarter.\n",
    NULL,
    NULL,
};

static const cli_opt mlist_opts[] = {
    CLI_ARG("ROUND", CLI_REQUIRED | CLI_OR, "the round's picked audits"),
    CLI_VALUE('q', "quarter", "Q", 0, "or those audited in a quarter:\n" QUARTER_HELP),
    CLI_FLAG('p', "pending", 0, "only those without an outcome yet"),
    CLI_VALUE('f', "format", "table|csv|json|md|xlsx", 0, "the output format (default table; xlsx needs -o)"),
    CLI_VALUE1('o', "output", 'o', "FILE", 0, "write to FILE instead of standard output"),
    CLI_END_OF_TABLE,
};
static const cli_spec mlist_spec = {
    "moderation list", mlist_opts,
    "Exports the audits picked for moderation, with moderated_grade, moderator,\n"
    "moderation_date and reason to fill in and return with 'caseaudit moderate ROUND\n"
    "--file FILE'. The status column says \"corrected since moderation\" where the auditor\n"
    "corrected the grade after the outcome: ask the moderator for another look. ROUND may\n"
    "be a quarter.\n",
    NULL,
    NULL,
};

static int parse_quarter(const char *s, ca_period *p)
{
    char why[160];
    if (period_parse_quarter(s, p, why, sizeof why) != CA_OK)
        return cli_error(CA_REFUSED, "--quarter \"%s\": %s", s, why);
    return 0;
}

/* ROUND given as a quarter (2026Q3 or 2026/27Q2) where no round has that label: the quarter. */
static int round_or_quarter(const char **round, ca_period *q)
{
    char why[160];
    if (!*round || period_parse_quarter(*round, q, why, sizeof why) != CA_OK)
        return 0;
    ca_db *db;
    if (cli_open_db(&db, CA_DB_EXISTING))
        return 0;   /* the command's own open reports it */
    ca_error err = CA_ERROR_INIT;
    round_info ri;
    int is_round = round_by_label(db, *round, &ri, &err) == CA_OK;
    ca_error_free(&err);
    db_close(db);
    if (is_round)
        return 0;
    *round = NULL;
    return 1;
}

static int moderation_pick(int argc, char **argv)
{
    ca_period quarter;
    pick_scope scope = {NULL, NULL};
    double rate = 0.25;
    int c, all_inadequate = 0, has_seed = 0, add = 0;
    const char *seed_given = NULL;
    uint64_t seed = 0;
    char *end;
    cli_args a;
    cli_args_begin(&a, &pick_spec, argc, argv);
    while ((c = cli_next(&a)) > 0) {
        switch (c) {
        case 'q':
            if (parse_quarter(a.value, &quarter))
                return CA_REFUSED;
            scope.quarter = &quarter;
            break;
        case 'r':
            rate = strtod(a.value, &end);
            if (*end || end == a.value || !(rate > 0 && rate <= 1))
                return cli_error(CA_REFUSED, "--rate \"%s\": expected a share above 0 and at most 1, such as 0.25",
                                 a.value);
            break;
        case 'i': all_inadequate = 1; break;
        case 'a': add = 1; break;
        case 's':
            if (sample_seed_parse(a.value, &seed) != CA_OK)
                return cli_error(CA_REFUSED, "--seed \"%s\": expected a 64-bit number, decimal or 0x hex", a.value);
            has_seed = 1;
            seed_given = a.value;
            break;
        }
    }
    if (c == CLI_STOP)
        return a.status;
    if (a.npos)
        scope.round = a.pos[0];
    if (!scope.round == !scope.quarter)
        return cli_usage_error(&pick_spec, "give a ROUND or --quarter Q (one of them)");
    if (round_or_quarter(&scope.round, &quarter))
        scope.quarter = &quarter;
    ca_db *db;
    int rc = cli_open_db(&db, CA_DB_EXISTING);
    if (rc)
        return rc;
    ca_error err = CA_ERROR_INIT;
    pick_result res;
    if (pick_run(db, &scope, rate, all_inadequate, has_seed, seed, add, &res, &err) != CA_OK) {
        rc = cli_report(&err);
    } else {
        char seedtext[96];
        cli_seed_text(seed_given, res.seed, seedtext, sizeof seedtext);
        printf("Picked %ld of %ld graded audits not yet moderated in %s for moderation (seed %s%s)\n", res.picked,
               res.in_scope, scope.round ? scope.round : quarter.label, seedtext,
               seed_given ? "" : scope.round ? ", the round's" : ", from the system");
        int sampled_by = 0;
        for (int a = 0; a < res.nauditors; a++)
            sampled_by += res.auditors[a].sampled > 0;
        printf("%ld picked: ", res.picked);
        if (all_inadequate)
            printf("%ld graded inadequate (all), ", res.inadequate);
        printf("%ld at rate %g across %d auditor%s\n", res.sampled, rate, sampled_by, sampled_by == 1 ? "" : "s");
        out_table *t = otab_new();
        otab_col(t, "auditor", COL_TEXT);
        otab_col(t, "audits", COL_INT);
        otab_col(t, "inadequate", COL_INT);
        otab_col(t, "sampled", COL_INT);
        otab_col(t, "picked", COL_INT);
        for (int a = 0; a < res.nauditors; a++) {
            otab_row(t);
            otab_text(t, res.auditors[a].name);
            otab_int(t, res.auditors[a].in_scope);
            otab_int(t, res.auditors[a].inadequate);
            otab_int(t, res.auditors[a].sampled);
            otab_int(t, res.auditors[a].inadequate + res.auditors[a].sampled);
        }
        if (res.nauditors)
            otab_write(t, OUT_TABLE, stdout);
        otab_free(t);
    }
    free(res.auditors);
    ca_error_free(&err);
    db_close(db);
    return rc;
}

static int add_moderation_row(void *u, const moderation_list_row *r)
{
    out_table *t = u;
    otab_row(t);
    otab_text(t, r->round);
    otab_text(t, r->case_id);
    otab_text(t, r->plan_type);
    otab_text(t, r->age_band);
    otab_text(t, r->team);
    otab_text(t, r->auditor);
    otab_text(t, grade_label(r->audited_grade));
    cli_date_cell(t, r->audit_date);
    otab_text(t, r->moderated_grade ? grade_label(r->moderated_grade) : NULL);
    otab_text(t, r->moderator);
    cli_date_cell(t, r->moderation_date);
    otab_text(t, r->reason);
    otab_text(t, r->corrected_since ? "corrected since moderation" : NULL);
    return 0;
}

static int moderation_list(int argc, char **argv)
{
    ca_period quarter;
    int have_quarter = 0, pending = 0, c;
    enum out_format fmt = OUT_TABLE;
    const char *path = NULL, *round = NULL;
    cli_args a;
    cli_args_begin(&a, &mlist_spec, argc, argv);
    while ((c = cli_next(&a)) > 0) {
        switch (c) {
        case 'q':
            if (parse_quarter(a.value, &quarter))
                return CA_REFUSED;
            have_quarter = 1;
            break;
        case 'p': pending = 1; break;
        case 'f':
            if (out_format_parse(a.value, OUT_ALLOW(OUT_TABLE) | OUT_ALLOW(OUT_CSV) | OUT_ALLOW(OUT_JSON) |
                                 OUT_ALLOW(OUT_MD) | OUT_ALLOW(OUT_XLSX), &fmt))
                return CA_USAGE;
            break;
        case 'o': path = a.value; break;
        }
    }
    if (c == CLI_STOP)
        return a.status;
    if (a.npos)
        round = a.pos[0];
    if (!round == !have_quarter)
        return cli_usage_error(&mlist_spec, "give a ROUND or --quarter Q (one of them)");
    if (round_or_quarter(&round, &quarter))
        have_quarter = 1;
    if (fmt == OUT_XLSX && (!path || strcmp(path, "-") == 0))
        return cli_usage_error(&mlist_spec, "--format xlsx needs -o FILE");
    ca_db *db;
    int rc = cli_open_db(&db, CA_DB_EXISTING);
    if (rc)
        return rc;
    ca_error err = CA_ERROR_INIT;
    out_table *t = otab_new();
    static const char *const names[] = {"round", "case_id", "plan_type", "age_band", "team", "auditor",
                                        "audited_grade", "audit_date", "moderated_grade", "moderator",
                                        "moderation_date", "reason", "status"};
    static const enum out_col_type types[] = {COL_TEXT, COL_TEXT,  COL_TEXT, COL_TEXT,  COL_TEXT, COL_TEXT,
                                              COL_TEXT, COL_DATE, COL_GRADE, COL_TEXT, COL_DATE, COL_WRITE,
                                              COL_TEXT};
    for (int k = 0; k < 13; k++)
        otab_col(t, names[k], types[k]);
    otab_for_people(t); /* returned from Excel: a byte-order mark, values kept (SPEC §13) */
    round_info ri;
    if (round && round_by_label(db, round, &ri, &err) != CA_OK) {
        rc = cli_report(&err);
        goto done;
    }
    moderation_picks(db, round, have_quarter ? quarter.from : 0, have_quarter ? quarter.to : 0, pending,
                     add_moderation_row, t, &err);
    if (err.status) {
        rc = cli_report(&err);
        goto done;
    }
    if (fmt == OUT_XLSX) {
        out_xlsx *x = out_xlsx_open(path);
        rc = x ? out_xlsx_sheet(x, "Moderation", t) : CA_SYSTEM;
        if (x)
            rc = out_xlsx_close(x, rc == 0) ? CA_SYSTEM : rc;
        if (rc == 0)
            cli_wrote(path, "moderation list", "%d audit%s", otab_nrows(t), otab_nrows(t) == 1 ? "" : "s");
    } else {
        out_file of;
        if ((rc = out_open(&of, path)) == 0) {
            if (fmt == OUT_JSON) {
                json_writer j;
                json_begin(&j, of.f);
                json_object(&j);
                json_key(&j, "cases"), json_table(&j, t);
                json_end_object(&j);
                json_finish(&j);
            } else if (fmt == OUT_TABLE && otab_nrows(t) == 0) {
                fprintf(stderr, "No audits %s for moderation%s.\n", pending ? "waiting" : "picked",
                        round ? "" : " in that quarter");
            } else {
                otab_write(t, fmt, of.f);
            }
            rc = out_close(&of, 1) ? CA_SYSTEM : 0;
            if (rc == 0)
                cli_wrote(path, "moderation list", "%d audit%s", otab_nrows(t), otab_nrows(t) == 1 ? "" : "s");
        }
    }
done:
    otab_free(t);
    ca_error_free(&err);
    db_close(db);
    return rc;
}

int cmd_moderation(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "pick") == 0)
        return moderation_pick(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "list") == 0)
        return moderation_list(argc - 1, argv + 1);
    int help = argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0);
    if (!help)
        cli_usage_error(NULL, argc < 2 ? "expected 'moderation pick' or 'moderation list'" : "unknown subcommand '%s'",
                        argc < 2 ? "" : argv[1]);
    FILE *f = help ? stdout : stderr;
    cli_print_usage(f, &pick_spec, 1);
    cli_print_usage(f, &mlist_spec, 0);
    if (help)
        fprintf(f, "\nPicks audits for moderation, or exports the moderation list; see\n"
                   "'caseaudit moderation pick --help' and 'caseaudit moderation list --help'.\n");
    return help ? 0 : CA_USAGE;
}

static const cli_opt moderate_opts[] = {
    CLI_ARG("ROUND", CLI_REQUIRED, NULL),
    CLI_ARG("CASE_ID", CLI_REQUIRED | CLI_FORM(1), NULL),
    CLI_VALUE('g', "grade", "G", CLI_REQUIRED | CLI_FORM(1), "the grade the moderator would give"),
    CLI_VALUE('m', "moderator", "NAME", CLI_REQUIRED | CLI_FORM(1), "who moderated (not the auditor)"),
    CLI_VALUE('d', "date", "DATE", CLI_FORM(1), "the moderation date (default today)"),
    CLI_VALUE('r', "reason", "TEXT", CLI_FORM(1), "why, required when the grade changes"),
    CLI_FLAG('c', "correct", CLI_FORM(1), "replace an earlier outcome"),
    CLI_VALUE('f', "file", "FILE", CLI_REQUIRED | CLI_FORM(2),
              "the returned moderation list (blank moderated_grade: skipped; a row\n"
              "identical to the recorded outcome: unchanged); a row's round column,\n"
              "where filled in, names its round"),
    CLI_VALUE('e', "encoding", "utf-8|cp1252", CLI_FORM(2),
              "of the file: utf-8 (default) or cp1252 (Excel on Windows)"),
    CLI_END_OF_TABLE,
};
static const cli_spec moderate_spec = {
    "moderate", moderate_opts,
    "Records a senior manager's moderation of an audit: the grade they would give.\n"
    "The outcome (agreed, downgraded, upgraded) is derived. The moderator must be an\n"
    "active manager in the people register and may not be the auditor; a reason is\n"
    "required when the grade changes; the date is neither\n"
    "before the audit date nor in the future. A second outcome needs --correct.\n"
    "ROUND may be a round or a quarter (2026Q3 or 2026/27Q2).\n",
    NULL,
    NULL,
};

int cmd_moderate(int argc, char **argv)
{
    mod_input m = {.date = -1};
    const char *file = NULL;
    int c, rc = 0, day, single = 0, cp1252 = 0;
    cli_args a;
    cli_args_begin(&a, &moderate_spec, argc, argv);
    while (rc == 0 && (c = cli_next(&a)) > 0) {
        single |= c != 'f' && c != 'e';
        switch (c) {
        case 'g':
            if (!(m.grade = grade_parse(a.value)))
                rc = cli_error(CA_REFUSED, "--grade \"%s\": not a grade; expected " CA_GRADE_EXPECTED, a.value);
            break;
        case 'm': free(m.moderator), m.moderator = strdup(a.value); break;
        case 'd':
            if (cli_parse_date("--date", a.value, &day))
                rc = CA_REFUSED;
            m.date = day;
            break;
        case 'r': free(m.reason), m.reason = strdup(a.value); break;
        case 'c': m.correct = 1; break;
        case 'f': file = a.value; break;
        case 'e':
            if ((cp1252 = cli_parse_encoding(&moderate_spec, a.value)) < 0)
                rc = CA_USAGE;
            break;
        }
    }
    if (rc == 0 && c == CLI_STOP) {
        mod_input_free(&m);
        return a.status;
    }
    int nargs = a.npos;
    if (rc == 0) {
        if (nargs < 1)
            rc = cli_usage_error(&moderate_spec, "no ROUND given");
        else if (file && (nargs > 1 || single))
            rc = cli_usage_error(&moderate_spec, "--file takes no CASE_ID and no other option");
        else if (!file && nargs < 2)
            rc = cli_usage_error(&moderate_spec, "no CASE_ID given");
        else if (!file && !m.grade)
            rc = cli_usage_error(&moderate_spec, "--grade is required");
        else if (!file && !m.moderator)
            rc = cli_usage_error(&moderate_spec, "--moderator is required");
    }
    ca_db *db = NULL;
    if (rc || (rc = cli_open_db(&db, CA_DB_EXISTING))) {
        mod_input_free(&m);
        return rc;
    }
    ca_error err = CA_ERROR_INIT;
    mod_summary sum;
    mod_input *many = NULL;
    long n = 0, skipped = 0;
    if (file) {
        if (moderation_read_file(a.pos[0], file, cp1252, &many, &n, &skipped, &err) != CA_OK ||
            moderation_record(db, many, n, &sum, &err) != CA_OK)
            rc = cli_report(&err);
        else
            printf("%ld outcome%s recorded, %ld corrected, %ld unchanged (%ld agreed, %ld downgraded, %ld upgraded; "
                   "%ld unplanned); %ld row%s without a moderated grade skipped\n", sum.recorded,
                   sum.recorded == 1 ? "" : "s", sum.corrected, sum.unchanged, sum.agreed, sum.downgraded, sum.upgraded,
                   sum.unplanned, skipped, skipped == 1 ? "" : "s");
        for (long i = 0; i < n; i++)
            mod_input_free(&many[i]);
        free(many);
    } else {
        m.round = strdup(a.pos[0]);
        m.case_id = strdup(a.pos[1]);
        if (moderation_record(db, &m, 1, &sum, &err) != CA_OK)
            rc = cli_report(&err);
        else if (sum.unchanged)
            printf("Round %s, case %s: unchanged (already recorded as %s by %s)\n", m.round, m.case_id,
                   grade_label(m.grade), m.moderator);
        else
            printf("Round %s, case %s: %s%s%s\n", m.round, m.case_id,
                   sum.downgraded ? "downgraded" : sum.upgraded ? "upgraded" : "agreed",
                   sum.corrected ? " (a correction)" : "", sum.unplanned ? " (unplanned: not picked)" : "");
    }
    mod_input_free(&m);
    ca_error_free(&err);
    db_close(db);
    return rc;
}
