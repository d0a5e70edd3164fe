#!/usr/bin/env bash
# Regenerates sample-data/ (or writes it to OUT): the case lists and auditors
# (gen_sample), then two quarters of audit and moderation returns drawn and filled
# in by running the real commands (tests/gen/cycle.sh with gen_returns).
#   tests/gen/make_sample_data.sh BUILD_DIR [OUT]
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "$1" && pwd)
data=${2:-$src/sample-data}
mkdir -p "$data"
data=$(cd "$data" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CASEAUDIT_NOW=2026-11-24T10:00:00Z USER=qa.lead
gen=$build mode=generate
ca() { "$build/caseaudit" --db "$work/t.db" "$@"; }
say() { :; }
"$build/gen_sample" "$data" 2>/dev/null
source "$src/tests/gen/cycle.sh"
sample_history >/dev/null
