#!/bin/sh
# Bulk import against the floor's batch rate (not a test): the floor
# (../shared/bench/floor, `floor-batch N`) parses N generated messages and
# stores them with an FTS5 index in one transaction; casebook imports the
# same N messages, written to an mbox, with `casebook ingest --mbox` into a
# fresh desk (an empty config: every default). Rounds alternate floor and
# casebook, each on fresh databases; the medians of the rates are compared.
# casebook's rate is whole-process (reading and splitting the mbox
# included); the floor's excludes making its messages.
#
# usage: benches/bulk.sh [N] [ROUNDS] [DIR]
#   N       messages (default 100000; the floor's are about 2 KB each)
#   ROUNDS  floor/casebook pairs (default 3)
#   DIR     where the databases and the mbox go (default a temp folder)
# CASEBOOK_BIN=path measures that binary; FLOOR_BATCH=path uses a floor-batch
# already built. Record the figures in benches/RESULTS-delivery.md.
set -eu
N=${1:-100000}
ROUNDS=${2:-3}
DIR=${3:-$(mktemp -d)}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$DIR"
. "$ROOT/benches/setup.sh"
casebook_into_dir
floor_into_dir floor-batch "${FLOOR_BATCH:-}"
: >"$DIR/empty.toml"
echo "machine: $(nproc) cores, $(uname -sr), load $(cut -d' ' -f1-3 /proc/loadavg); files in $DIR"

python3 - "$BIN" "$FLOOR" "$DIR" "$N" "$ROUNDS" <<'PY'
import os, re, statistics, subprocess, sys, time
binary, floor, folder, n, rounds = sys.argv[1:6]
n, rounds = int(n), int(rounds)
mbox = os.path.join(folder, "floor.mbox")
# The floor's messages exactly as floor-batch makes them (src/batch.rs).
with open(mbox, "w", newline="") as f:
    body = "Please help with the phones on our account. " * 40
    for i in range(n):
        f.write(f"From c{i}@cust{i % 500}.example Mon Nov 23 09:00:00 2026\n")
        f.write(f"From: Customer {i} <c{i}@cust{i % 500}.example>\r\nTo: cases@example.com\r\n"
                f"Subject: Request number {i} about our phones\r\nMessage-ID: <m{i}@x>\r\n"
                f"Date: Mon, 23 Nov 2026 09:00:00 +0000\r\nContent-Type: text/plain\r\n\r\n{body}\r\n\n")

def fresh(db):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)

def floor_rate():
    db = os.path.join(folder, "floor.db"); fresh(db)
    out = subprocess.run([floor, str(n)], env=dict(os.environ, DB=db), capture_output=True, text=True, check=True)
    return float(re.search(r"= (\d+) msg/s", out.stdout).group(1))

def casebook_rate():
    db = os.path.join(folder, "desk.db"); fresh(db)
    env = dict(os.environ, CASEBOOK_DB=db, CASEBOOK_CONFIG=os.path.join(folder, "empty.toml"),
               CASEBOOK_NOW="2026-11-23T14:00:00Z")
    subprocess.run([binary, "init"], env=env, capture_output=True, check=True)
    t0 = time.perf_counter()
    out = subprocess.run([binary, "ingest", "--mbox", mbox], env=env, capture_output=True, text=True)
    s = time.perf_counter() - t0
    if out.returncode != 0 or f"{n} created" not in out.stdout:
        sys.exit(f"casebook: exit {out.returncode}: {out.stdout[-300:]!r} {out.stderr[-300:]!r}")
    return n / s

rates = {"floor": [], "casebook": []}
for _ in range(rounds):
    rates["floor"].append(floor_rate())
    rates["casebook"].append(casebook_rate())
med = {k: statistics.median(v) for k, v in rates.items()}
for k, v in rates.items():
    print(f"{k:8}: {n} messages, {rounds} rounds, median {med[k]:,.0f} msg/s ({', '.join(f'{r:,.0f}' for r in v)})")
print(f"ratio casebook/floor (median rates): {med['casebook'] / med['floor']:.2f}x")
PY
