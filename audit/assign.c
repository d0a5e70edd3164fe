#include "audit/assign.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/csvread.h"
#include "audit/date.h"

static int same(const char *a, const char *b) { return a && b && *a && strcmp(a, b) == 0; }

static int allowed(const assign_auditor *a, const assign_case *c)
{
    return !same(a->team, c->team) && !same(a->name, c->worker);
}

static long room(const assign_auditor *a, long level);

/* Augmenting path from case ci: find it a place at most `level` deep, moving other
 * cases along the way. seen[] marks auditors visited in this search. */
static int augment(assign_auditor *au, int na, assign_case *cases, long ci, long level, char *seen,
                   const int *order)
{
    for (int k = 0; k < na; k++) {
        int a = order[k];
        if (seen[a] || !allowed(&au[a], &cases[ci]))
            continue;
        if (room(&au[a], level) > 0) {
            cases[ci].auditor = a;
            au[a].load++;
            return 1;
        }
    }
    for (int k = 0; k < na; k++) {
        int a = order[k];
        if (seen[a] || !allowed(&au[a], &cases[ci]))
            continue;
        seen[a] = 1;
        /* Move one of a's cases elsewhere to make room. */
        for (long j = 0; j < ci; j++) {
            if (cases[j].auditor != a)
                continue;
            cases[j].auditor = -1;
            au[a].load--;
            if (augment(au, na, cases, j, level, seen, order)) {
                cases[ci].auditor = a;
                au[a].load++;
                return 1;
            }
            cases[j].auditor = a;
            au[a].load++;
        }
    }
    return 0;
}

static long room(const assign_auditor *a, long level)
{
    long cap = a->capacity >= 0 && a->capacity < level ? a->capacity : level;
    return cap - a->load;
}

long assign_solve(assign_auditor *au, int na, assign_case *cases, long nc)
{
    for (long i = 0; i < nc; i++)
        cases[i].auditor = -1;
    if (na <= 0)
        return nc;
    for (int a = 0; a < na; a++)
        au[a].load = 0;
    size_t nseen = (size_t)na;
    int *order = malloc(sizeof *order * nseen);
    char *seen = malloc(nseen);
    long unplaced = 0;
    if (!order || !seen) {
        free(order), free(seen);
        return nc;
    }
    /* The level (the most any auditor holds) rises only when no auditor with room at
     * this level can take the case, even by moving others: loads stay level. */
    long level = 1;
    for (long i = 0; i < nc; i++) {
        cases[i].auditor = -1;
        for (;;) {
            /* Least loaded first, then by name (the order given). */
            for (int a = 0; a < na; a++) {
                int j = a;
                for (; j > 0 && au[order[j - 1]].load > au[a].load; j--)
                    order[j] = order[j - 1];
                order[j] = a;
            }
            int someone_has_room = 0;
            for (int a = 0; a < na; a++)
                someone_has_room |= room(&au[a], level) > 0;
            memset(seen, 0, nseen);
            if (someone_has_room && augment(au, na, cases, i, level, seen, order))
                break;
            int can_grow = 0;
            for (int a = 0; a < na; a++)
                can_grow |= au[a].capacity < 0 || au[a].load < au[a].capacity;
            if (!can_grow || level > nc) {
                unplaced++;
                break;
            }
            level++;
        }
    }
    free(order);
    free(seen);
    return unplaced;
}

void assign_result_free(assign_result *r)
{
    for (int i = 0; i < r->nauditors; i++) {
        free((char *)r->auditors[i].name);
        free((char *)r->auditors[i].team);
    }
    free(r->auditors);
    memset(r, 0, sizeof *r);
}

