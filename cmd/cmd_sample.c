/* sample, list and rounds (SPEC §5). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/assign.h"
#include "audit/sample.h"
#include "cmd/cli.h"
#include "audit/csvread.h"
#include "audit/store/rounds.h"
#include "cmd/output.h"

/* Two synopses: a monthly round (form 1) and a themed one (form 2, SPEC §15); the
 * options without a form are in both. */
static const cli_opt sample_opts[] = {
    CLI_ARG("ROUND", CLI_REQUIRED | CLI_FORM(1), "a monthly round's label, such as 2026-11"),
    CLI_ARG("NAME", CLI_REQUIRED | CLI_FORM(2), "a themed round's name (not a month), such as cp-15m"),
    CLI_VALUE('T', "theme", "TEXT", CLI_REQUIRED | CLI_FORM(2), "what the deep dive looks at"),
    CLI_VALUE('P', "plan", "CODES", CLI_FORM(2), "only these plan types, comma list (CP,CLA)"),
    CLI_VALUE('A', "age", "BANDS", CLI_FORM(2), "only these age bands, comma list (16-17)"),
    CLI_VALUE('M', "team", "NAMES", CLI_FORM(2), "only these teams, comma list"),
    CLI_VALUE('O', "open-for-at-least", "MONTHS", CLI_FORM(2),
              "only plans started at least MONTHS months before the\nsnapshot's date (9m, 12m, 15m...)"),
    CLI_VALUE('C', "cases", "FILE", CLI_FORM(2), "only the case ids in the first column of FILE"),
    CLI_VALUE('n', "size", "N", CLI_REQUIRED | CLI_FORM(1), "cases to draw in all"),
    CLI_VALUE('n', "size", "N", CLI_REQUIRED | CLI_OR | CLI_FORM(2), NULL), /* the same option, in form 2 */
    CLI_FLAG('L', "all", CLI_FORM(2), "a themed round: every eligible case instead of --size"),
    CLI_VALUE('s', "strata", "DIMS", 0, "comma list of plan, age, team (default plan,age)"),
    CLI_VALUE('a', "alloc", "proportional|equal|neyman|fixed:FILE", 0,
              "proportional (default), equal, neyman, or fixed:FILE\n(a CSV of stratum,n)"),
    CLI_VALUE('k', "min-per-stratum", "K", 0, "at least min(K, N_h) from every stratum (default 1)"),
    CLI_VALUE('x', "exclude-audited-within", "MONTHS", 0,
              "leave out cases audited in the last MONTHS months\n(default 12; 0 turns this off)"),
    CLI_VALUE('S', "seed", "SEED", 0, "decimal or 0x hex; default from the system's random source"),
    CLI_VALUE('i', "snapshot", "ID", 0, "default the latest"),
    CLI_VALUE('d', "due", "DATE", 0, "when the audits are due"),
    CLI_VALUE('b', "age-bands", "EDGES", 0, "lower edges in years (default 0,1,5,10,16,18)"),
    CLI_FLAG('r', "replace", 0, "draw an existing round again (only before any grade)"),
    CLI_END_OF_TABLE,
};
static const cli_spec sample_spec = {
    "sample", sample_opts,
    "Draws the month's audit list ROUND (a label such as 2026-11) from the open cases of a\n"
    "snapshot by stratified simple random sampling with permanent random keys: anyone can\n"
    "re-derive the list from the seed. A themed (deep-dive) round NAME has a --theme; its\n"
    "frame is the open cases that pass every filter given, and it never enters the\n"
    "monthly figures.\n",
    NULL,
    NULL,
};

