#!/usr/bin/env bash
# The quarterly report (SPEC §9) on a small fixed data set: golden JSON and Markdown,
# every format, --as-at, financial-year quarters, an empty period, a stratum with
# one audit, suppression, and no child's identifier anywhere.
source "$SRC/tests/cli/lib.sh"
golden=$SRC/tests/data/report

{ echo "case_id,date_of_birth,plan_type,team,worker"
  for i in $(seq 1 24); do
    case $((i % 3)) in 0) p=CP ;; 1) p=CIN ;; *) p=CLA ;; esac
    echo "K$i,01/01/201$((i % 10)),$p,Team $((i % 2)),Worker $i"
  done
  echo "K99,01/01/2015,EH,Team 0,Worker 99"; } > "$tmp/cases.csv"
printf 'name,team\nAnn,\nBob,\n' > "$tmp/auditors.csv"
export CASEAUDIT_NOW=2026-10-05T09:00:00Z
expect_exit 0 ca import "$tmp/cases.csv" --as-of 01/07/2026
expect_exit 0 ca sample 2026-07 --size 13 --strata plan --seed 11 --due 31/07/2026
expect_exit 0 ca assign 2026-07 --auditors "$tmp/auditors.csv"
printf 'name,roles\nAnn,auditor\nBob,auditor\nSam,manager\nKim,manager\n' > "$tmp/people.csv"; expect_exit 0 ca people import "$tmp/people.csv"   # the register (SPEC §6)
mapfile -t cases < <(q "SELECT case_id FROM round_case ORDER BY seq")
grades=(Good RI RI Inadequate Good RI Outstanding RI Good RI Inadequate RI Good)
{ echo "case_id,grade,audit_date,domain:voice,action,action_due"
  for i in "${!cases[@]}"; do
    act=""; due=""
    [ $i -lt 3 ] && act="Review the plan" && due="0$((i + 1))/09/2026"
    echo "${cases[$i]},${grades[$i]},1$((i % 9))/07/2026,$([ $((i % 2)) = 0 ] && echo Good || echo RI),$act,$due"
  done; } > "$tmp/grades.csv"
expect_exit 0 ca grade 2026-07 --file "$tmp/grades.csv"
expect_exit 0 ca action done 1 --date 20/08/2026
expect_exit 0 ca moderation pick 2026-07 --rate 0.5 --all-inadequate --seed 5
mapfile -t picked < <(q "SELECT k.case_id || ' ' || a.grade || ' ' || a.auditor FROM moderation_pick k JOIN audit a USING (round_id, case_id) ORDER BY k.case_id")
for p in "${picked[@]}"; do
  set -- $p
  mod=Sam; [ "$3" = Sam ] && mod=Kim
  if [ "$2" = 2 ]; then
    expect_exit 0 ca moderate 2026-07 "$1" --grade RI --moderator "$mod" --date 30/07/2026 --reason "Drift"
  else
    expect_exit 0 ca moderate 2026-07 "$1" --grade "$2" --moderator "$mod" --date 30/07/2026
  fi
done

# A correction entered later: the report as at an earlier day ignores it.
export CASEAUDIT_NOW=2026-10-20T09:00:00Z
expect_exit 0 ca grade 2026-07 "${cases[1]}" --grade Good --auditor Ann --date 12/07/2026 --correct

export CASEAUDIT_NOW=2026-11-24T12:00:00Z
expect_exit 0 ca settings council "Testshire County Council"   # every report names it (SPEC §9)
expect_exit 0 ca report --quarter 2026Q3 --by plan,age,team,auditor --format json
cp "$tmp/out" "$tmp/report.json"
# UPDATE_GOLDEN=1 rewrites the golden files (then read the diff before committing it).
[ -n "${UPDATE_GOLDEN:-}" ] && cp "$tmp/report.json" "$golden/2026Q3.json"
diff -u "$golden/2026Q3.json" "$tmp/report.json" >&2 || fail "JSON report differs from tests/data/report/2026Q3.json"
expect_exit 0 ca report --quarter 2026Q3 --format md
[ -n "${UPDATE_GOLDEN:-}" ] && cp "$tmp/out" "$golden/2026Q3.md"
diff -u "$golden/2026Q3.md" "$tmp/out" >&2 || fail "Markdown report differs from tests/data/report/2026Q3.md"
python3 - "$tmp/report.json" <<'PY' || fail "the JSON report does not hold together"
import json, sys
r = json.load(open(sys.argv[1]))
for key in ("period", "audits", "grades", "estimated_share", "moderation", "by", "domains", "actions", "trend"):
    assert key in r, key