static int read_auditors(const char *path, assign_result *out, ca_error *err)
{
    csvr *r;
    if (csvr_open(&r, path, 0, err) != CA_OK)
        return CA_ERR;
    static const char *const n_name[] = {"name", "auditor", NULL}, *const n_team[] = {"team", NULL},
                             *const n_cap[] = {"capacity", "cap", NULL};
    int rc = csvr_next(r, err), cn = -1, ct = -1, cc = -1;
    if (rc == 1) {
        char **hdr = csvr_copy_fields(r);
        int nh = csvr_count(r);
        if (!hdr) {
            csvr_close(r);
            return ca_fail(err, CA_SYSTEM, "out of memory");
        }
        cn = csvr_find(hdr, nh, n_name);
        ct = csvr_find(hdr, nh, n_team);
        cc = csvr_find(hdr, nh, n_cap);
        csvr_strings_free(hdr, nh);
        if (cn < 0)
            ca_problem(err, "%s:1: column \"name\": required column missing", path);
    } else if (rc == 0) {
        ca_problem(err, "%s:1: the file is empty: expected name,team,capacity", path);
    }
    while (rc == 1 && cn >= 0 && (rc = csvr_next(r, err)) == 1) {
        const char *name = csvr_field(r, cn);
        if (!*name) {
            ca_problem(err, "%s:%ld: column \"name\": empty name", path, csvr_line(r));
            continue;
        }
        long cap = -1;
        if (cc >= 0 && *csvr_field(r, cc)) {
            char *end;
            cap = strtol(csvr_field(r, cc), &end, 10);
            if (*end || cap < 0) {
                ca_problem(err, "%s:%ld: column \"capacity\": not a whole number (value \"%s\")", path,
                           csvr_line(r), csvr_field(r, cc));
                continue;
            }
        }
        for (int i = 0; i < out->nauditors; i++)
            if (strcmp(out->auditors[i].name, name) == 0)
                ca_problem(err, "%s:%ld: column \"name\": \"%s\" is listed twice", path, csvr_line(r), name);
        assign_auditor *a = realloc(out->auditors, sizeof *a * (size_t)(out->nauditors + 1));
        if (!a) {
            rc = ca_fail(err, CA_SYSTEM, "out of memory");
            break;
        }
        out->auditors = a;
        a[out->nauditors++] = (assign_auditor){strdup(name), ct >= 0 && *csvr_field(r, ct) ? strdup(csvr_field(r, ct))
                                                                                            : NULL, cap, 0};
    }
    csvr_close(r);
    if (rc < 0)
        return CA_ERR;
    if (!err->ntotal && out->nauditors == 0)
        ca_problem(err, "%s: no auditors listed", path);
    if (err->ntotal)
        return ca_fail(err, CA_REFUSED, "nothing was assigned: %ld problem%s in %s", err->ntotal,
                       err->ntotal == 1 ? "" : "s", path);
    /* By name, so that the assignment does not depend on the order of the file. */
    for (int i = 1; i < out->nauditors; i++)
        for (int j = i; j > 0 && strcmp(out->auditors[j - 1].name, out->auditors[j].name) > 0; j--) {
            assign_auditor t = out->auditors[j];
            out->auditors[j] = out->auditors[j - 1], out->auditors[j - 1] = t;
        }
    return CA_OK;
}

