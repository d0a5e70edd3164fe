#include "audit/import.h"

#include <ctype.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "audit/bigmem.h"
#include "audit/csvread.h"

/* Normalised header names (vocab_normalise) accepted for each column. */
static const char *const N_CASE_ID[] = {"caseid", NULL};
static const char *const N_CHILD_ID[] = {"childuniqueid", "uniquechildid", "childuniqueidentifier", NULL};
static const char *const N_DOB[] = {"dateofbirth", "dob", "birthdate", NULL};
static const char *const N_AGE[] = {"age", "ageofchildyears", "ageofchild", "ageyears", NULL};
static const char *const N_PLAN[] = {"plantype", "plan", NULL};
static const char *const N_TEAM[] = {"team", "allocatedteam", NULL};
static const char *const N_WORKER[] = {"worker", "allocatedworker", "socialworker", NULL};
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

/* The eponymous virtual table that offers a file's valid rows (below). */
#define ROWS_TABLE "caseaudit_import_rows"

/* Merging a later row of a case (n) into the case's row (t): an open row beats a closed
 * one, then plan precedence CLA > CP > CIN > CL > EH (SPEC §2). All right-hand sides
 * see the old row. */
#define RANK(p) "(CASE " p " WHEN 'CLA' THEN 5 WHEN 'CP' THEN 4 WHEN 'CIN' THEN 3 WHEN 'CL' THEN 2 ELSE 1 END)"
#define WINS "(n.closed < t.closed OR (n.closed = t.closed AND " RANK("n.plan_type") " > " RANK("t.plan_type") "))"
#define TAKE(col) col " = CASE WHEN " WINS " THEN n." col " ELSE t." col " END"
#define FILL(col) col " = COALESCE(t." col ", n." col ")"
#define DIFFERS(col) " OR t." col " IS NOT n." col

static const char MERGE[] =
    "UPDATE snapshot_case AS t SET"
    " dup_line = CASE WHEN t.dup_line IS NULL AND t.src_file = n.src_file AND (0" DIFFERS("plan_type")
        DIFFERS("dob") DIFFERS("age") DIFFERS("team") DIFFERS("worker") DIFFERS("plan_start") DIFFERS("plan_end")
        DIFFERS("gender") DIFFERS("ethnicity") DIFFERS("disability") DIFFERS("closed")
    ") THEN n.src_line ELSE t.dup_line END, "
    TAKE("plan_type") ", " TAKE("plan_start") ", " TAKE("plan_end") ", " TAKE("src_file") ", " TAKE("src_line") ", "
    "team = CASE WHEN " WINS " THEN COALESCE(n.team, t.team) ELSE COALESCE(t.team, n.team) END, "
    "worker = CASE WHEN " WINS " THEN COALESCE(n.worker, t.worker) ELSE COALESCE(t.worker, n.worker) END, "
    /* The date of birth (and the age from it) of the row that sets the plan, when it has one, so that
     * the order of the files does not decide a child's age band. */
    "age = CASE WHEN n.dob IS NOT NULL AND (t.dob IS NULL OR " WINS ") THEN n.age"
    " WHEN t.dob IS NULL AND " WINS " THEN n.age ELSE t.age END, "
    "dob = CASE WHEN " WINS " THEN COALESCE(n.dob, t.dob) ELSE COALESCE(t.dob, n.dob) END, "
    FILL("gender") ", " FILL("ethnicity") ", " FILL("disability") ", "
    "closed = MIN(t.closed, n.closed)"
    " FROM snapshot_case AS n WHERE n.rowid = :row AND t.rowid = :into AND t.case_id = n.case_id";

/* Every valid row of a file goes in, at the next row id (one more than the table's
 * largest, which SQLite gives without a search); a row whose case has come before
 * carries the row it merges into. */
static const char APPEND[] =
    "INSERT INTO snapshot_case(snapshot_id, case_id, plan_type, dob, age, team, worker, plan_start, plan_end,"
    " gender, ethnicity, disability, closed, src_file, src_line, merge_into)"
    " SELECT :s, case_id, plan_type, dob, age, team, worker, plan_start, plan_end, gender, ethnicity,"
    " disability, closed, :file, line, merge_into FROM " ROWS_TABLE;

/* The columns of a valid row, as the virtual table below offers them. */
enum { COL_ID, COL_PLAN, COL_DOB, COL_AGE, COL_TEAM, COL_WORKER, COL_START, COL_END, COL_GENDER, COL_ETH,
       COL_DIS, COL_CLOSED, COL_LINE, COL_INTO, NCOLS };

/* The cases seen so far in this import, by a 32-bit hash of the case id (never 0; 0 is an
 * empty slot), with the case's first row as an offset from the snapshot's first row:
 * eight bytes a case, 16 MiB for a million. Where two ids share a hash, the row is read
 * back to compare the ids themselves (seen_find). */
struct seen_slot {
    uint32_t tag, row;
};

