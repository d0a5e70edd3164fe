#include "moderation/stats.h"

#include <math.h>

stats_prop stats_wilson(long k, long n)
{
    stats_prop r = {k, n, 0, 0, 0, n > 0};
    if (n <= 0)
        return r;
    double p = (double)k / (double)n, z = STATS_Z, z2 = z * z, nn = (double)n;
    double centre = (p + z2 / (2 * nn)) / (1 + z2 / nn);
    double half = z / (1 + z2 / nn) * sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn));
    r.p = p;
    r.lo = centre - half < 0 ? 0 : centre - half;
    r.hi = centre + half > 1 ? 1 : centre + half;
    return r;
}

stats_estimate stats_stratified(const stats_stratum *s, int H)
{
    stats_estimate e = {0, 0, 0, 0, 1, 0, 0};
    double N = 0;
    for (int h = 0; h < H; h++)
        if (s[h].n > 0)
            N += (double)s[h].N;
    if (N <= 0) {
        e.estimable = 0;
        return e;
    }
    e.any = 1;
    double v = 0;
    for (int h = 0; h < H; h++) {
        if (s[h].n <= 0)
            continue;
        double W = (double)s[h].N / N, ph = (double)s[h].k / (double)s[h].n;
        e.p += W * ph;
        if (s[h].n < 2) {
            e.estimable = 0;
            continue;
        }
        double fpc = 1 - (double)s[h].n / (double)s[h].N;
        if (fpc < 0)
            fpc = 0; /* more audits than the frame: a census of the stratum */
        v += W * W * fpc * ph * (1 - ph) / (double)(s[h].n - 1);
    }
    if (e.estimable) {
        e.se = sqrt(v);
        e.lo = e.p - STATS_Z * e.se < 0 ? 0 : e.p - STATS_Z * e.se;
        e.hi = e.p + STATS_Z * e.se > 1 ? 1 : e.p + STATS_Z * e.se;
    }
    return e;
}

/* 1 - n/N, and 0 for a stratum audited in full (or more audits than its frame). */
static double fpc_of(const stats_stratum *s)
{
    double f = 1 - (double)s->n / (double)s->N;
    return s->N > 0 && f > 0 ? f : 0;
}

stats_estimate stats_stratified_adjust(const stats_stratum *s, int H)
{
    stats_estimate e = {0, 0, 0, 0, 0, 0, 0};
    double N = 0;
    long audits = 0;
    for (int h = 0; h < H; h++)
        if (s[h].n > 0) {
            N += (double)s[h].N;
            audits += s[h].n;
        }
    if (audits == 0 || N <= 0)
        return e;
    e.any = 1;
    for (int h = 0; h < H; h++)
        if (s[h].n > 0)
            e.p += (double)s[h].N / N * ((double)s[h].k / (double)s[h].n);
    if (audits < 2)
        return e; /* one audit in all: survey refuses the design */
    double v = 0;
    for (int h = 0; h < H; h++) {
        if (s[h].n <= 0)
            continue;
        double W = (double)s[h].N / N, ph = (double)s[h].k / (double)s[h].n, f = fpc_of(&s[h]);
        if (s[h].n >= 2) {
            v += W * W * f * ph * (1 - ph) / (double)(s[h].n - 1);
        } else {
            /* survey's "adjust": the lonely value stays centred at the overall share. */
            v += W * W * f * (ph - e.p) * (ph - e.p);
            e.lonely += s[h].N > 1;
        }
    }
    e.estimable = 1;
    e.se = sqrt(v);
    e.lo = e.p - STATS_Z * e.se < 0 ? 0 : e.p - STATS_Z * e.se;
    e.hi = e.p + STATS_Z * e.se > 1 ? 1 : e.p + STATS_Z * e.se;
    return e;
}

stats_kappa_result stats_kappa(const long t[4][4], int linear)
{
    stats_kappa_result r = {0, 0, 0, 0, 0};
    double n = 0, p[4][4], row[4] = {0}, col[4] = {0}, w[4][4];
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            n += (double)t[i][j];
    if (n <= 0)
        return r;
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) {
            p[i][j] = (double)t[i][j] / n;
            row[i] += p[i][j];
            col[j] += p[i][j];
            w[i][j] = linear ? 1.0 - fabs((double)(i - j)) / 3.0 : (i == j);
        }
    double po = 0, pe = 0, wr[4] = {0}, wc[4] = {0};
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) {
            po += w[i][j] * p[i][j];
            pe += w[i][j] * row[i] * col[j];
            wr[i] += col[j] * w[i][j];  /* w-bar_i. */
            wc[j] += row[i] * w[i][j];  /* w-bar_.j */
        }
    if (pe >= 1 - 1e-12)
        return r; /* everyone in one category: kappa is undefined */
    double k = (po - pe) / (1 - pe), sum = 0;
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) {
            double d = w[i][j] - (wr[i] + wc[j]) * (1 - k);
            sum += p[i][j] * d * d;
        }
    double a = k - pe * (1 - k);
    double var = (sum - a * a) / (n * (1 - pe) * (1 - pe));
    r.value = k;
    r.se = var > 0 ? sqrt(var) : 0;
    r.lo = k - STATS_Z * r.se;
    r.hi = k + STATS_Z * r.se;
    r.estimable = 1;
    return r;
}

double stats_sign_test(long d, long u)
{
    long n = d + u;
    if (d <= 0)
        return 1.0;
    /* Sum the upper tail in log space, largest term first, so that n in the millions
     * neither overflows nor underflows to a wrong zero. */
    double lfn = lgamma((double)n + 1), log2 = log(2.0), max = -INFINITY;
    long start = d > n / 2 ? d : n / 2;
    if (start < d)
        start = d;
    for (long k = d; k <= n && k <= start; k++) {
        double t = lfn - lgamma((double)k + 1) - lgamma((double)(n - k) + 1) - (double)n * log2;
        if (t > max)
            max = t;
    }
    double sum = 0;
    for (long k = d; k <= n; k++) {
        double t = lfn - lgamma((double)k + 1) - lgamma((double)(n - k) + 1) - (double)n * log2;
        double e = exp(t - max);
        sum += e;
        if (k > start && e < 1e-18 * sum)
            break;
    }
    double p = exp(max) * sum;
    return p > 1 ? 1 : p;
}
