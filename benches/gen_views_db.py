#!/usr/bin/env python3
"""Builds the views benchmark database: 1,000,000 cases, 20,000 of them open
across 50 owners (plus the queue), written straight with SQL into a database
that `casebook init` created (so the schema is the real one).

    benches/gen_views_db.py CASEBOOK_BINARY DB_PATH

Deterministic (fixed seed); takes well under a minute.
"""
import os
import random
import sqlite3
import subprocess
import sys
import time

TOTAL = 1_000_000
OPEN = 20_000
OWNERS = 50
ACCOUNTS = 500
# The benchmark's clock: Monday 23 November 2026, 09:00 New York.
NOW = 1795442400
DAY = 86400

STATUSES_OPEN = ["New", "In Progress", "On Hold", "Waiting for Details",
                 "Waiting for Account Manager", "Waiting for Support"]
PRIORITIES = ["Standard"] * 6 + ["Expedited"] * 3 + ["P1", "P2", "P3", "P4"]
SUBJECTS = ["Phones drop calls", "Quote for handsets", "Change of address",
            "Disconnect two lines", "New fax line", "Invoice question",
            "Port numbers from old carrier", "Voicemail not working"]


def main():
    binary, db = sys.argv[1], sys.argv[2]
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    # An empty config: every key at its default (a named config must exist).
    config = db + ".config.toml"
    open(config, "w").close()
    env = dict(os.environ, CASEBOOK_DB=db, CASEBOOK_CONFIG=config)
    subprocess.run([binary, "init"], env=env, check=True, stdout=subprocess.DEVNULL)
    started = time.perf_counter()
    rnd = random.Random(20261123)
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA synchronous = OFF")
    handles = [f"am{i:02d}" for i in range(OWNERS)]
    con.executemany(
        "INSERT INTO people (handle, name, email, roles, pool, created_at) VALUES (?, ?, ?, 'am', 1, ?)",
        [(h, f"Account Manager {h[2:]}", f"{h}@desk.example", NOW) for h in handles])
    con.executemany(
        "INSERT INTO accounts (id, name, tier, created_at) VALUES (?, ?, ?, ?)",
        [(i, f"Account {i:04d}", rnd.choice(["Gold", "Silver", "Bronze", "Standard"]), NOW)
         for i in range(1, ACCOUNTS + 1)])
    open_ids = set(rnd.sample(range(1, TOTAL + 1), OPEN))

    def rows():
        for i in range(1, TOTAL + 1):
            opened = NOW - rnd.randint(3600, 5 * 365 * DAY) if i not in open_ids \
                else NOW - rnd.randint(3600, 30 * DAY)
            creator = None if rnd.random() < 0.05 else rnd.choice(handles)
            if i in open_ids:
                owner = None if rnd.random() < 0.04 else rnd.choice(handles)
                status = "New" if owner is None else rnd.choice(STATUSES_OPEN)
                # About a quarter overdue, the rest due over the next two weeks.
                next_due = NOW - rnd.randint(60, 10 * DAY) if rnd.random() < 0.25 \
                    else NOW + rnd.randint(60, 14 * DAY)
                closed = None
                first_due = opened + DAY
            else:
                owner = rnd.choice(handles)
                status = "Closed"
                next_due = None
                first_due = None
                closed = opened + rnd.randint(3600, 20 * DAY)
            yield (i, rnd.choice(SUBJECTS), rnd.randint(1, ACCOUNTS), rnd.choice(PRIORITIES),
                   status, owner, creator, opened, closed or opened, opened, closed,
                   first_due, next_due)

    con.executemany(
        """INSERT INTO cases (id, subject, account_id, priority, status, owner, creator, opened_at,
               updated_at, status_changed_at, closed_at, first_contact_due, next_due)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", rows())
    con.commit()
    con.close()
    print(f"wrote {TOTAL} cases ({OPEN} open, {OWNERS} owners) to {db} "
          f"in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
