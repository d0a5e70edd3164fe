#!/usr/bin/env bash
# The inspection evidence pack (SPEC §15): exactly the audits dated in the period, with
# corrections, moderations (picked or unplanned) and actions; the method re-derives each
# monthly list from its printed seed and the case list (its own script, and the keys
# recomputed here in Python); every format written, mode 0600; refusals.
source "$SRC/tests/cli/lib.sh"

# 90 cases over three plans and ages 1-16 at the as-of date; every tenth closed.
export CASEAUDIT_NOW=2026-07-02T09:00:00Z
{ echo "case_id,date_of_birth,plan_type,team,worker,plan_start,plan_end"
  plans=(CP CIN CLA)
  for i in $(seq 1 90); do
    end=""; [ $((i % 10)) = 0 ] && end=01/06/2026
    echo "E$i,$(printf '%02d' $((i % 28 + 1)))/0$((i % 9 + 1))/20$((10 + i % 15)),${plans[$((i % 3))]},Team $((i % 3)),W$i,01/01/2025,$end"
  done; } > "$tmp/cases.csv"
expect_exit 0 ca import "$tmp/cases.csv" --as-of 01/07/2026
printf 'name,roles\nAnn,auditor\nBob,auditor\nSam,manager\n' > "$tmp/people.csv"
expect_exit 0 ca people import "$tmp/people.csv"

# July: a monthly round by plan and age, every case graded in July (one on 1 September,
# outside the period), one corrected, one with an action and domain grades.
expect_exit 0 ca sample 2026-07 --size 12 --seed 0x1234abcd --due 31/07/2026
mapfile -t july < <(q "SELECT case_id FROM round_case WHERE round_id = 1 ORDER BY seq")
export CASEAUDIT_NOW=2026-07-30T09:00:00Z
{ echo "case_id,grade,auditor,audit_date"
  for i in "${!july[@]}"; do echo "${july[$i]},$((i % 4 + 1)),Ann,$((i + 10))/07/2026"; done; } > "$tmp/g7.csv"
expect_exit 0 ca grade 2026-07 --file "$tmp/g7.csv"
expect_exit 0 ca grade 2026-07 "${july[2]}" --grade Good --auditor Bob --date 12/07/2026 --correct --domain voice=Good \
  --action "Update the plan" --due 15/08/2026
