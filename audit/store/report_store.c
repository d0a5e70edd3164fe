/* report_store.c: the quarterly report's reads (see report_store.h). */
#include "audit/store/report_store.h"

#include "audit/store/db.h"

#include <stdio.h>

/* The audits that count: the latest per (round, case) as at then (entered before
 * the as-at time, not yet superseded then), dated in the scope. */
#define IN_SCOPE                                                                                            \
    " a.audit_date BETWEEN :from AND :to AND a.entered_at < :asat"                                         \
    " AND (a.superseded_at IS NULL OR a.superseded_at >= :asat)" MONTHLY_ONLY

/* Only monthly rounds enter the monthly figures (SPEC §9); themed rounds have their own
 * section (report_themed_store.c). A handful of rounds: SQLite builds the list once. */
#define MONTHLY_ONLY " AND a.round_id NOT IN (SELECT id FROM round WHERE theme IS NOT NULL)"

int rs_max_audit_id(ca_db *db, int64_t *out, ca_error *err)
{
    return db_int(db, out, "SELECT coalesce(max(id), 0) FROM audit", err);
}

/* Steps s to its end, handing each row to row(); finalizes s. */
static int each_row(ca_stmt *s, int (*row)(ca_stmt *s, void *arg), void *arg, ca_error *err)
{
    int got;
    while ((got = stmt_step(s, err)) == 1)
        if (row(s, arg) != CA_OK) {
            got = -1;
            break;
        }
    stmt_finalize(s);
    return got < 0 ? CA_ERR : CA_OK;
}

struct corrected_arg {
    int (*fn)(void *, int64_t, const char *);
    void *ctx;
};

static int corrected_row(ca_stmt *s, void *arg)
{
    struct corrected_arg *a = arg;
    return a->fn(a->ctx, stmt_int(s, 0), stmt_text(s, 1));
}

int rs_corrected_each(ca_db *db, const rs_scope *sc, int (*fn)(void *ctx, int64_t round_id, const char *case_id),
                      void *ctx, ca_error *err)
{
    ca_stmt s = {0};
    if (stmt_prepare(db, &s, "SELECT round_id, case_id FROM audit WHERE superseded_at IS NOT NULL"
                             " AND superseded_at < :asat", err) != CA_OK)
        return CA_ERR;
    stmt_bind_text(&s, ":asat", sc->asat);
    struct corrected_arg a = {fn, ctx};
    return each_row(&s, corrected_row, &a, err);
}

struct moderation_arg {
    int (*fn)(void *, const rs_moderation *);
    void *ctx;
};

static int moderation_row(ca_stmt *s, void *arg)
{
    struct moderation_arg *a = arg;
    rs_moderation m = {stmt_int(s, 0),      stmt_int(s, 4),          stmt_text(s, 1),
                       (int)stmt_int(s, 2), stmt_int(s, 3) != 0, (int)stmt_int(s, 5)};
    return a->fn(a->ctx, &m);
}

int rs_moderations_each(ca_db *db, const rs_scope *sc, int (*fn)(void *ctx, const rs_moderation *m), void *ctx,
                        ca_error *err)
{
    ca_stmt s = {0};
    if (stmt_prepare(db, &s, "SELECT m.round_id, m.case_id, m.grade, m.planned, m.audit_id, j.grade FROM moderation m"
                             " JOIN audit j ON j.id = m.audit_id"
                             " WHERE m.entered_at < :asat AND (m.superseded_at IS NULL OR m.superseded_at >= :asat)",
                     err) != CA_OK)
        return CA_ERR;
    stmt_bind_text(&s, ":asat", sc->asat);
    struct moderation_arg a = {fn, ctx};
    return each_row(&s, moderation_row, &a, err);
}

struct audit_arg {
    int (*fn)(void *, const rs_audit *);
    void *ctx;
    int want[4];
};

static int audit_row(ca_stmt *s, void *arg)
{
    struct audit_arg *a = arg;
    rs_audit r = {.id = stmt_int(s, 8), .round_id = stmt_int(s, 0), .stratum = stmt_text(s, 1),
                  .stmt_ = s, .audit_date = stmt_text(s, 9), .grade = (int)stmt_int(s, 6)};
    for (int i = 0; i < 4; i++)
        r.level[i] = a->want[i] ? stmt_text(s, 2 + i) : "";
    return a->fn(a->ctx, &r);
}

const char *rs_audit_case(const rs_audit *a) { return stmt_text(a->stmt_, 7); }

int rs_audits_each(ca_db *db, const rs_scope *sc, const int want[4], int (*fn)(void *ctx, const rs_audit *a),
                   void *ctx, ca_error *err)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT a.round_id, a.stratum, %s, %s, %s, %s, a.grade, a.case_id, a.id, a.audit_date FROM audit a WHERE"
             IN_SCOPE, want[0] ? "a.plan_type" : "NULL", want[1] ? "a.age_band" : "NULL",
             want[2] ? "coalesce(a.team, '(no team)')" : "NULL", want[3] ? "a.auditor" : "NULL");
    ca_stmt s = {0};
    if (stmt_prepare(db, &s, sql, err) != CA_OK)
        return CA_ERR;
    stmt_bind_text(&s, ":asat", sc->asat);
    stmt_bind_text(&s, ":from", sc->from);
    stmt_bind_text(&s, ":to", sc->to);
    struct audit_arg a = {fn, ctx, {want[0], want[1], want[2], want[3]}};
    return each_row(&s, audit_row, &a, err);
}

