#!/usr/bin/env bash
# Themed (deep-dive) rounds (SPEC §15): the frame is exactly the open cases that pass
# every filter; names and options are checked; and a themed round changes the report's
# themed section only, every monthly figure (SPEC §9) staying byte for byte the same.
source "$SRC/tests/cli/lib.sh"

# 90 cases: plans CP, CIN, CLA in turn; plan starts spread over 2023-2026; teams 0-2;
# every tenth case closed. Ages from the dates of birth.
export CASEAUDIT_NOW=2026-07-02T09:00:00Z
{ echo "case_id,date_of_birth,plan_type,team,worker,plan_start,plan_end"
  plans=(CP CIN CLA)
  for i in $(seq 1 90); do
    start=$(printf '%02d/%02d/%d' $((i % 27 + 1)) $((i % 12 + 1)) $((2023 + i % 4)))
    end=""; [ $((i % 10)) = 0 ] && end=01/06/2026
    echo "K$i,01/0$((i % 9 + 1))/20$((10 + i % 15)),${plans[$((i % 3))]},Team $((i % 3)),W$i,$start,$end"
  done; } > "$tmp/cases.csv"
expect_exit 0 ca import "$tmp/cases.csv" --as-of 01/07/2026
printf 'name,roles\nAnn,auditor\nBob,auditor\nSam,manager\n' > "$tmp/people.csv"
expect_exit 0 ca people import "$tmp/people.csv"

# The monthly round, graded and partly moderated in July, with an action.
expect_exit 0 ca sample 2026-07 --size 12 --strata plan --seed 11 --due 31/07/2026
mapfile -t monthly < <(q "SELECT case_id FROM round_case ORDER BY seq")
export CASEAUDIT_NOW=2026-07-30T09:00:00Z
{ echo "case_id,grade,auditor,audit_date"
  g=(2 3 3 2 4 1 3 2 3 3 2 3)
  for i in "${!monthly[@]}"; do echo "${monthly[$i]},${g[$i]},Ann,$((i + 10))/07/2026"; done; } > "$tmp/grades.csv"
expect_exit 0 ca grade 2026-07 --file "$tmp/grades.csv"
expect_exit 0 ca moderate 2026-07 "${monthly[0]}" --grade RI --moderator Sam --date 28/07/2026 --reason "Drift"
expect_exit 0 ca grade 2026-07 "${monthly[1]}" --grade RI --auditor Ann --date 11/07/2026 --action "Review plan" \
  --due 01/08/2026 --correct
export CASEAUDIT_NOW=2026-11-24T12:00:00Z
for f in json md csv; do
  expect_exit 0 ca report --quarter 2026Q3 --by plan,age,team,auditor --format $f; cp "$tmp/out" "$tmp/before.$f"
done
grep -q '"themed": \[\]' "$tmp/before.json" || fail "a report without themed rounds has an empty themed list"

# A themed round: CP plans open 15 months or more at the as-of date 01/07/2026, so
# started on or before 01/04/2025; every one of them (--all), no exclusion.
export CASEAUDIT_NOW=2026-07-31T09:00:00Z
expect_exit 0 ca sample cp-long --theme "CP plans open 15 months or more" --plan CP --open-for-at-least 15m \
  --all --exclude-audited-within 0 --seed 9 --strata plan
expect_out "Themed round: CP plans open 15 months or more"
expect_out "Frame: plan CP; open for at least 15 months (plan started on or before 01/04/2025)"
# The frame worked out from the file itself, independently of the database.
python3 - "$tmp/cases.csv" > "$tmp/want" <<'PY'
import csv, sys, datetime
for r in csv.DictReader(open(sys.argv[1])):
    d, m, y = map(int, r["plan_start"].split("/"))
    if r["plan_type"] == "CP" and not r["plan_end"] and datetime.date(y, m, d) <= datetime.date(2025, 4, 1):
        print(r["case_id"])
