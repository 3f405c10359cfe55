#!/usr/bin/env python3
"""Times the daily views as whole processes on the benchmark database.

    benches/gen_views_db.py target/release/casebook /tmp/views-bench.db
    benches/views.py target/release/casebook /tmp/views-bench.db [RUNS]

Each command runs twice to warm the page cache, then RUNS times (default 21);
the median wall time (time.perf_counter around the whole process, output
piped and read) is compared with the target. The median CPU time of the
process (user + system, from wait4) is shown too: on a busy machine the wall
time also counts waiting for a core. Also prints SQLite's query
plan for each view's query, which must use the partial indexes on open cases.
"""
import os
import sqlite3
import statistics
import subprocess
import sys
import time

NOW = "2026-11-23T14:00:00Z"
USER = "am07"
# (name, arguments, target in ms)
VIEWS = [
    ("mine", ["--as", USER, "mine"], 20),
    ("owned", ["--as", USER, "owned"], 20),
    ("overdue", ["overdue"], 50),
    ("due --within 4h", ["due", "--within", "4h"], 50),
    ("report", ["report"], 300),
    ("report --format html", ["report", "--format", "html"], 300),
    ("report --format json", ["report", "--format", "json"], 300),
]

SELECT = "SELECT c.id FROM cases c LEFT JOIN accounts a ON a.id = c.account_id"
PLANS = [
    ("mine", SELECT + " WHERE c.creator = 'am07' AND c.closed_at IS NULL"
     " ORDER BY c.next_due IS NULL, c.next_due, c.id"),
    ("owned", SELECT + " WHERE c.owner = 'am07' AND c.closed_at IS NULL"
     " ORDER BY c.next_due IS NULL, c.next_due, c.id"),
    ("overdue", SELECT + " WHERE c.closed_at IS NULL AND c.next_due < 1795442400"
     " ORDER BY c.owner IS NULL, c.owner, c.next_due IS NULL, c.next_due, c.id"),
    ("report", SELECT + " WHERE c.closed_at IS NULL AND c.creator IS NOT NULL"
     " ORDER BY c.owner IS NULL, c.owner, c.next_due IS NULL, c.next_due, c.id"),
]


def main():
    binary, db = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 21
    # The sample config: a Chicago calendar with yearly and dated holidays.
    config = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "samples", "config.toml")
    env = {"PATH": os.environ.get("PATH", ""), "CASEBOOK_DB": db,
           "CASEBOOK_CONFIG": config, "CASEBOOK_NOW": NOW,
           "COLUMNS": "160", "NO_COLOR": "1", "HOME": "/tmp"}
    con = sqlite3.connect(db)
    for name, sql in PLANS:
        plan = [r[3] for r in con.execute("EXPLAIN QUERY PLAN " + sql)]
        print(f"plan {name}: " + " | ".join(plan))
    con.close()
    print()
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print()
    print("| view | median wall ms | min wall ms | median CPU ms | target ms | lines out | |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for name, args, target in VIEWS:
        times, cpus = [], []
        lines = 0
        for i in range(runs + 2):
            t0 = time.perf_counter()
            proc = subprocess.Popen([binary, *args], env=env, stdout=subprocess.PIPE,
                                    stderr=subprocess.DEVNULL)
            out = proc.stdout.read()
            _, status, usage = os.wait4(proc.pid, 0)
            dt = (time.perf_counter() - t0) * 1000
            proc.returncode = os.waitstatus_to_exitcode(status)
            if proc.returncode != 0:
                sys.exit(f"{name} failed with {proc.returncode}")
            lines = out.count(b"\n")
            if i >= 2:
                times.append(dt)
                cpus.append((usage.ru_utime + usage.ru_stime) * 1000)
        med = statistics.median(times)
        verdict = "ok" if med < target else f"MISSED by {med - target:.1f} ms"
        print(f"| {name} | {med:.1f} | {min(times):.1f} | {statistics.median(cpus):.1f} | {target} | {lines} | {verdict} |")


if __name__ == "__main__":
    main()
