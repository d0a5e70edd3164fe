#!/usr/bin/env bash
# The demo's quarter (2026Q3 of the sample data) has an interval for every grade's
# estimated share of open cases, and the estimate and its standard error equal R's
# survey package (tests/data/report/sample-2026Q3-estimate.R, lonely.psu "adjust") to
# 1e-12, on the strata read from the database here and checked against the R script's input.
source "$SRC/tests/cli/lib.sh"
source "$SRC/tests/cli/report_lib.bash"
sample_quarter
data=$SRC/tests/data/report
# The R script's input, read independently of the report: the current audit's final grade
# (the current outcome's, where moderated), by round and stratum, with the stratum's frame.
q "SELECT a.round_id || ':' || a.stratum, rs.frame_n, count(*),
          sum(coalesce(m.grade, a.grade) = 1), sum(coalesce(m.grade, a.grade) = 2),
          sum(coalesce(m.grade, a.grade) = 3), sum(coalesce(m.grade, a.grade) = 4)
   FROM audit_current a JOIN round_stratum rs ON rs.round_id = a.round_id AND rs.stratum = a.stratum
   LEFT JOIN moderation_current m ON m.round_id = a.round_id AND m.case_id = a.case_id
   WHERE a.audit_date BETWEEN '2026-07-01' AND '2026-09-30' GROUP BY 1 ORDER BY 1" | tr '|' , > "$tmp/strata.csv"
diff -u "$data/sample-2026Q3-strata.csv" "$tmp/strata.csv" >&2 || fail "the sample quarter's strata are not R's input"
expect_exit 0 ca report --quarter 2026Q3 --format json
python3 - "$tmp/out" "$data/sample-2026Q3-estimate.expected" <<'PY' || fail "the estimate differs from R's"
import json, sys
e = json.load(open(sys.argv[1]))["estimated_share"]
assert e["coverage"] == 1 and e["strata"] == 15 and e["lonely_strata"] == 0, e
for line in open(sys.argv[2]):
    grade, p, se = line.split()
    got = e["final"][grade]
    assert got["estimable"] is True and got["lo"] is not None and got["hi"] is not None, got
    assert abs(got["p"] - float(p)) < 1e-12 and abs(got["se"] - float(se)) < 1e-12, (grade, got, p, se)
PY
pass
