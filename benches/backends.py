#!/usr/bin/env python3
"""Run by benches/backends.sh: times SQLite and PostgreSQL in turn.

usage: backends.py BIN ROOT DIR PORT PGBIN N RUNS
"""
import os
import statistics
import subprocess
import sys
import time

BIN, ROOT, DIR, PORT, PGBIN, N, RUNS = sys.argv[1:8]
N, RUNS = int(N), int(RUNS)
NOW = "2026-11-23T14:00:00Z"
NONE = os.path.join(DIR, "none.toml")
open(NONE, "w").close()

MSG = (
    "From: Maria Chen <mchen@contoso-dental.example>\n"
    "To: cases@northwind-voice.example\n"
    "Subject: Quote for additional phones - run {i}\n"
    "Date: Mon, 23 Nov 2026 09:00:00 -0500\n"
    "Message-ID: <one-{i}-{tag}@bench.example>\n"
    "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n"
    "Hello,\n\nWe need a quote for twelve more handsets at the Elm Street office.\n\nMaria\n"
)


def psql(sql, db="postgres"):
    subprocess.run([os.path.join(PGBIN, "psql"), "-X", "-q", "-h", "127.0.0.1", "-p", PORT,
                    "-U", "postgres", "-d", db, "-c", sql], check=True)


def env(db):
    return dict(os.environ, CASEBOOK_DB=db, CASEBOOK_CONFIG=NONE, CASEBOOK_NOW=NOW)


def run(db, args, stdin=None):
    t0 = time.perf_counter()
    out = subprocess.run([BIN] + args, input=stdin, capture_output=True, env=env(db))
    dt = time.perf_counter() - t0
    if out.returncode != 0:
        sys.exit(f"{args} on {db}: {out.stderr.decode()}")
    return dt


def fresh(name):
    """A new desk with the sample team on each backend: (sqlite path, pg url)."""
    path = os.path.join(DIR, name + ".db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    psql(f"DROP DATABASE IF EXISTS {name}")
    psql(f"CREATE DATABASE {name}")
    url = f"postgres://postgres@127.0.0.1:{PORT}/{name}"
    for db in (path, url):
        run(db, ["init"])
        run(db, ["people", "import", os.path.join(ROOT, "samples/people.csv")])
        run(db, ["accounts", "import", os.path.join(ROOT, "samples/accounts.csv")])
    return path, url


def line(what, sqlite, pg, unit="ms"):
    print(f"{what:<28} SQLite {sqlite:9.1f} {unit}   PostgreSQL {pg:9.1f} {unit}   PostgreSQL/SQLite {pg / sqlite:5.2f}x")


# One delivery, interleaved: SQLite then PostgreSQL, then the other way round.
path, url = fresh("one")
times = {path: [], url: []}
for i in range(RUNS):
    order = (path, url) if i % 2 == 0 else (url, path)
    for db in order:
        tag = "s" if db == path else "p"
        times[db].append(run(db, ["ingest"], MSG.format(i=i, tag=tag).encode()) * 1000)
line(f"one delivery (median of {RUNS})", statistics.median(times[path]), statistics.median(times[url]))

# Bulk import, three runs each in turn.
mbox = os.path.join(DIR, "bulk.mbox")
subprocess.run([sys.executable, os.path.join(ROOT, "benches/gen_mbox.py"), str(N), mbox], check=True,
               stdout=subprocess.DEVNULL)
bulk = {"s": [], "p": []}
for r in range(3):
    path, url = fresh(f"bulk{r}")
    for key, db in (("s", path), ("p", url)) if r % 2 == 0 else (("p", url), ("s", path)):
        bulk[key].append(run(db, ["ingest", "--mbox", mbox]))
s, p = statistics.median(bulk["s"]), statistics.median(bulk["p"])
line(f"bulk import of {N} (median of 3)", N / s, N / p, "msg/s")

# The views at 1,000,000 cases.
views_db = os.path.join(DIR, "views.db")
if not os.path.exists(views_db):
    subprocess.run([sys.executable, os.path.join(ROOT, "benches/gen_views_db.py"), BIN, views_db], check=True,
                   stdout=subprocess.DEVNULL)
psql("DROP DATABASE IF EXISTS views")
psql("CREATE DATABASE views")
views_url = f"postgres://postgres@127.0.0.1:{PORT}/views"
t = run(views_db, ["migrate-to", views_url])
print(f"migrate-to of the 1,000,000-case desk: {t:.0f} s")
psql("VACUUM ANALYZE", "views")
VIEWS = [
    ("mine", ["--as", "am07", "mine"]),
    ("owned", ["--as", "am07", "owned"]),
    ("overdue", ["overdue"]),
    ("due --within 4h", ["due", "--within", "4h"]),
    ("report", ["report"]),
    ("search", ["search", "fax"]),
]
for name, args in VIEWS:
    for db in (views_db, views_url):
        run(db, args)  # warm the caches
    times = {views_db: [], views_url: []}
    for i in range(21):
        for db in (views_db, views_url) if i % 2 == 0 else (views_url, views_db):
            times[db].append(run(db, args) * 1000)
    line(f"{name} at 1M cases", statistics.median(times[views_db]), statistics.median(times[views_url]))