struct seen {
    struct seen_slot *slot;
    size_t cap, n;
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
    ca_stmt ins;        /* APPEND: a whole file from ROWS_TABLE */
    long snapshot;
    int64_t first_row;  /* the snapshot's first row id */
    int64_t next_row;   /* the row id of the next valid row */
    long merges;        /* rows that carry merge_into */
    struct seen seen;
    ca_day latest_dob;  /* as_of + 10 months */
    /* The file being read. */
    csvr *r;
    char **hdr;
    int nhdr;
    struct cols k;
    import_file *file;
    int read_all;       /* the file was read to its end (not stopped by bad data) */
    int failed;         /* reading failed (I/O, memory): fail_status and fail_msg say why */
    int fail_status;
    char fail_msg[CA_MSG_MAX];
    /* The current valid row: spans into the reader's buffer, dates in the buffers here;
     * valid until the reader moves on. */
    struct span v[NCOLS];
    long age, closed, line;
    int plan;
    int64_t into;       /* the row it merges into; 0 when the case is new */
    uint32_t tag;       /* case_tag of its case id */
    long closed_cases, open_cases[CA_NPLANS]; /* of the rows that were new cases */
    ca_stmt case_at;    /* the case id of a row, to tell apart two ids that share a hash */
    char idcol[IMPORT_MAX_FILES][128]; /* each file's name for its case id column, once read */
    char dob[CA_DATE_ISO_LEN], start[CA_DATE_ISO_LEN], end[CA_DATE_ISO_LEN];
};

static struct span span_of(csvr *r, int col)
{
    if (col < 0)
        return (struct span){NULL, 0};
    const char *s = csvr_field(r, col);
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    return (struct span){n ? s : NULL, (int)n};
}

