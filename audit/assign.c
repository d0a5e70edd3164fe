/* assign.c: allocating a round's cases to auditors (SPEC §6) as a flow problem.
 *
 * The network: source -> each case (capacity 1) -> each auditor who may take it
 * (1) -> sink. Auditor a must hold between lo[a] and hi[a] cases; the lower bounds
 * are met by a standard trick: a -> sink carries lo[a], a -> X carries hi[a] - lo[a]
 * and X -> sink carries ncases - sum(lo). A flow of ncases places every case, and
 * then X's edge holds at most ncases - sum(lo), so every a -> sink edge is full:
 * every auditor has at least lo[a]. Conversely any allocation within the bounds is
 * such a flow. So "is there an allocation with these bounds?" is one max flow.
 *
 * Balanced means: the auditors without a capacity hold L-1 or L cases for some L;
 * those with one hold at most min(capacity, T). Every L that could hold is tried
 * (L-1 cases each cannot exceed the cases: L <= ncases/U + 1, U of them) with T at
 * the capacities, so a balanced allocation is found whenever one exists. For each
 * L that works, a binary search finds the smallest T that works (lowering T only
 * removes allocations). We keep the L whose max(L, T), the largest load of anyone,
 * is smallest, a tie going to the larger L (auditors with a capacity then carry no
 * more than the others), and let the capped ones hold up to that largest load.
 *
 * Which allocation within those bounds: spread_in_turn fixes the cases one at a
 * time in key order, each with the least loaded auditor (then the first by name)
 * who can take it without leaving the rest unplaceable, checked on the residual
 * network. The cases go round the auditors in turn, as a greedy filling would give
 * them, but never into a dead end; ties follow the §5 keys and the names only.
 *
 * Why plain Dinic and breadth-first searches are enough: a council round is a few
 * hundred cases and tens of auditors, so the network has some thousands of edges.
 * Dinic on a unit capacity network takes O(E sqrt(V)), well under a millisecond;
 * the search runs it at most (ncases/U + 2) * (1 + log2(largest capacity + 1))
 * times and stops once L passes the best largest load. spread_in_turn makes at
 * most cases x auditors searches of O(E). Measured (Release, random teams): 300
 * cases and 30 auditors in 15 ms, 1,000 and 40 in 0.23 s.
 */
#include "audit/assign.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/people.h"
#include "audit/store/assign_store.h"
#include "audit/store/rounds.h"

static int same(const char *a, const char *b) { return a && b && *a && strcmp(a, b) == 0; }

static int allowed(const assign_auditor *a, const assign_case *c)
{
    return !people_teams_include(a->team, c->team) && !same(a->name, c->worker);
}

/* ---- max flow (Dinic) on adjacency lists ---- */

typedef struct net {
    int n, ne;               /* nodes; edges, each followed by its reverse (e ^ 1) */
    int *head, *tail, *next, *to, *level, *iter, *queue;
    long *cap, *base;        /* residual capacity; capacity */
} net;

static void net_free(net *g)
{
    free(g->head), free(g->tail), free(g->next), free(g->to), free(g->level), free(g->iter), free(g->queue);
    free(g->cap), free(g->base);
    memset(g, 0, sizeof *g);
}

static int net_init(net *g, int n, int maxedges)
{
    memset(g, 0, sizeof *g);
    size_t vn = (size_t)n, en = (size_t)maxedges;
    g->n = n;
    g->head = malloc(vn * sizeof *g->head), g->tail = malloc(vn * sizeof *g->tail);
    g->level = malloc(vn * sizeof *g->level), g->iter = malloc(vn * sizeof *g->iter);
    g->queue = malloc(vn * sizeof *g->queue);
    g->next = malloc(en * sizeof *g->next), g->to = malloc(en * sizeof *g->to);
    g->cap = malloc(en * sizeof *g->cap), g->base = malloc(en * sizeof *g->base);
    if (!g->head || !g->tail || !g->level || !g->iter || !g->queue || !g->next || !g->to || !g->cap || !g->base) {
        net_free(g);
        return CA_ERR;
    }
    for (int v = 0; v < n; v++)
        g->head[v] = g->tail[v] = -1;
    return CA_OK;
}

/* Appends u -> v (and its reverse): edges leave a node in the order added, so the
 * search tries auditors in the order given. Returns the edge's index. */
