/* stats.h: the statistics of the quarterly report (SPEC §9), as pure functions.
 * Each is unit-tested against published or independently computed values. */
#ifndef CASEAUDIT_STATS_H
#define CASEAUDIT_STATS_H

/* The z of a two-sided 95% interval, as §9 fixes it. */
#define STATS_Z 1.959964

typedef struct stats_prop {
    long n, total;
    double p, lo, hi;   /* the share and its 95% interval */
    int estimable;      /* 0 when total is 0: p, lo, hi are 0 and must be shown as not estimable */
} stats_prop;

/* Wilson's score interval for k of n (Wilson 1927; Newcombe 1998, method 3). */
stats_prop stats_wilson(long k, long n);

typedef struct stats_stratum {
    long N;   /* N_h: cases in the stratum's frame */
    long n;   /* audits in the stratum */
    long k;   /* of which with the outcome */
} stats_stratum;

typedef struct stats_estimate {
    double p, se, lo, hi;
    int estimable;     /* 0 when some stratum with audits has fewer than 2: p is given, se/lo/hi are not */
    int any;           /* 0 when no stratum has an audit: nothing is estimable */
} stats_estimate;

/* The design-weighted share p = sum W_h p_h, W_h = N_h / N, and its variance with
 * the finite population correction, v = sum W_h^2 (1 - n_h/N_h) p_h (1 - p_h) / (n_h - 1)
 * (Cochran 1977, Sampling Techniques, eq. 5.26). Strata without audits carry no
 * information and are left out, the weights renormalised over the rest. The
 * interval p +/- z sqrt(v) is clamped to [0, 1]. */
stats_estimate stats_stratified(const stats_stratum *strata, int nstrata);

typedef struct stats_kappa_result {
    double value, se, lo, hi;
    int estimable;   /* 0 when n is 0 or the expected agreement is 1 */
} stats_kappa_result;

/* Cohen's kappa over the 4x4 table of counts table[i][j] (audited grade i+1,
 * moderated grade j+1): unweighted, or linear-weighted with w_ij = 1 - |i-j|/3,
 * always over all four grades; the standard error of Fleiss, Cohen & Everitt
 * (1969), in the form of Fleiss, Levin & Paik (2003), §18.1. */
stats_kappa_result stats_kappa(const long table[4][4], int linear);

/* The exact one-sided sign test: P(Binomial(d + u, 1/2) >= d). */
double stats_sign_test(long d, long u);

#endif
