#!/bin/sh
# One delivery against the floor program, as procmail runs them: one
# process per message, casebook's `ingest < msg` and the floor's
# `floor-one < msg` (read stdin, parse, one fsynced SQLite insert) in turn,
# a fresh Message-ID each run. Prints both medians, their ratio, and the
# instructions of one run of each under callgrind.
#
# usage: benches/one_delivery.sh [RUNS] [DIR]
#   RUNS  runs of each (default 200)
#   DIR   where the databases go (default a temp folder)
set -eu
RUNS=${1:-200}
DIR=${2:-$(mktemp -d)}
mkdir -p "$DIR"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${CASEBOOK_SHARED:-$ROOT/../shared}
cargo build --release --manifest-path "$ROOT/Cargo.toml" >&2
rm -rf "$DIR/floor" && cp -r "$SHARED/bench/floor" "$DIR/floor"
cargo build --release --manifest-path "$DIR/floor/Cargo.toml" >&2
BIN="$DIR/casebook"
cp "${CARGO_TARGET_DIR:-$ROOT/target}/release/casebook" "$BIN"
export CASEBOOK_DB="$DIR/desk.db" CASEBOOK_CONFIG="$DIR/none.toml" HOME="$DIR"
: >"$CASEBOOK_CONFIG"
rm -f "$CASEBOOK_DB" "$DIR/floor.db"
"$BIN" init >/dev/null
"$BIN" people import "$ROOT/samples/people.csv" >/dev/null
"$BIN" accounts import "$ROOT/samples/accounts.csv" >/dev/null
echo "machine: $(nproc) cores, $(uname -sr), load $(cut -d' ' -f1-3 /proc/loadavg); databases in $DIR"
python3 - "$BIN" "$DIR/floor/target/release/floor-one" "$DIR" "$RUNS" <<'PY'
import os, statistics, subprocess, sys, time
casebook, floor, folder, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
MSG = ("From: Maria Chen <mchen@contoso-dental.example>\nTo: cases@northwind-voice.example\n"
       "Subject: Quote for additional phones - run {i}\nDate: Mon, 23 Nov 2026 09:00:00 -0500\n"
       "Message-ID: <{who}-{i}-{pid}@bench.example>\nMIME-Version: 1.0\n"
       "Content-Type: text/plain; charset=utf-8\n\n"
       "Hello,\n\nWe need a quote for twelve more handsets at the Elm Street office.\n\nMaria\n")
floor_env = dict(os.environ, DB=os.path.join(folder, "floor.db"))
def once(cmd, env, who, i, wrap=()):
    data = MSG.format(who=who, i=i, pid=os.getpid()).encode()
    t0 = time.perf_counter()
    out = subprocess.run([*wrap, *cmd], input=data, env=env, capture_output=True)
    dt = (time.perf_counter() - t0) * 1000
    if out.returncode != 0:
        sys.exit(f"{cmd[0]} exited {out.returncode}: {out.stderr.decode()}")
    return dt, out
ours, theirs = [], []
for i in range(runs):
    ours.append(once([casebook, "ingest"], os.environ, "cb", i)[0])
    theirs.append(once([floor], floor_env, "fl", i)[0])
a, b = statistics.median(ours), statistics.median(theirs)
print(f"one delivery, median of {runs} interleaved: casebook {a:.2f} ms, floor {b:.2f} ms, ratio {a / b:.2f}x")
def instructions(cmd, env, who):
    _, out = once(cmd, env, who, runs, wrap=("valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"))
    for line in out.stderr.decode().splitlines():
        if "refs:" in line:
            return int(line.split()[-1].replace(",", ""))
ci, fi = instructions([casebook, "ingest"], os.environ, "cbv"), instructions([floor], floor_env, "flv")
print(f"instructions (callgrind, whole process): casebook {ci / 1e6:.2f} M, floor {fi / 1e6:.2f} M")
PY
