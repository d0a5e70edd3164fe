/* sample, list and rounds (SPEC §5). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "audit/assign.h"
#include "audit/people.h"
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
    CLI_VALUE('f', "format", "table|csv|json|md|xlsx", 0,
              "the output format (default table; xlsx needs -o; with --split-by\nxlsx (default) or csv)"),
    CLI_VALUE1('o', "output", 'o', "FILE", 0, "write to FILE instead of standard output (with --split-by:\nthe folder)"),
    CLI_VALUE('a', "auditor", "NAME", CLI_OR, "only the cases allocated to NAME (a name of the people register)"),
    CLI_VALUE('s', "split-by", "auditor", 0,
              "one file per auditor in the folder -o DIR (made if missing),\nnamed \"ROUND - NAME.xlsx\""),
    CLI_END_OF_TABLE,
};
static const cli_spec list_spec = {
    "list", list_opts,
    "Exports the round's audit list: the sheet auditors fill in (grade, audit_date,\n"
    "domain grades, action, action_due, note) and return with 'caseaudit grade ROUND\n"
    "--file FILE'. Files are written with mode 0600. The xlsx prints A4 landscape, one\n"
    "page wide, with the header on every page; the CSV starts with a byte-order mark,\n"
    "and a value Excel or LibreOffice would turn into a number or date (an id 0012345,\n"
    "an age band 1-4, the round 2026-11) starts with an invisible word joiner (U+2060)\n"
    "that keeps it as it is; caseaudit takes it off when the file comes back.\n",
    NULL,
    NULL,
};

/* One auditor's share of the list (--split-by auditor). */
struct list_group {
    char *name;            /* the register's spelling when they are in it */
    char key[256];
    out_table *t;
};

struct list_view {
    const char *label;
    enum out_format fmt;
    char **domains;        /* domain codes, in order */
    int ndomains;
    const char *due;       /* the round's due date, ISO; NULL when none */
    const ca_people *reg;  /* the people register (--auditor, --split-by) */
    const char *only;      /* --auditor: the person's key */
    int split;
    out_table *t;          /* the list (not split) */
    struct list_group *groups;
    int ngroups;
    long unassigned;       /* split: cases without an auditor */
};

/* The list's columns (SPEC §5): JSON names the round once, at the top; the
 * sheets carry it on every row, with the empty columns to fill in. */
static out_table *list_table_new(const struct list_view *v)
{
    out_table *t = otab_new();
    static const char *const cols[] = {"round", "case_id", "plan_type", "age_band", "team", "worker", "auditor"};
    for (size_t i = v->fmt == OUT_JSON; i < sizeof cols / sizeof *cols; i++)
        otab_col(t, cols[i], COL_TEXT);
    otab_col(t, "due", COL_DATE);
    otab_col(t, "stratum", COL_TEXT);
    if (v->fmt == OUT_JSON) {
        otab_col(t, "probability", COL_REAL);
        otab_col(t, "weight", COL_REAL);
        return t;
    }
    otab_col(t, "grade", COL_GRADE);
    otab_col(t, "audit_date", COL_DATE);
    for (int k = 0; k < v->ndomains; k++) {
        char name[80];
        snprintf(name, sizeof name, "domain:%s", v->domains[k]);
        otab_col(t, name, COL_GRADE);
    }
    otab_col(t, "action", COL_WRITE);
    otab_col(t, "action_due", COL_DATE);
    otab_col(t, "note", COL_WRITE);
    otab_for_people(t); /* its CSV is opened in Excel, filled in and returned */
    return t;
}

static void list_row(const struct list_view *v, out_table *t, const round_case_row *r)
{
    const char *cells[] = {r->case_id, r->plan_type, r->age_band, r->team, r->worker, r->auditor};
    otab_row(t);
    if (v->fmt != OUT_JSON)
        otab_text(t, v->label);
    for (int k = 0; k < 6; k++)
        otab_text(t, cells[k]);
    otab_text(t, v->due);
    otab_text(t, r->stratum);
    if (v->fmt == OUT_JSON) {
        otab_real(t, r->probability);
        otab_real(t, r->weight);
    } else {
        for (int k = 0; k < v->ndomains + 5; k++)
            otab_null(t);
    }
}

/* The auditor's group, made on first sight; NULL out of memory. */
static struct list_group *list_group_of(struct list_view *v, const char *auditor, const char *key)
{
    for (int g = 0; g < v->ngroups; g++)
        if (strcmp(v->groups[g].key, key) == 0)
            return &v->groups[g];
    struct list_group *n = realloc(v->groups, sizeof *n * (size_t)(v->ngroups + 1));
    if (!n)
        return NULL;
    v->groups = n;
    struct list_group *g = &n[v->ngroups];
    const ca_person *p = people_find(v->reg, auditor);
    g->name = strdup(p ? p->name : auditor);
    snprintf(g->key, sizeof g->key, "%s", key);
    g->t = list_table_new(v);
    if (!g->name || !g->t) {
        free(g->name), otab_free(g->t);
        return NULL;
    }
    v->ngroups++;
    return g;
}

