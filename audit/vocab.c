#include "audit/vocab.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/error.h"

void vocab_normalise(const char *s, char *out, size_t len)
{
    size_t o = 0;
    for (; *s && o + 1 < len; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x80 && isalnum(c))
            out[o++] = (char)tolower(c);
    }
    if (len)
        out[o] = 0;
}

/* Spellings are compared after vocab_normalise. */
struct word {
    const char *spelling;
    int value;
};

static int lookup(const struct word *words, size_t n, const char *s, int missing)
{
    char key[64];
    vocab_normalise(s, key, sizeof key);
    if (!*key || strlen(s) > 60)
        return missing;
    for (size_t i = 0; i < n; i++)
        if (strcmp(words[i].spelling, key) == 0)
            return words[i].value;
    return missing;
}

static const struct word grade_words[] = {
    {"outstanding", 1}, {"1", 1}, {"o", 1},
    {"good", 2}, {"2", 2}, {"g", 2},
    {"requiresimprovement", 3}, {"requiresimprovementtobegood", 3}, {"ri", 3}, {"rig", 3}, {"3", 3},
    {"inadequate", 4}, {"4", 4}, {"i", 4},
};

int grade_parse(const char *s)
{
    return lookup(grade_words, sizeof grade_words / sizeof *grade_words, s, 0);
}

const char *grade_label(int g)
{
    static const char *const labels[] = {"", "Outstanding", "Good", "Requires improvement", "Inadequate"};
    return g >= 1 && g <= 4 ? labels[g] : "";
}

const char *grade_key(int g)
{
    static const char *const keys[] = {"", "outstanding", "good", "requires_improvement", "inadequate"};
    return g >= 1 && g <= 4 ? keys[g] : "";
}

static const struct word plan_words[] = {
    {"eh", CA_PLAN_EH}, {"earlyhelp", CA_PLAN_EH},
    {"cin", CA_PLAN_CIN}, {"childinneed", CA_PLAN_CIN}, {"childinneedplan", CA_PLAN_CIN},
    {"cp", CA_PLAN_CP}, {"cpp", CA_PLAN_CP}, {"childprotection", CA_PLAN_CP},
    {"childprotectionplan", CA_PLAN_CP},
    {"cla", CA_PLAN_CLA}, {"lac", CA_PLAN_CLA}, {"cic", CA_PLAN_CLA}, {"lookedafter", CA_PLAN_CLA},
    {"childlookedafter", CA_PLAN_CLA}, {"lookedafterchild", CA_PLAN_CLA}, {"childincare", CA_PLAN_CLA},
    {"cl", CA_PLAN_CL}, {"lc", CA_PLAN_CL}, {"careleaver", CA_PLAN_CL}, {"careleavers", CA_PLAN_CL},
    /* How case-management systems spell them (SPEC §4's built-in aliases). */
    {"cpplan", CA_PLAN_CP}, {"cinplan", CA_PLAN_CIN}, {"earlyhelpplan", CA_PLAN_EH}, {"taf", CA_PLAN_EH},
    {"teamaroundthefamily", CA_PLAN_EH}, {"clasection20", CA_PLAN_CLA}, {"section20", CA_PLAN_CLA},
    {"s20", CA_PLAN_CLA}, {"careorder", CA_PLAN_CLA}, {"careleaverpathwayplan", CA_PLAN_CL},
    {"pathwayplan", CA_PLAN_CL},
};

int plan_parse(const char *s)
{
    /* The codes themselves, as most lists give them, without normalising. */
    for (int p = 0; p < CA_NPLANS; p++)
        if (strcmp(s, plan_code(p)) == 0)
            return p;
    return lookup(plan_words, sizeof plan_words / sizeof *plan_words, s, -1);
}

const char *plan_code(int p)
{
    static const char *const codes[] = {"EH", "CIN", "CP", "CLA", "CL"};
    return p >= 0 && p < CA_NPLANS ? codes[p] : "";
}

const char *plan_label(int p)
{
    static const char *const labels[] = {"Early help", "Child in need plan", "Child protection plan",
                                         "Child looked after", "Care leaver"};
    return p >= 0 && p < CA_NPLANS ? labels[p] : "";
}

int plan_precedence(int p)
{
    /* EH < CL < CIN < CP < CLA */
    static const int rank[] = {0, 2, 3, 4, 1};
    return p >= 0 && p < CA_NPLANS ? rank[p] : -1;
}

void bands_default(ca_bands *b)
{
    static const int edges[] = {0, 1, 5, 10, 16, 18};
    b->n = 6;
    memcpy(b->lower, edges, sizeof edges);
}

int bands_parse(const char *s, ca_bands *b, char *why, size_t whylen)
{
    ca_bands r = {0, {0}};
    const char *p = s;
    while (*p) {
        char *end;
        while (*p == ' ')
            p++;
        if (!isdigit((unsigned char)*p))
            goto bad;
        long v = strtol(p, &end, 10);
        if (v > 120 || r.n == CA_MAX_BANDS)
            goto bad;
        if (r.n > 0 && v <= r.lower[r.n - 1]) {
            snprintf(why, whylen, "age band edges must be ascending (\"%s\")", s);
            return CA_ERR;
        }
        r.lower[r.n++] = (int)v;
        p = end;
        while (*p == ' ')
            p++;
        if (*p == ',')
            p++;
        else if (*p)
            goto bad;
    }
    if (r.n == 0 || r.lower[0] != 0) {
        snprintf(why, whylen, "age bands must start at 0, as in 0,1,5,10,16,18 (\"%s\")", s);
        return CA_ERR;
    }
    *b = r;
    return CA_OK;
bad:
    snprintf(why, whylen, "age bands are lower edges in whole years, as in 0,1,5,10,16,18 (\"%s\")", s);
    return CA_ERR;
}

void bands_format(const ca_bands *b, char *buf, size_t len)
{
    size_t o = 0;
    buf[0] = 0;
    for (int i = 0; i < b->n && o < len; i++)
        o += (size_t)snprintf(buf + o, len - o, i ? ",%d" : "%d", b->lower[i]);
}

int bands_count(const ca_bands *b) { return b->n + 1; }

int band_of(const ca_bands *b, int age)
{
    if (age < 0)
        return 0;
    int band = 1;
    for (int i = 1; i < b->n; i++)
        if (age >= b->lower[i])
            band = i + 1;
    return band;
}

static void band_text(const ca_bands *b, int band, char *buf, size_t len, int label)
{
    if (band <= 0) {
        snprintf(buf, len, "%s", label ? "Unborn" : "unborn");
        return;
    }
    int lo = b->lower[band - 1];
    if (band == b->n) {
        snprintf(buf, len, "%d+", lo);
        return;
    }
    int hi = b->lower[band] - 1;
    if (lo == 0 && hi == 0)
        snprintf(buf, len, "%s", label ? "Under 1" : "under1");
    else if (lo == hi)
        snprintf(buf, len, "%d", lo);
    else
        snprintf(buf, len, label ? "%d\xe2\x80\x93%d" : "%d-%d", lo, hi); /* en dash in labels */
}

void band_code(const ca_bands *b, int band, char *buf, size_t len) { band_text(b, band, buf, len, 0); }
void band_label(const ca_bands *b, int band, char *buf, size_t len) { band_text(b, band, buf, len, 1); }