int cmd_sample(int argc, char **argv)
{
    sample_design d = {.min_per_stratum = 1, .exclude_months = 12, .due = -1, .ndims = 2,
                       .dims = {DIM_PLAN, DIM_AGE}};
    bands_default(&d.bands);
    int c, seeded = 0, day;
    const char *seed_given = NULL;
    char *end;
    ca_error err = CA_ERROR_INIT;
    char why[160];
    cli_args a;
    cli_args_begin(&a, &sample_spec, argc, argv);
    while ((c = cli_next(&a)) > 0) {
        switch (c) {
        case 'n':
            d.size = strtol(a.value, &end, 10);
            if (*end || d.size <= 0)
                return cli_error(CA_REFUSED, "--size \"%s\": expected a whole number of cases above 0", a.value);
            break;
        case 's':
            if (sample_dims_parse(a.value, &d, &err) != CA_OK)
                return cli_usage_error(&sample_spec, "%s", err.msg);
            break;
        case 'a':
            if (strcmp(a.value, "proportional") == 0)
                d.alloc = ALLOC_PROPORTIONAL;
            else if (strcmp(a.value, "equal") == 0)
                d.alloc = ALLOC_EQUAL;
            else if (strcmp(a.value, "neyman") == 0)
                d.alloc = ALLOC_NEYMAN;
            else if (strncmp(a.value, "fixed:", 6) == 0 && a.value[6])
                d.alloc = ALLOC_FIXED, d.fixed_path = a.value + 6;
            else
                return cli_usage_error(&sample_spec, "--alloc '%s': expected proportional, equal, neyman or "
                                       "fixed:FILE", a.value);
            break;
        case 'k':
            d.min_per_stratum = (int)strtol(a.value, &end, 10);
            if (*end || d.min_per_stratum < 0)
                return cli_error(CA_REFUSED, "--min-per-stratum \"%s\": expected a whole number", a.value);
            break;
        case 'x':
            d.exclude_months = (int)strtol(a.value, &end, 10);
            if (*end || d.exclude_months < 0 || d.exclude_months > 1200)
                return cli_error(CA_REFUSED, "--exclude-audited-within \"%s\": expected a number of months", a.value);
            break;
        case 'S':
            if (sample_seed_parse(a.value, &d.seed) != CA_OK)
                return cli_error(CA_REFUSED, "--seed \"%s\": expected a 64-bit number, decimal or 0x hex", a.value);
            seeded = 1;
            seed_given = a.value;
            break;
        case 'i':
            d.snapshot = strtol(a.value, &end, 10);
            if (*end || d.snapshot <= 0)
                return cli_error(CA_REFUSED, "--snapshot \"%s\": expected a snapshot id", a.value);
            break;
        case 'd':
            if (cli_parse_date("--due", a.value, &day))
                return CA_REFUSED;
            d.due = day;
            break;
        case 'b':
            if (bands_parse(a.value, &d.bands, why, sizeof why) != CA_OK)
                return cli_error(CA_REFUSED, "--age-bands: %s", why);
            break;
        case 'r': d.replace = 1; break;
        case 'T': d.theme.text = a.value; break;
        case 'P': d.theme.plans = a.value; break;
        case 'A': d.theme.ages = a.value; break;
        case 'M': d.theme.teams = a.value; break;
        case 'C': d.theme.cases_path = a.value; break;
        case 'L': d.theme.all = 1; break;
        case 'O':
            d.theme.open_months = (int)strtol(a.value, &end, 10);
            if ((*end && strcmp(end, "m") != 0) || end == a.value || d.theme.open_months <= 0 ||
                d.theme.open_months > 1200)
                return cli_error(CA_REFUSED, "--open-for-at-least \"%s\": expected months, such as 15m", a.value);
            break;
        }
    }
    if (c == CLI_STOP)
        return a.status;
    if (a.npos == 0)
        return cli_usage_error(&sample_spec, "no ROUND given (a label such as 2026-11)");
    d.round = a.pos[0];
    const sample_theme *th = &d.theme;
    if (!th->text && (th->plans || th->ages || th->teams || th->open_months || th->cases_path || th->all))
        return cli_usage_error(&sample_spec, "--plan, --age, --team, --open-for-at-least, --cases and --all are "
                               "for a themed round: give --theme TEXT");
    if (th->all && (d.size || d.alloc == ALLOC_FIXED))
        return cli_usage_error(&sample_spec, "--all draws every eligible case: give it without --size or fixed:FILE");
    if (!d.size && d.alloc != ALLOC_FIXED && !th->all)
        return cli_usage_error(&sample_spec, th->text ? "--size or --all is required" : "--size is required");
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
        printf("Round %s: %ld cases drawn from snapshot %ld (as at %s), seed %s\n", res.label, res.drawn,
               res.snapshot, as_of, seed);
        if (th->text)
            printf("Themed round: %s\nFrame: %s; %ld of %ld open cases pass\n", th->text, res.theme_filter,
                   res.population - res.excluded_theme, res.population);
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

static const cli_opt list_opts[] = {
    CLI_ARG("ROUND", CLI_REQUIRED, NULL),
    CLI_VALUE('f', "format", "table|csv|json|md|xlsx", 0, "the output format (default table; xlsx needs -o)"),
    CLI_VALUE1('o', "output", 'o', "FILE", 0, "write to FILE instead of standard output"),
    CLI_END_OF_TABLE,
};
static const cli_spec list_spec = {
    "list", list_opts,
    "Exports the round's audit list: the sheet auditors fill in (grade, audit_date,\n"
    "domain grades, action, action_due, note) and return with 'caseaudit grade ROUND\n"
    "--file FILE'. Files are written with mode 0600.\n",
    NULL,
    NULL,
};

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
    enum out_format fmt = OUT_TABLE;
    const char *path = NULL;
    int c;
    cli_args a;
    cli_args_begin(&a, &list_spec, argc, argv);
    while ((c = cli_next(&a)) > 0) {
        switch (c) {
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
    if (a.npos == 0)
        return cli_usage_error(&list_spec, "no ROUND given");
    if (fmt == OUT_XLSX && (!path || strcmp(path, "-") == 0))
        return cli_usage_error(&list_spec, "--format xlsx needs -o FILE");
    const char *label = a.pos[0];
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
    otab_text(t, r->theme);
    return 0;
}

static const cli_opt rounds_opts[] = {
    CLI_VALUE('f', "format", "table|json", 0, "the output format (default table)"),
    CLI_END_OF_TABLE,
};
static const cli_spec rounds_spec = {
    "rounds", rounds_opts,
    "Lists the rounds with their progress: cases sampled, graded, overdue (ungraded\n"
    "past the round's due date) and moderated; a themed round shows its theme.\n",
    NULL,
    NULL,
};

int cmd_rounds(int argc, char **argv)
{
    enum out_format fmt = OUT_TABLE;
    int c;
    cli_args a;
    cli_args_begin(&a, &rounds_spec, argc, argv);
    while ((c = cli_next(&a)) > 0) {
        if (c == 'f' && out_format_parse(a.value, OUT_ALLOW(OUT_TABLE) | OUT_ALLOW(OUT_JSON), &fmt))
            return CA_USAGE;
    }
    if (c == CLI_STOP)
        return a.status;
    ca_db *db;
    int rc = cli_open_db(&db, CA_DB_EXISTING);
    if (rc)
        return rc;
    ca_error err = CA_ERROR_INIT;
    out_table *t = otab_new();
    /* theme: empty for a monthly round, the theme of a themed one (SPEC §15). */
    static const char *const names[] = {"round", "snapshot", "as_of", "seed", "due", "sampled", "graded",
                                        "overdue", "moderated", "theme"};
    static const enum out_col_type types[] = {COL_TEXT, COL_INT, COL_DATE, COL_TEXT,
                                              COL_DATE, COL_INT, COL_INT, COL_INT, COL_INT, COL_TEXT};
    for (int k = 0; k < 10; k++)
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

static const cli_opt assign_opts[] = {
    CLI_ARG("ROUND", CLI_REQUIRED, NULL),
    CLI_VALUE('a', "auditors", "FILE", 0,
              "a people file (name, team(s), roles, capacity) imported into the register first"),
    CLI_FLAG('T', "no-team-rule", 0, "assign a round whose cases have no teams"),
    CLI_END_OF_TABLE,
};
static const cli_spec assign_spec = {
    "assign", assign_opts,
    "Allocates the round's ungraded cases to the active auditors of the people register\n"
    "(--auditors FILE imports a people file into it first: name, team(s), roles,\n"
    "capacity). Nobody audits a case of their own team or their own case; loads differ\n"
    "by at most one among auditors without a capacity; the result depends only on the\n"
    "round's seed. If some case cannot be placed, nothing is assigned and the cases are\n"
    "listed with the reason. A round whose cases have no teams is refused unless\n"
    "--no-team-rule is given.\n",
    NULL,
    NULL,
};

int cmd_assign(int argc, char **argv)
{
    const char *file = NULL;
    int c, no_team_rule = 0;
    cli_args a;
    cli_args_begin(&a, &assign_spec, argc, argv);
    while ((c = cli_next(&a)) > 0) {
        switch (c) {
        case 'a': file = a.value; break;
        case 'T': no_team_rule = 1; break;
        }
    }
    if (c == CLI_STOP)
        return a.status;
    if (a.npos == 0)
        return cli_usage_error(&assign_spec, "no ROUND given");
    ca_db *db;
    int rc = cli_open_db(&db, CA_DB_EXISTING);
    if (rc)
        return rc;
    ca_error err = CA_ERROR_INIT;
    assign_result res;
    assign_request q = {a.pos[0], file, CSVR_AUTO, no_team_rule};
    if (assign_round(db, &q, &res, &err) != CA_OK) {
        rc = cli_report(&err);
    } else {
        for (int i = 0; i < res.nnotes; i++)
            fprintf(stderr, "note: %s\n", res.notes[i]);
        if (no_team_rule)
            fprintf(stderr, "note: assigned without the rule that nobody audits their own team's cases "
                            "(--no-team-rule)\n");
        printf("Round %s: %ld cases assigned to %d auditors", a.pos[0], res.assigned, res.nauditors);
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