static int add_list_row(void *u, const round_case_row *r)
{
    struct list_view *v = u;
    char key[256] = "";
    if (r->auditor)
        people_key(r->auditor, key, sizeof key);
    if (v->only && strcmp(key, v->only) != 0)
        return 0;
    if (!v->split) {
        list_row(v, v->t, r);
        return 0;
    }
    if (!*key) {
        v->unassigned++;
        return 0;
    }
    struct list_group *g = list_group_of(v, r->auditor, key);
    if (!g)
        return 1;
    list_row(v, g->t, r);
    return 0;
}

static int add_domain_code(void *u, const char *code, const char *label)
{
    struct list_view *v = u;
    (void)label;
    char **d = realloc(v->domains, sizeof *d * (size_t)(v->ndomains + 1));
    if (!d)
        return 1;
    v->domains = d;
    if (!(d[v->ndomains] = strdup(code)))
        return 1;
    v->ndomains++;
    return 0;
}

static void list_view_free(struct list_view *v)
{
    for (int k = 0; k < v->ndomains; k++)
        free(v->domains[k]);
    free(v->domains);
    for (int g = 0; g < v->ngroups; g++)
        free(v->groups[g].name), otab_free(v->groups[g].t);
    free(v->groups);
    otab_free(v->t);
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

/* A file name safe on Windows, macOS and Linux: no / \ : * ? " < > | or control
 * characters, no leading or trailing dots and spaces, at most 120 bytes (cut at a
 * character's start). */
static void safe_file_name(const char *s, char *out, size_t len)
{
    size_t o = 0, cap = len - 1 < 120 ? len - 1 : 120;
    while (*s == ' ' || *s == '.')
        s++;
    for (; *s && o < cap; s++)
        out[o++] = (unsigned char)*s < 0x20 || *s == 0x7f || strchr("/\\:*?\"<>|", *s) ? '-' : *s;
    if (((unsigned char)*s & 0xc0) == 0x80) { /* cut inside a character: drop all of it */
        while (o && ((unsigned char)out[o - 1] & 0xc0) == 0x80)
            o--;
        o -= o > 0;
    }
    while (o && (out[o - 1] == ' ' || out[o - 1] == '.'))
        o--;
    out[o] = 0;
}

static int group_cmp(const void *a, const void *b)
{
    const struct list_group *x = a, *y = b;
    int c = strcasecmp(x->name, y->name);
    return c ? c : strcmp(x->name, y->name);
}

/* --split-by auditor: one file per auditor in DIR, "ROUND - NAME.xlsx". */
static int write_split(ca_db *db, const round_info *round, struct list_view *v, const char *dir, ca_error *err)
{
    if (!v->ngroups)
        return cli_error(CA_REFUSED, "round %s has no auditors yet: allocate it with 'caseaudit assign %s' first",
                         round->label, round->label);
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return cli_error(CA_SYSTEM, "cannot make the folder '%s': %s", dir, strerror(errno));
    qsort(v->groups, (size_t)v->ngroups, sizeof *v->groups, group_cmp);
    char (*names)[160] = calloc((size_t)v->ngroups, sizeof *names);
    if (!names)
        return cli_error(CA_SYSTEM, "out of memory");
    int rc = 0;
    for (int g = 0; g < v->ngroups && rc == 0; g++) {
        char want[200], base[160], path[4096];
        snprintf(want, sizeof want, "%s - %s", round->label, v->groups[g].name);
        safe_file_name(want, base, sizeof base);
        snprintf(names[g], sizeof names[g], "%s", base);
        /* Two names that differ only in characters a file name cannot hold, or in case. */
        for (int k = 0, n = 2; k < g; k++)
            if (strcasecmp(names[k], names[g]) == 0) {
                snprintf(names[g], sizeof names[g], "%.140s (%d)", base, n++);
                k = -1;
            }
        snprintf(path, sizeof path, "%s/%s.%s", dir, names[g], v->fmt == OUT_XLSX ? "xlsx" : "csv");
        rc = write_list(db, round, v->groups[g].t, v->fmt, path, err);
        if (rc == 0)
            cli_wrote(path, "audit list", "%d case%s for %s", otab_nrows(v->groups[g].t),
                      otab_nrows(v->groups[g].t) == 1 ? "" : "s", v->groups[g].name);
    }
    free(names);
    if (rc == 0 && v->unassigned)
        fprintf(stderr, "note: %ld case%s without an auditor %s in no file: allocate %s with 'caseaudit assign %s'\n",
                v->unassigned, v->unassigned == 1 ? "" : "s", v->unassigned == 1 ? "is" : "are",
                v->unassigned == 1 ? "it" : "them", round->label);
    return rc;
}

struct list_args {
    const char *label, *path, *auditor;
    enum out_format fmt;
    int split;
};

/* Parses list's options into *a: -1 to go on, or an exit status (printed; --help: 0). */
static int list_parse(int argc, char **argv, struct list_args *a)
{
    int c, fmt_given = 0;
    cli_args p;
    cli_args_begin(&p, &list_spec, argc, argv);
    while ((c = cli_next(&p)) > 0) {
        switch (c) {
        case 'f':
            if (out_format_parse(p.value, OUT_ALLOW(OUT_TABLE) | OUT_ALLOW(OUT_CSV) | OUT_ALLOW(OUT_JSON) |
                                 OUT_ALLOW(OUT_MD) | OUT_ALLOW(OUT_XLSX), &a->fmt))
                return CA_USAGE;
            fmt_given = 1;
            break;
        case 'o': a->path = p.value; break;
        case 'a': a->auditor = p.value; break;
        case 's':
            if (strcmp(p.value, "auditor") != 0)
                return cli_usage_error(&list_spec, "--split-by '%s': the list can be split by auditor", p.value);
            a->split = 1;
            break;
        }
    }
    if (c == CLI_STOP)
        return p.status;
    if (p.npos == 0)
        return cli_usage_error(&list_spec, "no ROUND given");
    a->label = p.pos[0];
    if (a->split) {
        if (a->auditor)
            return cli_usage_error(&list_spec, "give --auditor NAME or --split-by auditor, not both");
        if (!a->path || strcmp(a->path, "-") == 0)
            return cli_usage_error(&list_spec, "--split-by auditor needs -o DIR, the folder for the files");
        if (!fmt_given)
            a->fmt = OUT_XLSX;
        else if (a->fmt != OUT_XLSX && a->fmt != OUT_CSV)
            return cli_usage_error(&list_spec, "--split-by auditor writes xlsx or csv files");
    } else if (a->fmt == OUT_XLSX && (!a->path || strcmp(a->path, "-") == 0)) {
        return cli_usage_error(&list_spec, "--format xlsx needs -o FILE");
    }
    return -1;
}

/* Reads the round's list into v (its table, or one per auditor). */
static int list_read(ca_db *db, const struct list_args *a, const round_info *round, struct list_view *v,
                     ca_error *err)
{
    if (domains_list(db, add_domain_code, v, err) != CA_OK)
        return err->status ? CA_ERR : ca_fail(err, CA_SYSTEM, "out of memory");
    if (!v->split && !(v->t = list_table_new(v)))
        return ca_fail(err, CA_SYSTEM, "out of memory");
    int got = round_cases(db, round->id, add_list_row, v, err);
    if (got > 0)
        return ca_fail(err, CA_SYSTEM, "out of memory");
    if (got < 0)
        return CA_ERR;
    if (a->auditor && !otab_nrows(v->t))
        fprintf(stderr, "note: %s has no cases in round %s\n", a->auditor, round->label);
    return CA_OK;
}

int cmd_list(int argc, char **argv)
{
    struct list_args a = {.fmt = OUT_TABLE};
    int rc = list_parse(argc, argv, &a);
    if (rc >= 0)
        return rc;
    ca_db *db;
    if ((rc = cli_open_db(&db, CA_DB_EXISTING)))
        return rc;
    ca_error err = CA_ERROR_INIT;
    ca_people reg = {0};
    round_info round;
    char due[CA_DATE_ISO_LEN];
    struct list_view v = {.label = a.label, .fmt = a.fmt, .reg = &reg, .split = a.split};
    if (round_by_label(db, a.label, &round, &err) != CA_OK || people_load(db, &reg, &err) != CA_OK)
        goto fail;
    if (a.auditor) {
        const ca_person *p = people_named(&reg, a.auditor, &err);
        if (!p)
            goto fail;
        v.only = p->key;
        a.auditor = p->name;
    }
    if (round.due >= 0) {
        date_iso(round.due, due);
        v.due = due;
    }
    if (list_read(db, &a, &round, &v, &err) != CA_OK)
        goto fail;
    if (a.split) {
        rc = write_split(db, &round, &v, a.path, &err);
    } else {
        rc = write_list(db, &round, v.t, a.fmt, a.path, &err);
        if (rc == 0 && a.auditor)
            cli_wrote(a.path, "audit list", "%d case%s for %s", otab_nrows(v.t), otab_nrows(v.t) == 1 ? "" : "s",
                      a.auditor);
        else if (rc == 0)
            cli_wrote(a.path, "audit list", "%d case%s", otab_nrows(v.t), otab_nrows(v.t) == 1 ? "" : "s");
    }
    if (rc < 0)
        goto fail;
    goto done;
fail:
    rc = cli_report(&err);
done:
    list_view_free(&v);
    people_free(&reg);
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
