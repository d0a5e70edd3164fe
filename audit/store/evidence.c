/* evidence.c: the evidence pack's reads (see evidence.h). */
#include "audit/store/evidence.h"

#include "audit/store/db.h"
#include "audit/store/internal.h"

static void bind_period(ca_stmt *s, ca_day from, ca_day to)
{
    char f[CA_DATE_ISO_LEN], t[CA_DATE_ISO_LEN];
    date_iso(from, f);
    date_iso(to, t);
    stmt_bind_text(s, ":from", f);
    stmt_bind_text(s, ":to", t);
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

struct audit_arg {
    int (*fn)(void *, const ev_audit *);
    void *ctx;
};

static int audit_row(ca_stmt *s, void *arg)
{
    struct audit_arg *x = arg;
    ev_audit a = {
        .id = stmt_int(s, 0), .round_id = stmt_int(s, 1), .case_id = stmt_text(s, 2),
        .plan_type = stmt_text(s, 3), .age_band = stmt_text(s, 4), .team = store_text_or_null(s, 5),
        .worker = store_text_or_null(s, 6), .round = stmt_text(s, 7), .theme = store_text_or_null(s, 8),
        .theme_filter = store_text_or_null(s, 9), .seed = stmt_text(s, 10), .stratum = stmt_text(s, 11),
        .frame_n = (long)stmt_int(s, 12), .sample_n = (long)stmt_int(s, 13), .key = stmt_text(s, 14),
        .auditor = stmt_text(s, 15), .audit_date = stmt_text(s, 16), .grade = (int)stmt_int(s, 17),
        .stand_in = (int)stmt_int(s, 18), .note = store_text_or_null(s, 19), .mod_grade = (int)stmt_int(s, 20),
        .moderator = store_text_or_null(s, 21), .mod_date = store_text_or_null(s, 22),
        .mod_reason = store_text_or_null(s, 23), .mod_judged = (int)stmt_int(s, 24),
        .pick = store_text_or_null(s, 25), .corrections = (long)stmt_int(s, 26),
        .mod_corrections = (long)stmt_int(s, 27),
    };
    return x->fn(x->ctx, &a);
}

int ev_audits_each(ca_db *db, ca_day from, ca_day to, int (*fn)(void *ctx, const ev_audit *a), void *ctx,
                   ca_error *err)
{
    ca_stmt s = {0};
    if (stmt_prepare(db, &s,
                     "SELECT a.id, a.round_id, a.case_id, rc.plan_type, rc.age_band, rc.team, rc.worker, r.label,"
                     " r.theme, r.theme_filter, r.seed, rc.stratum, rc.frame_n, rc.sample_n, rc.sort_key,"
                     " a.auditor, a.audit_date, a.grade, a.stand_in, a.note, coalesce(m.grade, 0), m.moderator,"
                     " m.moderation_date, m.reason, coalesce(j.grade, 0), p.reason,"
                     " (SELECT count(*) FROM audit x WHERE x.round_id = a.round_id AND x.case_id = a.case_id"
                     "  AND x.superseded_at IS NOT NULL),"
                     " (SELECT count(*) FROM moderation y WHERE y.round_id = a.round_id AND y.case_id = a.case_id"
                     "  AND y.superseded_at IS NOT NULL)"
                     " FROM audit_current a"
                     " JOIN round_case rc ON rc.round_id = a.round_id AND rc.case_id = a.case_id"
                     " JOIN round r ON r.id = a.round_id"
                     " LEFT JOIN moderation_current m ON m.round_id = a.round_id AND m.case_id = a.case_id"
                     " LEFT JOIN audit j ON j.id = m.audit_id"
                     " LEFT JOIN moderation_pick p ON p.round_id = a.round_id AND p.case_id = a.case_id"
                     " WHERE a.audit_date BETWEEN :from AND :to"
                     " ORDER BY a.audit_date, r.label, a.case_id", err) != CA_OK)
        return CA_ERR;
    bind_period(&s, from, to);
    struct audit_arg x = {fn, ctx};
    return each_row(&s, audit_row, &x, err);
}

struct correction_arg {
    int (*fn)(void *, const ev_correction *);
    void *ctx;
};

static int correction_row(ca_stmt *s, void *arg)
{
    struct correction_arg *x = arg;
    ev_correction c = {(int)stmt_int(s, 0), stmt_text(s, 1), stmt_text(s, 2), stmt_text(s, 3), stmt_text(s, 4)};
    return x->fn(x->ctx, &c);
}

int ev_corrections_each(ca_db *db, int64_t round_id, const char *case_id,
                        int (*fn)(void *ctx, const ev_correction *c), void *ctx, ca_error *err)
{
    ca_stmt s = {0};
    if (stmt_prepare(db, &s, "SELECT grade, auditor, audit_date, entered_at, superseded_at FROM audit"
                             " WHERE round_id = :r AND case_id = :c AND superseded_at IS NOT NULL ORDER BY id",
                     err) != CA_OK)
        return CA_ERR;
    stmt_bind_int(&s, ":r", round_id);
    stmt_bind_text(&s, ":c", case_id);
    struct correction_arg x = {fn, ctx};
    return each_row(&s, correction_row, &x, err);
}

struct domain_arg {
    int (*fn)(void *, const char *, int);
    void *ctx;
};

static int domain_row(ca_stmt *s, void *arg)
{
    struct domain_arg *x = arg;
    return x->fn(x->ctx, stmt_text(s, 0), (int)stmt_int(s, 1));
}

int ev_domains_each(ca_db *db, int64_t audit_id, int (*fn)(void *ctx, const char *code, int grade), void *ctx,
                    ca_error *err)
{
    ca_stmt s = {0};
    if (stmt_prepare(db, &s, "SELECT d.domain, d.grade FROM audit_domain d JOIN domain o ON o.code = d.domain"
                             " WHERE d.audit_id = :a ORDER BY o.seq", err) != CA_OK)
        return CA_ERR;
    stmt_bind_int(&s, ":a", audit_id);
    struct domain_arg x = {fn, ctx};
    return each_row(&s, domain_row, &x, err);
}

struct action_arg {
    int (*fn)(void *, const ev_action *);
    void *ctx;
};

static int action_row(ca_stmt *s, void *arg)
{
    struct action_arg *x = arg;
    ev_action a = {stmt_text(s, 0), store_text_or_null(s, 1), store_text_or_null(s, 2), store_text_or_null(s, 3)};
    return x->fn(x->ctx, &a);
}

int ev_actions_each(ca_db *db, int64_t round_id, const char *case_id, int (*fn)(void *ctx, const ev_action *a),
                    void *ctx, ca_error *err)
{
    ca_stmt s = {0};
    if (stmt_prepare(db, &s, "SELECT text, owner, due, done_date FROM action WHERE round_id = :r AND case_id = :c"
                             " ORDER BY id", err) != CA_OK)
        return CA_ERR;
    stmt_bind_int(&s, ":r", round_id);
    stmt_bind_text(&s, ":c", case_id);
    struct action_arg x = {fn, ctx};
    return each_row(&s, action_row, &x, err);
}

struct round_arg {
    int (*fn)(void *, const ev_round *);
    void *ctx;
};

static int round_row(ca_stmt *s, void *arg)
{
    struct round_arg *x = arg;
    ev_round r = {
        .id = stmt_int(s, 0), .label = stmt_text(s, 1), .theme = store_text_or_null(s, 2),
        .theme_filter = store_text_or_null(s, 3), .seed = stmt_text(s, 4), .strata = stmt_text(s, 5),
        .alloc = stmt_text(s, 6), .age_bands = stmt_text(s, 7), .as_of = stmt_text(s, 8),
        .snapshot_id = (long)stmt_int(s, 9), .size = (long)stmt_int(s, 10), .population = (long)stmt_int(s, 11),
        .excluded_audited = (long)stmt_int(s, 12), .excluded_pending = (long)stmt_int(s, 13),
        .excluded_theme = (long)stmt_int(s, 14), .min_per_stratum = (int)stmt_int(s, 15),
        .exclude_months = (int)stmt_int(s, 16),
    };
    return x->fn(x->ctx, &r);
}

int ev_rounds_each(ca_db *db, ca_day from, ca_day to, int (*fn)(void *ctx, const ev_round *r), void *ctx,
                   ca_error *err)
{
    ca_stmt s = {0};
    if (stmt_prepare(db, &s,
                     "SELECT r.id, r.label, r.theme, r.theme_filter, r.seed, r.strata, r.alloc, r.age_bands,"
                     " sn.as_of, r.snapshot_id, r.size, r.population, r.excluded_audited, r.excluded_pending,"
                     " r.excluded_theme, r.min_per_stratum, r.exclude_months"
                     " FROM round r JOIN snapshot sn ON sn.id = r.snapshot_id"
                     " WHERE EXISTS (SELECT 1 FROM audit_current a WHERE a.round_id = r.id"
                     "  AND a.audit_date BETWEEN :from AND :to)"
                     " ORDER BY r.theme IS NOT NULL, r.label", err) != CA_OK)
        return CA_ERR;
    bind_period(&s, from, to);
    struct round_arg x = {fn, ctx};
    return each_row(&s, round_row, &x, err);
}