g = r["grades"]["final"]
assert sum(v["n"] for v in g.values()) == r["audits"] == 13
m = r["moderation"]
assert m["agreed"]["n"] + m["downgraded"]["n"] + m["upgraded"]["n"] == m["moderated"]
assert r["period"] == {"from": "2026-07-01", "to": "2026-09-30", "label": "2026Q3"}
# EH has one audit in a stratum of one (a census of it, adding no variance); the
# interval stands, and equals R's: survey 4.1.1, svymean with lonely.psu "adjust" over
# strata N (1, 8, 8, 8), n (1, 4, 4, 4), Good (0, 1, 0, 0): 0.08, SE 0.056568542494923803.
e = r["estimated_share"]
assert e["final"]["good"]["estimable"] is True
assert abs(e["final"]["good"]["p"] - 0.08) < 1e-12 and abs(e["final"]["good"]["se"] - 0.056568542494923803) < 1e-9
assert abs(e["final"]["requires_improvement"]["se"] - 0.10327955589886445) < 1e-9
assert e["strata"] == 4 and e["lonely_strata"] == 0 and e["coverage"] == 1
PY

# As at 10/10/2026 the correction (entered 20/10) did not exist: RI, not Good.
expect_exit 0 ca report --quarter 2026Q3 --as-at 10/10/2026 --format json
python3 - "$tmp/out" "$tmp/report.json" <<'PY' || fail "--as-at did not reproduce the earlier report"
import json, sys
then, now = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert then["grades"]["audited"]["good"]["n"] == now["grades"]["audited"]["good"]["n"] - 1
assert then["grades"]["audited"]["requires_improvement"]["n"] == now["grades"]["audited"]["requires_improvement"]["n"] + 1
PY
expect_exit 0 ca report --quarter 2026Q3 --as-at 06/10/2026 --format json
python3 -c "import json,sys; r=json.load(open(sys.argv[1])); assert r['actions']['done'] == 1 and r['actions']['raised'] == 3" "$tmp/out" ||
  fail "actions as at 06/10/2026"

# The financial-year quarter 2026/27Q2 is the same July to September.
expect_exit 0 ca report --quarter 2026/27Q2 --by plan,age,team,auditor --format json
sed 's/"label": "2026\/27Q2"/"label": "2026Q3"/g; s/"label": "2026\/27Q1"/"label": "2026Q2"/g; s/"label": "2025\/26Q4"/"label": "2026Q1"/g; s/"label": "2025\/26Q3"/"label": "2025Q4"/g' "$tmp/out" > "$tmp/fy.json"
cmp -s "$tmp/fy.json" "$tmp/report.json" || fail "2026/27Q2 and 2026Q3 differ"

# An empty period: a clear statement, not a division by zero.
expect_exit 0 ca report --quarter 2025Q1
expect_out "No audits in this period (2025Q1): there is nothing to report."
expect_err "note: no audits in this period (2025Q1)"
expect_exit 0 ca report --quarter 2025Q1 --format json
expect_out '"audits": 0,'
expect_out '"good": {"n": 0, "p": null, "lo": null, "hi": null}'
expect_exit 0 ca report --from 01/01/2025 --to 31/01/2025 --format csv

# Suppression for public papers.
expect_exit 0 ca report --quarter 2026Q3 --by team --suppress-below 10 --format json
expect_out '"audits": "<10"'
expect_exit 0 ca report --quarter 2026Q3 --by team --suppress-below 10 --format md
expect_out "Counts below 10 are shown as <10 in the breakdowns."

# Suppression checked from outside, in every format (SPEC §9; issue 12): a round of 80
# audits where Dee has 3 audits and 2 moderations, Eve 1 audit, Cal 10 moderations of
# which 1 downgrade (the defect: a rate of 0.1 beside 10 moderated gave the 1 away).
# tests/cli/suppression_check.py parses each format, checks that the same cells read <5
# everywhere, and tries to work each hidden count out of what is shown.
db=$tmp/supp.db
export CASEAUDIT_NOW=2026-08-01T09:00:00Z
{ echo "case_id,date_of_birth,plan_type,team,worker"
  plans=(CIN CP CLA EH)
  for i in $(seq 1 80); do
    echo "S$i,0$((i % 9 + 1))/0$((i % 9 + 1))/20$((10 + i % 15)),${plans[$((i % 4))]},Team $((i % 3)),W$i"
  done; } > "$tmp/scases.csv"
