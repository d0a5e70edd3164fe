/* sample, list and rounds (SPEC §5). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/assign.h"
#include "audit/sample.h"
#include "cmd/cli.h"
#include "audit/csvread.h"
#include "audit/store/rounds.h"
#include "cmd/output.h"

static const char sample_usage[] =
    "usage: caseaudit sample ROUND --size N [--strata DIMS] [--alloc proportional|equal|neyman|fixed:FILE]\n"
    "         [--min-per-stratum K] [--exclude-audited-within MONTHS] [--seed SEED] [--snapshot ID]\n"
    "         [--due DATE] [--age-bands EDGES] [--replace]\n";
static const char sample_help[] =
    "\nDraws the month's audit list ROUND (a label such as 2026-11) from the open cases of a\n"
    "snapshot by stratified simple random sampling with permanent random keys: anyone can\n"
    "re-derive the list from the seed.\n\n"
    "  --size N                       cases to draw in all\n"
    "  --strata DIMS                  comma list of plan, age, team (default plan,age)\n"
    "  --alloc METHOD                 proportional (default), equal, neyman, or fixed:FILE\n"
    "                                 (a CSV of stratum,n)\n"
    "  --min-per-stratum K            at least min(K, N_h) from every stratum (default 1)\n"
    "  --exclude-audited-within M     leave out cases audited in the last M months\n"
    "                                 (default 12; 0 turns this off)\n"
    "  --seed SEED                    decimal or 0x hex; default from the system's random source\n"
    "  --snapshot ID                  default the latest\n"
    "  --due DATE                     when the audits are due\n"
    "  --age-bands EDGES              lower edges in years (default 0,1,5,10,16,18)\n"
    "  --replace                      draw an existing round again (only before any grade)\n";

int cmd_sample(int argc, char **argv)
{
    static const struct option opts[] = {
        {"size", required_argument, NULL, 'n'},
        {"strata", required_argument, NULL, 's'},
        {"alloc", required_argument, NULL, 'a'},
        {"min-per-stratum", required_argument, NULL, 'k'},
        {"exclude-audited-within", required_argument, NULL, 'x'},
        {"seed", required_argument, NULL, 'S'},
        {"snapshot", required_argument, NULL, 'i'},
        {"due", required_argument, NULL, 'd'},
        {"age-bands", required_argument, NULL, 'b'},
        {"replace", no_argument, NULL, 'r'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    sample_design d = {.min_per_stratum = 1, .exclude_months = 12, .due = -1, .ndims = 2,
                       .dims = {DIM_PLAN, DIM_AGE}};
    bands_default(&d.bands);
    int c, seeded = 0, day;
    const char *seed_given = NULL;
    char *end;
    ca_error err = CA_ERROR_INIT;
    char why[160];
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        switch (c) {
        case 'n':
            d.size = strtol(optarg, &end, 10);
            if (*end || d.size <= 0)
                return cli_error(CA_REFUSED, "--size \"%s\": expected a whole number of cases above 0", optarg);
            break;
        case 's':
            if (sample_dims_parse(optarg, &d, &err) != CA_OK)
                return cli_usage_error(sample_usage, "%s", err.msg);
            break;
        case 'a':
            if (strcmp(optarg, "proportional") == 0)
                d.alloc = ALLOC_PROPORTIONAL;
            else if (strcmp(optarg, "equal") == 0)
                d.alloc = ALLOC_EQUAL;
            else if (strcmp(optarg, "neyman") == 0)
                d.alloc = ALLOC_NEYMAN;
            else if (strncmp(optarg, "fixed:", 6) == 0 && optarg[6])
                d.alloc = ALLOC_FIXED, d.fixed_path = optarg + 6;
            else
                return cli_usage_error(sample_usage, "--alloc '%s': expected proportional, equal, neyman or "
                                       "fixed:FILE", optarg);
            break;
        case 'k':
            d.min_per_stratum = (int)strtol(optarg, &end, 10);
            if (*end || d.min_per_stratum < 0)
                return cli_error(CA_REFUSED, "--min-per-stratum \"%s\": expected a whole number", optarg);
            break;
        case 'x':
            d.exclude_months = (int)strtol(optarg, &end, 10);
            if (*end || d.exclude_months < 0 || d.exclude_months > 1200)
                return cli_error(CA_REFUSED, "--exclude-audited-within \"%s\": expected a number of months", optarg);
            break;
        case 'S':
            if (sample_seed_parse(optarg, &d.seed) != CA_OK)
                return cli_error(CA_REFUSED, "--seed \"%s\": expected a 64-bit number, decimal or 0x hex", optarg);
            seeded = 1;
            seed_given = optarg;
            break;
        case 'i':
            d.snapshot = strtol(optarg, &end, 10);
            if (*end || d.snapshot <= 0)
                return cli_error(CA_REFUSED, "--snapshot \"%s\": expected a snapshot id", optarg);
            break;
        case 'd':
            if (cli_parse_date("--due", optarg, &day))
                return CA_REFUSED;
            d.due = day;
            break;
        case 'b':
            if (bands_parse(optarg, &d.bands, why, sizeof why) != CA_OK)
                return cli_error(CA_REFUSED, "--age-bands: %s", why);
            break;
        case 'r': d.replace = 1; break;
        case 'h': return printf("%s", sample_usage), cli_help(sample_help);
        default: return cli_bad_option(sample_usage, argv, c);
        }
    }
    if (optind >= argc)
        return cli_usage_error(sample_usage, "no ROUND given (a label such as 2026-11)");
    if (optind + 1 < argc)
        return cli_usage_error(sample_usage, "unexpected argument '%s'", argv[optind + 1]);
    d.round = argv[optind];
    if (!d.size && d.alloc != ALLOC_FIXED)
        return cli_usage_error(sample_usage, "--size is required");
    if (!seeded && sample_seed_random(&d.seed, &err) != CA_OK)
        return cli_report(&err);

    ca_db *db;
    int rc = cli_open_db(&db, CA_DB_EXISTING);
    if (rc)
        return rc;
    sample_result res;
    if (sample_draw(db, &d, &res, &err) != CA_OK) {
        rc = cli_report(&err);
    } else {
        char seed[96], as_of[CA_DATE_ISO_LEN];
        cli_seed_text(seed_given, d.seed, seed, sizeof seed);
        date_uk(res.as_of, as_of);
        printf("Round %s: %ld cases drawn from snapshot %ld (as at %s), seed %s\n", d.round, res.drawn,
               res.snapshot, as_of, seed);
        printf("Population %ld open cases; excluded %ld audited within %d months, %ld on a round still being "
               "graded; eligible %ld\n", res.population, res.excluded_audited, d.exclude_months,
               res.excluded_pending, res.eligible);
        out_table *t = otab_new();
        otab_col(t, "stratum", COL_TEXT);
        otab_col(t, "N_h", COL_INT);
        otab_col(t, "n_h", COL_INT);
        for (int h = 0; h < res.nstrata; h++) {
            otab_row(t);
            otab_text(t, res.strata[h].name);
            otab_int(t, res.strata[h].frame);
            otab_int(t, res.strata[h].n);
        }
        otab_write(t, OUT_TABLE, stdout);
        otab_free(t);
    }
    sample_result_free(&res);
    ca_error_free(&err);
    db_close(db);
    return rc;
}

/* ---- list ---- */

