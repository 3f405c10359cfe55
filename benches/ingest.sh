#!/bin/sh
# The ingest benchmark (not a test): bulk import of N generated messages
# (--mbox, building a database of about N cases), then one message at a
# time through `casebook ingest < msg` against that database.
#
# usage: benches/ingest.sh [N] [RUNS] [DIR]
#   N     messages to import in bulk (default 100000)
#   RUNS  single-message runs for the median (default 200)
#   DIR   where the database goes (default a temp folder; try /dev/shm to
#         take the disk's fsync out of the figures)
# Record the figures in benches/RESULTS.md.
set -eu
N=${1:-100000}
RUNS=${2:-200}
DIR=${3:-$(mktemp -d)}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
: "${CARGO_TARGET_DIR:=$ROOT/target}"
cargo build --release --manifest-path "$ROOT/Cargo.toml" >&2
BIN="$DIR/casebook"
cp "$CARGO_TARGET_DIR/release/casebook" "$BIN"
# A shared target folder may hold another checkout's binary: make sure it is this one.
"$BIN" ingest --help | grep -q -- --maildir || { echo "the release binary is not this checkout's; rebuild" >&2; exit 1; }
export CASEBOOK_DB="$DIR/bench.db" CASEBOOK_CONFIG="$DIR/none.toml" CASEBOOK_NOW=2026-11-23T14:00:00Z
rm -f "$CASEBOOK_DB" "$CASEBOOK_DB-wal" "$CASEBOOK_DB-shm"
"$BIN" people import "$ROOT/samples/people.csv" >/dev/null
"$BIN" accounts import "$ROOT/samples/accounts.csv" >/dev/null
python3 "$ROOT/benches/gen_mbox.py" "$N" "$DIR/bench.mbox"
echo "machine: $(nproc) cores, $(uname -sr), load $(cut -d' ' -f1-3 /proc/loadavg); database in $DIR"
python3 - "$BIN" "$DIR/bench.mbox" "$N" <<'PY'
import subprocess, sys, time
binary, mbox, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
import resource
t0 = time.perf_counter()
out = subprocess.run([binary, "ingest", "--mbox", mbox], capture_output=True, text=True)
dt = time.perf_counter() - t0
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = ru.ru_utime + ru.ru_stime
if out.returncode != 0:
    sys.exit(out.stderr)
print(f"bulk --mbox: {out.stdout.strip()}")
print(f"bulk --mbox: {n} messages in {dt:.2f} s wall = {n / dt:,.0f} messages/second")
print(f"bulk --mbox: {cpu:.2f} s CPU (user+sys) = {n / cpu:,.0f} messages/second of CPU")
PY
# Top the database up to N cases (replies and auto-replies made fewer), untimed.
CASES=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from cases').fetchone()[0])" "$CASEBOOK_DB")
if [ "$CASES" -lt "$N" ]; then
  python3 "$ROOT/benches/gen_mbox.py" $((N - CASES)) "$DIR/topup.mbox" --new-only --prefix topup
  "$BIN" ingest --mbox "$DIR/topup.mbox" >/dev/null
fi
echo "cases in the database: $(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from cases').fetchone()[0])" "$CASEBOOK_DB")"
python3 "$ROOT/benches/one_message.py" "$BIN" "$CASEBOOK_DB" "$RUNS"
