#include "audit/store/snapwrite.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/store/db.h"
#include "audit/store/internal.h"

/* The eponymous virtual table that offers a file's valid rows. */
#define ROWS_TABLE "caseaudit_import_rows"

/* Every valid row of a file goes in, at the next row id (one more than the table's
 * largest, which SQLite gives without a search); a row whose case has come before
 * carries the row it merges into. */
static const char APPEND[] =
    "INSERT INTO snapshot_case(snapshot_id, case_id, plan_type, dob, age, team, worker, plan_start, plan_end,"
    " gender, ethnicity, disability, closed, src_file, src_line, merge_into)"
    " SELECT :snapshot, case_id, plan_type, dob, age, team, worker, plan_start, plan_end, gender, ethnicity,"
    " disability, closed, :file, line, merge_into FROM " ROWS_TABLE;

/* The virtual table's columns: the text fields, then these. */
enum { COL_AGE = SNAP_NTEXT, COL_CLOSED, COL_LINE, COL_INTO };

/* The cases seen so far, by a 32-bit hash of the case id (never 0; 0 is an empty slot),
 * with the case's first row as an offset from the snapshot's first row. */
struct seen_slot {
    uint32_t tag, row;
};

struct snap_writer {
    ca_db *db;
    long snapshot;
    int64_t first_row, next_row;
    long repeats;
    int zero_led;       /* some case id begins with 0 */
    struct seen_slot *slot;
    size_t cap, n;
    ca_stmt append, case_at;
    long closed_cases, open_cases[CA_NPLANS];   /* of the rows that were new cases */
    /* The file being appended. */
    snap_next_fn next;
    void *next_arg;
    ca_error *err;
    int failed;
    snap_row row;
    int64_t into;       /* the row the current one merges into; 0 when its case is new */
};

struct rows_vtab {
    sqlite3_vtab base;
    snap_writer *w;
};

struct rows_cursor {
    sqlite3_vtab_cursor base;
    int eof;
};

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

/* Room for n cases: at most 70% of the slots in use. */
static int seen_reserve(snap_writer *w, size_t n)
{
    size_t cap = (size_t)1 << 12;
    while (cap * 7 < n * 10)
        cap *= 2;
    if (cap <= w->cap)
        return CA_OK;
    struct seen_slot *slot = calloc(cap, sizeof *slot);
    if (!slot)
        return CA_ERR;
    for (size_t i = 0; i < w->cap; i++)
        if (w->slot[i].tag) {
            size_t j = w->slot[i].tag & (cap - 1);
            while (slot[j].tag)
                j = (j + 1) & (cap - 1);
            slot[j] = w->slot[i];
        }
    free(w->slot);
    w->slot = slot;
    w->cap = cap;
    return CA_OK;
}

/* Whether the stored row ROW has this case id. */
static int same_case(snap_writer *w, int64_t row, snap_text id)
{
    stmt_bind_int(&w->case_at, ":row", row);
    int got = stmt_step(&w->case_at, w->err);
    int same = got == 1 && sqlite3_column_bytes(w->case_at.st, 0) == id.n &&
               memcmp(stmt_text(&w->case_at, 0), id.p, (size_t)id.n) == 0;
    stmt_reset(&w->case_at);
    return got < 0 ? CA_ERR : same;
}

/* The first row of the current row's case, or 0 when the case is new (then this row is
 * recorded as its first); CA_ERR on failure. */
static int64_t seen_find(snap_writer *w, int64_t row)
{
    if ((w->n + 1) * 10 > w->cap * 7 && seen_reserve(w, 2 * (w->n + 1)) != CA_OK)
        return ca_fail(w->err, CA_SYSTEM, "out of memory");
    snap_text id = w->row.v[SNAP_ID];
    uint32_t tag = case_tag(id.p, id.n);
    size_t j = tag & (w->cap - 1);
    for (; w->slot[j].tag; j = (j + 1) & (w->cap - 1)) {
        if (w->slot[j].tag != tag)
            continue;
        int64_t first = w->first_row + w->slot[j].row;
        int same = same_case(w, first, id);
        if (same)
            return same < 0 ? CA_ERR : first;
    }
    if (row - w->first_row > UINT32_MAX)
        return ca_fail(w->err, CA_REFUSED, "more than %u rows in one import", UINT32_MAX);
    w->slot[j] = (struct seen_slot){tag, (uint32_t)(row - w->first_row)};
    w->n++;
    return 0;
}