static const char list_usage[] = "usage: caseaudit list ROUND [--format table|csv|json|md|xlsx] [-o FILE]\n";

struct list_view {
    out_table *t;
    const char *label;
    enum out_format fmt;
    int ndomains;
    const char *due;    /* the round's due date, ISO; NULL when none */
};

static int add_list_row(void *u, const round_case_row *r)
{
    struct list_view *v = u;
    const char *cells[] = {r->case_id, r->plan_type, r->age_band, r->team, r->worker, r->auditor};
    otab_row(v->t);
    if (v->fmt != OUT_JSON)
        otab_text(v->t, v->label);
    for (int k = 0; k < 6; k++)
        otab_text(v->t, cells[k]);
    otab_text(v->t, v->due);
    otab_text(v->t, r->stratum);
    if (v->fmt == OUT_JSON) {
        otab_real(v->t, r->probability);
        otab_real(v->t, r->weight);
    } else {
        for (int k = 0; k < v->ndomains + 5; k++)
            otab_null(v->t);
    }
    return 0;
}

static int count_domain(void *u, const char *code, const char *label)
{
    (void)code, (void)label;
    ++*(int *)u;
    return 0;
}

static int add_domain_col(void *u, const char *code, const char *label)
{
    char name[80];
    (void)label;
    snprintf(name, sizeof name, "domain:%s", code);
    otab_col(u, name, COL_GRADE);
    return 0;
}