static int net_add(net *g, int u, int v, long cap)
{
    int ends[2] = {u, v};
    for (int k = 0; k < 2; k++) {
        int e = g->ne++, from = ends[k];
        g->to[e] = ends[1 - k], g->base[e] = k ? 0 : cap, g->next[e] = -1;
        if (g->tail[from] < 0)
            g->head[from] = e;
        else
            g->next[g->tail[from]] = e;
        g->tail[from] = e;
    }
    return g->ne - 2;
}

static int net_bfs(net *g, int s, int t)
{
    for (int v = 0; v < g->n; v++)
        g->level[v] = -1;
    int qh = 0, qt = 0;
    g->level[s] = 0, g->queue[qt++] = s;
    while (qh < qt) {
        int v = g->queue[qh++];
        for (int e = g->head[v]; e >= 0; e = g->next[e])
            if (g->cap[e] > 0 && g->level[g->to[e]] < 0)
                g->level[g->to[e]] = g->level[v] + 1, g->queue[qt++] = g->to[e];
    }
    return g->level[t] >= 0;
}

/* Depth is at most the number of BFS levels: a path meets each auditor once, so
 * under 2 * auditors + 5 frames. */
static long net_dfs(net *g, int v, int t, long f)
{
    if (v == t)
        return f;
    for (; g->iter[v] >= 0; g->iter[v] = g->next[g->iter[v]]) {
        int e = g->iter[v], w = g->to[e];
        if (g->cap[e] <= 0 || g->level[w] != g->level[v] + 1)
            continue;
        long d = net_dfs(g, w, t, f < g->cap[e] ? f : g->cap[e]);
        if (d > 0) {
            g->cap[e] -= d, g->cap[e ^ 1] += d;
            return d;
        }
    }
    return 0;
}

static long net_maxflow(net *g, int s, int t)
{
    memcpy(g->cap, g->base, (size_t)g->ne * sizeof *g->cap);
    long total = 0, f;
    while (net_bfs(g, s, t)) {
        memcpy(g->iter, g->head, (size_t)g->n * sizeof *g->iter);
        while ((f = net_dfs(g, s, t, LONG_MAX)) > 0)
            total += f;
    }
    return total;
}

/* ---- the allocation as a flow ---- */

typedef struct solver {
    assign_auditor *au;
    int na;
    assign_case *cases;
    long nc;
    net g;
    int src, x, sink;
    int *lo_edge, *hi_edge;   /* per auditor: a -> sink, a -> X */
    int x_edge;
    int *eligible;            /* per case: how many auditors may take it */
    int *from, *order;        /* per node: the edge a search came by; auditors by load */
    long *fixed_load;         /* per auditor: cases fixed so far */
    char *fixed;              /* per case: its auditor is decided */
} solver;

static int case_node(long i) { return 1 + (int)i; }
static int auditor_of(const solver *s, int node) { return node - 1 - (int)s->nc; }

static void solver_free(solver *s)
{
    net_free(&s->g);
    free(s->lo_edge), free(s->hi_edge), free(s->eligible);
    free(s->from), free(s->order), free(s->fixed_load), free(s->fixed);
}

/* Builds the network; CA_ERR with err filled when it cannot. */
static int solver_init(solver *s, assign_auditor *au, int na, assign_case *cases, long nc, ca_error *err)
{
    memset(s, 0, sizeof *s);
    s->au = au, s->na = na, s->cases = cases, s->nc = nc;
    long long pairs = 0;
    s->eligible = calloc((size_t)nc, sizeof *s->eligible);
    s->lo_edge = malloc(sizeof *s->lo_edge * (size_t)(na + 1));
    s->hi_edge = malloc(sizeof *s->hi_edge * (size_t)(na + 1));
    s->order = malloc(sizeof *s->order * (size_t)(na + 1));
    s->fixed_load = malloc(sizeof *s->fixed_load * (size_t)(na + 1));
    s->fixed = calloc((size_t)nc, 1);
    if (!s->eligible || !s->lo_edge || !s->hi_edge || !s->order || !s->fixed_load || !s->fixed) {
        solver_free(s);
        return ca_fail(err, CA_SYSTEM, "out of memory");
    }
    for (long i = 0; i < nc; i++) {
        for (int a = 0; a < na; a++)
            s->eligible[i] += allowed(&au[a], &cases[i]);
        pairs += s->eligible[i];
    }
    long long nodes = (long long)nc + na + 3, edges = 2 * (nc + pairs + 2LL * na + 1);
    if (nodes > INT_MAX || edges > INT_MAX) {
        solver_free(s);
        return ca_fail(err, CA_REFUSED, "too many cases and auditors to allocate at once (%ld cases, %d auditors)",
                       nc, na);
    }
    s->from = malloc(sizeof *s->from * (size_t)nodes);
    if (!s->from || net_init(&s->g, (int)nodes, (int)edges) != CA_OK) {
        solver_free(s);
        return ca_fail(err, CA_SYSTEM, "out of memory");
    }
    s->src = 0, s->x = 1 + (int)nc + na, s->sink = s->x + 1;
    for (long i = 0; i < nc; i++) {
        net_add(&s->g, s->src, case_node(i), 1);
        for (int a = 0; a < na; a++)
            if (allowed(&au[a], &cases[i]))
                net_add(&s->g, case_node(i), 1 + (int)nc + a, 1);
    }
    for (int a = 0; a < na; a++) {
        s->lo_edge[a] = net_add(&s->g, 1 + (int)nc + a, s->sink, 0);
        s->hi_edge[a] = net_add(&s->g, 1 + (int)nc + a, s->x, 0);
    }
    s->x_edge = net_add(&s->g, s->x, s->sink, 0);
    return CA_OK;
}