expect_exit 0 ca moderation pick 2026-07 --rate 0.2 --all-inadequate --seed 5
picked=$(q "SELECT case_id FROM moderation_pick WHERE round_id = 1 AND reason = 'inadequate' LIMIT 1")
unpicked=$(q "SELECT rc.case_id FROM round_case rc WHERE rc.round_id = 1 AND rc.case_id NOT IN
              (SELECT case_id FROM moderation_pick) ORDER BY rc.seq LIMIT 1")
expect_exit 0 ca moderate 2026-07 "$picked" --grade Inadequate --moderator Sam --date 29/07/2026
expect_exit 0 ca moderate 2026-07 "$unpicked" --grade Inadequate --moderator Sam --date 29/07/2026 --reason "No plan"

# August: the next monthly round, which leaves out July's audited cases.
export CASEAUDIT_NOW=2026-08-01T09:00:00Z
expect_exit 0 ca sample 2026-08 --size 10 --strata plan --seed 987654321 --due 31/08/2026
expect_out "excluded 12 audited within 12 months"
mapfile -t august < <(q "SELECT case_id FROM round_case WHERE round_id = 2 ORDER BY seq")
export CASEAUDIT_NOW=2026-09-05T09:00:00Z
{ echo "case_id,grade,auditor,audit_date"
  for i in "${!august[@]}"; do d=$((i + 10))/08/2026; [ $i = 9 ] && d=01/09/2026
    echo "${august[$i]},$((i % 4 + 1)),Bob,$d"; done; } > "$tmp/g8.csv"
expect_exit 0 ca grade 2026-08 --file "$tmp/g8.csv"

export CASEAUDIT_NOW=2026-11-24T12:00:00Z
expect_exit 0 ca evidence --from 01/07/2026 --to 31/08/2026 --format json -o "$tmp/ev.json"
expect_err "Wrote evidence pack $tmp/ev.json: 21 audits from 01/07/2026 to 31/08/2026"
[ "$(stat -c %a "$tmp/ev.json")" = 600 ] || fail "the evidence pack is not mode 0600"
q "SELECT round_id || ',' || case_id FROM audit_current WHERE audit_date BETWEEN '2026-07-01' AND '2026-08-31'" \
  | sed 's/^1,/2026-07,/; s/^2,/2026-08,/' | sort > "$tmp/want.audits"
python3 - "$tmp/ev.json" "$tmp/want.audits" "$picked" "$unpicked" "${july[2]}" <<'PY' || fail "the evidence pack's audits are wrong"
import json, sys
ev = json.load(open(sys.argv[1]))
want = open(sys.argv[2]).read().split()
got = sorted(f"{c['round']},{c['case_id']}" for c in ev["cases"])
assert got == want, (got, want)          # exactly the audits dated in the period
assert ev["period"] == {"from": "2026-07-01", "to": "2026-08-31"} and ev["audits"] == 21
by = {c["case_id"]: c for c in ev["cases"]}
picked, unpicked, corrected = by[sys.argv[3]], by[sys.argv[4]], by[sys.argv[5]]
assert picked["moderation_chosen"] == "on the moderation list: every inadequate audit", picked
assert picked["moderator"] == "Sam" and picked["moderation_date"] == "2026-07-29" and picked["moderation_outcome"] == "agreed"
assert unpicked["moderation_chosen"] == "unplanned" and unpicked["moderation_reason"] == "No plan", unpicked
assert unpicked["final_grade"] == "Inadequate" and unpicked["moderated_grade"] == "Inadequate"
assert corrected["corrections"] == 1 and corrected["grade"] == "Good" and corrected["auditor"] == "Bob", corrected
assert corrected["corrected_records"].startswith("Requires improvement on 12/07/2026 by Ann"), corrected
assert corrected["domain:voice"] == "Good" and corrected["actions"] == 1 and corrected["actions_open"] == 1
assert corrected["action_detail"] == "Update the plan (due 15/08/2026): overdue", corrected
for c in ev["cases"]:
    assert c["round_type"] == "monthly" and c["seed"] and c["key"] and c["N_h"] >= c["n_h"] >= 1
PY

# The method re-derives each monthly list from the printed seed and the case list: the
# frame worked out here from the imported file (open cases, age at the as-of date, the
# exclusions the method states), the pack's own script, and every key recomputed.
python3 - "$tmp/ev.json" > "$tmp/rederive.py" <<'PY'
import json, sys
print(json.load(open(sys.argv[1]))["rederive_script"], end="")
PY
for r in 2026-07 2026-08; do
  python3 - "$tmp/ev.json" "$tmp/cases.csv" "$r" "$tmp" <<'PY' || fail "the method's frame for $r is not what the round drew from"
import csv, datetime, json, sys
ev, rnd, tmp = json.load(open(sys.argv[1])), sys.argv[3], sys.argv[4]
design = next(r for r in ev["rounds"] if r["round"] == rnd)
as_of = datetime.date.fromisoformat(design["as_of"])
edges = [int(x) for x in design["age_bands"].split(",")]
codes = ["under1" if lo == 0 else f"{lo}-{edges[i + 1] - 1}" if i + 1 < len(edges) else f"{lo}+"
         for i, lo in enumerate(edges)]
# Excluded: audited on or after the cut-off (the pack itself lists those audits) or on a
# round still being graded (none here: July was graded before August was drawn).
y, m = as_of.year, as_of.month - design["exclude_audited_within"]
while m < 1:
    y, m = y - 1, m + 12
cutoff = as_of.replace(year=y, month=m)
audited = {c["case_id"] for c in ev["cases"] if c["audit_date"] >= cutoff.isoformat() and c["round"] < rnd}
frame, n_frame = [], 0
for row in csv.DictReader(open(sys.argv[2])):
    if row["plan_end"]:
        continue
    n_frame += 1
    if row["case_id"] in audited:
        continue
    d, mo, yr = map(int, row["date_of_birth"].split("/"))
    age = as_of.year - yr - ((as_of.month, as_of.day) < (mo, d))
    band = codes[max(i for i, lo in enumerate(edges) if age >= lo)]
    levels = {"plan": row["plan_type"], "age": band}
    frame.append((row["case_id"], "|".join(levels[k] for k in design["strata_dims"].split(","))))
assert n_frame == design["population"], (n_frame, design["population"])
assert n_frame - len(frame) == design["excluded_audited"], (n_frame - len(frame), design["excluded_audited"])
counts = {}
for _, s in frame:
    counts[s] = counts.get(s, 0) + 1
assert counts == {s["stratum"]: s["N"] for s in design["strata"]}, (counts, design["strata"])
with open(f"{tmp}/frame.csv", "w") as f:
    f.write("case_id,stratum\n" + "".join(f"{c},{s}\n" for c, s in frame))
with open(f"{tmp}/strata.csv", "w") as f:
    f.write("stratum,n\n" + "".join(f"{s['stratum']},{s['n']}\n" for s in design["strata"]))
print(design["seed"], file=open(f"{tmp}/seed", "w"))
PY
  python3 "$tmp/rederive.py" "$(cat "$tmp/seed")" "$tmp/frame.csv" "$tmp/strata.csv" > "$tmp/rederived"
  expect_exit 0 ca list "$r" --format csv
  sed 1d "$tmp/out" | cut -d, -f2 > "$tmp/drawn"
  [ "$(wc -l < "$tmp/drawn")" -ge 10 ] || fail "expected the whole list of $r"
  cmp -s "$tmp/rederived" "$tmp/drawn" || { diff "$tmp/drawn" "$tmp/rederived" >&2; fail "the method's script did not re-derive $r"; }
done
# Each printed key, recomputed from the case id and the printed seed (SPEC §5's formula).
python3 - "$tmp/ev.json" <<'PY' || fail "a printed key is not the §5 key of its case"
import json, sys
M = (1 << 64) - 1
def fnv(s):
    h = 0xcbf29ce484222325
    for b in s.encode():
        h = ((h ^ b) * 0x100000001b3) & M
    return h
def key(cid, seed):
    z = ((fnv(cid) ^ seed) + 0x9e3779b97f4a7c15) & M
    z = ((z ^ (z >> 30)) * 0xbf58476d1ce4e5b9) & M
    z = ((z ^ (z >> 27)) * 0x94d049bb133111eb) & M
    return z ^ (z >> 31)
ev = json.load(open(sys.argv[1]))
for c in ev["cases"]:
    assert c["key"] == format(key(c["case_id"], int(c["seed"], 16)), "016x"), c
assert {r["round"]: r["seed"] for r in ev["rounds"]} == {"2026-07": "000000001234abcd", "2026-08": "000000003ade68b1"}
PY

# Every format, each 0600; html and xlsx open with the method.
expect_exit 0 ca evidence --from 01/07/2026 --to 31/08/2026 --format html -o "$tmp/ev.html"
grep -q "<h2>How the cases were chosen</h2>" "$tmp/ev.html" || fail "html lacks the method"
grep -q "Seed: 000000001234abcd (decimal 305441741)" "$tmp/ev.html" || fail "html lacks the seed in both forms"
[ "$(grep -c '<tr><td>E' "$tmp/ev.html")" = 21 ] || fail "html should list 21 audits"
expect_exit 0 ca evidence --from 01/07/2026 --to 31/08/2026 --format xlsx -o "$tmp/ev.xlsx"
unzip -p "$tmp/ev.xlsx" xl/workbook.xml | grep -q '<sheet name="Method" sheetId="1"' || fail "xlsx does not open with the method"
expect_exit 0 ca evidence --from 01/07/2026 --to 31/08/2026 --format csv -o "$tmp/ev.csv"
[ "$(python3 -c 'import csv,sys; print(len(list(csv.DictReader(open(sys.argv[1])))))' "$tmp/ev.csv")" = 21 ] \
  || fail "csv should have 21 rows"
for f in html xlsx csv; do [ "$(stat -c %a "$tmp/ev.$f")" = 600 ] || fail "ev.$f is not mode 0600"; done
# --months: the 6 months to today (24/11/2026) start on 24/05/2026: all 22 audits.
expect_exit 0 ca evidence --format csv
[ "$(sed 1d "$tmp/out" | grep -c '^E')" = 22 ] || fail "--months 6 (the default) should list all 22 audits"
expect_exit 0 ca evidence --months 2
expect_err "no audits dated from 24/09/2026 to 24/11/2026"

# Refusals and usage.
expect_exit 2 ca evidence --months 3 --from 01/07/2026 --to 31/08/2026
expect_err "give --months or --from and --to, not both"
expect_exit 2 ca evidence --from 01/07/2026
expect_err "--from and --to go together"
expect_exit 2 ca evidence --format html
expect_err "--format html needs -o FILE"
expect_exit 2 ca evidence --format md
expect_exit 1 ca evidence --from 01/09/2026 --to 01/07/2026
expect_err "--from is after --to"
expect_exit 1 ca evidence --months 0
pass