static int add_stratum_json(void *u, const round_stratum_row *r)
{
    json_writer *j = u;
    json_object(j);
    json_key(j, "stratum"), json_string(j, r->stratum);
    json_key(j, "N"), json_int(j, r->frame_n);
    json_key(j, "n"), json_int(j, r->sample_n);
    json_end_object(j);
    return 0;
}

/* Writes the list in its format: 0, an exit status, or CA_ERR with err filled. */
static int write_list(ca_db *db, const round_info *round, const out_table *t, enum out_format fmt, const char *path,
                      ca_error *err)
{
    if (fmt == OUT_XLSX) {
        out_xlsx *x = out_xlsx_open(path);
        if (!x)
            return CA_SYSTEM;
        int rc = out_xlsx_sheet(x, round->label, t);
        return out_xlsx_close(x, rc == 0) ? CA_SYSTEM : rc;
    }
    out_file of;
    int rc = out_open(&of, path);
    if (rc)
        return rc;
    if (fmt == OUT_JSON) {
        json_writer j;
        json_begin(&j, of.f);
        json_object(&j);
        json_key(&j, "round"), json_string(&j, round->label);
        json_key(&j, "seed"), json_string(&j, round->seed);
        json_key(&j, "snapshot"), json_int(&j, round->snapshot_id);
        json_key(&j, "strata"), json_array(&j);
        rc = round_strata(db, round->id, add_stratum_json, &j, err);
        json_end_array(&j);
        json_key(&j, "cases"), json_table(&j, t);
        json_end_object(&j);
        json_finish(&j);
    } else {
        rc = otab_write(t, fmt, of.f) ? CA_SYSTEM : 0;
    }
    int closed = out_close(&of, rc == 0);
    return rc ? rc : closed ? CA_SYSTEM : 0;
}

