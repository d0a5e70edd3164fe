/* assign_store.c: the SQL of the allocation of auditors (SPEC §6). */
#include "audit/store/assign_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/store/db.h"

void assign_store_cases_free(assign_case *cases, long ncases)
{
    for (long i = 0; i < ncases; i++) {
        free((char *)cases[i].id);
        free((char *)cases[i].team);
        free((char *)cases[i].worker);
    }
    free(cases);
}

static char *copy_or_null(ca_stmt *s, int col, int *oom)
{
    if (stmt_is_null(s, col))
        return NULL;
    char *c = strdup(stmt_text(s, col));
    *oom |= !c;
    return c;
}

/* Appends the current row's case; CA_ERR when out of memory. */
static int push_case(ca_stmt *s, assign_case **cases, long *n, long *cap, ca_error *err)
{
    if (*n == *cap) {
        long ncap = *cap ? 2 * *cap : 256;
        assign_case *c = realloc(*cases, sizeof *c * (size_t)ncap);
        if (!c)
            return ca_fail(err, CA_SYSTEM, "out of memory");
        *cases = c, *cap = ncap;
    }
    int oom = 0;
    assign_case c = {copy_or_null(s, 0, &oom), copy_or_null(s, 1, &oom), copy_or_null(s, 2, &oom), -1};
    (*cases)[(*n)++] = c;
    return oom || !c.id ? ca_fail(err, CA_SYSTEM, "out of memory") : CA_OK;
}

int assign_store_cases(ca_db *db, long round_id, assign_case **cases, long *ncases, long *kept,
                       ca_error *err)
{
    *cases = NULL, *ncases = 0, *kept = 0;
    ca_stmt s = {0};
    if (stmt_prepare(db, &s,
                     "SELECT rc.case_id, rc.team, rc.worker, EXISTS (SELECT 1 FROM audit a WHERE a.round_id ="
                     " rc.round_id AND a.case_id = rc.case_id) FROM round_case rc WHERE rc.round_id = :r"
                     " ORDER BY rc.sort_key, rc.case_id", err) != CA_OK)
        return CA_ERR;
    stmt_bind_int(&s, ":r", round_id);
    long cap = 0;
    int got;
    while ((got = stmt_step(&s, err)) == 1) {
        if (stmt_int(&s, 3))
            ++*kept;
        else if (push_case(&s, cases, ncases, &cap, err) != CA_OK)
            got = CA_ERR;
        if (got < 0)
            break;
    }
    stmt_finalize(&s);
    if (got >= 0)
        return CA_OK;
    assign_store_cases_free(*cases, *ncases);
    *cases = NULL, *ncases = 0, *kept = 0;
    return CA_ERR;
}

static int save_auditors(ca_db *db, const assign_auditor *au, int na, ca_error *err)
{
    ca_stmt s = {0};
    if (stmt_prepare(db, &s, "INSERT INTO auditor(name, team, capacity) VALUES(:n, :t, :c) ON CONFLICT(name)"
                             " DO UPDATE SET team = excluded.team, capacity = excluded.capacity", err) != CA_OK)
        return CA_ERR;
    int got = 0;
    for (int a = 0; a < na && got >= 0; a++) {
        stmt_bind_text(&s, ":n", au[a].name);
        stmt_bind_text(&s, ":t", au[a].team);
        if (au[a].capacity >= 0)
            stmt_bind_int(&s, ":c", au[a].capacity);
        else
            stmt_bind_null(&s, ":c");
        got = stmt_step(&s, err);
        stmt_reset(&s);
    }
    stmt_finalize(&s);
    return got < 0 ? CA_ERR : CA_OK;
}

int assign_store_save(ca_db *db, const char *round, long round_id, const assign_auditor *au, int na,
                      const assign_case *cases, long nc, ca_error *err)
{
    if (save_auditors(db, au, na, err) != CA_OK)
        return CA_ERR;
    ca_stmt up = {0};
    if (stmt_prepare(db, &up, "UPDATE round_case SET auditor = :a WHERE round_id = :r AND case_id = :c", err) != CA_OK)
        return CA_ERR;
    int got = 0;
    for (long i = 0; i < nc && got >= 0; i++) {
        const char *name = au[cases[i].auditor].name;
        stmt_bind_text(&up, ":a", name);
        stmt_bind_int(&up, ":r", round_id);
        stmt_bind_text(&up, ":c", cases[i].id);
        got = stmt_step(&up, err);
        stmt_reset(&up);
        char detail[300];
        snprintf(detail, sizeof detail, "assigned to %s", name);
        if (got >= 0 && db_event(db, "assign", round, cases[i].id, detail, err) != CA_OK)
            got = CA_ERR;
    }
    stmt_finalize(&up);
    return got < 0 ? CA_ERR : CA_OK;
}
