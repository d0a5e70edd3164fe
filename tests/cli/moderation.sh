#!/usr/bin/env bash
# Moderation (SPEC §8): picking, the list round trip, derived outcomes, and every
# refusal with exit 1 and nothing written.
source "$SRC/tests/cli/lib.sh"
{ echo "case_id,date_of_birth,plan_type,team,worker"
  for i in $(seq 1 40); do echo "C$i,01/01/2015,CIN,Team $((i % 2)),Worker"; done; } > "$tmp/cases.csv"
printf 'name,team\nAnn,\nBob,\n' > "$tmp/auditors.csv"
expect_exit 0 ca import "$tmp/cases.csv" --as-of 01/11/2026
expect_exit 0 ca sample 2026-11 --size 12 --strata plan --seed 7
expect_exit 0 ca assign 2026-11 --auditors "$tmp/auditors.csv"
# The register: Ann audits and manages a team (so she moderates, but never her own audits); Sam Senior manages.
printf 'name,team,roles\nAnn,,auditor;manager\nBob,,auditor\nSam Senior,,manager\n' > "$tmp/people.csv"
expect_exit 0 ca people import "$tmp/people.csv"
mapfile -t cases < <(q "SELECT case_id FROM round_case ORDER BY seq")
# Ann and Bob each grade six; two of Ann's are inadequate.
{ echo "case_id,grade,audit_date"
  i=0; for c in "${cases[@]}"; do
    g=Good; [ $i = 0 ] || [ $i = 2 ] && g=Inadequate; [ $((i % 3)) = 1 ] && g=RI
    echo "$c,$g,10/11/2026"; i=$((i + 1)); done; } > "$tmp/grades.csv"
expect_exit 0 ca grade 2026-11 --file "$tmp/grades.csv"

expect_exit 0 ca moderation pick 2026-11 --all-inadequate --seed 3
expect_out "Picked 6 of 12 graded audits not yet moderated in 2026-11 for moderation (seed 3 = 0x0000000000000003)"
# The count broken down: 2 inadequate (all of them) + max(1, ceil(0.25 x 6)) = 2 for each of the 2 auditors.
expect_out "6 picked: 2 graded inadequate (all), 4 at rate 0.25 across 2 auditors"
inad=$(q "SELECT count(*) FROM moderation_pick WHERE reason = 'inadequate'")
[ "$inad" = "$(q "SELECT count(*) FROM audit WHERE grade = 4")" ] || fail "not every inadequate audit was picked"
# per auditor: max(1, ceil(0.25 x 6)) = 2 others
[ "$(q "SELECT group_concat(n) FROM (SELECT count(*) AS n FROM moderation_pick k JOIN audit a USING (round_id, case_id)
       WHERE k.reason = 'sample' GROUP BY a.auditor ORDER BY a.auditor)")" = "2,2" ] || fail "wrong sample per auditor"
picked=$(q "SELECT count(*) FROM moderation_pick")
# Run twice by mistake: refused, saying how many are picked; --add picks more among the rest.
snapshot_db
expect_exit 1 ca moderation pick 2026-11 --seed 3
expect_err "6 audits in 2026-11 are already picked for moderation ('caseaudit moderation list 2026-11' shows them): nothing was picked; to pick more among the others, give --add"
expect_db_unchanged
[ "$(q "SELECT count(*) FROM (SELECT case_id FROM moderation_pick GROUP BY round_id, case_id HAVING count(*) > 1)")" = 0 ] ||
  fail "an audit was picked twice"

