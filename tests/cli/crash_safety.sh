#!/usr/bin/env bash
# SPEC §3: a write happens completely or not at all, also when the process is
# killed half-way. Kills (SIGKILL) `import` of a large file and `grade --file` of
# a long return at many delays spread over a whole run. Each kill starts from the
# same database (the "before" state); a run left alone gives the "after" state.
# After each kill the database passes integrity_check and its `.dump` is exactly
# the before or the after state, and the test shows where the kill landed:
#   inside the write transaction: at the kill another process saw SQLite's WAL
#     write lock held (taken by BEGIN IMMEDIATE, released by COMMIT), or the WAL
#     was left with frames past its last commit frame, and the database is the
#     before state (so the transaction had not committed);
#   before it: neither, and the database is the before state;
#   after its commit: the database is the after state.
# The test fails unless some kills of each command landed inside the transaction.
source "$SRC/tests/cli/lib.sh"
# The kills are timed against a real run; under valgrind (scripts/test --valgrind) the other tests
# check memory, this one keeps its timing.
unset CASEAUDIT_VALGRIND

# killer.py DB DELAY CMD...: starts CMD, and after DELAY seconds looks whether some process holds
# the WAL write lock of DB, kills CMD with SIGKILL if it is still running, then reads DB-wal before
# anything opens DB again. Prints: lock_held finished uncommitted_frames committed_frames.
cat > "$tmp/killer.py" <<'EOF'
import fcntl, os, signal, struct, subprocess, sys, time

# SQLite's WAL locks are POSIX locks on bytes of the -shm file from 120 on (os_unix.c:
# UNIX_SHM_BASE); the first, WAL_WRITE_LOCK, is held by the one writer from BEGIN IMMEDIATE
# to the end of COMMIT or ROLLBACK.
WAL_WRITE_LOCK = 120
FLOCK = 'hhqqi4x'  # struct flock on Linux (x86-64, aarch64): type, whence, start, len, pid