static int rows_connect(sqlite3 *h, void *aux, int argc, const char *const *argv, sqlite3_vtab **out, char **msg)
{
    (void)argc, (void)argv, (void)msg;
    int rc = sqlite3_declare_vtab(h, "CREATE TABLE x(case_id, plan_type, dob, team, worker, plan_start, plan_end,"
                                     " gender, ethnicity, disability, age, closed, line, merge_into)");
    if (rc != SQLITE_OK)
        return rc;
    struct rows_vtab *t = sqlite3_malloc(sizeof *t);
    if (!t)
        return SQLITE_NOMEM;
    memset(t, 0, sizeof *t);
    t->w = aux;
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

/* On to the next valid row: the import's callback reads and checks it. */
static int rows_next(sqlite3_vtab_cursor *base)
{
    struct rows_cursor *cur = (struct rows_cursor *)base;
    snap_writer *w = ((struct rows_vtab *)base->pVtab)->w;
    int got = w->next(w->next_arg, &w->row, w->err);
    if (got == 1 && (w->into = seen_find(w, w->next_row++)) < 0)
        got = CA_ERR;
    if (got < 0) {
        /* Stops the statement, keeping the reason in err: SQLite's own account would be vaguer. */
        w->failed = 1;
        cur->eof = 1;
        return SQLITE_ERROR;
    }
    cur->eof = got == 0;
    if (got == 1) {
        w->zero_led |= w->row.v[SNAP_ID].p[0] == '0';
        w->repeats += w->into > 0;
        if (!w->into) {
            w->closed_cases += w->row.closed;
            w->open_cases[w->row.plan] += !w->row.closed;
        }
    }
    return SQLITE_OK;
}

static int rows_filter(sqlite3_vtab_cursor *cur, int idx, const char *idxstr, int argc, sqlite3_value **argv)
{
    (void)idx, (void)idxstr, (void)argc, (void)argv;
    return rows_next(cur);
}

static int rows_eof(sqlite3_vtab_cursor *cur) { return ((struct rows_cursor *)cur)->eof; }

static int rows_column(sqlite3_vtab_cursor *base, sqlite3_context *ctx, int col)
{
    const snap_writer *w = ((struct rows_vtab *)base->pVtab)->w;
    switch (col) {
    case COL_AGE: sqlite3_result_int64(ctx, w->row.age); break;
    case COL_CLOSED: sqlite3_result_int64(ctx, w->row.closed); break;
    case COL_LINE: sqlite3_result_int64(ctx, w->row.line); break;
    case COL_INTO:
        if (w->into)
            sqlite3_result_int64(ctx, w->into);
        else
            sqlite3_result_null(ctx);
        break;
    default:
        /* Static: the text stays where it is until the cursor moves, and SQLite has
         * copied it into the new record by then. */
        if (w->row.v[col].p)
            sqlite3_result_text(ctx, w->row.v[col].p, w->row.v[col].n, SQLITE_STATIC);
        else
            sqlite3_result_null(ctx);
    }
    return SQLITE_OK;
}

static int rows_rowid(sqlite3_vtab_cursor *base, sqlite3_int64 *rowid)
{
    *rowid = ((struct rows_vtab *)base->pVtab)->w->row.line;
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

static int insert_snapshot(ca_db *db, ca_day as_of, long *id, ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(db, &s,
                     "INSERT INTO snapshot(as_of, rows, cases, merged, closed, open_eh, open_cin, open_cp,"
                     " open_cla, open_cl, entered_at, entered_by) VALUES(:as_of, 0, 0, 0, 0, 0, 0, 0, 0, 0, :now,"
                     " :by)", err) != CA_OK)
        return CA_ERR;
    char iso[CA_DATE_ISO_LEN], now[32];
    date_iso(as_of, iso);
    db_now_utc(db, now);
    stmt_bind_text(&s, ":as_of", iso);
    stmt_bind_text(&s, ":now", now);
    stmt_bind_text(&s, ":by", db_actor(db));
    int got = stmt_step(&s, err);
    stmt_finalize(&s);
    *id = (long)db_last_rowid(db);
    return got < 0 ? CA_ERR : CA_OK;
}

int snap_open(ca_db *db, ca_day as_of, size_t expected_cases, snap_writer **out, ca_error *err)
{
    *out = NULL;
    snap_writer *w = calloc(1, sizeof *w);
    if (!w || seen_reserve(w, expected_cases) != CA_OK) {
        free(w);
        return ca_fail(err, CA_SYSTEM, "out of memory");
    }
    w->db = db;
    int64_t last = 0;
    int rc = insert_snapshot(db, as_of, &w->snapshot, err);
    /* The snapshot's rows follow every earlier snapshot's, one row id after another. */
    if (rc == CA_OK)
        rc = db_int(db, &last, "SELECT coalesce(max(rowid), 0) FROM snapshot_case", err);
    w->first_row = w->next_row = last + 1;
    if (rc == CA_OK && sqlite3_create_module_v2(db_handle(db), ROWS_TABLE, &rows_module, w, NULL) != SQLITE_OK)
        rc = db_fail(db, sqlite3_errcode(db_handle(db)), "cannot register the import table", err);
    if (rc == CA_OK)
        rc = stmt_prepare(db, &w->append, APPEND, err);
    if (rc == CA_OK)
        rc = stmt_prepare(db, &w->case_at, "SELECT case_id FROM snapshot_case WHERE rowid = :row", err);
    if (rc != CA_OK) {
        snap_close(w);
        return CA_ERR;
    }
    *out = w;
    return CA_OK;
}

void snap_close(snap_writer *w)
{
    if (!w)
        return;
    stmt_finalize(&w->append);
    stmt_finalize(&w->case_at);
    sqlite3_create_module_v2(db_handle(w->db), ROWS_TABLE, NULL, NULL, NULL); /* w is going away */
    free(w->slot);
    free(w);
}

int snap_checks_off(ca_db *db) { return db_foreign_keys(db, 0); }

void snap_checks_on(ca_db *db, int changed)
{
    if (changed)
        db_foreign_keys(db, 1);
}

long snap_id(const snap_writer *w) { return w->snapshot; }
long snap_repeats(const snap_writer *w) { return w->repeats; }

int snap_append(snap_writer *w, int fileseq, snap_next_fn next, void *u, ca_error *err)
{
    w->next = next, w->next_arg = u, w->err = err, w->failed = 0;
    stmt_bind_int(&w->append, ":snapshot", w->snapshot);
    stmt_bind_int(&w->append, ":file", fileseq);
    int64_t before = w->next_row;
    ca_error quiet = CA_ERROR_INIT; /* SQLite's account of a failure the callback already explained */
    int got = stmt_step(&w->append, w->failed ? &quiet : err);
    stmt_reset(&w->append);
    ca_error_free(&quiet);
    if (w->failed)
        return CA_ERR;
    /* The rows went in at the ids the merging was told (seen_find). */
    if (got >= 0 && w->next_row > before && db_last_rowid(w->db) != w->next_row - 1)
        return ca_fail(err, CA_SYSTEM, "internal error: the import's rows are not where expected");
    return got < 0 ? CA_ERR : CA_OK;
}

static void bind_rows(const snap_writer *w, ca_stmt *s)
{
    stmt_bind_int(s, ":lo", w->first_row);
    stmt_bind_int(s, ":hi", w->next_row - 1);
}

int snap_repeats_list(snap_writer *w, int (*visit)(void *u, int64_t group, const snap_case *c), void *u,
                      ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(w->db, &s,
                     "SELECT coalesce(merge_into, rowid) AS g, rowid, case_id, plan_type, dob, team, worker,"
                     " plan_start, plan_end, gender, ethnicity, disability, age, closed, src_file, src_line"
                     " FROM snapshot_case WHERE rowid BETWEEN :lo AND :hi AND (merge_into IS NOT NULL OR rowid IN"
                     "   (SELECT merge_into FROM snapshot_case WHERE rowid BETWEEN :lo AND :hi"
                     "    AND merge_into IS NOT NULL)) ORDER BY g, rowid", err) != CA_OK)
        return CA_ERR;
    bind_rows(w, &s);
    int got, stop = 0;
    while (!stop && (got = stmt_step(&s, err)) == 1) {
        snap_case c = {stmt_int(&s, 1),
                       stmt_text(&s, 2),
                       stmt_text(&s, 3),
                       store_text_or_null(&s, 4),
                       store_text_or_null(&s, 5),
                       store_text_or_null(&s, 6),
                       store_text_or_null(&s, 7),
                       store_text_or_null(&s, 8),
                       store_text_or_null(&s, 9),
                       store_text_or_null(&s, 10),
                       store_text_or_null(&s, 11),
                       (long)stmt_int(&s, 12),
                       (int)stmt_int(&s, 13),
                       (int)stmt_int(&s, 14),
                       (long)stmt_int(&s, 15)};
        stop = visit(u, stmt_int(&s, 0), &c);
    }
    stmt_finalize(&s);
    return stop ? stop : got < 0 ? CA_ERR : CA_OK;
}

