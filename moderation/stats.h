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
    int lonely;        /* stats_stratified_adjust: strata with one audit of a frame of more than one */
} stats_estimate;

/* The design-weighted share p = sum W_h p_h, W_h = N_h / N, and its variance with
 * the finite population correction, v = sum W_h^2 (1 - n_h/N_h) p_h (1 - p_h) / (n_h - 1)
 * (Cochran 1977, Sampling Techniques, eq. 5.26). Strata without audits carry no
 * information and are left out, the weights renormalised over the rest. The
 * interval p +/- z sqrt(v) is clamped to [0, 1]. */
stats_estimate stats_stratified(const stats_stratum *strata, int nstrata);

/* The same share with lonely strata handled as R's survey package does (SPEC §9
 * item 3): svymean over svydesign(ids = ~1, strata = ~stratum, fpc = ~N_h,
 * weights = ~w), w = N_h / n_h, with options(survey.lonely.psu = "adjust").
 * Strata with n_h >= 2 add Cochran's term above. A stratum with one audit (k_h is
 * 0 or 1) adds W_h^2 (1 - 1/N_h) (k_h - p)^2: survey's onestrat does not centre a
 * lonely stratum's single influence value W_h (k_h - p) at its own mean (which would
 * give 0) but leaves it centred at the overall share p, and applies the stratum's
 * finite population correction (N_h - 1)/N_h as scale. A stratum audited in full
 * (n_h >= N_h, so also N_h = n_h = 1) adds 0, as survey's f < 1e-7 test does.
 * Strata without audits are left out and the weights renormalised, as above.
 * lonely counts the strata with n_h = 1 < N_h, whose term is this stand-in.
 * estimable is 1 whenever there are at least 2 audits in all; with exactly one
 * audit p is given and estimable is 0 (survey refuses such a design: "Design has
 * only one primary sampling unit"); any is 0 when there is no audit. The interval
 * p +/- z se is clamped to [0, 1]. Checked against survey 4.1.1 in
 * tests/data/stats/lonely_psu.expected. */
stats_estimate stats_stratified_adjust(const stats_stratum *strata, int nstrata);

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
