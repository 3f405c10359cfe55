#!/usr/bin/env python3
"""Times the open-work commands as whole processes on databases of growing
history (benches/growth.sh builds them), interleaved: each round runs every
command once on every database, so a busy moment hits all sizes alike.

    benches/growth.py CASEBOOK_BINARY DB_10K DB_100K DB_1M [ROUNDS] [COMMAND...]

COMMAND names the rows to run (as the tables name them, e.g. 'sweep
--dry-run'); all of them by default. One command alone keeps the others'
pages out of the cache between its runs.

Prints, per command, the median wall time and the peak RSS (ru_maxrss from
wait4, what /usr/bin/time -v reports as "Maximum resident set size") at each
size and the ratio 1M/100k, then the instructions of one run at each size
counted by `valgrind --tool=callgrind` (steady where wall time is noisy).
"""
import os
import re
import statistics
import subprocess
import sys
import time

NOW = "2026-11-23T14:00:00Z"
USER = "am07"
COMMANDS = [
    ("mine", ["--as", USER, "mine"]),
    ("owned", ["--as", USER, "owned"]),
    ("list", ["list"]),
    ("list --all --owner", ["list", "--all", "--owner", USER, "--limit", "50"]),
    ("overdue", ["overdue"]),
    ("due --within 4h", ["due", "--within", "4h"]),
    ("report", ["report"]),
    ("triage --dry-run", ["triage", "--dry-run"]),
    ("sweep --dry-run", ["sweep", "--dry-run"]),
    ("search fax --limit 50", ["search", "fax", "--limit", "50"]),
]


def env_for(db):
    config = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "samples", "config.toml")
    return {"PATH": os.environ.get("PATH", ""), "CASEBOOK_DB": db, "CASEBOOK_CONFIG": config,
            "CASEBOOK_NOW": NOW, "COLUMNS": "160", "NO_COLOR": "1", "HOME": "/tmp"}


def run_once(binary, db, args):
    t0 = time.perf_counter()
    proc = subprocess.Popen([binary, *args], env=env_for(db), stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)
    proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    dt = (time.perf_counter() - t0) * 1000
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{args} on {db} failed")
    return dt, usage.ru_maxrss / 1024


def instructions(binary, db, args):
    out = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                          binary, *args], env=env_for(db), stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True, check=True).stderr
    return int(re.search(r"Collected : (\d+)", out).group(1))


def main():
    binary, dbs = sys.argv[1], sys.argv[2:5]
    rounds = int(sys.argv[5]) if len(sys.argv) > 5 else 11
    only = sys.argv[6:]
    unknown = [c for c in only if c not in dict(COMMANDS)]
    if unknown:
        sys.exit(f"unknown command {unknown}: one of {[c for c, _ in COMMANDS]}")
    commands = [(c, a) for c, a in COMMANDS if not only or c in only]
    sizes = ["10k", "100k", "1M"]
    times = {(c, s): [] for c, _ in commands for s in sizes}
    rss = {(c, s): 0.0 for c, _ in commands for s in sizes}
    for _ in range(2):  # warm the page cache
        for _, args in commands:
            for db in dbs:
                run_once(binary, db, args)
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs, {rounds} rounds")
    for _ in range(rounds):
        for name, args in commands:
            for size, db in zip(sizes, dbs):
                dt, peak = run_once(binary, db, args)
                times[(name, size)].append(dt)
                rss[(name, size)] = max(rss[(name, size)], peak)
    print()
    print("| command | 10k ms | 100k ms | 1M ms | 1M/100k | peak RSS 1M MB |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, _ in commands:
        med = [statistics.median(times[(name, s)]) for s in sizes]
        print(f"| {name} | {med[0]:.1f} | {med[1]:.1f} | {med[2]:.1f} | {med[2] / med[1]:.2f}x "
              f"| {rss[(name, '1M')]:.1f} |")
    if os.environ.get("GROWTH_NO_CALLGRIND"):
        return
    print()
    print("| command | 10k instructions | 100k | 1M | 1M/100k |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, args in commands:
        n = [instructions(binary, db, args) for db in dbs]
        print(f"| {name} | {n[0] / 1e6:.1f} M | {n[1] / 1e6:.1f} M | {n[2] / 1e6:.1f} M "
              f"| {n[2] / n[1]:.2f}x |")


if __name__ == "__main__":
    main()