# The list, filled in and returned.
expect_exit 0 ca moderation list 2026-11 --format json
expect_out '{"cases": [{"round": "2026-11", "case_id": '
expect_out '"moderated_grade": null, "moderator": null, "moderation_date": null, "reason": null, "status": null}'
expect_exit 0 ca moderation list 2026-11 --format xlsx -o "$tmp/mod.xlsx"
expect_err "Wrote moderation list $tmp/mod.xlsx: $(q "SELECT count(*) FROM moderation_pick") audits"
[ "$(head -c 2 "$tmp/mod.xlsx")" = PK ] || fail "xlsx"
expect_exit 0 ca moderation list 2026-11 --format csv -o "$tmp/mod.csv"
python3 - "$tmp/mod.csv" "$tmp/ret.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='')))
w = csv.DictWriter(open(sys.argv[2], 'w', newline=''), fieldnames=list(rows[0].keys()))
w.writeheader()
for i, r in enumerate(rows):
    if i == len(rows) - 1:
        w.writerow(r)      # left blank: not moderated yet
        continue
    worse = {'Good': 'Requires improvement', 'Requires improvement': 'Inadequate', 'Inadequate': 'Inadequate'}
    r['moderated_grade'] = worse[r['audited_grade']] if i % 2 == 0 else r['audited_grade']
    r['moderator'] = 'Sam Senior'
    r['moderation_date'] = '20/11/2026'
    if r['moderated_grade'] != r['audited_grade']:
        r['reason'] = 'Plan lacks timescales'
    w.writerow(r)
PY
expect_exit 0 ca moderate 2026-11 --file "$tmp/ret.csv"
expect_out "row without a moderated grade skipped"
expect_exit 0 ca moderation list 2026-11 --pending --format csv
[ "$(wc -l < "$tmp/out")" = 2 ] || fail "one audit should still be pending"

# One case, unplanned, and the derived outcome in the history.
unpicked=$(q "SELECT case_id FROM audit a WHERE NOT EXISTS (SELECT 1 FROM moderation_pick k WHERE k.case_id = a.case_id) AND grade = 2 LIMIT 1")
auditor=$(q "SELECT auditor FROM audit WHERE case_id = '$unpicked'")
expect_exit 0 ca moderate 2026-11 "$unpicked" --grade RI --moderator "Sam Senior" --date 21/11/2026 --reason "No chronology"
expect_out "downgraded (unplanned: not picked)"
expect_exit 0 ca history "$unpicked"
expect_out "moderated by Sam Senior on 21/11/2026: downgraded by 1 grade (Good → Requires improvement); unplanned: not picked for moderation; reason: No chronology"
[ "$(q "SELECT planned FROM moderation WHERE case_id = '$unpicked'")" = 0 ] || fail "not marked unplanned"

# Refusals.
refuse() { snapshot_db; expect_exit 1 ca "$@"; expect_db_unchanged; }
other=$(q "SELECT case_id FROM audit a WHERE NOT EXISTS (SELECT 1 FROM moderation m WHERE m.case_id = a.case_id) AND grade = 2 LIMIT 1")
oauditor=$(q "SELECT auditor FROM audit WHERE case_id = '$other'")
refuse moderate 2026-11 "$other" --grade Good --moderator "$oauditor" --date 21/11/2026
expect_err "$oauditor audited case \"$other\" and cannot moderate their own audit"
refuse moderate 2026-11 "$other" --grade RI --moderator "Sam Senior" --date 21/11/2026
expect_err "a reason is required when the grade changes (Good → Requires improvement)"
refuse moderate 2026-11 "$other" --grade Good --moderator "Sam Senior" --date 09/11/2026
expect_err "the moderation date 09/11/2026 is before the audit date 10/11/2026"
refuse moderate 2026-11 "$other" --grade Good --moderator "Sam Senior" --date 25/11/2026
expect_err "is in the future"
refuse moderate 2026-11 NOBODY --grade Good --moderator "Sam Senior"
expect_err 'case "NOBODY" has no audit in round 2026-11 to moderate'
refuse moderate 2026-11 "$unpicked" --grade RI --moderator "Sam Senior" --date 21/11/2026 --reason x
expect_err "has already been moderated differently: to change the outcome, record it as a correction"
refuse moderate 2026-11 "$other" --grade superb --moderator "Sam Senior"
expect_err 'not a grade'
printf 'case_id,moderated_grade,moderator\n%s,Good,%s\n' "$other" "$oauditor" > "$tmp/bad.csv"
refuse moderate 2026-11 --file "$tmp/bad.csv"
expect_err "bad.csv:2: column \"moderator\": $oauditor audited case"
expect_exit 0 ca moderate 2026-11 "$unpicked" --grade Good --moderator "Sam Senior" --date 22/11/2026 --correct
expect_out "agreed (a correction)"
expect_exit 2 ca moderation pick
expect_err "give a ROUND or --quarter Q"
expect_exit 1 ca moderation pick --quarter 2026Q5
# The quarter holding the round is the same scope: its picks count.
expect_exit 1 ca moderation pick --quarter 2026/27Q3 --seed 1
expect_err "6 audits in 2026/27Q3 are already picked for moderation ('caseaudit moderation list --quarter 2026/27Q3'"
expect_exit 0 ca moderation list --quarter 2026Q4 --format csv
expect_out "round,case_id,plan_type"
expect_exit 0 ca rounds
expect_out "moderated"
# ---- Everyday mistakes (issue 14) ----
cand=$(q "SELECT case_id FROM audit_current a WHERE auditor = 'Ann' AND NOT EXISTS (SELECT 1 FROM moderation m
  WHERE m.case_id = a.case_id) AND NOT EXISTS (SELECT 1 FROM moderation_pick k WHERE k.case_id = a.case_id)
  ORDER BY case_id LIMIT 1")