def write_lock_held(shm):
    try:
        fd = os.open(shm, os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        req = struct.pack(FLOCK, fcntl.F_WRLCK, os.SEEK_SET, WAL_WRITE_LOCK, 1, 0)
        return struct.unpack(FLOCK, fcntl.fcntl(fd, fcntl.F_GETLK, req))[0] != fcntl.F_UNLCK
    finally:
        os.close(fd)

def wal_frames(wal):
    """(complete frames of the WAL's current generation, of which up to its last commit frame).
    Format: sqlite.org/fileformat2.html#walformat. A frame belongs to the current generation when
    its salts are the header's; a commit frame has a non-zero database size. (Checksums are not
    recomputed: SIGKILL cannot tear a write() the process has made, as a power cut could.)"""
    try:
        data = open(wal, 'rb').read()
    except FileNotFoundError:
        return 0, 0
    if len(data) < 32:
        return 0, 0
    magic, _, pgsz, _, salt1, salt2 = struct.unpack('>6I', data[:24])
    if magic not in (0x377f0682, 0x377f0683):
        sys.exit('not a WAL file: ' + wal)
    off, n, committed = 32, 0, 0
    while off + 24 + pgsz <= len(data):
        _, db_size, s1, s2 = struct.unpack('>4I', data[off:off + 16])
        if (s1, s2) != (salt1, salt2):
            break
        n += 1
        if db_size:
            committed = n
        off += 24 + pgsz
    return n, committed

if sys.argv[1] == '--probe':  # the lock check alone, to test the test
    print(int(write_lock_held(sys.argv[2] + '-shm')))
    sys.exit(0)
db, delay, cmd = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
time.sleep(delay)
held = write_lock_held(db + '-shm')
finished = p.poll() is not None
if not finished:
    p.send_signal(signal.SIGKILL)
p.wait()
n, committed = wal_frames(db + '-wal')
print(int(held), int(finished), n - committed, committed)
EOF

dump_sum() { sqlite3 "$db" .dump | sha256sum | cut -d' ' -f1; }
restore() { cp "$tmp/before.db" "$db"; rm -f "$db-wal" "$db-shm"; }
now() { date +%s.%N; }

# The lock probe itself: it sees no lock on an idle database, and sees one that a writer holds.
printf 'case_id,date_of_birth,plan_type,team,worker\n1,01/01/2015,CP,North,Ann\n' > "$tmp/one.csv"
expect_exit 0 ca import "$tmp/one.csv" --as-of 01/09/2026
[ "$(python3 "$tmp/killer.py" --probe "$db")" = 0 ] || fail "the probe sees a write lock on an idle database"
mkfifo "$tmp/hold"
sqlite3 "$db" < "$tmp/hold" > /dev/null &
holder=$!
exec 7> "$tmp/hold"
echo "BEGIN IMMEDIATE;" >&7
for _ in $(seq 50); do [ "$(python3 "$tmp/killer.py" --probe "$db")" = 1 ] && break; sleep 0.1; done
[ "$(python3 "$tmp/killer.py" --probe "$db")" = 1 ] || fail "the probe does not see the write lock of a writer"
echo "ROLLBACK;" >&7
exec 7>&-
wait "$holder"
[ "$(python3 "$tmp/killer.py" --probe "$db")" = 0 ] || fail "the probe still sees a write lock after ROLLBACK"

# kill_series LABEL N CMD...: kills CMD (on $db, restored from $tmp/before.db each time) N times,
# at delays spread from 0 to 1.1 times a full run, and checks and counts where each kill landed.
kill_series() {
  local label=$1 n=$2; shift 2
  restore
  local before; before=$(dump_sum)
  local t0; t0=$(now)
  "$CASEAUDIT" --db "$db" "$@" > /dev/null 2>&1 || fail "$label: the command fails when not killed"
  local run; run=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { print b - a }')
  local after; after=$(dump_sum)
  [ "$after" != "$before" ] || fail "$label: the command changed nothing"
  local inside=0 held_n=0 wal_n=0 early=0 late=0 k held finished uncommitted committed state sum inside_at=
  for k in $(seq "$n"); do
    restore
    local delay; delay=$(awk -v r="$run" -v k="$k" -v n="$n" 'BEGIN { printf "%.3f", r * 1.1 * k / n }')
    read -r held finished uncommitted committed < <(python3 "$tmp/killer.py" "$db" "$delay" "$CASEAUDIT" --db "$db" "$@")
    [ "$(sqlite3 "$db" 'PRAGMA integrity_check')" = ok ] || fail "$label: integrity_check failed after a kill at ${delay}s"
    sum=$(dump_sum)
    if [ "$sum" = "$before" ]; then state=before
    elif [ "$sum" = "$after" ]; then state=after
    else fail "$label: after a kill at ${delay}s the database is neither the before nor the after state"
    fi
    [ "$finished" = 0 ] || [ "$state" = after ] || fail "$label: the command finished but its change is not there"
    # frames past the last commit and no commit at all: the transaction cannot have landed
    if [ "$uncommitted" -gt 0 ] && [ "$committed" = 0 ]; then
      [ "$state" = before ] || fail "$label: the WAL held no commit, yet the change is there"
    fi
    if [ "$state" = after ]; then
      late=$((late + 1))
    elif [ "$held" = 1 ] || [ "$uncommitted" -gt 0 ]; then
      inside=$((inside + 1))
      inside_at=${inside_at:-$delay}
      [ "$held" = 1 ] && held_n=$((held_n + 1))
      [ "$uncommitted" -gt 0 ] && wal_n=$((wal_n + 1))
    else
      early=$((early + 1))
    fi
  done
  echo "$label (a run takes ${run}s): $inside of $n kills landed inside the write transaction" \
       "(write lock held at the kill: $held_n; uncommitted WAL frames left: $wal_n), $early before it, $late after its commit"
  [ "$inside" -ge 1 ] || fail "$label: no kill landed inside the write transaction"
  # and after a kill inside the transaction the command, run again, lands whole
  restore
  python3 "$tmp/killer.py" "$db" "$inside_at" "$CASEAUDIT" --db "$db" "$@" > /dev/null
  if [ "$(dump_sum)" = "$before" ]; then
    "$CASEAUDIT" --db "$db" "$@" > /dev/null 2>&1 || fail "$label: the command fails after a kill"
  fi
  [ "$(dump_sum)" = "$after" ] || fail "$label: the command run after a kill did not give the after state"
}

# A 200,000-row import into a database that holds one small snapshot.
"$BIN/gen_bench" cases 200000 > "$tmp/big.csv"
cp "$db" "$tmp/before.db"
kill_series "import of 200,000 rows" 12 import "$tmp/big.csv" --as-of 02/10/2026

# A long grade return: 6,000 grades of a round drawn from 10,000 cases (a run under
# AddressSanitizer takes some seconds; the test's own limit is 300).
rm -f "$db" "$db-wal" "$db-shm"
"$BIN/gen_bench" cases 10000 > "$tmp/mid.csv"
expect_exit 0 ca import "$tmp/mid.csv" --as-of 01/11/2026
printf 'name,roles\nAnn Auditor,auditor\n' > "$tmp/people.csv"; expect_exit 0 ca people import "$tmp/people.csv"   # the register (SPEC §6)
expect_exit 0 ca sample 2026-11 --size 6000 --seed 7
expect_exit 0 ca list 2026-11 --format csv -o "$tmp/list.csv"
awk -F, 'BEGIN { OFS = "," } NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; print; next }
         { $col["grade"] = "Good"; $col["audit_date"] = "20/11/2026"; $col["auditor"] = "Ann Auditor"; print }' \
  "$tmp/list.csv" > "$tmp/return.csv"
cp "$db" "$tmp/before.db"
kill_series "grade --file of 6,000 rows" 8 grade 2026-11 --file "$tmp/return.csv"
[ "$(q 'SELECT count(*) FROM audit')" = 6000 ] || fail "grade --file after the kills did not land"
pass
