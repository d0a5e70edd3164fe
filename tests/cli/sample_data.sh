#!/usr/bin/env bash
# sample-data/ is what its generator makes (tests/gen/make_sample_data.sh), byte for
# byte, and its quarter shows what SPEC §12 says: 125 audits; final grades good 21%,
# requires improvement 67%, inadequate 11%; 17% of moderated audits downgraded,
# most often from good to requires improvement.
source "$SRC/tests/cli/lib.sh"
"$SRC/tests/gen/make_sample_data.sh" "$BIN" "$tmp/data"
for f in "$SRC"/sample-data/*.csv; do
  cmp -s "$f" "$tmp/data/$(basename "$f")" || fail "$(basename "$f") differs from what the generator makes"
done
[ "$(ls "$tmp/data"/*.csv | wc -l)" = "$(ls "$SRC"/sample-data/*.csv | wc -l)" ] || fail "file count differs"

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