/* A short field, trimmed, copied into buf (for parsers that want a string). */
static const char *trimmed(csvr *r, int col, char *buf, size_t len)
{
    struct span v = span_of(r, col);
    size_t n = (size_t)v.n < len ? (size_t)v.n : len - 1;
    if (n)
        memcpy(buf, v.p, n);
    buf[n] = 0;
    return buf;
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

/* Parses an optional date column into iso (empty when blank). CA_ERR (problem noted) when bad. */
static int opt_date(struct ctx *c, int col, char iso[CA_DATE_ISO_LEN], ca_day *day)
{
    iso[0] = 0;
    struct span v = span_of(c->r, col);
    if (!v.p)
        return CA_OK;
    char why[160];
    if (date_parse(csvr_field(c->r, col), day, why, sizeof why) != CA_OK) {
        ca_problem(c->err, "%s:%ld: column \"%s\": %s (value \"%.*s\")", csvr_path(c->r), csvr_line(c->r),
                   c->hdr[col], why, v.n, v.p);
        return CA_ERR;
    }
    date_iso(*day, iso);
    return CA_OK;
}

static void note(import_summary *s, const char *fmt, const char *a, const char *b)
{
    if (s->nnotes < IMPORT_MAX_NOTES)
        snprintf(s->notes[s->nnotes++], sizeof s->notes[0], fmt, a, b);
}

static int map_columns(struct ctx *c, const char *path, enum import_kind kind, char *const *hdr, int n,
                       struct cols *k)
{
    int generic = kind == KIND_GENERIC;
    *k = (struct cols){
        .id = csvr_find(hdr, n, generic ? N_CASE_ID : N_CHILD_ID),
        .dob = csvr_find(hdr, n, N_DOB),
        .age = csvr_find(hdr, n, N_AGE),
        .plan = generic ? csvr_find(hdr, n, N_PLAN) : -1,
        .team = csvr_find(hdr, n, N_TEAM),
        .worker = csvr_find(hdr, n, kind == KIND_ANNEX_A9 ? N_ADVISOR : N_WORKER),
        .start = -1, .end = -1,
        .gender = csvr_find(hdr, n, N_GENDER),
        .ethnicity = csvr_find(hdr, n, N_ETHNICITY),
        .disability = csvr_find(hdr, n, N_DISABILITY),
        .status = kind == KIND_ANNEX_A6 ? csvr_find(hdr, n, N_A6_STATUS) : -1,
    };
    switch (kind) {
    case KIND_GENERIC: k->start = csvr_find(hdr, n, N_START), k->end = csvr_find(hdr, n, N_END); break;
    case KIND_ANNEX_A2: k->start = csvr_find(hdr, n, N_A2_START); break;
    case KIND_ANNEX_A6: k->start = csvr_find(hdr, n, N_A6_START), k->end = csvr_find(hdr, n, N_A6_END); break;
    case KIND_ANNEX_A7: k->start = csvr_find(hdr, n, N_A7_START), k->end = csvr_find(hdr, n, N_A7_END); break;
    case KIND_ANNEX_A8: k->start = csvr_find(hdr, n, N_A8_START), k->end = csvr_find(hdr, n, N_A8_END); break;
    default: break;
    }
    if (k->worker < 0 && kind == KIND_ANNEX_A9)
        k->worker = csvr_find(hdr, n, N_WORKER);
    char found[1024];
    list_columns(hdr, n, found, sizeof found);
    int ok = 1;
    const char *idname = generic ? "case_id" : "Child Unique ID";
    if (k->id < 0)
        ca_problem(c->err, "%s:1: column \"%s\": required column missing (columns found: %s)", path, idname, found),
            ok = 0;
    if (k->dob < 0 && k->age < 0)
        ca_problem(c->err, "%s:1: column \"%s\": required column missing (or give \"age\"; columns found: %s)", path,
                   generic ? "date_of_birth" : "Date of Birth", found), ok = 0;
    if (generic && k->plan < 0 && c->opt->plan < 0)
        ca_problem(c->err, "%s:1: column \"plan_type\": required column missing (or give --plan-type; columns found: "
                   "%s)", path, found), ok = 0;
    if (kind == KIND_ANNEX_A6 && k->status < 0)
        ca_problem(c->err, "%s:1: column \"Case Status\": required column missing (columns found: %s)", path, found),
            ok = 0;
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

static uint32_t case_tag(const char *p, int n)
{
    uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a, then MurmurHash3's finaliser */
    for (int i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 0x100000001b3ULL;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return (uint32_t)h ? (uint32_t)h : 1;
}

/* Validates the current record into c->v and friends; CA_ERR (problems noted) when it is not valid. */
static int parse_row(struct ctx *c)
{
    csvr *r = c->r;
    const struct cols *k = &c->k;
    char *const *hdr = c->hdr;
    const char *path = csvr_path(r);
    long line = csvr_line(r);
    int nf = csvr_count(r), nhdr = c->nhdr;
    if (nf < nhdr) {
        ca_problem(c->err, "%s:%ld: column \"%s\": missing: the row has %d fields where the header has %d", path, line,
                   hdr[nf], nf, nhdr);
        return CA_ERR;
    }
    if (nf > nhdr) {
        /* Most often a comma inside a value that was not put in quotes. */
        ca_problem(c->err, "%s:%ld: column \"%s\": the row has %d fields where the header has %d: \"%.60s\" follows "
                   "the last column (a value holding a comma must be in double quotes)", path, line, hdr[nhdr - 1], nf,
                   nhdr, csvr_field(r, nhdr));
        return CA_ERR;
    }
    int bad = 0;
    char v[256], why[160];
    struct span id = span_of(r, k->id);
    if (!id.p)
        ca_problem(c->err, "%s:%ld: column \"%s\": empty case id", path, line, hdr[k->id]), bad = 1;
    else /* Ask for the case's slot now (seen_find): the rest of the row is checked meanwhile. */
        __builtin_prefetch(&c->seen.slot[(c->tag = case_tag(id.p, id.n)) & (c->seen.cap - 1)]);

    ca_day dob = 0;
    c->dob[0] = 0;
    int age = -2;
    struct span dv = span_of(r, k->dob);
    if (dv.p) {
        if (date_parse(csvr_field(r, k->dob), &dob, why, sizeof why) != CA_OK) {
            ca_problem(c->err, "%s:%ld: column \"%s\": %s (value \"%.*s\")", path, line, hdr[k->dob], why, dv.n, dv.p),
                bad = 1;
        } else if (dob > c->latest_dob) {
            ca_problem(c->err, "%s:%ld: column \"%s\": date of birth more than 10 months after the as-of date "
                       "(value \"%.*s\")", path, line, hdr[k->dob], dv.n, dv.p), bad = 1;
        } else {
            date_iso(dob, c->dob);
            age = date_age_years(dob, c->opt->as_of);
        }
    } else if (span_of(r, k->age).p) {
        trimmed(r, k->age, v, sizeof v);
        char *end;
        long a = strtol(v, &end, 10);
        if (*end || a < 0)
            ca_problem(c->err, "%s:%ld: column \"%s\": not an age in whole years (value \"%s\")", path, line,
                       hdr[k->age], v), bad = 1;
        else
            age = (int)(a > 1000 ? 1000 : a);
    } else {
        int col = k->dob >= 0 ? k->dob : k->age;
        ca_problem(c->err, "%s:%ld: column \"%s\": empty date of birth", path, line, hdr[col]), bad = 1;
    }
    if (age > 25) {
        int col = c->dob[0] ? k->dob : k->age;
        ca_problem(c->err, "%s:%ld: column \"%s\": age %d is over 25: not a children's case (value \"%s\")", path,
                   line, hdr[col], age, trimmed(r, col, v, sizeof v)), bad = 1;
    }

    int plan = -1, closed = 0;
    switch (c->file->kind) {
    case KIND_GENERIC:
        if (k->plan >= 0 && *trimmed(r, k->plan, v, sizeof v)) {
            if ((plan = plan_parse(v)) < 0)
                ca_problem(c->err, "%s:%ld: column \"%s\": unknown plan type; expected " CA_PLAN_EXPECTED
                           " (value \"%s\")", path, line, hdr[k->plan], v), bad = 1;
        } else if (c->opt->plan >= 0) {
            plan = c->opt->plan;
        } else {
            ca_problem(c->err, "%s:%ld: column \"%s\": empty plan type (or give --plan-type)", path, line,
                       k->plan >= 0 ? hdr[k->plan] : "plan_type"), bad = 1;
        }
        break;
    case KIND_ANNEX_A2: plan = CA_PLAN_EH; break;
    case KIND_ANNEX_A7: plan = CA_PLAN_CP; break;
    case KIND_ANNEX_A8: plan = CA_PLAN_CLA; break;
    case KIND_ANNEX_A9: plan = CA_PLAN_CL; break;
    case KIND_ANNEX_A6:
        switch (status_letter(trimmed(r, k->status, v, sizeof v))) {
        case 'a': plan = CA_PLAN_CLA; break;
        case 'b': plan = CA_PLAN_CP; break;
        case 'c':
        case 'd': plan = CA_PLAN_CIN; break;
        case 'e': plan = CA_PLAN_CIN, closed = 1; break;
        default:
            ca_problem(c->err, "%s:%ld: column \"%s\": unknown case status; expected a), b), c), d) or e) "
                       "(value \"%s\")", path, line, hdr[k->status], v), bad = 1;
        }
        break;
    default: break;
    }

    ca_day sday, eday;
    if (opt_date(c, k->start, c->start, &sday) != CA_OK)
        bad = 1;
    if (opt_date(c, k->end, c->end, &eday) != CA_OK)
        bad = 1;
    else if (c->end[0] && eday <= c->opt->as_of)
        closed = 1;
    if (bad)
        return CA_ERR;

    const char *code = plan_code(plan);
    c->v[COL_ID] = id;
    c->v[COL_PLAN] = (struct span){code, (int)strlen(code)};
    c->v[COL_DOB] = (struct span){c->dob[0] ? c->dob : NULL, CA_DATE_ISO_LEN - 1};
    c->v[COL_TEAM] = span_of(r, k->team);
    c->v[COL_WORKER] = span_of(r, k->worker);
    c->v[COL_START] = (struct span){c->start[0] ? c->start : NULL, CA_DATE_ISO_LEN - 1};
    c->v[COL_END] = (struct span){c->end[0] ? c->end : NULL, CA_DATE_ISO_LEN - 1};
    c->v[COL_GENDER] = span_of(r, k->gender);
    c->v[COL_ETH] = span_of(r, k->ethnicity);
    c->v[COL_DIS] = span_of(r, k->disability);
    c->age = age;
    c->plan = plan;
    c->closed = closed;
    c->line = line;
    return CA_OK;
}

/* The valid rows of the file being read, as an eponymous virtual table that one
 * INSERT ... SELECT reads: SQLite then moves a whole file in one statement, with no
 * bind-step-reset per row. Invalid rows are noted as problems and skipped. */
struct rows_vtab {
    sqlite3_vtab base;
    struct ctx *c;
};

struct rows_cursor {
    sqlite3_vtab_cursor base;
    int eof;
};

static int rows_connect(sqlite3 *h, void *aux, int argc, const char *const *argv, sqlite3_vtab **out, char **msg)
{
    (void)argc, (void)argv, (void)msg;
    int rc = sqlite3_declare_vtab(h, "CREATE TABLE x(case_id, plan_type, dob, age, team, worker, plan_start,"
                                     " plan_end, gender, ethnicity, disability, closed, line, merge_into)");
    if (rc != SQLITE_OK)
        return rc;
    struct rows_vtab *t = sqlite3_malloc(sizeof *t);
    if (!t)
        return SQLITE_NOMEM;
    memset(t, 0, sizeof *t);
    t->c = aux;
    *out = &t->base;
    return SQLITE_OK;
}

static int rows_disconnect(sqlite3_vtab *t)
{
    sqlite3_free(t);
    return SQLITE_OK;
}

static int rows_best_index(sqlite3_vtab *t, sqlite3_index_info *info)
{
    (void)t;
    info->estimatedCost = 1e6;
    return SQLITE_OK;
}

static int rows_open(sqlite3_vtab *t, sqlite3_vtab_cursor **out)
{
    (void)t;
    struct rows_cursor *cur = sqlite3_malloc(sizeof *cur);
    if (!cur)
        return SQLITE_NOMEM;
    memset(cur, 0, sizeof *cur);
    *out = &cur->base;
    return SQLITE_OK;
}

static int rows_close(sqlite3_vtab_cursor *cur)
{
    sqlite3_free(cur);
    return SQLITE_OK;
}

/* Room for n cases: at most 70% of the slots in use. Sized once from the files' length
 * where it can be, since growing moves every slot, a cache miss each. */
static int seen_reserve(struct seen *t, size_t n)
{
    size_t cap = (size_t)1 << 12;
    while (cap * 7 < n * 10)
        cap *= 2;
    if (cap <= t->cap)
        return 0;
    struct seen_slot *slot = big_alloc(cap * sizeof *slot);
    if (!slot)
        return -1;
    for (size_t i = 0; i < t->cap; i++)
        if (t->slot[i].tag) {
            size_t j = t->slot[i].tag & (cap - 1);
            while (slot[j].tag)
                j = (j + 1) & (cap - 1);
            slot[j] = t->slot[i];
        }
    big_free(t->slot, t->cap * sizeof *slot);
    t->slot = slot;
    t->cap = cap;
    return 0;
}

/* The first row of the current row's case, or 0 when the case is new (then this row is
 * recorded as its first); CA_ERR on failure. */
static int64_t seen_find(struct ctx *c, int64_t row)
{
    struct seen *t = &c->seen;
    if ((t->n + 1) * 10 > t->cap * 7 && seen_reserve(t, 2 * (t->n + 1)) != 0)
        return ca_fail(c->err, CA_SYSTEM, "out of memory");
    struct span id = c->v[COL_ID];
    uint32_t tag = c->tag;
    size_t j = tag & (t->cap - 1);
    for (; t->slot[j].tag; j = (j + 1) & (t->cap - 1)) {
        if (t->slot[j].tag != tag)
            continue;
        int64_t first = c->first_row + t->slot[j].row;
        stmt_bind_int(&c->case_at, ":r", first);
        int got = stmt_step(&c->case_at, c->err);
        const char *other = got == 1 ? stmt_text(&c->case_at, 0) : "";
        int same = got == 1 && sqlite3_column_bytes(c->case_at.st, 0) == id.n &&
                   memcmp(other, id.p, (size_t)id.n) == 0;
        stmt_reset(&c->case_at);
        if (got < 0)
            return CA_ERR;
        if (same)
            return first;
    }
    if (row - c->first_row > UINT32_MAX)
        return ca_fail(c->err, CA_REFUSED, "more than %u rows in one import", UINT32_MAX);
    t->slot[j] = (struct seen_slot){tag, (uint32_t)(row - c->first_row)};
    t->n++;
    return 0;
}

/* Stops the statement, keeping the reason: SQLite's own account of it would be vaguer. */
static int rows_fail(struct ctx *c)
{
    c->failed = 1;
    c->fail_status = c->err->status ? c->err->status : CA_SYSTEM;
    snprintf(c->fail_msg, sizeof c->fail_msg, "%s", c->err->msg);
    return SQLITE_ERROR;
}

/* On to the next valid row, noting the problems of the invalid ones on the way. */
static int rows_next(sqlite3_vtab_cursor *base)
{
    struct rows_cursor *cur = (struct rows_cursor *)base;
    struct ctx *c = ((struct rows_vtab *)base->pVtab)->c;
    for (;;) {
        int got = csvr_next(c->r, c->err);
        if (got == 0) {
            c->read_all = 1;
            cur->eof = 1;
            return SQLITE_OK;
        }
        if (got < 0) {
            /* Bad data (encoding, an unclosed quote) is one more problem and the end of this
             * file; anything else stops the import. */
            cur->eof = 1;
            if (c->err->status == CA_REFUSED) {
                ca_error_demote(c->err);
                return SQLITE_OK;
            }
            return rows_fail(c);
        }
        long rows = c->sum->rows + ++c->file->rows;
        if (c->opt->progress && rows % 100000 == 0)
            c->opt->progress(rows, c->opt->progress_arg);
        if (parse_row(c) != CA_OK)
            continue;
        if ((c->into = seen_find(c, c->next_row++)) < 0)
            return rows_fail(c);
        c->merges += c->into > 0;
        if (!c->into) {
            c->closed_cases += c->closed;
            c->open_cases[c->plan] += !c->closed;
        }
        return SQLITE_OK;
    }
}

static int rows_filter(sqlite3_vtab_cursor *cur, int idx, const char *idxstr, int argc, sqlite3_value **argv)
{
    (void)idx, (void)idxstr, (void)argc, (void)argv;
    return rows_next(cur);
}

static int rows_eof(sqlite3_vtab_cursor *cur) { return ((struct rows_cursor *)cur)->eof; }

static int rows_column(sqlite3_vtab_cursor *base, sqlite3_context *ctx, int col)
{
    struct ctx *c = ((struct rows_vtab *)base->pVtab)->c;
    switch (col) {
    case COL_AGE: sqlite3_result_int64(ctx, c->age); break;
    case COL_CLOSED: sqlite3_result_int64(ctx, c->closed); break;
    case COL_LINE: sqlite3_result_int64(ctx, c->line); break;
    case COL_INTO:
        if (c->into)
            sqlite3_result_int64(ctx, c->into);
        else
            sqlite3_result_null(ctx);
        break;
    default:
        /* Static: the text stays where it is until the cursor moves, and SQLite has
         * copied it into the new record by then. */
        if (c->v[col].p)
            sqlite3_result_text(ctx, c->v[col].p, c->v[col].n, SQLITE_STATIC);
        else
            sqlite3_result_null(ctx);
    }
    return SQLITE_OK;
}

static int rows_rowid(sqlite3_vtab_cursor *base, sqlite3_int64 *rowid)
{
    *rowid = ((struct rows_vtab *)base->pVtab)->c->line;
    return SQLITE_OK;
}

static const sqlite3_module rows_module = {
    .iVersion = 1,
    .xCreate = NULL, /* eponymous only: no CREATE VIRTUAL TABLE, nothing in the schema */
    .xConnect = rows_connect,
    .xBestIndex = rows_best_index,
    .xDisconnect = rows_disconnect,
    .xOpen = rows_open,
    .xClose = rows_close,
    .xFilter = rows_filter,
    .xNext = rows_next,
    .xEof = rows_eof,
    .xColumn = rows_column,
    .xRowid = rows_rowid,
};

/* Binds :lo and :hi to the row ids of the snapshot being imported. */
static void bind_rows(const struct ctx *c, ca_stmt *s)
{
    stmt_bind_int(s, ":lo", c->first_row);
    stmt_bind_int(s, ":hi", c->next_row - 1);
}

/* The same case twice in one file with different data: one problem per case. */
static int report_conflicts(struct ctx *c, const char *path, int fileseq, const char *idcol)
{
    ca_stmt s;
    if (stmt_prepare(c->db, &s,
                     "SELECT case_id, src_line, dup_line FROM snapshot_case WHERE rowid BETWEEN :lo AND :hi"
                     " AND dup_line IS NOT NULL AND src_file = :f ORDER BY dup_line",
                     c->err) != CA_OK)
        return CA_ERR;
    bind_rows(c, &s);
    stmt_bind_int(&s, ":f", fileseq);
    int rc;
    while ((rc = stmt_step(&s, c->err)) == 1)
        ca_problem(c->err, "%s:%lld: column \"%s\": case \"%s\" appears again with different data (first on line %lld)",
                   path, (long long)stmt_int(&s, 2), idcol, stmt_text(&s, 0), (long long)stmt_int(&s, 1));
    stmt_finalize(&s);
    return rc < 0 ? CA_ERR : CA_OK;
}

/* Merges each row marked merge_into into its case's row, in the order the rows were
 * read (so the result is that of taking the files and lines one by one), then removes
 * the merged rows. */
static int merge_rows(struct ctx *c)
{
    ca_stmt s = {0}, merge = {0};
    int64_t(*pairs)[2] = NULL;
    long n = 0, cap = 0;
    int rc = CA_ERR, got;
    if (stmt_prepare(c->db, &s, "SELECT rowid, merge_into FROM snapshot_case WHERE rowid BETWEEN :lo AND :hi"
                                " AND merge_into IS NOT NULL ORDER BY rowid", c->err) != CA_OK)
        goto done;
    bind_rows(c, &s);
    while ((got = stmt_step(&s, c->err)) == 1) {
        if (n == cap) {
            void *p = realloc(pairs, sizeof *pairs * (size_t)(cap = cap ? 2 * cap : 1024));
            if (!p) {
                ca_fail(c->err, CA_SYSTEM, "out of memory");
                goto done;
            }
            pairs = p;
        }
        pairs[n][0] = stmt_int(&s, 0);
        pairs[n++][1] = stmt_int(&s, 1);
    }
    stmt_finalize(&s);
    if (got < 0 || stmt_prepare(c->db, &merge, MERGE, c->err) != CA_OK)
        goto done;
    for (long i = 0; i < n; i++) {
        stmt_bind_int(&merge, ":row", pairs[i][0]);
        stmt_bind_int(&merge, ":into", pairs[i][1]);
        got = stmt_step(&merge, c->err);
        stmt_reset(&merge);
        if (got < 0)
            goto done;
        if (sqlite3_changes(db_handle(c->db)) != 1) {
            ca_fail(c->err, CA_SYSTEM, "internal error: row %lld does not merge into row %lld",
                    (long long)pairs[i][0], (long long)pairs[i][1]);
            goto done;
        }
    }
    if (stmt_prepare(c->db, &s, "DELETE FROM snapshot_case WHERE rowid BETWEEN :lo AND :hi"
                                " AND merge_into IS NOT NULL", c->err) != CA_OK)
        goto done;
    bind_rows(c, &s);
    if (stmt_step(&s, c->err) >= 0)
        rc = CA_OK;
done:
    stmt_finalize(&s);
    stmt_finalize(&merge);
    free(pairs);
    return rc;
}

static int import_file_rows(struct ctx *c, const char *path, int fileseq, import_file *f)
{
    int rc = CA_ERR;
    c->file = f;
    c->hdr = NULL;
    c->nhdr = 0;
    c->read_all = c->failed = 0;
    if (csvr_open(&c->r, path, c->opt->cp1252, c->err) != CA_OK)
        return CA_ERR;
    int got = csvr_next(c->r, c->err);
    if (got < 0)
        goto unreadable;
    if (got == 0) {
        ca_problem(c->err, "%s:1: the file is empty: expected a header row, then one row per case", path);
        rc = CA_OK;  /* a problem, not a failure to go on */
        goto done;
    }
    c->nhdr = csvr_count(c->r);
    if (!(c->hdr = csvr_copy_fields(c->r)))
        goto nomem;
    csvr_set_names(c->r, c->hdr, c->nhdr);
    f->kind = import_kind_of(c->hdr, c->nhdr);
    if (f->kind == KIND_UNKNOWN) {
        char found[1024];
        list_columns(c->hdr, c->nhdr, found, sizeof found);
        if (csvr_find(c->hdr, c->nhdr, N_CHILD_ID) >= 0)
            ca_problem(c->err, "%s:1: column \"Child Unique ID\": an Ofsted Annex A list, but not one of lists 2, 6, "
                       "7, 8 or 9: expected \"Assessment start date\" (list 2), \"Case Status\" (list 6), \"Child "
                       "Protection Plan Start Date\" (list 7), \"Date Started to be Looked After\" (list 8) or "
                       "\"Eligibility Category\" (list 9); columns found: %s", path, found);
        else
            ca_problem(c->err, "%s:1: column \"case_id\": required column missing: not a case list (a case list has "
                       "\"case_id\", an Ofsted Annex A list \"Child Unique ID\"); columns found: %s", path, found);
        rc = CA_OK;
        goto done;
    }
    if (map_columns(c, path, f->kind, c->hdr, c->nhdr, &c->k) != CA_OK) {
        rc = CA_OK;
        goto done;
    }
    /* The whole file in one statement: the virtual table reads and checks each row. */
    stmt_bind_int(&c->ins, ":s", c->snapshot);
    stmt_bind_int(&c->ins, ":file", fileseq);
    int64_t before = c->next_row;
    got = stmt_step(&c->ins, c->err);
    stmt_reset(&c->ins);
    /* The rows went in at the ids the merging was told (seen_find). */
    if (got >= 0 && c->next_row > before && sqlite3_last_insert_rowid(db_handle(c->db)) != c->next_row - 1)
        got = ca_fail(c->err, CA_SYSTEM, "internal error: the import's rows are not where expected");
    if (c->failed) /* the reader's own failure, not SQLite's account of it */
        ca_fail(c->err, c->fail_status, "%s", c->fail_msg);
    if (got < 0 || c->failed || !c->read_all) {
        rc = got < 0 || c->failed ? CA_ERR : CA_OK;
        goto done;
    }
    csvr_sha256(c->r, f->sha256);
    snprintf(c->idcol[fileseq - 1], sizeof c->idcol[0], "%s", c->hdr[c->k.id]);
    rc = CA_OK;
    goto done;
unreadable:
    /* The file cannot be read on (bad encoding, an unclosed quote): one more problem. */
    if (c->err->status == CA_REFUSED) {
        ca_error_demote(c->err);
        rc = CA_OK;
    }
    goto done;
nomem:
    ca_fail(c->err, CA_SYSTEM, "out of memory");
done:
    csvr_strings_free(c->hdr, c->nhdr);
    c->hdr = NULL;
    csvr_close(c->r);
    c->r = NULL;
    return rc;
}

static int check_duplicate_file(struct ctx *c, const char *path, const import_file *f, int fileseq)
{
    for (int i = 0; i < fileseq - 1; i++)
        if (strcmp(c->sum->files[i].sha256, f->sha256) == 0) {
            ca_problem(c->err, "%s: the same file as %s (SHA-256 %.12s…): give each file once", path,
                       c->sum->files[i].name, f->sha256);
            return CA_OK;
        }
    ca_stmt s;
    if (stmt_prepare(c->db, &s,
                     "SELECT s.id, s.as_of FROM snapshot_file f JOIN snapshot s ON s.id = f.snapshot_id"
                     " WHERE f.sha256 = :sha AND s.as_of = :as_of AND s.id <> :me", c->err) != CA_OK)
        return CA_ERR;
    char as_of[CA_DATE_ISO_LEN];
    date_iso(c->opt->as_of, as_of);
    stmt_bind_text(&s, ":sha", f->sha256);
    stmt_bind_text(&s, ":as_of", as_of);
    stmt_bind_int(&s, ":me", c->snapshot);
    int rc = stmt_step(&s, c->err);
    if (rc == 1) {
        char uk[CA_DATE_ISO_LEN];
        date_uk(c->opt->as_of, uk);
        ca_problem(c->err, "%s: this file was already imported in snapshot %lld as at %s (SHA-256 %.12s…); "
                   "nothing was imported", path, (long long)stmt_int(&s, 0), uk, f->sha256);
    }
    stmt_finalize(&s);
    return rc < 0 ? CA_ERR : CA_OK;
}

static int record_snapshot(struct ctx *c)
{
    import_summary *sum = c->sum;
    ca_stmt s;
    static const char counts[] =
        "SELECT count(*), coalesce(sum(closed), 0),"
        " coalesce(sum(plan_type = 'EH' AND NOT closed), 0), coalesce(sum(plan_type = 'CIN' AND NOT closed), 0),"
        " coalesce(sum(plan_type = 'CP' AND NOT closed), 0), coalesce(sum(plan_type = 'CLA' AND NOT closed), 0),"
        " coalesce(sum(plan_type = 'CL' AND NOT closed), 0) FROM snapshot_case WHERE rowid BETWEEN :lo AND :hi";
    int rc = 1;
    if (!c->merges) {
        /* Every row a case of its own: counted as they went in, not read back. */
        sum->closed = c->closed_cases;
        sum->cases = c->closed_cases;
        for (int p = 0; p < CA_NPLANS; p++)
            sum->cases += sum->open[p] = c->open_cases[p];
    } else {
        if (stmt_prepare(c->db, &s, counts, c->err) != CA_OK)
            return CA_ERR;
        bind_rows(c, &s);
        if ((rc = stmt_step(&s, c->err)) == 1) {
            sum->cases = stmt_int(&s, 0);
            sum->closed = stmt_int(&s, 1);
            for (int p = 0; p < CA_NPLANS; p++)
                sum->open[p] = stmt_int(&s, 2 + p);
        }
        stmt_finalize(&s);
        if (rc != 1)
            return CA_ERR;
    }
    sum->merged = sum->rows - sum->cases;
    if (stmt_prepare(c->db, &s,
                     "UPDATE snapshot SET rows = :rows, cases = :cases, merged = :merged, closed = :closed,"
                     " open_eh = :eh, open_cin = :cin, open_cp = :cp, open_cla = :cla, open_cl = :cl,"
                     " first_row = :lo, last_row = :hi WHERE id = :s",
                     c->err) != CA_OK)
        return CA_ERR;
    stmt_bind_int(&s, ":rows", sum->rows);
    stmt_bind_int(&s, ":cases", sum->cases);
    stmt_bind_int(&s, ":merged", sum->merged);
    stmt_bind_int(&s, ":closed", sum->closed);
    static const char *const names[] = {":eh", ":cin", ":cp", ":cla", ":cl"};
    for (int p = 0; p < CA_NPLANS; p++)
        stmt_bind_int(&s, names[p], sum->open[p]);
    bind_rows(c, &s);
    stmt_bind_int(&s, ":s", c->snapshot);
    rc = stmt_step(&s, c->err);
    stmt_finalize(&s);
    if (rc < 0 || stmt_prepare(c->db, &s,
                               "INSERT INTO snapshot_file(snapshot_id, seq, name, sha256, kind, rows)"
                               " VALUES(:s, :seq, :name, :sha, :kind, :rows)", c->err) != CA_OK)
        return CA_ERR;
    for (int i = 0; i < sum->nfiles && rc >= 0; i++) {
        stmt_bind_int(&s, ":s", c->snapshot);
        stmt_bind_int(&s, ":seq", i + 1);
        stmt_bind_text(&s, ":name", sum->files[i].name);
        stmt_bind_text(&s, ":sha", sum->files[i].sha256);
        stmt_bind_text(&s, ":kind", import_kind_name(sum->files[i].kind));
        stmt_bind_int(&s, ":rows", sum->files[i].rows);
        rc = stmt_step(&s, c->err);
        stmt_reset(&s);
    }
    stmt_finalize(&s);
    if (rc < 0)
        return CA_ERR;
    char as_of[CA_DATE_ISO_LEN], detail[256];
    date_uk(sum->as_of, as_of);
    snprintf(detail, sizeof detail, "snapshot %ld as at %s: %d file%s, %ld rows, %ld cases (%ld closed)", c->snapshot,
             as_of, sum->nfiles, sum->nfiles == 1 ? "" : "s", sum->rows, sum->cases, sum->closed);
    return db_event(c->db, "import", NULL, NULL, detail, c->err);
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
    int rc = CA_ERR;
    /* Every row the import writes refers to the snapshot row it inserts first, by the
     * id SQLite has just given it (bound once, never read from a file): enforcing the
     * foreign keys would look that row up once per case row, about a tenth of a large
     * import's time. They are back on when the import ends. */
    int fk_off = db_foreign_keys(db, 0);
    if (db_begin(db, err) != CA_OK) {
        if (fk_off)
            db_foreign_keys(db, 1);
        return CA_ERR;
    }
    char now[32], as_of[CA_DATE_ISO_LEN];
    db_now_utc(db, now);
    date_iso(opt->as_of, as_of);
    ca_stmt s;
    if (stmt_prepare(db, &s,
                     "INSERT INTO snapshot(as_of, rows, cases, merged, closed, open_eh, open_cin, open_cp,"
                     " open_cla, open_cl, entered_at, entered_by) VALUES(:as_of, 0, 0, 0, 0, 0, 0, 0, 0, 0, :now, :by)",
                     err) != CA_OK)
        goto done;
    stmt_bind_text(&s, ":as_of", as_of);
    stmt_bind_text(&s, ":now", now);
    stmt_bind_text(&s, ":by", db_actor(db));
    int step = stmt_step(&s, err);
    stmt_finalize(&s);
    if (step < 0)
        goto done;
    c.snapshot = (long)sqlite3_last_insert_rowid(db_handle(db));
    if (sqlite3_create_module_v2(db_handle(db), ROWS_TABLE, &rows_module, &c, NULL) != SQLITE_OK) {
        db_fail(db, sqlite3_errcode(db_handle(db)), "cannot register the import table", err);
        goto done;
    }
    /* The snapshot's rows follow every earlier snapshot's, one row id after another. */
    int64_t last = 0;
    if (db_int(db, &last, "SELECT coalesce(max(rowid), 0) FROM snapshot_case", err) != CA_OK)
        goto done;
    c.first_row = c.next_row = last + 1;
    /* Room for as many cases as the files could hold at 40 bytes a row, within reason. */
    off_t bytes = 0;
    for (int i = 0; i < npaths; i++) {
        struct stat st;
        if (stat(paths[i], &st) == 0 && S_ISREG(st.st_mode))
            bytes += st.st_size;
    }
    if (seen_reserve(&c.seen, (size_t)(bytes / 40 < (1 << 24) ? bytes / 40 : 1 << 24)) != 0) {
        ca_fail(err, CA_SYSTEM, "out of memory");
        goto done;
    }
    if (stmt_prepare(db, &c.ins, APPEND, err) != CA_OK ||
        stmt_prepare(db, &c.case_at, "SELECT case_id FROM snapshot_case WHERE rowid = :r", err) != CA_OK)
        goto done;
    for (int i = 0; i < npaths; i++) {
        import_file *f = &out->files[out->nfiles++];
        char tmp[4096];
        snprintf(tmp, sizeof tmp, "%s", paths[i]);
        snprintf(f->name, sizeof f->name, "%s", basename(tmp));
        long before = err->ntotal;
        if (import_file_rows(&c, paths[i], i + 1, f) != CA_OK)
            goto done;
        out->rows += f->rows;
        if (err->ntotal == before && check_duplicate_file(&c, paths[i], f, i + 1) != CA_OK)
            goto done;
    }
    /* The rows of a case that came more than once become one, by the rules of SPEC §2;
     * a case twice in one file with different data is a problem. */
    if (c.merges && merge_rows(&c) != CA_OK)
        goto done;
    for (int i = 0; c.merges && i < out->nfiles; i++)
        if (c.idcol[i][0] && report_conflicts(&c, paths[i], i + 1, c.idcol[i]) != CA_OK)
            goto done;
    /* Headers and no rows at all is an export that went wrong, not a month without children;
     * one empty list beside others is fine (a council may have no early help list). */
    if (err->ntotal == 0 && out->rows == 0)
        for (int i = 0; i < npaths; i++)
            ca_problem(err, "%s:2: no rows under the header: expected one row per case", paths[i]);
    if (err->ntotal > 0) {
        ca_fail(err, CA_REFUSED, "nothing was imported: %ld problem%s in the file%s", err->ntotal,
                err->ntotal == 1 ? "" : "s", npaths == 1 ? "" : "s");
        goto done;
    }
    if (record_snapshot(&c) != CA_OK)
        goto done;
    rc = CA_OK;
done:
    stmt_finalize(&c.ins);
    stmt_finalize(&c.case_at);
    big_free(c.seen.slot, c.seen.cap * sizeof *c.seen.slot);
    sqlite3_create_module_v2(db_handle(db), ROWS_TABLE, NULL, NULL, NULL); /* c is going away */
    if (rc == CA_OK && !opt->dry_run) {
        out->snapshot_id = c.snapshot;
        rc = db_commit(db, err);
    } else {
        db_rollback(db);
    }
    if (fk_off)
        db_foreign_keys(db, 1);
    return rc;
}
