#!/bin/sh
# The fixed cost of one delivery (not a test): `casebook ingest < msg`, one
# process per message as procmail runs it, into an existing desk set up like
# samples/ (config, people, accounts), against the floor program
# (../shared/bench/floor: parse, open SQLite in WAL with synchronous=FULL,
# insert, commit) in the same interleaved run.
#
# usage: benches/one_delivery.sh [RUNS] [CG_RUNS] [DIR]
#   RUNS     interleaved casebook/floor pairs for the wall-time medians (default 200)
#   CG_RUNS  deliveries counted under callgrind, one after another (default 30;
#            the WAL grows and is checkpointed meanwhile, so the count varies a
#            little from one delivery to the next: the median is printed)
#   DIR      where the databases go (default a temp folder)
# CASEBOOK_BIN=path measures that binary instead of building this checkout
# (a before/after comparison); FLOOR_BIN=path uses a floor-one already built.
# Otherwise the floor is copied from $CASEBOOK_SHARED/bench/floor (default ../shared
# beside the checkout) into DIR and built there.
# CONFIG=empty uses an empty config file (every default) instead of samples/'s.
# Record the figures in benches/RESULTS-delivery.md.
set -eu
RUNS=${1:-200}
CG_RUNS=${2:-30}
DIR=${3:-$(mktemp -d)}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$DIR"
. "$ROOT/benches/setup.sh"
casebook_into_dir
floor_into_dir floor-one "${FLOOR_BIN:-}"

samples_desk "${CONFIG:-samples}"
rm -f "$DIR/floor.db"*
echo "machine: $(nproc) cores, $(uname -sr), load $(cut -d' ' -f1-3 /proc/loadavg); databases in $DIR"

python3 - "$BIN" "$FLOOR" "$DIR" "$RUNS" "$CG_RUNS" "$ROOT/benches" <<'PY'
import os, re, statistics, subprocess, sys, time
binary, floor, folder, runs, cg_runs, benches = sys.argv[1:7]
runs, cg_runs = int(runs), int(cg_runs)
sys.path.insert(0, benches)
from one_message import MSG  # the message benches/one_message.py delivers

floor_env = dict(os.environ, DB=os.path.join(folder, "floor.db"))
seq = iter(range(10**9))

def message():
    return MSG.format(i=next(seq), pid=os.getpid()).encode()

def casebook(data):
    out = subprocess.run([binary, "ingest"], input=data, capture_output=True)
    if out.returncode != 0 or not out.stdout.startswith(b"created #"):
        sys.exit(f"casebook: exit {out.returncode}: {out.stdout!r} {out.stderr!r}")

def floor_one(data):
    out = subprocess.run([floor], input=data, env=floor_env, capture_output=True)
    if out.returncode != 0:
        sys.exit(f"floor: exit {out.returncode}: {out.stderr!r}")

# A few deliveries first, so the desk is an existing one with a WAL in use.
for _ in range(5):
    casebook(message())
    floor_one(message())

def instructions(cmd, env=None):
    out = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"] + cmd,
        input=message(), env=env, capture_output=True)
    if out.returncode != 0:
        sys.exit(f"{cmd[0]} under callgrind: exit {out.returncode}: {out.stderr[-500:]!r}")
    return int(re.search(rb"refs:\s+([\d,]+)", out.stderr).group(1).replace(b",", b""))

cb = sorted(instructions([binary, "ingest"]) for _ in range(cg_runs))
fl = sorted(instructions([floor], floor_env) for _ in range(max(3, cg_runs // 5)))
print(f"instructions (callgrind, {cg_runs} deliveries): casebook median {statistics.median(cb) / 1e6:.2f} M "
      f"(min {cb[0] / 1e6:.2f}, max {cb[-1] / 1e6:.2f}); floor median {statistics.median(fl) / 1e6:.2f} M")

times = {"casebook": [], "floor": []}
for i in range(runs):
    for name, run in (("casebook", casebook), ("floor", floor_one)):
        data = message()
        t0 = time.perf_counter()
        run(data)
        times[name].append((time.perf_counter() - t0) * 1000)
med = {k: statistics.median(v) for k, v in times.items()}
for k, v in times.items():
    v.sort()
    print(f"{k:8}: {runs} runs, median {med[k]:.2f} ms, p10 {v[len(v) // 10]:.2f} ms, p90 {v[len(v) * 9 // 10]:.2f} ms")
print(f"ratio casebook/floor (medians): {med['casebook'] / med['floor']:.2f}x")
PY