int snap_case_set(snap_writer *w, const snap_case *c, ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(w->db, &s,
                     "UPDATE snapshot_case SET plan_type = :plan, dob = :dob, team = :team, worker = :worker,"
                     " plan_start = :start, plan_end = :end, gender = :gender, ethnicity = :ethnicity,"
                     " disability = :disability, age = :age, closed = :closed, src_file = :file, src_line = :line"
                     " WHERE rowid = :row AND case_id = :case", err) != CA_OK)
        return CA_ERR;
    stmt_bind_text(&s, ":plan", c->plan_type);
    stmt_bind_text(&s, ":dob", c->dob);
    stmt_bind_text(&s, ":team", c->team);
    stmt_bind_text(&s, ":worker", c->worker);
    stmt_bind_text(&s, ":start", c->plan_start);
    stmt_bind_text(&s, ":end", c->plan_end);
    stmt_bind_text(&s, ":gender", c->gender);
    stmt_bind_text(&s, ":ethnicity", c->ethnicity);
    stmt_bind_text(&s, ":disability", c->disability);
    stmt_bind_int(&s, ":age", c->age);
    stmt_bind_int(&s, ":closed", c->closed);
    stmt_bind_int(&s, ":file", c->src_file);
    stmt_bind_int(&s, ":line", c->src_line);
    stmt_bind_int(&s, ":row", c->row);
    stmt_bind_text(&s, ":case", c->case_id);
    int got = stmt_step(&s, err);
    stmt_finalize(&s);
    if (got >= 0 && db_changes(w->db) != 1)
        return ca_fail(err, CA_SYSTEM, "internal error: case row %lld of \"%s\" is not where expected",
                       (long long)c->row, c->case_id);
    return got < 0 ? CA_ERR : CA_OK;
}

