/* gen_bench: synthetic data for the benchmarks of SPEC §11. Deterministic.
 *
 *   gen_bench cases N             a generic case list of N open cases on stdout
 *   gen_bench audits DB N         N audits (with moderation, domains, actions) in
 *                                 the quarter 2026Q3, written straight into DB
 *
 * The audits go in through the library's statement wrapper, not the CLI: the
 * benchmark measures the report, not the loading of a million returns.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/date.h"
#include "audit/store/db.h"

static uint64_t rng_state = 0x2545f4914f6cdd1dULL;

static uint64_t rng(void) /* splitmix64 */
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static int pick(int n) { return (int)(rng() % (uint64_t)n); }

enum { NTEAMS = 40 };
static const char *const plans[] = {"EH", "CIN", "CP", "CLA", "CL"};
static const int plan_pct[] = {3, 45, 15, 28, 9}; /* SPEC §12 mix */

static int pick_plan(void)
{
    int r = pick(100), acc = 0;
    for (int p = 0; p < 5; p++)
        if (r < (acc += plan_pct[p]))
            return p;
    return 1;
}

static int gen_cases(long n)
{
    ca_day asof;
    date_from_ymd(2026, 11, 1, &asof);
    printf("case_id,date_of_birth,plan_type,team,worker\n");
    for (long i = 0; i < n; i++) {
        int plan = pick_plan();
        int age_days = plan == 4 ? 18 * 365 + pick(3 * 365) : pick(18 * 365) - (plan == 2 ? 60 : 0);
        char dob[CA_DATE_ISO_LEN];
        date_uk(asof - age_days, dob);
        int team = pick(NTEAMS);
        printf("%07ld,%s,%s,Team %02d,Worker %02d-%d\n", 1000000 + i, dob, plans[plan], team, team, pick(12));
    }
    return fflush(stdout) == 0 ? 0 : 1;
}

static const char *const bands[] = {"unborn", "under1", "1-4", "5-9", "10-15", "16-17", "18+"};

static int check(int rc, ca_error *err)
{
    if (rc == CA_OK)
        return 0;
    fprintf(stderr, "gen_bench: %s\n", err->msg);
    exit(1);
}

static void step(ca_stmt *s, ca_error *err)
{
    if (stmt_step(s, err) < 0)
        check(CA_ERR, err);
    stmt_reset(s);
}