[ -n "$cand" ] || fail "the fixture has no unmoderated audit of Ann's"
cgrade=$(q "SELECT grade FROM audit_current WHERE case_id = '$cand'")
# The auditor as moderator, with spaces around the name: the register sees through them.
refuse moderate 2026-11 "$cand" --grade "$cgrade" --moderator " ann  " --date 21/11/2026
expect_err "Ann audited case \"$cand\" and cannot moderate their own audit"
# A blank reason is no reason.
other_grade=$(( cgrade == 4 ? 3 : cgrade + 1 ))
refuse moderate 2026-11 "$cand" --grade "$other_grade" --moderator "Sam Senior" --date 21/11/2026 --reason "   "
expect_err "a reason is required when the grade changes"
# Not a manager; not in the register (with the nearest name).
refuse moderate 2026-11 "$cand" --grade "$cgrade" --moderator Bob --date 21/11/2026
expect_err "Bob does not have the manager role in the people register (their roles: auditor)"
refuse moderate 2026-11 "$cand" --grade "$cgrade" --moderator Sam --date 21/11/2026
expect_err '"Sam" is not in the people register (did you mean "Sam Senior"?)'
# ROUND as a quarter, in both forms (November 2026 is 2026Q4 and 2026/27Q3).
expect_exit 0 ca moderate 2026Q4 "$cand" --grade "$cgrade" --moderator "Sam Senior" --date 21/11/2026
expect_out "Round 2026-11, case $cand: agreed"
expect_exit 0 ca moderate 2026/27Q3 "$cand" --grade "$cgrade" --moderator "sam senior" --date 21/11/2026
expect_out "Round 2026-11, case $cand: unchanged"
refuse moderate 2026Q3 "$cand" --grade "$cgrade" --moderator "Sam Senior" --date 21/11/2026
expect_err "case \"$cand\" has no audit dated in 2026Q3 to moderate"

# Idempotent returns: the exported list with earlier outcomes filled in comes back with a new one added.
expect_exit 0 ca moderation list 2026-11 --format csv -o "$tmp/again.csv"
python3 - "$tmp/again.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='')))
for r in rows:
    if not r['moderated_grade']:
        r.update(moderated_grade=r['audited_grade'], moderator='Sam Senior', moderation_date='23/11/2026')
        break