int cmd_list(int argc, char **argv)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    enum out_format fmt = OUT_TABLE;
    const char *path = NULL;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:", opts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (out_format_parse(optarg, OUT_ALLOW(OUT_TABLE) | OUT_ALLOW(OUT_CSV) | OUT_ALLOW(OUT_JSON) |
                                 OUT_ALLOW(OUT_MD) | OUT_ALLOW(OUT_XLSX), &fmt))
                return CA_USAGE;
            break;
        case 'o': path = optarg; break;
        case 'h':
            return printf("%s", list_usage), cli_help(
                "\nExports the round's audit list: the sheet auditors fill in (grade, audit_date,\n"
                "domain grades, action, action_due, note) and return with 'caseaudit grade ROUND\n"
                "--file FILE'. Files are written with mode 0600.\n"
                "  --format FMT   table (default), csv, json, md or xlsx (xlsx needs -o)\n"
                "  -o FILE        write to FILE instead of standard output\n");
        default: return cli_bad_option(list_usage, argv, c);
        }
    }
    if (optind >= argc)
        return cli_usage_error(list_usage, "no ROUND given");
    if (optind + 1 < argc)
        return cli_usage_error(list_usage, "unexpected argument '%s'", argv[optind + 1]);
    if (fmt == OUT_XLSX && (!path || strcmp(path, "-") == 0))
        return cli_usage_error(list_usage, "--format xlsx needs -o FILE");
    const char *label = argv[optind];
    ca_db *db;
    int rc = cli_open_db(&db, CA_DB_EXISTING);
    if (rc)
        return rc;
    ca_error err = CA_ERROR_INIT;
    round_info round;
    out_table *t = otab_new();
    char due[CA_DATE_ISO_LEN];
    struct list_view v = {t, label, fmt, 0, NULL};
    if (round_by_label(db, label, &round, &err) != CA_OK || domains_list(db, count_domain, &v.ndomains, &err) < 0)
        goto fail;
    if (round.due >= 0) {
        date_iso(round.due, due);
        v.due = due;
    }
    /* JSON names the round once, at the top (SPEC §5); the sheets carry it on every row. */
    static const char *const cols[] = {"round", "case_id", "plan_type", "age_band", "team", "worker", "auditor"};
    for (size_t i = fmt == OUT_JSON; i < sizeof cols / sizeof *cols; i++)
        otab_col(t, cols[i], COL_TEXT);
    otab_col(t, "due", COL_DATE);
    otab_col(t, "stratum", COL_TEXT);
    if (fmt == OUT_JSON) {
        otab_col(t, "probability", COL_REAL);
        otab_col(t, "weight", COL_REAL);
    } else {
        otab_col(t, "grade", COL_GRADE);
        otab_col(t, "audit_date", COL_DATE);
        if (domains_list(db, add_domain_col, t, &err) < 0)
            goto fail;
        otab_col(t, "action", COL_TEXT);
        otab_col(t, "action_due", COL_DATE);
        otab_col(t, "note", COL_TEXT);
    }
    if (round_cases(db, round.id, add_list_row, &v, &err) < 0)
        goto fail;
    rc = write_list(db, &round, t, fmt, path, &err);
    if (rc < 0)
        goto fail;
    if (rc == 0)
        cli_wrote(path, "audit list", "%d case%s", otab_nrows(t), otab_nrows(t) == 1 ? "" : "s");
    goto done;
fail:
    rc = cli_report(&err);
done:
    otab_free(t);
    ca_error_free(&err);
    db_close(db);
    return rc;
}

/* ---- rounds ---- */

static int add_round_row(void *u, const round_progress_row *r)
{
    out_table *t = u;
    otab_row(t);
    otab_text(t, r->label);
    otab_int(t, r->snapshot_id);
    cli_date_cell(t, r->as_of);
    otab_text(t, r->seed);
    cli_date_cell(t, r->due);
    otab_int(t, r->sampled);
    otab_int(t, r->graded);
    otab_int(t, r->overdue);
    otab_int(t, r->moderated);
    return 0;
}

static const char rounds_usage[] = "usage: caseaudit rounds [--format table|json]\n";

int cmd_rounds(int argc, char **argv)
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
            return printf("%s", rounds_usage), cli_help(
                "\nLists the rounds with their progress: cases sampled, graded, overdue (ungraded\n"
                "past the round's due date) and moderated.\n");
        default: return cli_bad_option(rounds_usage, argv, c);
        }
    }
    if (optind < argc)
        return cli_usage_error(rounds_usage, "unexpected argument '%s'", argv[optind]);
    ca_db *db;
    int rc = cli_open_db(&db, CA_DB_EXISTING);
    if (rc)
        return rc;
    ca_error err = CA_ERROR_INIT;
    out_table *t = otab_new();
    static const char *const names[] = {"round", "snapshot", "as_of", "seed", "due", "sampled", "graded",
                                        "overdue", "moderated"};
    static const enum out_col_type types[] = {COL_TEXT, COL_INT, COL_DATE, COL_TEXT, COL_DATE,
                                              COL_INT,  COL_INT, COL_INT,  COL_INT};
    for (int k = 0; k < 9; k++)
        otab_col(t, names[k], types[k]);
    if (rounds_progress(db, cli_today(), add_round_row, t, &err) != CA_OK) {
        rc = cli_report(&err);
        goto done;
    }
    if (fmt == OUT_TABLE && otab_nrows(t) == 0)
        fprintf(stderr, "No rounds yet: draw one with 'caseaudit sample ROUND --size N'.\n");
    else
        otab_write(t, fmt, stdout);
    rc = 0;