/* Does an allocation exist in which the auditors without a capacity hold ulo..uhi
 * cases and the others at most min(capacity, t)? Leaves that max flow in s->g. */
static int fits(solver *s, long ulo, long uhi, long t)
{
    long sumlo = 0;
    for (int a = 0; a < s->na; a++) {
        long cap = s->au[a].capacity, lo = cap < 0 ? ulo : 0, hi = cap < 0 ? uhi : cap < t ? cap : t;
        s->g.base[s->lo_edge[a]] = lo;
        s->g.base[s->hi_edge[a]] = hi - lo;
        sumlo += lo;
    }
    if (sumlo > s->nc)
        return 0;
    s->g.base[s->x_edge] = s->nc - sumlo;
    return net_maxflow(&s->g, s->src, s->sink) == s->nc;
}

/* Balanced at level L: the auditors without a capacity hold L-1 or L cases. */
static int fits_level(solver *s, long L, long t) { return fits(s, L > 0 ? L - 1 : 0, L, t); }

/* Finds the level L and the bound T of the allocation kept (see the top of the
 * file): every possible L is tried, so one is found whenever one exists. */
static int search(solver *s, long *best_l, long *best_t)
{
    long u = 0, maxcap = 0, best_m = -1;
    for (int a = 0; a < s->na; a++) {
        if (s->au[a].capacity < 0)
            u++;
        else if (s->au[a].capacity > maxcap)
            maxcap = s->au[a].capacity;
    }
    maxcap = maxcap < s->nc ? maxcap : s->nc;
    long from = u ? 1 : 0, to = u ? s->nc / u + 1 : 0;
    for (long L = from; L <= to && (best_m < 0 || L <= best_m); L++) {
        if (!fits_level(s, L, maxcap))
            continue;
        long lo = 0, hi = maxcap;   /* the smallest T that works: fewer allocations as T falls */
        while (lo < hi) {
            long mid = lo + (hi - lo) / 2;
            if (fits_level(s, L, mid))
                hi = mid;
            else
                lo = mid + 1;
        }
        long m = lo > L ? lo : L;
        if (best_m < 0 || m <= best_m)   /* a tie goes to the larger L: capped auditors carry no more */
            best_m = m, *best_l = L;
    }
    *best_t = best_m;   /* the capped ones may then hold as much as anyone: spread_in_turn levels them */
    return best_m >= 0;
}

/* Reads the allocation off the last max flow: a case goes to the auditor whose
 * edge carries its unit. Returns how many cases are unplaced. */
static long take(solver *s)
{
    long unplaced = 0;
    for (int a = 0; a < s->na; a++)
        s->au[a].load = 0;
    for (long i = 0; i < s->nc; i++) {
        s->cases[i].auditor = -1;
        for (int e = s->g.head[case_node(i)]; e >= 0; e = s->g.next[e])
            if (!(e & 1) && s->g.cap[e] == 0) {
                s->cases[i].auditor = auditor_of(s, s->g.to[e]);
                s->au[s->cases[i].auditor].load++;
            }
        unplaced += s->cases[i].auditor < 0;
    }
    return unplaced;
}

/* ---- which balanced allocation: least loaded first, case by case ---- */