expect_exit 0 ca import "$tmp/scases.csv" --as-of 01/08/2026
expect_exit 0 ca sample 2026-08 --size 80 --strata plan --seed 3 --due 31/08/2026
printf 'name,roles\nAnn,auditor\nBob,auditor\nCal,auditor\nDee,auditor\nEve,auditor\nSam,manager\n' > "$tmp/speople.csv"
expect_exit 0 ca people import "$tmp/speople.csv"
mapfile -t scases < <(q "SELECT case_id FROM round_case ORDER BY seq")
[ "${#scases[@]}" = 80 ] || fail "expected 80 sampled cases, got ${#scases[@]}"
auditor_of() { local i=$1; if [ $i -lt 34 ]; then echo Ann; elif [ $i -lt 62 ]; then echo Bob;
  elif [ $i -lt 76 ]; then echo Cal; elif [ $i -lt 79 ]; then echo Dee; else echo Eve; fi; }
sgrades=(2 3 3 2 4 1 3 2 3 3)
{ echo "case_id,grade,auditor,audit_date"
  for i in "${!scases[@]}"; do
    echo "${scases[$i]},${sgrades[$((i % 10))]},$(auditor_of $i),$((i % 20 + 10))/08/2026"
  done; } > "$tmp/sgrades.csv"
export CASEAUDIT_NOW=2026-09-05T09:00:00Z
expect_exit 0 ca grade 2026-08 --file "$tmp/sgrades.csv"
{ echo "case_id,moderated_grade,moderator,moderation_date,reason"
  for i in $(seq 0 11) $(seq 34 43) $(seq 62 71) 76 77; do
    g=${sgrades[$((i % 10))]}
    case $i in 0|4|8|35|38|41|62|76) [ $g -lt 4 ] && g=$((g + 1)) ;; esac
    echo "${scases[$i]},$g,Sam,02/09/2026,Checked"
  done; } > "$tmp/smod.csv"
expect_exit 0 ca moderate 2026-08 --file "$tmp/smod.csv"
export CASEAUDIT_NOW=2026-11-24T12:00:00Z
expect_exit 0 ca report --quarter 2026Q3 --by plan,age,team,auditor --format json
cp "$tmp/out" "$tmp/truth.json"
python3 - "$tmp/truth.json" <<'PY' || fail "the suppression data set is not as designed"
import json, sys
by = {l["level"]: l for l in json.load(open(sys.argv[1]))["by"]["auditor"]}
assert (by["Cal"]["moderated"], by["Cal"]["downgraded"]) == (10, 1), by["Cal"]
assert (by["Dee"]["audits"], by["Dee"]["moderated"], by["Eve"]["audits"]) == (3, 2, 1)
PY
checks=()
for fmt in table md csv json html xlsx; do
  expect_exit 0 ca report --quarter 2026Q3 --by plan,age,team,auditor --suppress-below 5 --format $fmt \
    -o "$tmp/supp.$fmt"
  checks+=("$fmt=$tmp/supp.$fmt")
done
for fmt in table md html; do
  grep -q "Counts below 5 are shown as" "$tmp/supp.$fmt" || fail "$fmt has no footnote on suppression"
done
[ -n "${KEEP_REPORTS:-}" ] && cp "$tmp"/supp.* "$tmp/truth.json" "$KEEP_REPORTS/"
python3 "$SRC/tests/cli/suppression_check.py" 5 "$tmp/truth.json" "${checks[@]}" > "$tmp/out" 2>&1 ||
  fail "suppression differs between formats or can be undone"
db=$tmp/t.db

# Every format; none holds a child's identifier.
for fmt in table md csv json; do
  expect_exit 0 ca report --quarter 2026Q3 --by plan,age,team,auditor --format $fmt
  for c in "${cases[@]}"; do grep -qw "$c" "$tmp/out" && fail "$fmt report shows case id $c"; done
done
expect_exit 0 ca report --quarter 2026Q3 --format html -o "$tmp/r.html"
grep -q '<svg' "$tmp/r.html" || fail "no charts in the html report"
grep -qiE 'src="http|href="http|@import' "$tmp/r.html" && fail "the html report reaches the network"
[ "$(stat -c %a "$tmp/r.html")" = 600 ] || fail "html not 0600"
expect_exit 0 ca report --quarter 2026Q3 --format xlsx -o "$tmp/r.xlsx"
[ "$(head -c 2 "$tmp/r.xlsx")" = PK ] || fail "xlsx"
expect_exit 0 ca report --quarter 2026Q3 --format csv
head -1 "$tmp/out" | grep -q '^section,dimension,level,measure,value,lower,upper' || fail "csv long form header"
expect_out "moderation,,downgraded,n,"
# Exact values as the shortest text that reads back as the same double (issue 16): not
# %.17g's 0.080000000000000002; and what is mathematically 0 or 1 is 0 or 1, not the
# 2.8e-17 that rounding leaves at the lower limit of 0 of 6.
python3 - "$tmp/out" "$tmp/report.json" <<'PY' || fail "csv/json values are not in their shortest exact form"
import csv, json, sys
def shortest(v):
    f = float(v)
    return v == (str(int(f)) if f.is_integer() else repr(f))
