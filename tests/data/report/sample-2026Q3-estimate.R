# The estimated share of open cases for the sample quarter (2026Q3 of tests/gen/cycle.sh on
# sample-data/, as scripts/demo builds it), as R's survey package computes it (SPEC §9 item 3):
# svymean over svydesign(ids = ~1, strata = ~round_stratum, fpc = ~N_h, weights = ~w) with
# options(survey.lonely.psu = "adjust"). Input: sample-2026Q3-strata.csv, one row per round's
# stratum with an audit in the quarter: round:stratum, N_h, n_h, and the audits of each final
# grade (outstanding, good, requires improvement, inadequate), which tests/cli/report_sample.sh
# reads from the database itself and compares with this file before it compares the estimates.
# Regenerate (Debian: apt-get install -y --no-install-recommends r-base-core r-cran-survey):
#   cd tests/data/report && Rscript sample-2026Q3-estimate.R > sample-2026Q3-estimate.expected
suppressPackageStartupMessages(library(survey))
options(survey.lonely.psu = "adjust")
s <- read.csv("sample-2026Q3-strata.csv", header = FALSE, col.names = c("stratum", "N", "n", "g1", "g2", "g3", "g4"))
grades <- c("outstanding", "good", "requires_improvement", "inadequate")
for (g in 1:4) {
  k <- s[[paste0("g", g)]]
  rows <- data.frame(st = rep(s$stratum, s$n), N_h = rep(s$N, s$n), w = rep(s$N / s$n, s$n),
                     y = unlist(lapply(seq_len(nrow(s)), function(h) c(rep(1, k[h]), rep(0, s$n[h] - k[h])))))
  m <- svymean(~y, svydesign(ids = ~1, strata = ~st, fpc = ~N_h, weights = ~w, data = rows))
  cat(sprintf("%s %.17g %.17g\n", grades[g], coef(m), SE(m)))
}