PY
expect_exit 0 ca list cp-long --format csv
sed 1d "$tmp/out" | cut -d, -f2 | sort > "$tmp/got"
sort "$tmp/want" > "$tmp/want.sorted"
[ "$(wc -l < "$tmp/want.sorted")" -ge 8 ] || fail "the fixture should give a themed frame of some size"
cmp -s "$tmp/got" "$tmp/want.sorted" || { diff "$tmp/want.sorted" "$tmp/got" >&2; fail "the themed frame is not exactly the filtered cases"; }
nframe=$(wc -l < "$tmp/want.sorted")
[ "$(q "SELECT theme || '|' || theme_filter || '|' || excluded_theme FROM round WHERE label = 'cp-long'")" = \
  "CP plans open 15 months or more|plan CP; open for at least 15 months (plan started on or before 01/04/2025)|$((81 - nframe))" ] \
  || fail "the theme and its filters are not stored with the round"

# Filters combine: --plan, --team and --cases all hold; then the §5 exclusions apply (the
# cases on cp-long, a round still being graded, are left out).
printf 'case_id\nK3\nK6\nK9\nK12\n K15 \nK18\nK21\nnot-a-case\n' > "$tmp/ids.csv"
expect_exit 0 ca sample deep-2 --theme "Listed CP cases in Team 0" --plan CP --team "team 0" --cases "$tmp/ids.csv" \
  --all --exclude-audited-within 0 --seed 1
python3 - "$tmp/cases.csv" "$tmp/got" > "$tmp/want2" <<'PY'
import csv, sys
ids = {"K3", "K6", "K9", "K12", "K15", "K18", "K21"} - set(open(sys.argv[2]).read().split())
for r in csv.DictReader(open(sys.argv[1])):
    if r["case_id"] in ids and r["plan_type"] == "CP" and r["team"] == "Team 0" and not r["plan_end"]:
        print(r["case_id"])
PY
[ "$(q "SELECT case_id FROM round_case rc JOIN round r ON r.id = rc.round_id WHERE r.label = 'deep-2'" | sort)" = \
  "$(sort "$tmp/want2")" ] || fail "--plan, --team and --cases did not all hold"

# --age: the age bands of the design (whole years at the as-of date, from the date of birth).
expect_exit 0 ca sample teens --theme "16-17-year-olds on child protection plans" --plan CP --age 16-17 --all --exclude-audited-within 0 \
  --seed 2 --strata plan
python3 - "$tmp/cases.csv" "$tmp/got" "$tmp/want2" > "$tmp/want3" <<'PY'
import csv, datetime, sys
# Less the cases on cp-long and deep-2, both still being graded.
as_of, on_list = datetime.date(2026, 7, 1), set(open(sys.argv[2]).read().split() + open(sys.argv[3]).read().split())
for r in csv.DictReader(open(sys.argv[1])):
    d, m, y = map(int, r["date_of_birth"].split("/"))
    age = as_of.year - y - ((as_of.month, as_of.day) < (m, d))
    if r["plan_type"] == "CP" and 16 <= age <= 17 and not r["plan_end"] and r["case_id"] not in on_list:
        print(r["case_id"])
PY
[ -s "$tmp/want3" ] || fail "the fixture should have 16-17-year-olds on CP plans"
[ "$(q "SELECT case_id FROM round_case rc JOIN round r ON r.id = rc.round_id WHERE r.label = 'teens'" | sort)" = \
  "$(sort "$tmp/want3")" ] || fail "--age 16-17 did not give the 16-17-year-olds"

expect_exit 0 ca rounds --format json
expect_out '"moderated": 0, "theme": "CP plans open 15 months or more"}'
expect_exit 0 ca rounds
expect_out "CP plans open 15 months or more"