int assign_round(ca_db *db, const char *round, const char *auditors_csv, assign_result *out, ca_error *err)
{
    memset(out, 0, sizeof *out);
    if (read_auditors(auditors_csv, out, err) != CA_OK)
        return CA_ERR;
    assign_case *cases = NULL;
    long nc = 0, cap = 0, rid = 0;
    int rc = CA_ERR;
    ca_stmt s = {0};
    if (db_begin(db, err) != CA_OK)
        return CA_ERR;
    if (stmt_prepare(db, &s, "SELECT id FROM round WHERE label = :l", err) != CA_OK)
        goto done;
    stmt_bind_text(&s, ":l", round);
    int got = stmt_step(&s, err);
    if (got == 1)
        rid = stmt_int(&s, 0);
    stmt_finalize(&s);
    if (got < 0)
        goto done;
    if (got == 0) {
        ca_fail(err, CA_REFUSED, "there is no round '%s' (see 'caseaudit rounds')", round);
        goto done;
    }
    /* Graded cases keep their auditor; the rest are (re)assigned in key order. */
    if (stmt_prepare(db, &s,
                     "SELECT rc.case_id, rc.team, rc.worker, EXISTS (SELECT 1 FROM audit a WHERE a.round_id ="
                     " rc.round_id AND a.case_id = rc.case_id) FROM round_case rc WHERE rc.round_id = :r"
                     " ORDER BY rc.sort_key, rc.case_id", err) != CA_OK)
        goto done;
    stmt_bind_int(&s, ":r", rid);
    while ((got = stmt_step(&s, err)) == 1) {
        if (stmt_int(&s, 3)) {
            out->kept++;
            continue;
        }
        if (nc == cap) {
            cap = cap ? 2 * cap : 256;
            assign_case *c = realloc(cases, sizeof *c * (size_t)cap);
            if (!c) {
                got = ca_fail(err, CA_SYSTEM, "out of memory");
                break;
            }
            cases = c;
        }
        cases[nc++] = (assign_case){strdup(stmt_text(&s, 0)), stmt_is_null(&s, 1) ? NULL : strdup(stmt_text(&s, 1)),
                                    stmt_is_null(&s, 2) ? NULL : strdup(stmt_text(&s, 2)), -1};
    }
    stmt_finalize(&s);
    if (got < 0)
        goto done;
    if (assign_solve(out->auditors, out->nauditors, cases, nc) > 0) {
        for (long i = 0; i < nc; i++) {
            if (cases[i].auditor >= 0)
                continue;
            int eligible = 0;
            for (int a = 0; a < out->nauditors; a++)
                eligible += allowed(&out->auditors[a], &cases[i]);
            if (!eligible)
                ca_problem(err, "case %s (team %s, worker %s): every auditor is in its team or is its worker",
                           cases[i].id, cases[i].team ? cases[i].team : "none",
                           cases[i].worker ? cases[i].worker : "none");
            else
                ca_problem(err, "case %s (team %s): the %d auditors who could take it are at their capacity",
                           cases[i].id, cases[i].team ? cases[i].team : "none", eligible);
        }
        ca_fail(err, CA_REFUSED, "nothing was assigned: %ld case%s could not be placed", err->ntotal,
                err->ntotal == 1 ? "" : "s");
        goto done;
    }
    ca_stmt up = {0}, aud = {0}, ev = {0};
    char now[32];
    date_now_utc(now);
    if (stmt_prepare(db, &up, "UPDATE round_case SET auditor = :a WHERE round_id = :r AND case_id = :c", err) != CA_OK ||
        stmt_prepare(db, &aud, "INSERT INTO auditor(name, team, capacity) VALUES(:n, :t, :c) ON CONFLICT(name)"
                               " DO UPDATE SET team = excluded.team, capacity = excluded.capacity", err) != CA_OK ||
        stmt_prepare(db, &ev, "INSERT INTO event(at, by, command, round, case_id, detail)"
                              " VALUES(:at, :by, 'assign', :round, :c, :d)", err) != CA_OK) {
        stmt_finalize(&up), stmt_finalize(&aud), stmt_finalize(&ev);
        goto done;
    }
    got = 0;
    for (int a = 0; a < out->nauditors && got >= 0; a++) {
        stmt_bind_text(&aud, ":n", out->auditors[a].name);
        stmt_bind_text(&aud, ":t", out->auditors[a].team);
        if (out->auditors[a].capacity >= 0)
            stmt_bind_int(&aud, ":c", out->auditors[a].capacity);
        else
            stmt_bind_null(&aud, ":c");
        got = stmt_step(&aud, err);
        stmt_reset(&aud);
    }
    for (long i = 0; i < nc && got >= 0; i++) {
        const char *name = out->auditors[cases[i].auditor].name;
        stmt_bind_text(&up, ":a", name);
        stmt_bind_int(&up, ":r", rid);
        stmt_bind_text(&up, ":c", cases[i].id);
        got = stmt_step(&up, err);
        stmt_reset(&up);
        char detail[300];
        snprintf(detail, sizeof detail, "assigned to %s", name);
        stmt_bind_text(&ev, ":at", now);
        stmt_bind_text(&ev, ":by", db_actor(db));
        stmt_bind_text(&ev, ":round", round);
        stmt_bind_text(&ev, ":c", cases[i].id);
        stmt_bind_text(&ev, ":d", detail);
        if (got >= 0)
            got = stmt_step(&ev, err);
        stmt_reset(&ev);
    }
    stmt_finalize(&up), stmt_finalize(&aud), stmt_finalize(&ev);
    if (got < 0)
        goto done;
    out->assigned = nc;
    char detail[200];
    snprintf(detail, sizeof detail, "assigned %ld cases to %d auditors (%ld graded cases kept their auditor)", nc,
             out->nauditors, out->kept);
    rc = db_event(db, "assign", round, NULL, detail, err);
done:
    for (long i = 0; i < nc; i++) {
        free((char *)cases[i].id);
        free((char *)cases[i].team);
        free((char *)cases[i].worker);
    }
    free(cases);
    if (rc == CA_OK)
        return db_commit(db, err);
    db_rollback(db);
    return CA_ERR;
}
