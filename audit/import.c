#include "audit/import.h"

#include <ctype.h>
#include <stdarg.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "audit/alias.h"
#include "audit/csvread.h"
#include "audit/tabread.h"
#include "audit/store/snapwrite.h"

/* Normalised header names (vocab_normalise) accepted for each column. */
/* Built-in aliases of SPEC §4 among them: Person ID, Current Plan, Service Area, Key Worker... */
static const char *const N_CASE_ID[] = {"caseid", "personid", "childid", "clientid", NULL};
static const char *const N_CHILD_ID[] = {"childuniqueid", "uniquechildid", "childuniqueidentifier", NULL};
static const char *const N_DOB[] = {"dateofbirth", "dob", "birthdate", NULL};
static const char *const N_AGE[] = {"age", "ageofchildyears", "ageofchild", "ageyears", NULL};
static const char *const N_PLAN[] = {"plantype", "plan", "currentplan", "legalstatus", NULL};
static const char *const N_TEAM[] = {"team", "allocatedteam", "servicearea", "teamname", NULL};
static const char *const N_WORKER[] = {"worker", "allocatedworker", "socialworker", "keyworker", NULL};
static const char *const N_ADVISOR[] = {"allocatedpersonaladvisor", "allocatedpersonaladviser", "personaladvisor",
                                        "personaladviser", NULL};
static const char *const N_START[] = {"planstart", "planstartdate", NULL};
static const char *const N_END[] = {"planend", "planenddate", NULL};
static const char *const N_GENDER[] = {"gender", "sex", NULL};
static const char *const N_ETHNICITY[] = {"ethnicity", NULL};
static const char *const N_DISABILITY[] = {"disability", "disabled", NULL};
static const char *const N_A2_START[] = {"assessmentstartdate", NULL};
static const char *const N_A2_DONE[] = {"assessmentcompletiondate", NULL};
static const char *const N_A6_START[] = {"cinstartdate", NULL};
static const char *const N_A6_END[] = {"cinclosuredate", NULL};
static const char *const N_A6_STATUS[] = {"casestatus", NULL};
static const char *const N_A7_START[] = {"childprotectionplanstartdate", "cppstartdate", "cpplanstartdate", NULL};
static const char *const N_A7_END[] = {"childprotectionplanenddate", "cppenddate", "cpplanenddate", NULL};
static const char *const N_A8_START[] = {"datestartedtobelookedafter", "datestartedlookedafter", NULL};
static const char *const N_A8_END[] = {"dateceasedtobelookedafter", "dateceasedlookedafter", NULL};
static const char *const N_A9_ELIG[] = {"eligibilitycategory", "eligibitycategory", "eligiblitycategory", NULL};

const char *import_kind_name(enum import_kind k)
{
    static const char *const names[] = {"generic",         "Annex A list 2", "Annex A list 6", "Annex A list 7",
                                        "Annex A list 8",  "Annex A list 9", "unknown"};
    return names[k];
}

enum import_kind import_kind_of(char *const *hdr, int n)
{
    if (csvr_find(hdr, n, N_CASE_ID) >= 0)
        return KIND_GENERIC;
    if (csvr_find(hdr, n, N_CHILD_ID) < 0)
        return KIND_UNKNOWN;
    if (csvr_find(hdr, n, N_A7_START) >= 0 || csvr_find(hdr, n, N_A7_END) >= 0)
        return KIND_ANNEX_A7;
    if (csvr_find(hdr, n, N_A8_START) >= 0 || csvr_find(hdr, n, N_A8_END) >= 0)
        return KIND_ANNEX_A8;
    if (csvr_find(hdr, n, N_A9_ELIG) >= 0 || csvr_find(hdr, n, N_ADVISOR) >= 0)
        return KIND_ANNEX_A9;
    if (csvr_find(hdr, n, N_A6_STATUS) >= 0 || csvr_find(hdr, n, N_A6_START) >= 0)
        return KIND_ANNEX_A6;
    if (csvr_find(hdr, n, N_A2_START) >= 0 || csvr_find(hdr, n, N_A2_DONE) >= 0)
        return KIND_ANNEX_A2;
    return KIND_UNKNOWN;
}

/* Column positions in one file; -1 when absent. */
struct cols {
    int id, dob, age, plan, team, worker, start, end, gender, ethnicity, disability, status;
};

/* A field without the spaces around it, where it lies (not copied); p NULL: no value. */
struct span {
    const char *p;
    int n;
};

struct ctx {
    ca_db *db;
    const import_options *opt;
    ca_error *err;
    import_summary *sum;
    snap_writer *w;
    alias_set *aliases;   /* the council's own spellings */
    int team_aliases;     /* how many of them are teams */
    ca_day latest_dob;  /* as_of + 10 months */
    /* The file being read, and the sheet of a workbook. */
    tabr *r;
    char **hdr;
    char **match;         /* the header as matched: a column alias stands for its field */
    int nhdr;
    struct cols k;
    import_file *file;
    int read_all;       /* the file was read to its end (not stopped by bad data) */
    long serial_dates, two_digit_years;   /* dates read as spreadsheets write them */
    char place[IMPORT_MAX_FILES][512];    /* each list's name in messages: FILE or FILE[SHEET] */
    int source[IMPORT_MAX_FILES];         /* and which of the files given it came from */
    char idname[IMPORT_MAX_FILES][128];   /* each file's name for its case id column */
    char idcol[IMPORT_MAX_FILES][128]; /* each file's name for its date of birth column, for conflicts */
    /* The current valid row's dates, in the buffers here; valid until the reader moves on. */
    char dob[CA_DATE_ISO_LEN], start[CA_DATE_ISO_LEN], end[CA_DATE_ISO_LEN];
};