/* Case i's edge to auditor a, or (a < 0) the edge that carries its unit now. */
static int case_edge(const solver *s, long i, int a)
{
    for (int e = s->g.head[case_node(i)]; e >= 0; e = s->g.next[e])
        if (!(e & 1) && (a < 0 ? s->g.cap[e] == 0 : auditor_of(s, s->g.to[e]) == a))
            return e;
    return -1;
}

/* Moves case i from auditor b to a in the current flow if the cases not yet fixed
 * can make room: a path a ~> b in the residual network, through neither a fixed
 * case nor i, closes the cycle i -> a ~> b -> i, which keeps every bound. Any
 * allocation that keeps the fixed cases and gives i to a differs from the current
 * one by such a cycle (decompose the difference of the two flows), so the search
 * answers exactly "can i go to a?". */
static int reroute(solver *s, long i, int a, int b)
{
    net *g = &s->g;
    int start = 1 + (int)s->nc + a, goal = 1 + (int)s->nc + b, qh = 0, qt = 0;
    for (int v = 0; v < g->n; v++)
        s->from[v] = -2;
    s->from[start] = -1, g->queue[qt++] = start;
    while (qh < qt && s->from[goal] == -2) {
        int v = g->queue[qh++];
        for (int e = g->head[v]; e >= 0; e = g->next[e]) {
            int w = g->to[e];
            int held = w >= 1 && w <= s->nc && (s->fixed[w - 1] || w - 1 == i);
            if (g->cap[e] > 0 && s->from[w] == -2 && w != s->src && w != s->sink && !held)
                s->from[w] = e, g->queue[qt++] = w;
        }
    }
    if (s->from[goal] == -2)
        return 0;
    for (int v = goal; v != start; v = g->to[s->from[v] ^ 1])
        g->cap[s->from[v]]--, g->cap[s->from[v] ^ 1]++;
    int ea = case_edge(s, i, a), eb = case_edge(s, i, b);
    g->cap[ea]--, g->cap[ea ^ 1]++;
    g->cap[eb]++, g->cap[eb ^ 1]--;
    return 1;
}

/* Starting from a flow that fits the chosen bounds, fixes the cases in key order,
 * each with the least loaded auditor so far (then the first by name) who can take
 * it while the others still fit: the cases go round the auditors in turn, as a
 * greedy filling would give them, but never into a dead end. At most
 * cases x auditors searches of the residual network. */
static void spread_in_turn(solver *s)
{
    for (int a = 0; a < s->na; a++)
        s->fixed_load[a] = 0;
    for (long i = 0; i < s->nc; i++) {
        for (int a = 0; a < s->na; a++) {   /* by load, then by name (a stable insertion) */
            int j = a;
            for (; j > 0 && s->fixed_load[s->order[j - 1]] > s->fixed_load[a]; j--)
                s->order[j] = s->order[j - 1];
            s->order[j] = a;
        }
        int b = auditor_of(s, s->g.to[case_edge(s, i, -1)]);
        for (int k = 0; k < s->na; k++) {
            int a = s->order[k];
            if (a == b || (allowed(&s->au[a], &s->cases[i]) && reroute(s, i, a, b))) {
                s->fixed[i] = 1, s->fixed_load[a]++;
                break;
            }
        }
    }
}

/* ---- why no allocation exists ---- */

/* "Ann, Bob and 3 more": the auditors who may take case i. */
static void who_could(const solver *s, long i, char *buf, size_t n)
{
    size_t len = 0;
    int shown = 0;
    buf[0] = 0;
    for (int a = 0; a < s->na && len < n; a++) {
        if (!allowed(&s->au[a], &s->cases[i]))
            continue;
        if (shown == 5) {
            snprintf(buf + len, n - len, " and %d more", s->eligible[i] - shown);
            return;
        }
        int w = snprintf(buf + len, n - len, "%s%s", shown ? ", " : "", s->au[a].name);
        len += w > 0 ? (size_t)w : 0;
        shown++;
    }
}

static const char *or_none(const char *s) { return s && *s ? s : "none"; }

/* One problem per case that the last max flow left unplaced: "case K (team T):
 * WHY the N auditors who could take it (…) FULL". Returns how many. */
static long list_unplaced(solver *s, const char *why, const char *full_one, const char *full_many, ca_error *err)
{
    long n = 0;
    char names[400];
    take(s);
    for (long i = 0; i < s->nc; i++) {
        if (s->cases[i].auditor >= 0)
            continue;
        who_could(s, i, names, sizeof names);
        if (s->eligible[i] == 1)
            ca_problem(err, "case %s (team %s): %sthe only auditor who could take it, %s, %s", s->cases[i].id,
                       or_none(s->cases[i].team), why, names, full_one);
        else
            ca_problem(err, "case %s (team %s): %sthe %d auditors who could take it (%s) %s", s->cases[i].id,
                       or_none(s->cases[i].team), why, s->eligible[i], names, full_many);
        n++;
    }
    return n;
}