numbers = [v for r in csv.DictReader(open(sys.argv[1])) for k in ("value", "lower", "upper")
           for v in [r[k]] if v and v.lstrip("-").replace(".", "", 1).replace("e-", "", 1).isdigit()]
assert len(numbers) > 50, len(numbers)
bad = [v for v in numbers if not shortest(v)]
assert not bad, bad
def values(x):
    if isinstance(x, dict):
        for v in x.values(): yield from values(v)
    elif isinstance(x, list):
        for v in x: yield from values(v)
    elif isinstance(x, float):
        yield x
noise = [v for v in values(json.load(open(sys.argv[2]))) if 0 < v < 1e-9 or 1 - 1e-9 < v < 1]
assert not noise, noise
team0 = json.load(open(sys.argv[2]))["by"]["team"][0]
assert team0["level"] == "Team 0" and team0["final"]["good"] == {"n": 0, "p": 0, "lo": 0, "hi": 0.39033429165637346}
PY

# An audit corrected after it was moderated: the outcome still counts for the case, in
# the report now (found by case) and as at a day before the correction (by audit).
db=$tmp/corrected.db
printf 'case_id,date_of_birth,plan_type,team\nM1,01/01/2015,CP,Team 1\nM2,01/01/2012,CIN,Team 1\n' > "$tmp/m.csv"
export CASEAUDIT_NOW=2026-08-01T09:00:00Z
expect_exit 0 ca import "$tmp/m.csv" --as-of 01/07/2026
expect_exit 0 ca sample 2026-07 --size 2 --strata plan --seed 1
printf 'name,roles\nAnn,auditor\nSam,manager\n' > "$tmp/people.csv"; expect_exit 0 ca people import "$tmp/people.csv"   # the register (SPEC §6)
expect_exit 0 ca grade 2026-07 M1 --grade Good --auditor Ann --date 10/07/2026
expect_exit 0 ca grade 2026-07 M2 --grade RI --auditor Ann --date 10/07/2026
expect_exit 0 ca moderate 2026-07 M1 --grade RI --moderator Sam --date 20/07/2026 --reason "Drift"
export CASEAUDIT_NOW=2026-08-10T09:00:00Z
expect_exit 0 ca grade 2026-07 M1 --grade Outstanding --auditor Ann --date 10/07/2026 --correct
export CASEAUDIT_NOW=2026-11-24T12:00:00Z
expect_exit 0 ca report --quarter 2026Q3 --format json
cp "$tmp/out" "$tmp/now.json"
expect_exit 0 ca report --quarter 2026Q3 --as-at 05/08/2026 --format json
python3 - "$tmp/now.json" "$tmp/out" <<'PY' || fail "a moderation of a since-corrected audit was lost"
import json, sys
now, then = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
for r, audited in ((now, "outstanding"), (then, "good")):
    m = r["moderation"]
    assert m["moderated"] == 1 and m["downgraded"]["n"] == 1, m
    assert r["grades"]["audited"][audited]["n"] == 1, r["grades"]["audited"]
    assert r["grades"]["final"]["requires_improvement"]["n"] == 2, r["grades"]["final"]
PY
db=$tmp/t.db

# Refusals and usage.
expect_exit 1 ca report --quarter 2026Q5
expect_err 'expected a calendar quarter such as 2026Q3'
expect_exit 2 ca report --quarter 2026Q3 --from 01/07/2026 --to 30/09/2026
expect_err "give --quarter or --from and --to, not both"
expect_exit 2 ca report --from 01/07/2026
expect_err "--from and --to go together"
expect_exit 1 ca report --from 30/09/2026 --to 01/07/2026
expect_err "--from is after --to"
expect_exit 2 ca report --format html
expect_err "--format html needs -o FILE"
expect_exit 2 ca report --format xlsx -o -
expect_err "--format xlsx needs -o FILE"
expect_exit 2 ca report --by region
expect_exit 1 ca report --as-at 31/02/2026
pass