int snap_drop_repeats(snap_writer *w, ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(w->db, &s, "DELETE FROM snapshot_case WHERE rowid BETWEEN :lo AND :hi"
                                " AND merge_into IS NOT NULL", err) != CA_OK)
        return CA_ERR;
    bind_rows(w, &s);
    int got = stmt_step(&s, err);
    stmt_finalize(&s);
    return got < 0 ? CA_ERR : CA_OK;
}

int snap_zero_twins(snap_writer *w, int (*visit)(void *u, const snap_twin *t), void *u, ca_error *err)
{
    if (!w->zero_led)
        return CA_OK;
    ca_stmt s;
    /* Each id with leading zeros looks its stripped form up in the (snapshot, case) index. */
    if (stmt_prepare(w->db, &s,
                     "SELECT a.case_id, a.src_file, a.src_line, b.case_id, b.src_file, b.src_line"
                     " FROM snapshot_case a JOIN snapshot_case b ON b.snapshot_id = a.snapshot_id"
                     "   AND b.case_id = ltrim(a.case_id, '0') AND b.merge_into IS NULL"
                     " WHERE a.rowid BETWEEN :lo AND :hi AND a.snapshot_id = :snapshot AND a.case_id GLOB '0*'"
                     "   AND a.merge_into IS NULL AND ltrim(a.case_id, '0') <> ''"
                     " ORDER BY b.src_file, b.src_line", err) != CA_OK)
        return CA_ERR;
    bind_rows(w, &s);
    stmt_bind_int(&s, ":snapshot", w->snapshot);
    int got, stop = 0;
    while (!stop && (got = stmt_step(&s, err)) == 1) {
        snap_twin t = {stmt_text(&s, 0),      stmt_text(&s, 3),      (int)stmt_int(&s, 1),
                       (int)stmt_int(&s, 4),  (long)stmt_int(&s, 2), (long)stmt_int(&s, 5)};
        stop = visit(u, &t);
    }
    stmt_finalize(&s);
    return stop ? stop : got < 0 ? CA_ERR : CA_OK;
}