/* The balance is what fails: the auditor without a capacity who may take the
 * fewest cases bounds everyone else's load; or, failing that, the level at which
 * the most cases fit. Returns how many cases are listed. */
static long explain_balance(solver *s, ca_error *err)
{
    int amin = -1;
    long emin = 0;
    for (int a = 0; a < s->na; a++) {
        if (s->au[a].capacity >= 0)
            continue;
        long e = 0;
        for (long i = 0; i < s->nc; i++)
            e += allowed(&s->au[a], &s->cases[i]);
        if (amin < 0 || e < emin)
            amin = a, emin = e;
    }
    if (amin < 0)
        return 0;   /* not reached: without such auditors the capacities alone decide */
    char why[600];
    if (!fits(s, 0, emin + 1, s->nc)) {
        snprintf(why, sizeof why, "%s can take only %ld of the cases (the others are their team's or their own), "
                 "so with loads within one of each other no auditor without a capacity holds more than %ld; ",
                 s->au[amin].name, emin, emin + 1);
        return list_unplaced(s, why, "would then be full", "would then be full", err);
    }
    long u = 0, best = -1, best_l = 1;
    for (int a = 0; a < s->na; a++)
        u += s->au[a].capacity < 0;
    for (long L = 1; L <= s->nc / u + 1; L++) {
        fits_level(s, L, s->nc);
        long placed = s->nc - take(s);
        if (placed > best)
            best = placed, best_l = L;
    }
    fits_level(s, best_l, s->nc);
    snprintf(why, sizeof why, "with auditors without a capacity holding %ld or %ld cases each, ", best_l - 1, best_l);
    return list_unplaced(s, why, "has no room left for it", "have no room left for it", err);
}

/* Fills err with each case that cannot be placed and why; returns CA_ERR. */
static int explain(solver *s, ca_error *err)
{
    long n = 0;
    for (long i = 0; i < s->nc; i++)
        if (s->eligible[i] == 0) {
            ca_problem(err, "case %s (team %s, worker %s): every auditor is in its team or is its worker",
                       s->cases[i].id, or_none(s->cases[i].team), or_none(s->cases[i].worker));
            n++;
        }
    if (!n && !fits(s, 0, s->nc, s->nc))
        n = list_unplaced(s, "", "is at their capacity", "are at their capacity", err);
    if (n)
        return ca_fail(err, CA_REFUSED, "nothing was assigned: %ld case%s could not be placed", n, n == 1 ? "" : "s");
    n = explain_balance(s, err);
    return ca_fail(err, CA_REFUSED,
                   "nothing was assigned: %ld case%s could not be placed with loads that differ by at most one among "
                   "auditors without a capacity (an auditor given a capacity is outside that rule)",
                   n, n == 1 ? "" : "s");
}

int assign_solve(assign_auditor *au, int na, assign_case *cases, long nc, ca_error *err)
{
    for (long i = 0; i < nc; i++)
        cases[i].auditor = -1;
    for (int a = 0; a < na; a++)
        au[a].load = 0;
    if (nc == 0)
        return CA_OK;
    solver s;
    if (solver_init(&s, au, na, cases, nc, err) != CA_OK)
        return CA_ERR;
    long level = 0, t = 0;
    int rc = CA_OK;
    if (search(&s, &level, &t)) {
        fits_level(&s, level, t);
        spread_in_turn(&s);
        take(&s);
    } else {
        rc = explain(&s, err);
    }
    if (rc != CA_OK) {
        for (long i = 0; i < nc; i++)
            cases[i].auditor = -1;
        for (int a = 0; a < na; a++)
            au[a].load = 0;
    }
    solver_free(&s);
    return rc;
}
void assign_result_free(assign_result *r)
{
    for (int i = 0; i < r->nauditors; i++) {
        free((char *)r->auditors[i].name);
        free((char *)r->auditors[i].team);
    }
    free(r->auditors);
    for (int i = 0; i < r->nnotes; i++)
        free(r->notes[i]);
    free(r->notes);
    memset(r, 0, sizeof *r);
}