static struct span span_of(tabr *r, int col)
{
    if (col < 0)
        return (struct span){NULL, 0};
    const char *s = tabr_field(r, col);
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    return (struct span){n ? s : NULL, (int)n};
}

/* A short field, trimmed, copied into buf (for parsers that want a string). */
static const char *trimmed(tabr *r, int col, char *buf, size_t len)
{
    struct span v = span_of(r, col);
    size_t n = (size_t)v.n < len ? (size_t)v.n : len - 1;
    if (n)
        memcpy(buf, v.p, n);
    buf[n] = 0;
    return buf;
}

/* A problem in column COL of the current row; value NULL for none. */
static void row_problem(struct ctx *c, int col, const char *value, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void row_problem(struct ctx *c, int col, const char *value, const char *fmt, ...)
{
    char msg[CA_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ca_where at = {tabr_path(c->r), tabr_sheet(c->r), tabr_line(c->r)};
    ca_problem_at(c->err, &at, col >= 0 && col < c->nhdr ? c->hdr[col] : NULL, value, "%s", msg);
}

/* A problem with the header (line 1) of PATH, about COLUMN. */
static void header_problem(struct ctx *c, const char *path, const char *column, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void header_problem(struct ctx *c, const char *path, const char *column, const char *fmt, ...)
{
    char msg[CA_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* A workbook's header may sit below title rows: its own row, on its sheet. */
    ca_where at = {path, c->r ? tabr_sheet(c->r) : NULL, c->r && tabr_line(c->r) > 0 ? tabr_line(c->r) : 1};
    ca_problem_at(c->err, &at, column, NULL, "%s", msg);
}

/* "a) Looked after" -> 'a' */
static int status_letter(const char *s)
{
    while (*s && !isalnum((unsigned char)*s))
        s++;
    int c = tolower((unsigned char)*s);
    if (c < 'a' || c > 'e')
        return 0;
    s++;
    return *s == 0 || *s == ')' || *s == '.' || *s == ' ' || *s == ':' ? c : 0;
}

static void list_columns(char *const *hdr, int n, char *buf, size_t len)
{
    size_t o = 0;
    buf[0] = 0;
    for (int i = 0; i < n && o + 4 < len; i++)
        o += (size_t)snprintf(buf + o, len - o, "%s\"%s\"", i ? ", " : "", hdr[i]);
}

/* Counts the dates read as spreadsheets write them, for the summary's note. */
static void count_reading(struct ctx *c, enum date_reading how)
{
    c->serial_dates += how == DATE_READ_SERIAL;
    c->two_digit_years += how == DATE_READ_TWO_DIGIT;
}

/* Parses an optional date column into iso (empty when blank). CA_ERR (problem noted) when bad. */
static int opt_date(struct ctx *c, int col, char iso[CA_DATE_ISO_LEN], ca_day *day)
{
    iso[0] = 0;
    struct span v = span_of(c->r, col);
    if (!v.p)
        return CA_OK;
    char why[160];
    enum date_reading how;
    if (date_parse_cell(tabr_field(c->r, col), DATE_OTHER, c->opt->as_of, day, &how, why, sizeof why) != CA_OK) {
        row_problem(c, col, tabr_field(c->r, col), "%s", why);
        return CA_ERR;
    }
    count_reading(c, how);
    date_iso(*day, iso);
    return CA_OK;
}

static void note(import_summary *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(import_summary *s, const char *fmt, ...)
{
    if (s->nnotes >= IMPORT_MAX_NOTES)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->notes[s->nnotes++], sizeof s->notes[0], fmt, ap);
    va_end(ap);
}

static int map_columns(struct ctx *c, const char *path, enum import_kind kind, char *const *hdr, int n,
                       struct cols *k)
{
    int generic = kind == KIND_GENERIC;
    *k = (struct cols){
        .id = csvr_find(c->match, n, generic ? N_CASE_ID : N_CHILD_ID),
        .dob = csvr_find(c->match, n, N_DOB),
        .age = csvr_find(c->match, n, N_AGE),
        .plan = generic ? csvr_find(c->match, n, N_PLAN) : -1,
        .team = csvr_find(c->match, n, N_TEAM),
        .worker = csvr_find(c->match, n, kind == KIND_ANNEX_A9 ? N_ADVISOR : N_WORKER),
        .start = -1, .end = -1,
        .gender = csvr_find(c->match, n, N_GENDER),
        .ethnicity = csvr_find(c->match, n, N_ETHNICITY),
        .disability = csvr_find(c->match, n, N_DISABILITY),
        .status = kind == KIND_ANNEX_A6 ? csvr_find(c->match, n, N_A6_STATUS) : -1,
    };
    switch (kind) {
    case KIND_GENERIC: k->start = csvr_find(c->match, n, N_START), k->end = csvr_find(c->match, n, N_END); break;
    case KIND_ANNEX_A2: k->start = csvr_find(c->match, n, N_A2_START); break;
    case KIND_ANNEX_A6: k->start = csvr_find(c->match, n, N_A6_START), k->end = csvr_find(c->match, n, N_A6_END); break;
    case KIND_ANNEX_A7: k->start = csvr_find(c->match, n, N_A7_START), k->end = csvr_find(c->match, n, N_A7_END); break;
    case KIND_ANNEX_A8: k->start = csvr_find(c->match, n, N_A8_START), k->end = csvr_find(c->match, n, N_A8_END); break;
    default: break;
    }
    if (k->worker < 0 && kind == KIND_ANNEX_A9)
        k->worker = csvr_find(c->match, n, N_WORKER);
    char found[1024];
    list_columns(hdr, n, found, sizeof found);
    int ok = 1;
    const char *idname = generic ? "case_id" : "Child Unique ID";
    /* A list that names a column its own way needs an alias, and the message says which. */
    static const char hint[] = "; if the list has it under another name: caseaudit alias add column \"NAME\" ";
    if (k->id < 0)
        header_problem(c, path, idname, "required column missing (columns found: %s)%s%s", found,
                       generic ? hint : "", generic ? "case_id" : ""), ok = 0;
    if (k->dob < 0 && k->age < 0)
        header_problem(c, path, generic ? "date_of_birth" : "Date of Birth",
                       "required column missing (or give \"age\"; columns found: %s)%s%s", found,
                       generic ? hint : "", generic ? "date_of_birth" : ""), ok = 0;
    if (generic && k->plan < 0 && c->opt->plan < 0)
        header_problem(c, path, "plan_type", "required column missing (or give --plan-type; columns found: %s)%s"
                       "plan_type", found, hint), ok = 0;
    /* The own-team rule of SPEC §6 depends on each case's team. */
    if (generic && k->team < 0 && !c->opt->no_team)
        header_problem(c, path, "team", "required column missing: the rule that nobody audits their own team's "
                       "cases needs each case's team (columns found: %s)%steam; a list that has no teams at all "
                       "is imported with --no-team", found, hint), ok = 0;
    if (kind == KIND_ANNEX_A6 && k->status < 0)
        header_problem(c, path, "Case Status", "required column missing (columns found: %s)", found), ok = 0;
    /* Say once which columns of a generic list are not used, so that a misspelt one is noticed
     * (Annex A lists carry many columns that the audit has no use for). */
    char ignored[512];
    size_t o = 0;
    ignored[0] = 0;
    for (int i = 0; i < n; i++) {
        int used = 0;
        const int *cols = (const int *)k;
        for (size_t j = 0; j < sizeof *k / sizeof(int); j++)
            used |= cols[j] == i;
        if (!used && o + 4 < sizeof ignored)
            o += (size_t)snprintf(ignored + o, sizeof ignored - o, "%s\"%s\"", o ? ", " : "", hdr[i]);
    }
    if (*ignored && generic)
        note(c->sum, "%s: columns not used: %s", path, ignored);
    return ok ? CA_OK : CA_ERR;
}

/* The row's team, as a team alias of the council spells it where it has one. */
static struct span team_of(struct ctx *c)
{
    struct span team = span_of(c->r, c->k.team);
    if (c->team_aliases && team.p) {
        char v[256];
        const char *canonical = alias_lookup(c->aliases, "team", trimmed(c->r, c->k.team, v, sizeof v));
        if (canonical)
            team = (struct span){canonical, (int)strlen(canonical)};
    }
    return team;
}

/* Validates the current record into *out; CA_ERR (problems noted) when it is not valid. */
/* The row's age at the as-of date, from its date of birth (kept in c->dob) or its age
 * column; CA_ERR (problems noted) when neither gives one a children's case can have. */
static int parse_age(struct ctx *c, int *age)
{
    tabr *r = c->r;
    const struct cols *k = &c->k;
    char v[256], why[160];
    ca_day dob = 0;
    c->dob[0] = 0;
    *age = -2;
    if (span_of(r, k->dob).p) {
        enum date_reading how = DATE_READ_FULL;
        if (date_parse_cell(tabr_field(r, k->dob), DATE_BIRTH, c->opt->as_of, &dob, &how, why, sizeof why) != CA_OK)
            return row_problem(c, k->dob, trimmed(r, k->dob, v, sizeof v), "%s", why), CA_ERR;
        if (dob > c->latest_dob)
            return row_problem(c, k->dob, trimmed(r, k->dob, v, sizeof v),
                               "date of birth more than 10 months after the as-of date"), CA_ERR;
        count_reading(c, how);
        date_iso(dob, c->dob);
        *age = date_age_years(dob, c->opt->as_of);
    } else if (span_of(r, k->age).p) {
        trimmed(r, k->age, v, sizeof v);
        char *end;
        long a = strtol(v, &end, 10);
        if (*end || a < 0)
            return row_problem(c, k->age, v, "not an age in whole years"), CA_ERR;
        *age = (int)(a > 1000 ? 1000 : a);
    } else {
        return row_problem(c, k->dob >= 0 ? k->dob : k->age, NULL, "empty date of birth"), CA_ERR;
    }
    if (*age > 25) {
        int col = c->dob[0] ? k->dob : k->age;
        return row_problem(c, col, trimmed(r, col, v, sizeof v), "age %d is over 25: not a children's case", *age),
               CA_ERR;
    }
    return CA_OK;
}

/* The plan a generic list's row names, through the built-in spellings and the council's aliases. */
static int generic_plan(struct ctx *c, int *plan)
{
    const struct cols *k = &c->k;
    char v[256];
    if (k->plan >= 0 && *trimmed(c->r, k->plan, v, sizeof v)) {
        const char *aliased = (*plan = plan_parse(v)) < 0 ? alias_lookup(c->aliases, "plan", v) : NULL;
        if (aliased)
            *plan = plan_parse(aliased);
        if (*plan < 0)
            return row_problem(c, k->plan, v, "unknown plan type; expected " CA_PLAN_EXPECTED "; for a council's "
                               "own name of a plan: caseaudit alias add plan \"%s\" CODE", v), CA_ERR;
        return CA_OK;
    }
    if (c->opt->plan < 0)
        return row_problem(c, k->plan, NULL, "empty plan type (or give --plan-type)"), CA_ERR;
    *plan = c->opt->plan;
    return CA_OK;
}

/* The plan from the kind of list (List 6: from its case status, which may say closed). */
static int parse_plan(struct ctx *c, int *plan, int *closed)
{
    char v[256];
    *plan = -1;
    switch (c->file->kind) {
    case KIND_GENERIC: return generic_plan(c, plan);
    case KIND_ANNEX_A2: *plan = CA_PLAN_EH; return CA_OK;
    case KIND_ANNEX_A7: *plan = CA_PLAN_CP; return CA_OK;
    case KIND_ANNEX_A8: *plan = CA_PLAN_CLA; return CA_OK;
    case KIND_ANNEX_A9: *plan = CA_PLAN_CL; return CA_OK;
    case KIND_ANNEX_A6:
        switch (status_letter(trimmed(c->r, c->k.status, v, sizeof v))) {
        case 'a': *plan = CA_PLAN_CLA; return CA_OK;
        case 'b': *plan = CA_PLAN_CP; return CA_OK;
        case 'c':
        case 'd': *plan = CA_PLAN_CIN; return CA_OK;
        case 'e': *plan = CA_PLAN_CIN, *closed = 1; return CA_OK;
        default: return row_problem(c, c->k.status, v, "unknown case status; expected a), b), c), d) or e)"), CA_ERR;
        }
    default: return CA_ERR;
    }
}

/* The right number of fields: most often a comma inside a value that was not quoted. */
static int check_width(struct ctx *c)
{
    int nf = tabr_count(c->r), nhdr = c->nhdr;
    if (tabr_is_xlsx(c->r)) /* a sheet leaves out empty cells at the end of a row; cells past the header are notes */
        return CA_OK;
    if (nf < nhdr)
        return row_problem(c, nf, NULL, "missing: the row has %d fields where the header has %d", nf, nhdr), CA_ERR;
    if (nf > nhdr)
        return row_problem(c, nhdr - 1, NULL, "the row has %d fields where the header has %d: \"%.60s\" follows the "
                           "last column (a value holding a comma must be in double quotes)", nf, nhdr,
                           tabr_field(c->r, nhdr)), CA_ERR;
    return CA_OK;
}

static snap_text text_of(struct span s) { return (snap_text){s.p, s.n}; }
static snap_text iso_text(const char *iso) { return (snap_text){*iso ? iso : NULL, CA_DATE_ISO_LEN - 1}; }

/* Validates the current record into *out; CA_ERR (every problem noted) when it is not valid. */
static int parse_row(struct ctx *c, snap_row *out)
{
    const struct cols *k = &c->k;
    if (check_width(c) != CA_OK)
        return CA_ERR;
    struct span id = span_of(c->r, k->id);
    int bad = !id.p, age, plan, closed = 0;
    if (bad)
        row_problem(c, k->id, NULL, "empty case id");
    bad |= parse_age(c, &age) != CA_OK;
    bad |= parse_plan(c, &plan, &closed) != CA_OK;
    ca_day sday, eday;
    bad |= opt_date(c, k->start, c->start, &sday) != CA_OK;
    if (opt_date(c, k->end, c->end, &eday) != CA_OK)
        bad = 1;
    else if (c->end[0] && eday <= c->opt->as_of)
        closed = 1;
    if (bad)
        return CA_ERR;
    const char *code = plan_code(plan);
    *out = (snap_row){.plan = plan, .closed = closed, .age = age, .line = tabr_line(c->r)};
    out->v[SNAP_ID] = text_of(id);
    out->v[SNAP_PLAN] = (snap_text){code, (int)strlen(code)};
    out->v[SNAP_DOB] = iso_text(c->dob);
    out->v[SNAP_TEAM] = text_of(team_of(c));
    out->v[SNAP_WORKER] = text_of(span_of(c->r, k->worker));
    out->v[SNAP_START] = iso_text(c->start);
    out->v[SNAP_END] = iso_text(c->end);
    out->v[SNAP_GENDER] = text_of(span_of(c->r, k->gender));
    out->v[SNAP_ETHNICITY] = text_of(span_of(c->r, k->ethnicity));
    out->v[SNAP_DISABILITY] = text_of(span_of(c->r, k->disability));
    return CA_OK;
}

/* ---- reading a file: the writer asks for its valid rows one by one ---- */

/* The next valid row, noting the problems of the invalid ones on the way. */
static int next_row(void *u, snap_row *row, ca_error *err)
{
    struct ctx *c = u;
    for (;;) {
        int got = tabr_next(c->r, err);
        if (got == 0) {
            c->read_all = 1;
            return 0;
        }
        if (got < 0 && tabr_can_go_on(c->r) && err->status == CA_REFUSED) {
            ca_error_demote(err); /* a bad cell (#N/A, a formula not calculated): a problem of its row */
            continue;
        }
        if (got < 0) {
            /* Bad data (encoding, an unclosed quote) is one more problem and the end of this
             * file; anything else stops the import. */
            if (err->status != CA_REFUSED)
                return CA_ERR;
            ca_error_demote(err);
            return 0;
        }
        long rows = c->sum->rows + ++c->file->rows;
        if (c->opt->progress && rows % 100000 == 0)
            c->opt->progress(rows, c->opt->progress_arg);
        if (parse_row(c, row) == CA_OK)
            return 1;
    }
}

/* The current record as a header: its fields, and as matched (a column alias stands for
 * its field). */
static int take_header(struct ctx *c)
{
    csvr_strings_free(c->hdr, c->nhdr);
    csvr_strings_free(c->match, c->nhdr);
    c->hdr = c->match = NULL;
    c->nhdr = tabr_count(c->r);
    if (!(c->hdr = tabr_copy_fields(c->r)) || !(c->match = tabr_copy_fields(c->r)))
        return ca_fail(c->err, CA_SYSTEM, "out of memory");
    for (int i = 0; i < c->nhdr; i++) {
        const char *field = alias_lookup(c->aliases, "column", c->hdr[i]);
        char *copy = field ? strdup(field) : NULL;
        if (field && !copy)
            return ca_fail(c->err, CA_SYSTEM, "out of memory");
        if (copy)
            free(c->match[i]), c->match[i] = copy;
    }
    return CA_OK;
}

/* The next record: 1, 0 at the end, or CA_ERR when the file cannot be read on (a
 * problem noted for bad data; err set otherwise). */
static int next_record(struct ctx *c)
{
    int got = tabr_next(c->r, c->err);
    if (got >= 0 || c->err->status != CA_REFUSED)
        return got;
    ca_error_demote(c->err); /* bad encoding, an unclosed quote, a bad cell: one more problem */
    return tabr_can_go_on(c->r) ? next_record(c) : CA_ERR;
}

/* Says why a header is not a case list. */
static void not_a_list(struct ctx *c, const char *path)
{
    char found[1024];
    list_columns(c->hdr, c->nhdr, found, sizeof found);
    if (csvr_find(c->hdr, c->nhdr, N_CHILD_ID) >= 0)
        header_problem(c, path, "Child Unique ID", "an Ofsted Annex A list, but not one of lists 2, 6, "
                       "7, 8 or 9: expected \"Assessment start date\" (list 2), \"Case Status\" (list 6), \"Child "
                       "Protection Plan Start Date\" (list 7), \"Date Started to be Looked After\" (list 8) or "
                       "\"Eligibility Category\" (list 9); columns found: %s", found);
    else
        header_problem(c, path, "case_id", "required column missing: not a case list (a case list has "
                       "\"case_id\", an Ofsted Annex A list \"Child Unique ID\"); columns found: %s", found);
}

/* The header: the kind of list and its columns. A CSV's header is its first row; a
 * sheet's may sit below title rows (the first of its first 10 rows that is a list's
 * header). *usable 0: the list cannot be read on (a problem noted), or (*skip) a sheet
 * that is no list at all, such as "Notes". */
static int read_header(struct ctx *c, const char *path, import_file *f, int *usable, int *skip)
{
    *usable = *skip = 0;
    int xlsx = tabr_is_xlsx(c->r);
    for (int row = 0; row < (xlsx ? 10 : 1); row++) {
        int got = next_record(c);
        if (got < 0)
            return c->err->status ? CA_ERR : CA_OK;
        if (got == 0)
            break;
        if (take_header(c) != CA_OK)
            return CA_ERR;
        if ((f->kind = import_kind_of(c->match, c->nhdr)) != KIND_UNKNOWN) {
            tabr_set_names(c->r, c->hdr, c->nhdr);
            *usable = map_columns(c, path, f->kind, c->hdr, c->nhdr, &c->k) == CA_OK;
            return CA_OK;
        }
    }
    if (xlsx)
        *skip = 1;
    else if (!c->hdr)
        header_problem(c, path, NULL, "the file is empty: expected a header row, then one row per case");
    else
        not_a_list(c, path);
    return CA_OK;
}

static int check_duplicate_file(struct ctx *c, const char *path, const import_file *f, int fileseq)
{
    int first_of_its_file = 1;
    for (int i = 0; i < fileseq - 1; i++) {
        if (c->source[i] == c->source[fileseq - 1]) { /* another sheet of the same workbook */
            first_of_its_file = 0;
            continue;
        }
        if (strcmp(c->sum->files[i].sha256, f->sha256) == 0) {
            ca_where at = {path, NULL, 0};
            ca_problem_at(c->err, &at, NULL, NULL, "the same file as %s (SHA-256 %.12s…): give each file once",
                          c->sum->files[i].name, f->sha256);
            return CA_OK;
        }
    }
    if (!first_of_its_file)
        return CA_OK;
    long snapshot;
    ca_day as_of;
    int got = snapshot_file_find(c->db, f->sha256, snap_id(c->w), &snapshot, &as_of, c->err);
    if (got == 1 && !c->opt->force) {
        char uk[CA_DATE_ISO_LEN];
        date_uk(as_of, uk);
        ca_where at = {path, NULL, 0};
        ca_problem_at(c->err, &at, NULL, NULL, "this file was already imported in snapshot %ld as at %s (SHA-256 "
                      "%.12s…): the same bytes under another date are last month's file again; give --force if it "
                      "really is this month's list", snapshot, uk, f->sha256);
    }
    return got < 0 ? CA_ERR : CA_OK;
}

/* Reads one list (a CSV, or one sheet of a workbook) as the snapshot's next file. */
static int import_list(struct ctx *c, const char *path, int source)
{
    import_summary *sum = c->sum;
    int fileseq = sum->nfiles + 1, usable = 0, skip = 0;
    if (fileseq > IMPORT_MAX_FILES)
        return ca_fail(c->err, CA_REFUSED, "at most %d lists (files and sheets) in one import", IMPORT_MAX_FILES);
    import_file *f = &sum->files[fileseq - 1];
    memset(f, 0, sizeof *f);
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s", path);
    const char *sheet = tabr_sheet(c->r);
    snprintf(f->name, sizeof f->name, sheet ? "%s[%s]" : "%s", basename(tmp), sheet);
    snprintf(c->place[fileseq - 1], sizeof c->place[0], sheet ? "%s[%s]" : "%s", path, sheet);
    c->source[fileseq - 1] = source;
    c->file = f;
    c->read_all = 0;
    long before = c->err->ntotal;
    int rc = read_header(c, path, f, &usable, &skip);
    if (rc == CA_OK && skip) {
        note(sum, "%s: not a case list (no header of one in its first rows), so skipped", c->place[fileseq - 1]);
        return CA_OK;
    }
    sum->nfiles++;
    if (rc == CA_OK && usable) {
        /* The whole list in one statement: the writer asks next_row for each valid row. */
        rc = snap_append(c->w, fileseq, next_row, c, c->err);
        if (rc == CA_OK && c->read_all)
            rc = tabr_sha256(c->r, f->sha256, c->err);
        if (c->k.dob >= 0)
            snprintf(c->idcol[fileseq - 1], sizeof c->idcol[0], "%s", c->hdr[c->k.dob]);
        snprintf(c->idname[fileseq - 1], sizeof c->idname[0], "%s", c->hdr[c->k.id]);
    }
    sum->rows += f->rows;
    if (rc == CA_OK && c->err->ntotal == before && *f->sha256)
        rc = check_duplicate_file(c, c->place[fileseq - 1], f, fileseq);
    return rc;
}

/* Every list of one file: a CSV, or each sheet of a workbook in turn. */
static int import_path(struct ctx *c, const char *path, int source)
{
    if (tabr_open(&c->r, path, c->opt->encoding, c->err) != CA_OK)
        return CA_ERR; /* missing, unreadable, or a damaged workbook: it says which */
    if (tabr_guessed_cp1252(c->r))
        note(c->sum, "%s: not UTF-8, so read as Windows-1252 (as Excel on Windows saves \"CSV\"); check the "
             "accented names in it", path);
    int rc = CA_OK;
    for (int i = 0; i < tabr_sheets(c->r) && rc == CA_OK; i++)
        if ((rc = tabr_select(c->r, i, c->err)) == CA_OK)
            rc = import_list(c, path, source);
    csvr_strings_free(c->hdr, c->nhdr);
    csvr_strings_free(c->match, c->nhdr);
    c->hdr = c->match = NULL;
    c->nhdr = 0;
    tabr_close(c->r);
    c->r = NULL;
    return rc;
}

/* ---- merging the rows of one child (SPEC §2, §4): the result never depends on the
 * order of the files or of their rows ---- */

static int cmp_opt(const char *a, const char *b)   /* NULL after any value */
{
    return a && b ? strcmp(a, b) : (a == NULL) - (b == NULL);
}

/* Which row sets the case: an open row before a closed one, then plan precedence, then
 * the later start date; then the content itself, so that equal ranks never fall back on
 * reading order. */
static int rank_rows(const void *pa, const void *pb)
{
    const snap_case *a = pa, *b = pb;
    int d;
    if (a->closed != b->closed)
        return a->closed - b->closed;
    if ((d = plan_precedence(plan_parse(b->plan_type)) - plan_precedence(plan_parse(a->plan_type))))
        return d;
    /* The later start date first; a start date before none. */
    if ((d = a->plan_start && b->plan_start ? strcmp(b->plan_start, a->plan_start) : cmp_opt(a->plan_start,
                                                                                               b->plan_start)))
        return d;
    const char *const fa[] = {a->plan_end, a->team, a->worker, a->dob, a->gender, a->ethnicity, a->disability};
    const char *const fb[] = {b->plan_end, b->team, b->worker, b->dob, b->gender, b->ethnicity, b->disability};
    for (size_t i = 0; i < sizeof fa / sizeof *fa; i++)
        if ((d = cmp_opt(fa[i], fb[i])))
            return d;
    if (a->age != b->age)
        return a->age < b->age ? -1 : 1;
    return a->src_file != b->src_file ? a->src_file - b->src_file : (a->src_line > b->src_line) - (a->src_line < b->src_line);
}

struct merging {
    struct ctx *c;
    int64_t group;
    snap_case *rows;
    long n, cap;
    int failed;
};

static void case_free(snap_case *c)
{
    const char *const f[] = {c->case_id, c->plan_type, c->dob, c->team, c->worker, c->plan_start, c->plan_end,
                             c->gender, c->ethnicity, c->disability};
    for (size_t i = 0; i < sizeof f / sizeof *f; i++)
        free((char *)f[i]);
}

static int case_copy(snap_case *to, const snap_case *from)
{
    *to = *from;
    const char **f[] = {&to->case_id, &to->plan_type, &to->dob, &to->team, &to->worker, &to->plan_start,
                        &to->plan_end, &to->gender, &to->ethnicity, &to->disability};
    int ok = 1;
    for (size_t i = 0; i < sizeof f / sizeof *f; i++)
        if (*f[i] && !(*f[i] = strdup(*f[i])))
            ok = 0;
    if (!ok) {
        case_free(to);
        return CA_ERR;
    }
    return CA_OK;
}

/* A child has one date of birth: rows that disagree are refused, naming both lines. */
static void check_dob(struct merging *m)
{
    const snap_case *first = NULL;
    for (long i = 0; i < m->n; i++) {
        const snap_case *r = &m->rows[i];
        if (!r->dob)
            continue;
        if (first && strcmp(first->dob, r->dob) != 0) {
            char a[CA_DATE_ISO_LEN], b[CA_DATE_ISO_LEN], why[160];
            ca_day da = 0, db = 0;
            date_parse(first->dob, &da, why, sizeof why);
            date_parse(r->dob, &db, why, sizeof why);
            date_uk(da, a);
            date_uk(db, b);
            ca_where at = {m->c->place[r->src_file - 1], NULL, r->src_line};
            ca_problem_at(m->c->err, &at, m->c->idcol[r->src_file - 1], NULL,
                          "case \"%s\" has date of birth %s here but %s on %s:%ld: a child has one date of birth",
                          r->case_id, b, a, m->c->place[first->src_file - 1], first->src_line);
        } else if (!first) {
            first = r;
        }
    }
}

/* The rows of one case (in reading order) become its first row. */
static int merge_group(struct merging *m)
{
    check_dob(m);
    int64_t row = m->rows[0].row;
    qsort(m->rows, (size_t)m->n, sizeof *m->rows, rank_rows);
    snap_case merged = m->rows[0];
    merged.row = row;
    /* Gaps filled from the next best row that has the value. */
    const char **gaps[] = {&merged.team, &merged.worker, &merged.dob, &merged.gender, &merged.ethnicity,
                           &merged.disability};
    for (size_t g = 0; g < sizeof gaps / sizeof *gaps; g++)
        for (long i = 1; i < m->n && !*gaps[g]; i++) {
            const snap_case *r = &m->rows[i];
            const char *const have[] = {r->team, r->worker, r->dob, r->gender, r->ethnicity, r->disability};
            *gaps[g] = have[g];
            if (g == 2 && r->dob)
                merged.age = r->age;   /* the age that goes with that date of birth */
        }
    return snap_case_set(m->c->w, &merged, m->c->err);
}

static int flush_group(struct merging *m)
{
    int rc = m->n > 1 ? merge_group(m) : CA_OK;
    for (long i = 0; i < m->n; i++)
        case_free(&m->rows[i]);
    m->n = 0;
    return rc;
}

static int merge_visit(void *u, int64_t group, const snap_case *row)
{
    struct merging *m = u;
    if (group != m->group && flush_group(m) != CA_OK)
        return m->failed = 1, CA_ERR;
    m->group = group;
    if (m->n == m->cap) {
        long cap = m->cap ? 2 * m->cap : 8;
        snap_case *grown = realloc(m->rows, sizeof *grown * (size_t)cap);
        if (!grown)
            return CA_ERR;
        m->rows = grown, m->cap = cap;
    }
    if (case_copy(&m->rows[m->n], row) != CA_OK)
        return CA_ERR;
    m->n++;
    return 0;
}

/* Merges every case read more than once into one row, by the rules of SPEC §2. */
static int merge_cases(struct ctx *c)
{
    struct merging m = {.c = c};
    int rc = snap_repeats_list(c->w, merge_visit, &m, c->err);
    if (rc != CA_OK && !m.failed && !c->err->status)
        ca_fail(c->err, CA_SYSTEM, "out of memory");
    if (rc == CA_OK)
        rc = flush_group(&m);
    else
        flush_group(&m);
    free(m.rows);
    if (rc == CA_OK)
        rc = snap_drop_repeats(c->w, c->err);
    return rc == CA_OK ? CA_OK : CA_ERR;
}

/* Two ids that differ only by leading zeros: a spreadsheet dropped the zeros of one
 * (SPEC §4), and one child would count twice. Refused, naming both lines. */
static int twin_visit(void *u, const snap_twin *t)
{
    struct ctx *c = u;
    ca_where at = {c->place[t->file - 1], NULL, t->line};
    ca_problem_at(c->err, &at, c->idname[t->file - 1], t->id,
                  "case \"%s\" and case \"%s\" on %s:%ld differ only by leading zeros: a spreadsheet has dropped "
                  "the zeros of one (one child would count twice); correct the id or export the list again",
                  t->id, t->zeros_id, c->place[t->zeros_file - 1], t->zeros_line);
    return 0;
}

/* ---- the import ---- */


static int record_snapshot(struct ctx *c)
{
    import_summary *sum = c->sum;
    snap_file files[IMPORT_MAX_FILES];
    if (snap_counts(c->w, &sum->cases, &sum->closed, sum->open, c->err) != CA_OK)
        return CA_ERR;
    sum->merged = sum->rows - sum->cases;
    for (int i = 0; i < sum->nfiles; i++)
        files[i] = (snap_file){sum->files[i].name, sum->files[i].sha256, import_kind_name(sum->files[i].kind),
                               sum->files[i].rows};
    if (snap_record(c->w, sum->rows, sum->cases, sum->merged, sum->closed, sum->open, files, sum->nfiles,
                    c->err) != CA_OK)
        return CA_ERR;
    char as_of[CA_DATE_ISO_LEN], detail[256];
    date_uk(sum->as_of, as_of);
    snprintf(detail, sizeof detail, "snapshot %ld as at %s: %d file%s, %ld rows, %ld cases (%ld closed)",
             snap_id(c->w), as_of, sum->nfiles, sum->nfiles == 1 ? "" : "s", sum->rows, sum->cases, sum->closed);
    return db_event(c->db, "import", NULL, NULL, detail, c->err);
}

/* Room for as many cases as the files could hold at 40 bytes a row, within reason. */
static size_t expected_cases(const char *const *paths, int npaths)
{
    off_t bytes = 0;
    for (int i = 0; i < npaths; i++) {
        struct stat st;
        if (stat(paths[i], &st) == 0 && S_ISREG(st.st_mode))
            bytes += st.st_size;
    }
    return (size_t)(bytes / 40 < (1 << 24) ? bytes / 40 : 1 << 24);
}

static int read_files(struct ctx *c, const char *const *paths, int npaths)
{
    for (int i = 0; i < npaths; i++)
        if (import_path(c, paths[i], i) != CA_OK)
            return CA_ERR;
    return CA_OK;
}

static int import_in_transaction(struct ctx *c, const char *const *paths, int npaths)
{
    if (alias_set_load(c->db, &c->aliases, c->err) != CA_OK)
        return CA_ERR;
    c->team_aliases = alias_count(c->aliases, "team");
    if (snap_open(c->db, c->opt->as_of, expected_cases(paths, npaths), &c->w, c->err) != CA_OK ||
        read_files(c, paths, npaths) != CA_OK)
        return CA_ERR;
    /* The rows of a case that came more than once become one, by the rules of SPEC §2. */
    if (snap_repeats(c->w) && merge_cases(c) != CA_OK)
        return CA_ERR;
    if (snap_zero_twins(c->w, twin_visit, c, c->err) != CA_OK)
        return CA_ERR;
    /* Headers and no rows at all is an export that went wrong, not a month without children;
     * one empty list beside others is fine (a council may have no early help list). */
    if (c->err->ntotal == 0 && c->sum->rows == 0)
        for (int i = 0; i < npaths; i++)
            ca_problem_at(c->err, &(ca_where){paths[i], NULL, 2}, NULL, NULL,
                          "no rows under the header: expected one row per case");
    if (c->err->ntotal > 0)
        return ca_fail(c->err, CA_REFUSED, "nothing was imported: %ld problem%s in the file%s", c->err->ntotal,
                       c->err->ntotal == 1 ? "" : "s", npaths == 1 ? "" : "s");
    if (c->serial_dates)
        note(c->sum, "%ld date%s read as Excel serial numbers (days since 1900, as a spreadsheet stores them)",
             c->serial_dates, c->serial_dates == 1 ? "" : "s");
    if (c->two_digit_years)
        note(c->sum, "%ld date%s with a two-digit year read in the only century that fits (a date of birth: an age "
             "from -1 to 25; any other date: within 50 years of the as-of date)", c->two_digit_years,
             c->two_digit_years == 1 ? "" : "s");
    return record_snapshot(c);
}

int import_run(ca_db *db, const char *const *paths, int npaths, const import_options *opt,
               import_summary *out, ca_error *err)
{
    memset(out, 0, sizeof *out);
    out->as_of = opt->as_of;
    if (npaths > IMPORT_MAX_FILES)
        return ca_fail(err, CA_REFUSED, "at most %d files in one import", IMPORT_MAX_FILES);
    struct ctx c = {.db = db, .opt = opt, .err = err, .sum = out};
    c.latest_dob = date_add_months(opt->as_of, 10);
    int fk_off = snap_checks_off(db); /* see snapwrite.h: the import's rows are right by construction */
    int rc = db_begin(db, err);
    if (rc == CA_OK) {
        rc = import_in_transaction(&c, paths, npaths);
        if (rc == CA_OK && !opt->dry_run) {
            out->snapshot_id = snap_id(c.w);
            snap_close(c.w);
            rc = db_commit(db, err);
        } else {
            snap_close(c.w);
            db_rollback(db);
        }
        alias_set_free(c.aliases);
    }
    snap_checks_on(db, fk_off);
    return rc;
}
