/* evidence_method.c: the evidence pack's method page in plain English (SPEC §15):
 * each monthly round's design and seed and how anyone re-derives its list. */
#include <stdio.h>
#include <string.h>

#include "audit/render/evidence_render.h"

typedef void (*emit_fn)(void *u, enum evidence_part kind, const char *text, const evidence_round *round);

/* "plan type and age band" from "plan,age". */
static void dims_words(const char *strata, char *buf, size_t len)
{
    size_t o = 0;
    buf[0] = 0;
    for (const char *p = strata; *p;) {
        size_t n = strcspn(p, ",");
        const char *w = strncmp(p, "plan", n) == 0 ? "plan type" : strncmp(p, "age", n) == 0 ? "age band" : "team";
        o += (size_t)snprintf(buf + o, len > o ? len - o : 0, "%s%s", o ? (p[n] ? ", " : " and ") : "", w);
        p += n + (p[n] == ',');
    }
}

static void monthly_round(const evidence_round *r, emit_fn emit, void *u)
{
    char text[2400], as_of[CA_DATE_ISO_LEN], cut[CA_DATE_ISO_LEN], dims[80];
    unsigned long long seed = 0;
    sscanf(r->seed, "%llx", &seed);
    date_uk(r->as_of, as_of);
    date_uk(date_add_months(r->as_of, -r->exclude_months), cut);
    dims_words(r->strata, dims, sizeof dims);
    snprintf(text, sizeof text, "Round %s (monthly random sample; %ld of its cases audited in this period)", r->label,
             r->audits);
    emit(u, EP_HEADING, text, NULL);
    long eligible = r->population - r->excluded_audited - r->excluded_pending;
    int o = snprintf(text, sizeof text,
                     "Drawn from snapshot %ld, the case list as at %s: %ld open cases. ", r->snapshot_id, as_of,
                     r->population);
    if (r->exclude_months > 0)
        o += snprintf(text + o, sizeof text - (size_t)o, "%ld were left out because they had an audit dated on or "
                      "after %s (the %d months before); ", r->excluded_audited, cut, r->exclude_months);
    o += snprintf(text + o, sizeof text - (size_t)o,
                  "%ld because they were on the list of a round still being graded. The other %ld were eligible. "
                  "They were grouped into strata by %s", r->excluded_pending, eligible, dims);
    if (strstr(r->strata, "age"))
        o += snprintf(text + o, sizeof text - (size_t)o, " (age in whole years at %s; bands starting at ages %s)",
                      as_of, r->age_bands);
    snprintf(text + o, sizeof text - (size_t)o,
             ", and %ld cases were allocated to the strata by the %s method with at least %d from each (the table "
             "shows each stratum's eligible cases N_h and cases drawn n_h). Seed: %s (decimal %llu).",
             r->size, r->alloc, r->min_per_stratum, r->seed, seed);
    emit(u, EP_PARA, text, NULL);
    emit(u, EP_STRATA, NULL, r);
}

static void themed_round(const evidence_round *r, emit_fn emit, void *u)
{
    char text[2400], as_of[CA_DATE_ISO_LEN];
    date_uk(r->as_of, as_of);
    snprintf(text, sizeof text, "Round %s (themed deep dive: %s; %ld of its cases audited in this period)", r->label,
             r->theme, r->audits);
    emit(u, EP_HEADING, text, NULL);
    snprintf(text, sizeof text,
             "Its frame was the open cases of snapshot %ld (as at %s) that pass every filter: %s. Of %ld open cases, "
             "%ld were outside the filters, %ld had been audited recently and %ld were on a round still being "
             "graded. %ld cases were drawn with seed %s in the same way as a monthly list. A themed round is not a "
             "random sample of all open cases: its results are reported on their own and never in the monthly "
             "figures.",
             r->snapshot_id, as_of, r->filter ? r->filter : "all open cases", r->population, r->excluded_theme,
             r->excluded_audited, r->excluded_pending, r->size, r->seed);
    emit(u, EP_PARA, text, NULL);
    emit(u, EP_STRATA, NULL, r);
}

static void rederive(emit_fn emit, void *u)
{
    emit(u, EP_HEADING, "How anyone can re-derive a month's list from its seed", NULL);
    static const char *const steps[] = {
        "1. Take the case list as at the round's snapshot date and keep its open cases, less the ones left out "
        "as stated above: those with an audit dated on or after the cut-off date (an evidence pack from the cut-off "
        "date to the day of the draw lists them) and those on the list of a round still being graded then.",
        "2. Put each case in its stratum: its levels joined with |, such as CP|1-4 (the plan type's code, then the "
        "age band of its age at the snapshot date).",
        "3. Work out each case's key from its case id and the seed, all arithmetic modulo 2^64: h = FNV-1a 64-bit "
        "of the case id's UTF-8 bytes (offset basis 0xcbf29ce484222325, prime 0x100000001b3); z = (h XOR seed) + "
        "0x9e3779b97f4a7c15; z = (z XOR (z >> 30)) x 0xbf58476d1ce4e5b9; z = (z XOR (z >> 27)) x "
        "0x94d049bb133111eb; key = z XOR (z >> 31). This pack prints every audited case's key, so one case can be "
        "checked on its own.",
        "4. In each stratum take the n_h cases with the smallest keys (ties by case id). They are the month's list, "
        "whatever the order of the rows in the case list.",
        "5. The script below does steps 3 and 4 (Python 3, nothing else needed): save it as rederive.py, write the "
        "eligible cases as FRAME.csv with the columns case_id,stratum and the round's strata as STRATA.csv with the "
        "columns stratum,n (n is n_h), and run: python3 rederive.py SEED FRAME.csv STRATA.csv",
    };
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
        emit(u, EP_PARA, steps[i], NULL);
    emit(u, EP_CODE, evidence_rederive_script, NULL);
}

void evidence_method(const evidence *e, emit_fn emit, void *u)
{
    char text[1200], a[CA_DATE_ISO_LEN], b[CA_DATE_ISO_LEN];
    date_uk(e->from, a);
    date_uk(e->to, b);
    emit(u, EP_HEADING, "How the cases were chosen", NULL);
    snprintf(text, sizeof text,
             "This pack lists every case audited from %s to %s: %ld audits, each with how it was chosen, its grades, "
             "any corrections, its moderation and its actions, as recorded at %s. Each month's audit list is a "
             "stratified random sample of the open cases, drawn by permanent random keys so that the list depends "
             "only on a published seed, the case list and the design: never on who ran it or on the order of the "
             "rows. Moderation is by a list of every inadequate audit and a random sample of the others; a "
             "moderation not on the list is shown as unplanned.",
             a, b, e->ncases, e->produced_at);
    emit(u, EP_PARA, text, NULL);
    int monthly = 0;
    for (int i = 0; i < e->nrounds; i++)
        if (!e->rounds[i].theme) {
            monthly_round(&e->rounds[i], emit, u);
            monthly++;
        }
    if (monthly)
        rederive(emit, u);
    for (int i = 0; i < e->nrounds; i++)
        if (e->rounds[i].theme)
            themed_round(&e->rounds[i], emit, u);
}