# Refusals: exit 1 or 2, nothing written.
refuse() { local want=$1; shift; snapshot_db; expect_exit "$want" ca "$@"; expect_db_unchanged; }
refuse 1 sample 2026-08 --theme "A month's name" --plan CP --size 2
expect_err "a themed round needs a name that is not a month"
refuse 1 sample "Aug 2026" --theme "A spreadsheet's month" --plan CP --size 2
expect_err "it reads as 2026-08, a monthly round"
refuse 1 sample deep --size 2
expect_err "a monthly round is named by its month, YYYY-MM"
refuse 1 sample 2026-13 --size 2
refuse 1 sample deep --theme "x" --plan XYZ --size 2
expect_err '--plan "XYZ": not a plan type'
refuse 1 sample deep --theme "x" --age 3-4 --size 2
expect_err '--age "3-4": not an age band of the design'
refuse 1 sample deep --theme "x" --open-for-at-least 15y --size 2
refuse 1 sample deep --theme "x" --plan CP --team "Nobody" --all
expect_err "outside the theme's filters"
refuse 2 sample deep --plan CP --size 2
expect_err "for a themed round: give --theme TEXT"
refuse 2 sample deep --theme "x" --all --size 2
refuse 2 sample deep --theme "x"
expect_err "--size or --all is required"

