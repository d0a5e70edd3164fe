#!/usr/bin/env bash
# sample-data/ is what its generator makes (tests/gen/make_sample_data.sh), byte for
# byte; cases.csv and the Annex A lists 6-9 each import to the summary that gen_sample
# predicts (and sample-data/README.md states), with the same open children and plans;
# and its quarter shows what SPEC §12 says: 125 audits; final grades good 21%,
# requires improvement 67%, inadequate 11%; 17% of moderated audits downgraded,
# most often from good to requires improvement.
source "$SRC/tests/cli/lib.sh"
"$SRC/tests/gen/make_sample_data.sh" "$BIN" "$tmp/data"
for f in "$SRC"/sample-data/*.csv; do
  cmp -s "$f" "$tmp/data/$(basename "$f")" || fail "$(basename "$f") differs from what the generator makes"
done
[ "$(ls "$tmp/data"/*.csv | wc -l)" = "$(ls "$SRC"/sample-data/*.csv | wc -l)" ] || fail "file count differs"

# Each set, imported as at 01/11/2026, gives exactly the summary that the generator
# works out by SPEC §4's rules and that sample-data/README.md states.
mkdir "$tmp/gen"
"$BIN/gen_sample" "$tmp/gen" 2>"$tmp/gen.err" || fail "gen_sample failed"
predicted() { sed -n "s/^gen_sample: $1: //p" "$tmp/gen.err" | grep -E '^(Rows read|Open cases)'; }
check_import() { # LABEL EXPECTED_ROWS_LINE EXPECTED_OPEN_LINE FILE...
  local label=$1 rows=$2 open=$3; shift 3
  [ "$(predicted "$label")" = "$(printf '%s\n%s' "$rows" "$open")" ] ||
    fail "gen_sample predicts for $label: $(predicted "$label")"
  db=$tmp/$label.db
  expect_exit 0 ca import "$@" --as-of 01/11/2026
  [ "$(grep -E '^(Rows read|Open cases)' "$tmp/out")" = "$(predicted "$label")" ] ||
    fail "import of $label does not give what gen_sample predicts: $(predicted "$label")"
}
check_import cases.csv "Rows read 1590, cases 1590, merged 0, closed 90" \
  "Open cases 1500: EH 47, CIN 654, CP 247, CLA 387, CL 165" "$SRC/sample-data/cases.csv"
check_import annex-a-list6-9 "Rows read 2298, cases 1531, merged 767, closed 78" \
  "Open cases 1453: EH 0, CIN 654, CP 247, CLA 387, CL 165" "$SRC"/sample-data/annex-a-list{6,7,8,9}.csv
# The same open children with the same plans, whichever set was imported (lists 6-9 hold no early help).
q "SELECT case_id, plan_type FROM snapshot_case WHERE NOT closed AND plan_type <> 'EH' ORDER BY 1" > "$tmp/annex.open"
db=$tmp/cases.csv.db
q "SELECT case_id, plan_type FROM snapshot_case WHERE NOT closed AND plan_type <> 'EH' ORDER BY 1" > "$tmp/cases.open"
[ -s "$tmp/cases.open" ] && cmp -s "$tmp/annex.open" "$tmp/cases.open" ||
  fail "the Annex A lists and cases.csv give different open cases or plan types"
db=$tmp/t.db

export USER=qa.lead CASEAUDIT_NOW=2026-11-24T10:00:00Z
data=$SRC/sample-data mode=use work=$tmp
say() { :; }
source "$SRC/tests/gen/cycle.sh"
sample_history > /dev/null
expect_exit 0 ca report --quarter 2026Q3 --format json
python3 - "$tmp/out" <<'PY' || fail "the sample quarter does not show what SPEC §12 says"
import json, sys
r = json.load(open(sys.argv[1]))
f = r["grades"]["final"]; m = r["moderation"]
assert r["audits"] == 125, r["audits"]
assert round(f["good"]["p"] * 100) == 21 and round(f["requires_improvement"]["p"] * 100) == 67
assert round(f["inadequate"]["p"] * 100) == 11
assert round(m["downgraded"]["p"] * 100) == 17, m["downgraded"]
assert m["most_common_downgrade"]["from"] == "good" and m["most_common_downgrade"]["to"] == "requires_improvement"
assert len(r["trend"]) == 2 and r["trend"][1]["label"] == "2026Q2"
PY
expect_exit 0 ca report --quarter 2026Q3 --format md
expect_out "125 audits were completed; 1% were outstanding, 21% were good, 67% required improvement and 11% were inadequate. Moderation downgraded 17% of the 35 audits it reviewed, most often from good to requires improvement."
pass
