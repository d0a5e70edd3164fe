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
# The people register (SPEC §6): the auditors with their roles, an auditor who also manages a
# team (Paula Evans), a stand-in who is allocated nothing (Grace Okafor, capacity 0), the two senior
# managers who moderate and the QA lead. One team is spelt in another case, as people do.
cat > "$data/people.csv" <<'PEOPLE'
name,team,roles,email,capacity,active
Helen Ackroyd,Assessment Team North,auditor,helen.ackroyd@northmoor.example,,yes
Marcus Bell,Assessment Team South,auditor,marcus.bell@northmoor.example,,yes
Nadia Choudhury,"Children in Need, East",auditor,nadia.choudhury@northmoor.example,,yes
Owen Driscoll,"children in need, west",auditor,owen.driscoll@northmoor.example,,yes
Paula Evans,Child Protection 1,auditor;manager,paula.evans@northmoor.example,,yes
Rashid Farooq,Child Protection 2,auditor,rashid.farooq@northmoor.example,,yes
Sarah Goodwin,Children in Care 1,auditor,sarah.goodwin@northmoor.example,6,yes
Tom Hargreaves,Children in Care 2,auditor,tom.hargreaves@northmoor.example,,yes
Usha Iyer,Leaving Care Team,auditor,usha.iyer@northmoor.example,4,yes
Victor Jameson,Early Help Hub,auditor,victor.jameson@northmoor.example,,yes
Wendy Kaur,,auditor;qa-lead,wendy.kaur@northmoor.example,,yes
Liam Ashworth,Assessment Team North,auditor,liam.ashworth@northmoor.example,5,yes
Grace Okafor,Children in Care 1,auditor,grace.okafor@northmoor.example,0,yes
Julia Whitcombe,,manager,julia.whitcombe@northmoor.example,,yes
Declan Moss,,manager,declan.moss@northmoor.example,,yes
PEOPLE
source "$src/tests/gen/cycle.sh"
sample_history >/dev/null
