/* report_suppress.c: what a public paper hides (SPEC §9), marked in the model so
 * that every format hides the same cells. See report_suppress in report.h. */
#include "moderation/report.h"

/* A member of a sum: a count and the bit that hides it. */
struct member {
    long value;
    report_level *level;
    unsigned bit;
};

static int member_hidden(const struct member *m) { return (m->level->hidden & m->bit) != 0; }

/* When exactly one member of the sum is hidden, hides the smallest shown part
 * (the first on a tie) and returns 1; else 0. Zero counts qualify: a 0 shown as <K
 * is true and tells nothing. */
static int complete_sum(struct member *total, struct member *parts, int nparts)
{
    int hidden = member_hidden(total), best = -1;
    for (int i = 0; i < nparts; i++)
        hidden += member_hidden(&parts[i]);
    if (hidden != 1)
        return 0;
    for (int i = 0; i < nparts; i++)
        if (!member_hidden(&parts[i]) && (best < 0 || parts[i].value < parts[best].value))
            best = i;
    if (best < 0)
        return 0;
    parts[best].level->hidden |= parts[best].bit;
    return 1;
}

/* A row: its audits are the sum of its four final grades. */
static int complete_row(report_level *l)
{
    struct member total = {l->audits, l, REPORT_HIDE_AUDITS}, parts[4];
    for (int g = 1; g <= 4; g++)
        parts[g - 1] = (struct member){l->final[g], l, REPORT_HIDE_FINAL(g)};
    return complete_sum(&total, parts, 4);
}

/* The count of a row that bit hides. */
static long count_of(const report_level *l, unsigned bit)
{
    if (bit == REPORT_HIDE_AUDITS)
        return l->audits;
    if (bit == REPORT_HIDE_MODERATED)
        return l->moderated;
    if (bit == REPORT_HIDE_DOWNGRADED)
        return l->downgraded;
    for (int g = 1; g <= 4; g++)
        if (bit == REPORT_HIDE_FINAL(g))
            return l->final[g];
    return 0;
}

/* A column: its levels sum to the report's total, which the report shows. The same
 * rule as complete_sum, over the levels' cells. */
static int complete_column(report_breakdown *b, unsigned bit)
{
    int hidden = 0, best = -1;
    for (int i = 0; i < b->nlevels; i++)
        hidden += (b->levels[i].hidden & bit) != 0;
    if (hidden != 1)
        return 0;
    for (int i = 0; i < b->nlevels; i++)
        if (!(b->levels[i].hidden & bit) && (best < 0 || count_of(&b->levels[i], bit) < count_of(&b->levels[best], bit)))
            best = i;
    if (best < 0)
        return 0; /* one level: its count is the report's total, shown in the headline anyway */
    b->levels[best].hidden |= bit;
    return 1;
}

static int complete_breakdown(report_breakdown *b)
{
    int changed = 0;
    for (int i = 0; i < b->nlevels; i++)
        changed |= complete_row(&b->levels[i]);
    changed |= complete_column(b, REPORT_HIDE_AUDITS);
    for (int g = 1; g <= 4; g++)
        changed |= complete_column(b, REPORT_HIDE_FINAL(g));
    changed |= complete_column(b, REPORT_HIDE_MODERATED);
    changed |= complete_column(b, REPORT_HIDE_DOWNGRADED);
    return changed;
}

/* Primary suppression: the counts from 1 to k-1. */
static void hide_small(report_level *l, long k)
{
    static const unsigned bits[] = {REPORT_HIDE_AUDITS,    REPORT_HIDE_FINAL(1),  REPORT_HIDE_FINAL(2),
                                    REPORT_HIDE_FINAL(3),  REPORT_HIDE_FINAL(4),  REPORT_HIDE_MODERATED,
                                    REPORT_HIDE_DOWNGRADED};
    for (size_t i = 0; i < sizeof bits / sizeof *bits; i++) {
        long n = count_of(l, bits[i]);
        if (n >= 1 && n < k)
            l->hidden |= bits[i];
    }
}

/* A share, rate or interval computed from a hidden count is hidden with it. */
static void hide_derived(report_level *l)
{
    for (int g = 1; g <= 4; g++)
        if (l->hidden & (REPORT_HIDE_AUDITS | REPORT_HIDE_FINAL(g)))
            l->hidden |= REPORT_HIDE_SHARE(g);
    if (l->hidden & (REPORT_HIDE_MODERATED | REPORT_HIDE_DOWNGRADED))
        l->hidden |= REPORT_HIDE_RATE;
}

void report_suppress(report *r, long k)
{
    r->suppress_below = k > 0 ? k : 0;
    for (int i = 0; i < r->nby; i++) {
        report_breakdown *b = &r->by[i];
        for (int j = 0; j < b->nlevels; j++) {
            b->levels[j].hidden = 0;
            hide_small(&b->levels[j], r->suppress_below);
        }
        while (complete_breakdown(b)) /* each pass hides one more cell at least, so this ends */
            ;
        for (int j = 0; j < b->nlevels; j++)
            hide_derived(&b->levels[j]);
    }
}