struct strata_arg {
    int (*fn)(void *, const char *, long);
    void *ctx;
};

static int strata_row(ca_stmt *s, void *arg)
{
    struct strata_arg *a = arg;
    return a->fn(a->ctx, stmt_text(s, 0), (long)stmt_int(s, 1));
}

int rs_strata_each(ca_db *db, int64_t round_id, int (*fn)(void *ctx, const char *stratum, long frame_n), void *ctx,
                   ca_error *err)
{
    ca_stmt s = {0};
    if (stmt_prepare(db, &s, "SELECT stratum, frame_n FROM round_stratum WHERE round_id = :r", err) != CA_OK)
        return CA_ERR;
    stmt_bind_int(&s, ":r", round_id);
    struct strata_arg a = {fn, ctx};
    return each_row(&s, strata_row, &a, err);
}

int rs_round_progress(ca_db *db, const rs_scope *sc, int64_t round_id, long *sampled, long *graded, ca_error *err)
{
    ca_stmt s = {0};
    if (stmt_prepare(db, &s,
                     "SELECT (SELECT coalesce(sum(sample_n), 0) FROM round_stratum WHERE round_id = r.id),"
                     " CASE WHEN r.due < :ref THEN (SELECT count(*) FROM audit WHERE round_id = r.id"
                     "  AND entered_at < :asat AND (superseded_at IS NULL OR superseded_at >= :asat))"
                     " END FROM round r WHERE r.id = :r", err) != CA_OK)
        return CA_ERR;
    stmt_bind_int(&s, ":r", round_id);
    stmt_bind_text(&s, ":asat", sc->asat);
    stmt_bind_text(&s, ":ref", sc->ref);
    int got = stmt_step(&s, err);
    *sampled = 0, *graded = -1;
    if (got == 1) {
        *sampled = (long)stmt_int(&s, 0);
        if (!stmt_is_null(&s, 1))
            *graded = (long)stmt_int(&s, 1);
    }
    stmt_finalize(&s);
    return got < 0 ? CA_ERR : CA_OK;
}

struct domain_arg {
    int (*fn)(void *, const char *, const char *);
    void *ctx;
};

static int domain_row(ca_stmt *s, void *arg)
{
    struct domain_arg *a = arg;
    return a->fn(a->ctx, stmt_text(s, 0), stmt_text(s, 1));
}

int rs_domains_each(ca_db *db, int (*fn)(void *ctx, const char *code, const char *label), void *ctx,
                    ca_error *err)
{
    ca_stmt s = {0};
    if (stmt_prepare(db, &s, "SELECT code, label FROM domain ORDER BY seq", err) != CA_OK)
        return CA_ERR;
    struct domain_arg a = {fn, ctx};
    return each_row(&s, domain_row, &a, err);
}

struct audit_domain_arg {
    int (*fn)(void *, int64_t, const char *, int);
    void *ctx;
};

static int audit_domain_row(ca_stmt *s, void *arg)
{
    struct audit_domain_arg *a = arg;
    return a->fn(a->ctx, stmt_int(s, 0), stmt_text(s, 1), (int)stmt_int(s, 2));
}

int rs_audit_domains_each(ca_db *db, int (*fn)(void *ctx, int64_t audit_id, const char *code, int grade), void *ctx,
                          ca_error *err)
{
    ca_stmt s = {0};
    if (stmt_prepare(db, &s, "SELECT audit_id, domain, grade FROM audit_domain", err) != CA_OK)
        return CA_ERR;
    struct audit_domain_arg a = {fn, ctx};
    return each_row(&s, audit_domain_row, &a, err);
}

/* Whether audit id is dated in the scope, read by one, prepared statement. */
static int audit_in_scope(ca_stmt *one, const rs_scope *sc, int64_t id, ca_error *err)
{
    stmt_bind_text(one, ":from", sc->from);
    stmt_bind_text(one, ":to", sc->to);
    stmt_bind_int(one, ":id", id);
    int in = stmt_step(one, err);
    in = in == 1 ? (int)stmt_int(one, 0) : in;
    stmt_reset(one);
    return in;
}

int rs_actions_each(ca_db *db, const rs_scope *sc, int (*known)(void *ctx, int64_t audit_id),
                    int (*fn)(void *ctx, int done, int overdue), void *ctx, ca_error *err)
{
    ca_stmt s = {0}, one = {0};
    int got = -1;
    if (stmt_prepare(db, &s,
                     "SELECT audit_id, done_at IS NOT NULL AND done_at < :asat,"
                     " (done_at IS NULL OR done_at >= :asat) AND due < :ref FROM action WHERE entered_at < :asat",
                     err) != CA_OK ||
        stmt_prepare(db, &one, "SELECT (audit_date BETWEEN :from AND :to)" MONTHLY_ONLY " FROM audit a WHERE id = :id",
                     err) != CA_OK)
        goto done;
    stmt_bind_text(&s, ":asat", sc->asat);
    stmt_bind_text(&s, ":ref", sc->ref);
    while ((got = stmt_step(&s, err)) == 1) {
        int64_t id = stmt_int(&s, 0);
        int in = known(ctx, id) ? 1 : audit_in_scope(&one, sc, id, err);
        if (in < 0 || (in && fn(ctx, stmt_int(&s, 1) != 0, stmt_int(&s, 2) != 0) != CA_OK)) {
            got = -1;
            break;
        }
    }
done:
    stmt_finalize(&s);
    stmt_finalize(&one);
    return got < 0 ? CA_ERR : CA_OK;
}