/* The register's active auditors (SPEC §6), by name so that the assignment does not
 * depend on the order of any file. */
static int load_auditors(ca_db *db, assign_result *out, ca_error *err)
{
    ca_people reg;
    if (people_load(db, &reg, err) != CA_OK)
        return CA_ERR;
    int rc = CA_OK;
    for (long i = 0; i < reg.n && rc == CA_OK; i++) {
        const ca_person *p = &reg.p[i];
        if (!p->active || !(p->roles & ROLE_AUDITOR))
            continue;
        assign_auditor *a = realloc(out->auditors, sizeof *a * (size_t)(out->nauditors + 1));
        if (!a) {
            rc = ca_fail(err, CA_SYSTEM, "out of memory");
            break;
        }
        out->auditors = a;
        a = &a[out->nauditors++];
        *a = (assign_auditor){strdup(p->name), *p->teams ? strdup(p->teams) : NULL, p->capacity, 0};
        if (!a->name || (*p->teams && !a->team))
            rc = ca_fail(err, CA_SYSTEM, "out of memory");
    }
    people_free(&reg);
    if (rc == CA_OK && out->nauditors == 0)
        rc = ca_fail(err, CA_REFUSED, "nobody in the people register can audit: import the auditors with "
                     "'caseaudit people import FILE' or give 'assign --auditors FILE'");
    for (int i = 1; rc == CA_OK && i < out->nauditors; i++)
        for (int j = i; j > 0 && strcmp(out->auditors[j - 1].name, out->auditors[j].name) > 0; j--) {
            assign_auditor t = out->auditors[j];
            out->auditors[j] = out->auditors[j - 1], out->auditors[j - 1] = t;
        }
    return rc;
}

/* A snapshot without teams cannot apply the own-team rule: refused unless the QA lead
 * says so (--no-team-rule). */
static int check_teams(const assign_case *cases, long n, int no_team_rule, ca_error *err)
{
    for (long i = 0; i < n; i++)
        if (cases[i].team && *cases[i].team)
            return CA_OK;
    if (n == 0 || no_team_rule)
        return CA_OK;
    return ca_fail(err, CA_REFUSED, "the round's cases have no teams, so the rule that nobody audits their own "
                   "team's cases cannot apply: import a case list with teams, or give --no-team-rule to assign "
                   "without it");
}

static int assign_in_transaction(ca_db *db, const assign_request *q, assign_result *out, ca_error *err)
{
    assign_case *cases = NULL;
    long nc = 0, kept = 0;
    round_info ri;
    people_import_result imported = {0};
    int rc = CA_OK;
    if (q->auditors_file) {
        rc = people_import_file(db, q->auditors_file, q->encoding, &imported, err);
        out->notes = imported.notes, out->nnotes = imported.nnotes;
        imported.notes = NULL, imported.nnotes = 0;
    }
    if (rc == CA_OK)
        rc = load_auditors(db, out, err);
    /* Graded cases keep their auditor; the rest are (re)assigned in key order. */
    if (rc == CA_OK)
        rc = round_by_label(db, q->round, &ri, err);
    if (rc == CA_OK)
        rc = assign_store_cases(db, ri.id, &cases, &nc, &kept, err);
    if (rc == CA_OK)
        rc = check_teams(cases, nc, q->no_team_rule, err);
    if (rc == CA_OK)
        rc = assign_solve(out->auditors, out->nauditors, cases, nc, err);
    if (rc == CA_OK)
        rc = assign_store_save(db, q->round, ri.id, out->auditors, out->nauditors, cases, nc, err);
    if (rc == CA_OK) {
        char detail[200];
        snprintf(detail, sizeof detail, "assigned %ld cases to %d auditors (%ld graded cases kept their auditor)%s",
                 nc, out->nauditors, kept, q->no_team_rule ? "; without the own-team rule (--no-team-rule)" : "");
        rc = db_event(db, "assign", q->round, NULL, detail, err);
    }
    assign_store_cases_free(cases, nc);
    out->assigned = nc, out->kept = kept;
    return rc;
}

int assign_round(ca_db *db, const assign_request *q, assign_result *out, ca_error *err)
{
    memset(out, 0, sizeof *out);
    int rc = db_begin(db, err);
    if (rc == CA_OK) {
        rc = assign_in_transaction(db, q, out, err);
        rc = rc == CA_OK ? db_commit(db, err) : (db_rollback(db), CA_ERR);
    }
    if (rc != CA_OK)
        assign_result_free(out);
    return rc;
}