w = csv.DictWriter(open(sys.argv[1], 'w', newline=''), fieldnames=list(rows[0].keys()))
w.writeheader(); w.writerows(rows)
PY
n_done=$(q "SELECT count(*) FROM moderation_current m JOIN moderation_pick k USING (round_id, case_id)")
expect_exit 0 ca moderate 2026-11 --file "$tmp/again.csv"
expect_out "1 outcome recorded, 0 corrected, $n_done unchanged"
snapshot_db
expect_exit 0 ca moderate 2026Q4 --file "$tmp/again.csv"
expect_out "0 outcomes recorded, 0 corrected, $((n_done + 1)) unchanged"
expect_db_unchanged
# An audit list given to moderate names the right command.
printf 'round,case_id,auditor,grade,audit_date\n2026-11,%s,Ann,Good,10/11/2026\n' "$cand" > "$tmp/audits.csv"
refuse moderate 2026-11 --file "$tmp/audits.csv"
expect_err "audits.csv:1: this is an audit list (it has a grade column and no moderated_grade column): record it with 'caseaudit grade 2026-11 --file"

# An outcome stays with the audit it judged: the auditor corrects the grade after moderation.
fixed=$(q "SELECT a.case_id FROM audit_current a JOIN moderation_pick k USING (round_id, case_id) JOIN
  moderation_current m USING (round_id, case_id) WHERE a.auditor = 'Ann' AND m.grade = a.grade ORDER BY a.case_id LIMIT 1")
fgrade=$(q "SELECT grade FROM audit_current WHERE case_id = '$fixed'")
judged=$(q "SELECT audit_id FROM moderation_current WHERE case_id = '$fixed'")
expect_exit 0 ca report --quarter 2026Q4 --format json
cp "$tmp/out" "$tmp/report.before"
expect_exit 0 ca grade 2026-11 "$fixed" --grade $(( fgrade == 1 ? 2 : fgrade - 1 )) --auditor Ann --date 10/11/2026 --correct
[ "$(q "SELECT audit_id FROM moderation_current WHERE case_id = '$fixed'")" = "$judged" ] ||
  fail "the outcome no longer names the audit the manager saw"
expect_exit 0 ca moderation list 2026-11 --format csv
# (the list is for people: the round label comes after the invisible guard U+2060)
grep -q "^$(printf '\xe2\x81\xa0')2026-11,$fixed,.*,corrected since moderation" "$tmp/out" ||
  fail "the list does not flag the corrected audit"
[ "$(grep -c "corrected since moderation" "$tmp/out")" = 1 ] || fail "only the corrected audit is flagged"
# The final grade stays the moderated one (SPEC §8): the report's final grades do not move.
expect_exit 0 ca report --quarter 2026Q4 --format json
python3 - "$tmp/report.before" "$tmp/out" <<'PY' || fail "a correction after moderation changed the final grades"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
assert a["grades"]["final"] == b["grades"]["final"], (a["grades"]["final"], b["grades"]["final"])
assert a["audits"] == b["audits"] and a["moderation"]["moderated"] == b["moderation"]["moderated"]
# ... and the moderation figures still pair the grade the manager saw with the manager's: a
# correction never turns an agreement into a downgrade (before: agreed 6, downgraded 2 became 5, 3).
outcomes = lambda r: [r["moderation"][k]["n"] for k in ("agreed", "downgraded", "upgraded")]
assert outcomes(a) == outcomes(b), (outcomes(a), outcomes(b))
assert a["moderation"]["transitions"] == b["moderation"]["transitions"]
PY

picked=$(q "SELECT count(*) FROM moderation_pick")
expect_exit 0 ca moderation pick 2026-11 --seed 0x10 --add
expect_out "(seed 0x10 = 0x0000000000000010)"
[ "$(q "SELECT count(*) FROM moderation_pick")" -gt "$picked" ] || fail "picking again with --add should add audits"
expect_exit 0 ca report --quarter 2026Q4 --format json -o "$tmp/report.json"
expect_err "Wrote report $tmp/report.json: 2026Q4, $(q "SELECT count(*) FROM audit_current") audits"
pass