static int gen_audits(const char *path, long n)
{
    ca_error err = CA_ERROR_INIT;
    ca_db *db;
    check(db_open(&db, path, CA_DB_CREATE, NULL, &err), &err);
    check(db_begin(db, &err), &err);
    check(db_exec(db,
                  "INSERT INTO snapshot(id, as_of, rows, cases, merged, closed, open_eh, open_cin, open_cp,"
                  " open_cla, open_cl, entered_at, entered_by)"
                  " VALUES(1, '2026-06-01', 0, 0, 0, 0, 0, 0, 0, 0, 0, '2026-06-01T09:00:00Z', 'bench')",
                  &err), &err);
    ca_stmt round, stratum, rcase, audit, mod, dom, act;
    check(stmt_prepare(db, &round,
                       "INSERT INTO round(id, label, snapshot_id, seed, size, strata, alloc, min_per_stratum,"
                       " age_bands, exclude_months, population, excluded_audited, excluded_pending, due,"
                       " entered_at, entered_by) VALUES(:id, :label, 1, '00000000000004d2', :size, 'plan,age',"
                       " 'proportional', 1, '0,1,5,10,16,18', 12, :pop, 0, 0, :due, '2026-06-01T09:00:00Z',"
                       " 'bench')", &err), &err);
    check(stmt_prepare(db, &stratum,
                       "INSERT INTO round_stratum(round_id, seq, stratum, frame_n, sample_n) VALUES(:r, :seq, :s, :N, :n)",
                       &err), &err);
    check(stmt_prepare(db, &rcase,
                       "INSERT INTO round_case(round_id, case_id, seq, stratum, plan_type, age_band, team,"
                       " worker, sort_key, frame_n, sample_n, probability, weight, auditor) VALUES(:r, :c, :seq, :s, :p,"
                       " :a, :team, :worker, :key, :N, :n, :prob, :w, :auditor)", &err), &err);
    check(stmt_prepare(db, &audit,
                       "INSERT INTO audit(id, round_id, case_id, grade, auditor, audit_date, entered_at,"
                       " entered_by, stratum, plan_type, age_band, team) VALUES(:id, :r, :c, :g, :auditor, :d,"
                       " '2026-10-01T09:00:00Z', 'bench', :s, :p, :a, :team)",
                       &err), &err);
    check(stmt_prepare(db, &mod,
                       "INSERT INTO moderation(round_id, case_id, audit_id, grade, moderator, moderation_date,"
                       " reason, planned, entered_at, entered_by) VALUES(:r, :c, :a, :g, :m, :d, :reason, 1,"
                       " '2026-10-02T09:00:00Z', 'bench')", &err), &err);
    check(stmt_prepare(db, &dom,
                       "INSERT INTO audit_domain(audit_id, domain, grade) VALUES(:a, :d, :g)", &err), &err);
    check(stmt_prepare(db, &act,
                       "INSERT INTO action(audit_id, round_id, case_id, text, owner, due, done_date,"
                       " entered_at, entered_by) VALUES(:a, :r, :c, 'Review the plan', 'Worker', :due, :done,"
                       " '2026-10-01T09:00:00Z', 'bench')", &err), &err);

    static const char *const domains[] = {"voice", "assessment", "planning", "oversight", "timeliness"};
    const int nrounds = 3;
    long id = 0;
    ca_day q_start;
    date_from_ymd(2026, 7, 1, &q_start);
    for (int r = 1; r <= nrounds; r++) {
        long per = n / nrounds + (r <= n % nrounds);
        char label[16], due[CA_DATE_ISO_LEN];
        snprintf(label, sizeof label, "2026-%02d", 6 + r);
        date_iso(q_start + 30 * r, due);
        stmt_bind_int(&round, ":id", r);
        stmt_bind_text(&round, ":label", label);
        stmt_bind_int(&round, ":size", per);
        stmt_bind_int(&round, ":pop", per * 3);
        stmt_bind_text(&round, ":due", due);
        step(&round, &err);
        /* 35 strata, plan x age band, each with a third of its cases sampled. */
        long per_stratum = per / 35, left = per;
        for (int s = 0; s < 35; s++) {
            long nh = s == 34 ? left : per_stratum;
            left -= nh;
            char name[32];
            snprintf(name, sizeof name, "%s|%s", plans[s / 7], bands[s % 7]);
            stmt_bind_int(&stratum, ":r", r);
            stmt_bind_int(&stratum, ":seq", s);
            stmt_bind_text(&stratum, ":s", name);
            stmt_bind_int(&stratum, ":N", nh * 3);
            stmt_bind_int(&stratum, ":n", nh);
            step(&stratum, &err);
            for (long k = 0; k < nh; k++) {
                id++;
                char cid[24], key[17], team[16], worker[24], auditor[16], date[CA_DATE_ISO_LEN];
                snprintf(cid, sizeof cid, "%07ld", 1000000 + id);
                snprintf(key, sizeof key, "%016" PRIx64, rng());
                int t = pick(NTEAMS);
                snprintf(team, sizeof team, "Team %02d", t);
                snprintf(worker, sizeof worker, "Worker %02d-%d", t, pick(12));
                snprintf(auditor, sizeof auditor, "Auditor %02d", (t + 1 + pick(30)) % 60);
                stmt_bind_int(&rcase, ":r", r);
                stmt_bind_text(&rcase, ":c", cid);
                stmt_bind_int(&rcase, ":seq", id);
                stmt_bind_text(&rcase, ":s", name);
                stmt_bind_text(&rcase, ":p", plans[s / 7]);
                stmt_bind_text(&rcase, ":a", bands[s % 7]);
                stmt_bind_text(&rcase, ":team", team);
                stmt_bind_text(&rcase, ":worker", worker);
                stmt_bind_text(&rcase, ":key", key);
                stmt_bind_int(&rcase, ":N", nh * 3);
                stmt_bind_int(&rcase, ":n", nh);
                stmt_bind_double(&rcase, ":prob", 1.0 / 3);
                stmt_bind_double(&rcase, ":w", 3.0);
                stmt_bind_text(&rcase, ":auditor", auditor);
                step(&rcase, &err);
                int roll = pick(100);
                int g = roll < 1 ? 1 : roll < 22 ? 2 : roll < 89 ? 3 : 4;
                date_iso(q_start + pick(92), date);
                stmt_bind_int(&audit, ":id", id);
                stmt_bind_int(&audit, ":r", r);
                stmt_bind_text(&audit, ":c", cid);
                stmt_bind_int(&audit, ":g", g);
                stmt_bind_text(&audit, ":auditor", auditor);
                stmt_bind_text(&audit, ":d", date);
                stmt_bind_text(&audit, ":s", name);
                stmt_bind_text(&audit, ":p", plans[s / 7]);
                stmt_bind_text(&audit, ":a", bands[s % 7]);
                stmt_bind_text(&audit, ":team", team);
                step(&audit, &err);
                stmt_bind_int(&dom, ":a", id);
                stmt_bind_text(&dom, ":d", domains[pick(5)]);
                stmt_bind_int(&dom, ":g", 1 + pick(4));
                step(&dom, &err);
                if (pick(4) == 0) { /* a quarter moderated, 17% of those downgraded */
                    int m = pick(100) < 17 && g < 4 ? g + 1 : pick(100) < 4 && g > 1 ? g - 1 : g;
                    stmt_bind_int(&mod, ":r", r);
                    stmt_bind_text(&mod, ":c", cid);
                    stmt_bind_int(&mod, ":a", id);
                    stmt_bind_int(&mod, ":g", m);
                    stmt_bind_text(&mod, ":m", "Senior Manager");
                    stmt_bind_text(&mod, ":d", date);
                    stmt_bind_text(&mod, ":reason", m == g ? NULL : "Evidence does not support the grade");
                    step(&mod, &err);
                }
                if (pick(5) == 0) {
                    char adue[CA_DATE_ISO_LEN], done[CA_DATE_ISO_LEN];
                    date_iso(q_start + 30 + pick(120), adue);
                    date_iso(q_start + 40 + pick(60), done);
                    stmt_bind_int(&act, ":a", id);
                    stmt_bind_int(&act, ":r", r);
                    stmt_bind_text(&act, ":c", cid);
                    stmt_bind_text(&act, ":due", adue);
                    stmt_bind_text(&act, ":done", pick(2) ? done : NULL);
                    step(&act, &err);
                }
            }
        }
    }
    stmt_finalize(&round);
    stmt_finalize(&stratum);
    stmt_finalize(&rcase);
    stmt_finalize(&audit);
    stmt_finalize(&mod);
    stmt_finalize(&dom);
    stmt_finalize(&act);
    check(db_commit(db, &err), &err);
    db_close(db);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "cases") == 0)
        return gen_cases(atol(argv[2]));
    if (argc == 4 && strcmp(argv[1], "audits") == 0)
        return gen_audits(argv[2], atol(argv[3]));
    fprintf(stderr, "usage: gen_bench cases N > cases.csv\n       gen_bench audits DB N\n");
    return 2;
}