# Grade the themed round (some cases, one moderated downgrade, an action) in August.
mapfile -t themed < <(q "SELECT case_id FROM round_case rc JOIN round r ON r.id = rc.round_id
                         WHERE r.label = 'cp-long' ORDER BY seq")
{ echo "case_id,grade,auditor,audit_date"
  for i in 0 1 2 3 4 5 6; do echo "${themed[$i]},$((i % 4 + 1)),Bob,$((i + 3))/08/2026"; done; } > "$tmp/tgrades.csv"
export CASEAUDIT_NOW=2026-08-20T09:00:00Z
expect_exit 0 ca grade cp-long --file "$tmp/tgrades.csv"
expect_exit 0 ca moderate cp-long "${themed[1]}" --grade RI --moderator Sam --date 15/08/2026 --reason "Drift"
expect_exit 0 ca grade cp-long "${themed[2]}" --grade Good --auditor Bob --date 05/08/2026 --action "Visit" \
  --due 01/09/2026 --correct
export CASEAUDIT_NOW=2026-11-24T12:00:00Z
for f in json md csv; do
  expect_exit 0 ca report --quarter 2026Q3 --by plan,age,team,auditor --format $f; cp "$tmp/out" "$tmp/after.$f"
done

# Every monthly figure byte-identical: the JSON without its themed key, the md without
# its themed section, the csv without its themed rows.
python3 - "$tmp/before.json" "$tmp/after.json" <<'PY' || fail "a themed round changed a monthly figure (json)"
import json, sys, math
before, after = (json.load(open(p)) for p in sys.argv[1:3])
assert before.pop("themed") == []
themed = after.pop("themed")
assert before == after, "monthly figures changed"
assert len(themed) == 1, themed
t = themed[0]
assert t["round"] == "cp-long" and t["theme"] == "CP plans open 15 months or more"
assert t["audits"] == 7 and t["moderation"] == {"moderated": 1, "agreed": 0, "downgraded": 1, "upgraded": 0}, t
# Final grades: audited 1,2,3,4,1,2,3 with case 2 corrected to Good (2) and case 1 moderated
# Good -> RI: so 1,3,2,4,1,2,3 = Outstanding 2, Good 2, RI 2, Inadequate 1.
z = 1.959964
def wilson(k, n):   # Wilson (1927), as in SPEC §9
    p = k / n; d = 1 + z * z / n; c = p + z * z / (2 * n); h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (c - h) / d, (c + h) / d
for key, k in (("outstanding", 2), ("good", 2), ("requires_improvement", 2), ("inadequate", 1)):
    g = t["final"][key]
    lo, hi = wilson(k, 7)
    assert g["n"] == k and abs(g["p"] - k / 7) < 1e-12 and abs(g["lo"] - lo) < 1e-9 and abs(g["hi"] - hi) < 1e-9, (key, g)
PY
# (the protective marking that ends every report comes after the themed section)
python3 -c 'import sys; print(open(sys.argv[1]).read().split("\n\n## Themed audits\n")[0])' \
  "$tmp/after.md" > "$tmp/after.monthly.md"
python3 -c 'import sys; print(open(sys.argv[1]).read().rsplit("\n\n**OFFICIAL-SENSITIVE**\n", 1)[0])' \
  "$tmp/before.md" > "$tmp/before.monthly.md"
cmp -s "$tmp/before.monthly.md" "$tmp/after.monthly.md" || { diff "$tmp/before.monthly.md" "$tmp/after.monthly.md" >&2; fail "a themed round changed the md's monthly part"; }
grep -q "^### Themed audit 'cp-long': CP plans open 15 months or more" "$tmp/after.md" || fail "md lacks the themed section"
grep -q "Audits in the period: 7. Moderated: 1 (agreed 0, downgraded 1, upgraded 0)." "$tmp/after.md" || fail "md themed counts"
grep -v '^themed,' "$tmp/after.csv" | cmp -s "$tmp/before.csv" - || fail "a themed round changed the csv's monthly rows"
grep -q '^themed,cp-long,good,final,2' "$tmp/after.csv" || fail "csv lacks the themed grades"
expect_exit 0 ca report --quarter 2026Q3 --format table
expect_out "Themed audit 'cp-long': CP plans open 15 months or more"
expect_exit 0 ca report --quarter 2026Q3 --format html -o "$tmp/r.html"
grep -q '<h2>Themed audit .*cp-long.*: CP plans open 15 months or more</h2>' "$tmp/r.html" || fail "html lacks the themed section"
expect_exit 0 ca report --quarter 2026Q3 --format xlsx -o "$tmp/r.xlsx"
unzip -p "$tmp/r.xlsx" xl/workbook.xml | grep -q 'name="Themed audits"' || fail "xlsx lacks the themed sheet"

# Neyman's S_h for a monthly draw comes from monthly audits only (SPEC §5 with §9's rule):
# the same draw before and after a themed round of long CP plans is graded Outstanding
# gives the same allocation (the frame is the same: the themed cases are left out first as
# on a round being graded, then as audited). Counted with them, CP's S_h would fall from
# 0.5 (fewer than 5 audits) to the floor of 0.1 and its n_h with it (6 to 2).
db=$tmp/neyman.db
export CASEAUDIT_NOW=2026-07-02T09:00:00Z
expect_exit 0 ca import "$tmp/cases.csv" --as-of 01/07/2026
expect_exit 0 ca people import "$tmp/people.csv"
expect_exit 0 ca sample 2026-07 --size 12 --strata plan --seed 11
expect_exit 0 ca sample cp-long --theme "CP plans open 15 months or more" --plan CP --open-for-at-least 15m --all --strata plan --seed 1
export CASEAUDIT_NOW=2026-07-30T09:00:00Z
{ echo "case_id,grade,auditor,audit_date"; q "SELECT case_id || ',Good,Ann,20/07/2026' FROM round_case WHERE round_id = 1"; } \
  > "$tmp/n7.csv"
{ echo "case_id,grade,auditor,audit_date"; q "SELECT case_id || ',Outstanding,Bob,21/07/2026' FROM round_case WHERE round_id = 2"; } \
  > "$tmp/nt.csv"
expect_exit 0 ca grade 2026-07 --file "$tmp/n7.csv"
export CASEAUDIT_NOW=2026-08-02T09:00:00Z   # Neyman reads the 12 months before the snapshot's date
expect_exit 0 ca import "$tmp/cases.csv" --as-of 01/08/2026 --force
neyman() { expect_exit 0 ca sample 2026-08 --alloc neyman --strata plan --size 30 --seed 4
           grep -E '^(CP|CIN|CLA) ' "$tmp/out" > "$tmp/neyman.$1"; expect_exit 0 ca round delete 2026-08; }
neyman before
expect_exit 0 ca grade cp-long --file "$tmp/nt.csv"
[ "$(q "SELECT count(*) FROM audit WHERE round_id = 2")" -ge 6 ] || fail "expected the themed round graded"
neyman after
cmp -s "$tmp/neyman.before" "$tmp/neyman.after" || { diff "$tmp/neyman.before" "$tmp/neyman.after" >&2
  fail "themed audits changed a monthly round's Neyman allocation"; }
pass