done:
    otab_free(t);
    ca_error_free(&err);
    db_close(db);
    return rc;
}

/* ---- assign ---- */

static const char assign_usage[] = "usage: caseaudit assign ROUND [--auditors FILE] [--no-team-rule]\n";

int cmd_assign(int argc, char **argv)
{
    static const struct option opts[] = {
        {"auditors", required_argument, NULL, 'a'},
        {"no-team-rule", no_argument, NULL, 'T'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *file = NULL;
    int c, no_team_rule = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        switch (c) {
        case 'a': file = optarg; break;
        case 'T': no_team_rule = 1; break;
        case 'h':
            return printf("%s", assign_usage), cli_help(
                "\nAllocates the round's ungraded cases to the active auditors of the people register\n"
                "(--auditors FILE imports a people file into it first: name, team(s), roles,\n"
                "capacity). Nobody audits a case of their own team or their own case; loads differ\n"
                "by at most one among auditors without a capacity; the result depends only on the\n"
                "round's seed. If some case cannot be placed, nothing is assigned and the cases are\n"
                "listed with the reason. A round whose cases have no teams is refused unless\n"
                "--no-team-rule is given.\n");
        default: return cli_bad_option(assign_usage, argv, c);
        }
    }
    if (optind >= argc)
        return cli_usage_error(assign_usage, "no ROUND given");
    if (optind + 1 < argc)
        return cli_usage_error(assign_usage, "unexpected argument '%s'", argv[optind + 1]);
    ca_db *db;
    int rc = cli_open_db(&db, CA_DB_EXISTING);
    if (rc)
        return rc;
    ca_error err = CA_ERROR_INIT;
    assign_result res;
    assign_request q = {argv[optind], file, CSVR_AUTO, no_team_rule};
    if (assign_round(db, &q, &res, &err) != CA_OK) {
        rc = cli_report(&err);
    } else {
        for (int i = 0; i < res.nnotes; i++)
            fprintf(stderr, "note: %s\n", res.notes[i]);
        if (no_team_rule)
            fprintf(stderr, "note: assigned without the rule that nobody audits their own team's cases "
                            "(--no-team-rule)\n");
        printf("Round %s: %ld cases assigned to %d auditors", argv[optind], res.assigned, res.nauditors);
        if (res.kept)
            printf(" (%ld graded cases keep their auditor)", res.kept);
        printf("\n");
        out_table *t = otab_new();
        otab_col(t, "auditor", COL_TEXT);
        otab_col(t, "team", COL_TEXT);
        otab_col(t, "capacity", COL_INT);
        otab_col(t, "cases", COL_INT);
        for (int a = 0; a < res.nauditors; a++) {
            otab_row(t);
            otab_text(t, res.auditors[a].name);
            otab_text(t, res.auditors[a].team);
            if (res.auditors[a].capacity >= 0)
                otab_int(t, res.auditors[a].capacity);
            else
                otab_null(t);
            otab_int(t, res.auditors[a].load);
        }
        otab_write(t, OUT_TABLE, stdout);
        otab_free(t);
    }
    assign_result_free(&res);
    ca_error_free(&err);
    db_close(db);
    return rc;
}
