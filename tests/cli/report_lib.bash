# report_lib.sh: shared by the report's print tests (sourced after lib.sh).

# need_package COMMAND PACKAGE: installs PACKAGE (Debian, no recommends) when COMMAND
# is missing, as scripts/bootstrap does; when it truly cannot be installed the test
# is skipped (exit 77, which ctest reports as skipped, never as passed), saying why.
need_package() {
  command -v "$1" >/dev/null && return 0
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  { DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$2" ||
    { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
      --no-install-recommends "$2"; }; } >"$tmp/apt.log" 2>&1
  command -v "$1" >/dev/null && return 0
  echo "SKIP: $name: the Debian package $2 could not be installed (apt-get says: $(tail -1 "$tmp/apt.log"))" >&2
  exit 77
}

# need_package_soft PACKAGE: tries to install PACKAGE; no matter if it cannot be.
need_package_soft() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$1" >/dev/null 2>&1 || true
}

# sample_quarter: the sample council's two quarters (tests/gen/cycle.sh on sample-data/,
# as scripts/demo runs them) in the test's database, with the council's name set.
sample_quarter() {
  local data=$SRC/sample-data mode=use work=$tmp
  say() { :; }
  export CASEAUDIT_NOW=2026-11-24T10:00:00Z
  source "$SRC/tests/gen/cycle.sh"
  sample_history >/dev/null 2>&1 || fail "the sample quarter could not be built"
  ca people import "$data/people.csv" >/dev/null 2>&1 || true
  expect_exit 0 ca settings council "Northmoor Borough Council"
}
