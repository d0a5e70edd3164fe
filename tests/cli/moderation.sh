#!/usr/bin/env bash
# Moderation (SPEC §8): picking, the list round trip, derived outcomes, and every
# refusal with exit 1 and nothing written.
source "$SRC/tests/cli/lib.sh"
{ echo "case_id,date_of_birth,plan_type,team,worker"
  for i in $(seq 1 40); do echo "C$i,01/01/2015,CIN,Team $((i % 2)),Worker"; done; } > "$tmp/cases.csv"
printf 'name,team\nAnn,Team 9\nBob,Team 8\n' > "$tmp/auditors.csv"
expect_exit 0 ca import "$tmp/cases.csv" --as-of 01/11/2026
expect_exit 0 ca sample 2026-11 --size 12 --strata plan --seed 7
expect_exit 0 ca assign 2026-11 --auditors "$tmp/auditors.csv"
mapfile -t cases < <(q "SELECT case_id FROM round_case ORDER BY seq")
# Ann and Bob each grade six; two of Ann's are inadequate.
{ echo "case_id,grade,audit_date"
  i=0; for c in "${cases[@]}"; do
    g=Good; [ $i = 0 ] || [ $i = 2 ] && g=Inadequate; [ $((i % 3)) = 1 ] && g=RI
    echo "$c,$g,10/11/2026"; i=$((i + 1)); done; } > "$tmp/grades.csv"
expect_exit 0 ca grade 2026-11 --file "$tmp/grades.csv"

expect_exit 0 ca moderation pick 2026-11 --all-inadequate --seed 3
expect_out "Picked "
expect_out "(rate 0.25, every inadequate audit; seed 0000000000000003)"
inad=$(q "SELECT count(*) FROM moderation_pick WHERE reason = 'inadequate'")
[ "$inad" = "$(q "SELECT count(*) FROM audit WHERE grade = 4")" ] || fail "not every inadequate audit was picked"
# per auditor: max(1, ceil(0.25 x 6)) = 2 others
[ "$(q "SELECT group_concat(n) FROM (SELECT count(*) AS n FROM moderation_pick k JOIN audit a USING (round_id, case_id)
       WHERE k.reason = 'sample' GROUP BY a.auditor ORDER BY a.auditor)")" = "2,2" ] || fail "wrong sample per auditor"
picked=$(q "SELECT count(*) FROM moderation_pick")
expect_exit 0 ca moderation pick 2026-11 --seed 3
[ "$(q "SELECT count(*) FROM moderation_pick")" -gt "$picked" ] || fail "picking again should add audits"
[ "$(q "SELECT count(*) FROM (SELECT case_id FROM moderation_pick GROUP BY round_id, case_id HAVING count(*) > 1)")" = 0 ] ||
  fail "an audit was picked twice"

# The list, filled in and returned.
expect_exit 0 ca moderation list 2026-11 --format json
expect_out '{"cases": [{"round": "2026-11", "case_id": '
expect_out '"moderated_grade": null, "moderator": null, "moderation_date": null, "reason": null}'
expect_exit 0 ca moderation list 2026-11 --format xlsx -o "$tmp/mod.xlsx"
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
refuse moderate 2026-11 "$other" --grade RI --moderator Sam --date 21/11/2026
expect_err "a reason is required when the grade changes (Good → Requires improvement)"
refuse moderate 2026-11 "$other" --grade Good --moderator Sam --date 09/11/2026
expect_err "the moderation date 09/11/2026 is before the audit date 10/11/2026"
refuse moderate 2026-11 "$other" --grade Good --moderator Sam --date 25/11/2026
expect_err "is in the future"
refuse moderate 2026-11 NOBODY --grade Good --moderator Sam
expect_err 'case "NOBODY" has no audit in round 2026-11 to moderate'
refuse moderate 2026-11 "$unpicked" --grade RI --moderator Sam --date 21/11/2026 --reason x
expect_err "has already been moderated: to change the outcome, record it as a correction"
refuse moderate 2026-11 "$other" --grade superb --moderator Sam
expect_err 'not a grade'
printf 'case_id,moderated_grade,moderator\n%s,Good,%s\n' "$other" "$oauditor" > "$tmp/bad.csv"
refuse moderate 2026-11 --file "$tmp/bad.csv"
expect_err "bad.csv:2: column \"moderator\": $oauditor audited case"
expect_exit 0 ca moderate 2026-11 "$unpicked" --grade Good --moderator Sam --date 22/11/2026 --correct
expect_out "agreed (a correction)"
expect_exit 2 ca moderation pick
expect_err "give a ROUND or --quarter Q"
expect_exit 1 ca moderation pick --quarter 2026Q5
expect_exit 0 ca moderation pick --quarter 2026/27Q3 --seed 1
expect_exit 0 ca moderation list --quarter 2026Q4 --format csv
expect_out "round,case_id,plan_type"
expect_exit 0 ca rounds
expect_out "moderated"
pass