int snap_counts(snap_writer *w, long *cases, long *closed, long open[CA_NPLANS], ca_error *err)
{
    if (!w->repeats) {
        /* Every row a case of its own: counted as they went in, not read back. */
        *closed = *cases = w->closed_cases;
        for (int p = 0; p < CA_NPLANS; p++)
            *cases += open[p] = w->open_cases[p];
        return CA_OK;
    }
    ca_stmt s;
    if (stmt_prepare(w->db, &s,
                     "SELECT count(*), coalesce(sum(closed), 0),"
                     " coalesce(sum(plan_type = 'EH' AND NOT closed), 0), coalesce(sum(plan_type = 'CIN' AND NOT"
                     " closed), 0), coalesce(sum(plan_type = 'CP' AND NOT closed), 0), coalesce(sum(plan_type ="
                     " 'CLA' AND NOT closed), 0), coalesce(sum(plan_type = 'CL' AND NOT closed), 0)"
                     " FROM snapshot_case WHERE rowid BETWEEN :lo AND :hi AND merge_into IS NULL", err) != CA_OK)
        return CA_ERR;
    bind_rows(w, &s);
    int got = stmt_step(&s, err);
    if (got == 1) {
        *cases = (long)stmt_int(&s, 0);
        *closed = (long)stmt_int(&s, 1);
        for (int p = 0; p < CA_NPLANS; p++)
            open[p] = (long)stmt_int(&s, 2 + p);
    }
    stmt_finalize(&s);
    return got == 1 ? CA_OK : CA_ERR;
}

static int record_files(snap_writer *w, const snap_file *files, int nfiles, ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(w->db, &s, "INSERT INTO snapshot_file(snapshot_id, seq, name, sha256, kind, rows)"
                                " VALUES(:snapshot, :seq, :name, :sha, :kind, :rows)", err) != CA_OK)
        return CA_ERR;
    int got = 0;
    for (int i = 0; i < nfiles && got >= 0; i++) {
        stmt_bind_int(&s, ":snapshot", w->snapshot);
        stmt_bind_int(&s, ":seq", i + 1);
        stmt_bind_text(&s, ":name", files[i].name);
        stmt_bind_text(&s, ":sha", files[i].sha256);
        stmt_bind_text(&s, ":kind", files[i].kind);
        stmt_bind_int(&s, ":rows", files[i].rows);
        got = stmt_step(&s, err);
        stmt_reset(&s);
    }
    stmt_finalize(&s);
    return got < 0 ? CA_ERR : CA_OK;
}

int snap_record(snap_writer *w, long rows, long cases, long merged, long closed, const long open[CA_NPLANS],
                const snap_file *files, int nfiles, ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(w->db, &s,
                     "UPDATE snapshot SET rows = :rows, cases = :cases, merged = :merged, closed = :closed,"
                     " open_eh = :eh, open_cin = :cin, open_cp = :cp, open_cla = :cla, open_cl = :cl,"
                     " first_row = :lo, last_row = :hi WHERE id = :snapshot", err) != CA_OK)
        return CA_ERR;
    stmt_bind_int(&s, ":rows", rows);
    stmt_bind_int(&s, ":cases", cases);
    stmt_bind_int(&s, ":merged", merged);
    stmt_bind_int(&s, ":closed", closed);
    static const char *const names[] = {":eh", ":cin", ":cp", ":cla", ":cl"};
    for (int p = 0; p < CA_NPLANS; p++)
        stmt_bind_int(&s, names[p], open[p]);
    bind_rows(w, &s);
    stmt_bind_int(&s, ":snapshot", w->snapshot);
    int got = stmt_step(&s, err);
    stmt_finalize(&s);
    return got < 0 ? CA_ERR : record_files(w, files, nfiles, err);
}

int snapshot_file_find(ca_db *db, const char *sha256, long except, long *snapshot, ca_day *as_of, ca_error *err)
{
    ca_stmt s;
    if (stmt_prepare(db, &s, "SELECT s.id, s.as_of FROM snapshot_file f JOIN snapshot s ON s.id = f.snapshot_id"
                             " WHERE f.sha256 = :sha AND s.id <> :except ORDER BY s.id LIMIT 1", err) != CA_OK)
        return CA_ERR;
    stmt_bind_text(&s, ":sha", sha256);
    stmt_bind_int(&s, ":except", except);
    int got = stmt_step(&s, err);
    if (got == 1) {
        *snapshot = (long)stmt_int(&s, 0);
        *as_of = store_day(&s, 1);
    }
    stmt_finalize(&s);
    return got;
}
