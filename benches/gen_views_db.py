#!/usr/bin/env python3
"""Builds a benchmark database written straight with SQL into a database
that `casebook init` created (so the schema is the real one).

    benches/gen_views_db.py CASEBOOK_BINARY DB_PATH [--cases N] [--open K] [--history]

By default (the views benchmark): 1,000,000 cases, 20,000 of them open
across 50 owners (plus the queue), cases only. `--history` adds what a desk
accumulates around its cases (the growth benchmark, benches/growth.sh):
10 contacts per account (some typed in capitals), account managers on the
Silver-and-above accounts, an inbound message on every mailed case, the
acknowledgement in the outbox, the history events (created, assigned,
closed), a comment on every other case, sweep's candidates (Integration
cases, cases handed off, cases escalated to their AM with the escalation's
note and, on a quarter of them, a later comment) and the search index.

The open cases are drawn from their own random stream, so databases of
different sizes hold the same open set; only the closed history grows.
Deterministic (fixed seeds); 1,000,000 cases with history take a few minutes.
"""
import argparse
import os
import random
import sqlite3
import subprocess
import time

OWNERS = 50
ACCOUNTS = 500
CONTACTS_PER_ACCOUNT = 10
# The benchmark's clock: Monday 23 November 2026, 09:00 New York.
NOW = 1795442400
DAY = 86400

STATUSES_OPEN = ["New", "In Progress", "On Hold", "Waiting for Details",
                 "Waiting for Account Manager", "Waiting for Support"]
PRIORITIES = ["Standard"] * 6 + ["Expedited"] * 3 + ["P1", "P2", "P3", "P4"]
SUBJECTS = ["Phones drop calls", "Quote for handsets", "Change of address",
            "Disconnect two lines", "New fax line", "Invoice question",
            "Port numbers from old carrier", "Voicemail not working"]
WORDS = ("please call back the customer about their handsets invoice billing "
         "porting numbers voicemail greeting extension router firmware outage "
         "credit refund contract renewal address cabling headset queue").split()
FIRST = ["pat", "sam", "alex", "chris", "jo", "lee", "kim", "max", "robin", "terry"]


def contact(account, j):
    """The j-th contact of an account; every third one as a person typed it."""
    email = f"{FIRST[j]}.{account:04d}@customer{account:04d}.example"
    return email.capitalize() if j % 3 == 0 else email


def main():
    p = argparse.ArgumentParser()
    p.add_argument("binary")
    p.add_argument("db")
    p.add_argument("--cases", type=int, default=1_000_000)
    p.add_argument("--open", type=int, default=20_000)
    p.add_argument("--history", action="store_true")
    a = p.parse_args()
    total, n_open, db = a.cases, min(a.open, a.cases), a.db
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    # An empty config: every key at its default (a named config must exist).
    config = db + ".config.toml"
    open(config, "w").close()
    env = dict(os.environ, CASEBOOK_DB=db, CASEBOOK_CONFIG=config)
    subprocess.run([a.binary, "init"], env=env, check=True, stdout=subprocess.DEVNULL)
    started = time.perf_counter()
    rnd = random.Random(20261123)
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA synchronous = OFF")
    handles = [f"am{i:02d}" for i in range(OWNERS)]
    con.executemany(
        "INSERT INTO people (handle, name, email, roles, pool, created_at) VALUES (?, ?, ?, 'am', 1, ?)",
        [(h, f"Account Manager {h[2:]}", f"{h}@desk.example", NOW) for h in handles])
    tiers = [rnd.choice(["Gold", "Silver", "Bronze", "Standard"]) for _ in range(ACCOUNTS)]
    con.executemany(
        "INSERT INTO accounts (id, name, tier, account_manager, created_at) VALUES (?, ?, ?, ?, ?)",
        [(i, f"Account {i:04d}", tiers[i - 1],
          handles[i % OWNERS] if a.history and tiers[i - 1] in ("Gold", "Silver") else None, NOW)
         for i in range(1, ACCOUNTS + 1)])
    if a.history:
        con.executemany("INSERT INTO account_domains (domain, account_id) VALUES (?, ?)",
                        [(f"customer{i:04d}.example", i) for i in range(1, ACCOUNTS + 1)])
        con.executemany(
            "INSERT INTO contacts (email, name, account_id) VALUES (?, ?, ?)",
            [(contact(i, j).lower(), FIRST[j].title(), i)
             for i in range(1, ACCOUNTS + 1) for j in range(CONTACTS_PER_ACCOUNT)])
    open_ids = set(rnd.sample(range(1, total + 1), n_open))
    # The open cases' own stream: the same open set whatever the history.
    rnd_open = random.Random(1123)
    history = a.history
    # (id, contact, opened, owner, closed, email, commented, later comments)
    # for the history tables
    extra = []

    def rows():
        for i in range(1, total + 1):
            is_open = i in open_ids
            r = rnd_open if is_open else rnd
            opened = NOW - r.randint(3600, 30 * DAY) if is_open \
                else NOW - r.randint(3600, 5 * 365 * DAY)
            creator = None if r.random() < 0.05 else r.choice(handles)
            handoff = None
            if is_open:
                owner = None if r.random() < 0.04 else r.choice(handles)
                status = "New" if owner is None else r.choice(STATUSES_OPEN)
                # About a quarter overdue, the rest due over the next two weeks.
                next_due = NOW - r.randint(60, 10 * DAY) if r.random() < 0.25 \
                    else NOW + r.randint(60, 14 * DAY)
                closed = None
                first_due = opened + DAY
                if owner is not None and r.random() < 0.05:
                    handoff = opened + r.randint(60, DAY)
            else:
                owner = r.choice(handles)
                status = "Closed"
                next_due = None
                first_due = None
                closed = opened + r.randint(3600, 20 * DAY)
            account = r.randint(1, ACCOUNTS)
            subject = r.choice(SUBJECTS)
            if not history:
                yield (i, subject, account, r.choice(PRIORITIES), status, owner, creator, opened,
                       closed or opened, opened, closed, first_due, next_due)
                continue
            email = r.random() < 0.85
            who = contact(account, r.randrange(CONTACTS_PER_ACCOUNT))
            case_type = "Integration" if r.random() < 0.1 else "Account Management"
            description = " ".join(r.choice(WORDS) for _ in range(12))
            assigned = opened + r.randint(60, 4 * 3600) if owner else None
            # A case waiting for its AM was escalated (`escalate --am`): the AM on
            # the case, the escalation's note by the owner at that moment, and
            # on a quarter of them a later comment, by the AM (who has acted)
            # or the owner.
            am = escalated = None
            later = []
            if is_open and status == "Waiting for Account Manager":
                am = handles[account % OWNERS] if tiers[account - 1] in ("Gold", "Silver") \
                    else r.choice(handles)
                escalated = min(opened + r.randint(3600, 2 * DAY), NOW - 60)
                later.append((escalated, owner))
                if r.random() < 0.25:
                    later.append((min(escalated + r.randint(600, DAY), NOW - 30),
                                  am if r.random() < 0.5 else owner))
            extra.append((i, who, opened, owner, closed, email, r.random() < 0.5, later))
            yield (i, subject, description, account, FIRST[0].title(), who,
                   "email" if email else "shell", case_type, r.choice(PRIORITIES), status, owner,
                   creator, am, opened, closed or opened, escalated or opened, closed, assigned,
                   handoff, escalated, opened if email else None, first_due, next_due)

    if history:
        con.executemany(
            """INSERT INTO cases (id, subject, description, account_id, contact_name, contact_email,
                   origin, case_type, priority, status, owner, creator, am, opened_at, updated_at,
                   status_changed_at, closed_at, assigned_at, handoff_at, escalated_at,
                   last_inbound_at, first_contact_due, next_due)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", rows())
        write_history(con, extra)
    else:
        con.executemany(
            """INSERT INTO cases (id, subject, account_id, priority, status, owner, creator, opened_at,
                   updated_at, status_changed_at, closed_at, first_contact_due, next_due)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", rows())
    con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    print(f"wrote {total} cases ({n_open} open, {OWNERS} owners{', with history' if history else ''}) "
          f"to {db} in {time.perf_counter() - started:.1f} s")


def write_history(con, extra):
    """Events, messages, the outbox, comments and the search index of every case."""
    def events():
        for i, _, opened, owner, closed, _, _, _ in extra:
            yield (i, opened, None, "created", None, "New")
            if owner:
                yield (i, opened + 600, owner, "owner", None, owner)
            if closed:
                yield (i, closed, owner, "status", "In Progress", "Closed")
    con.executemany("INSERT INTO events (case_id, at, actor, field, old, new) VALUES (?, ?, ?, ?, ?, ?)",
                    events())

    def messages():
        for i, who, opened, _, _, email, _, _ in extra:
            if email:
                raw = (f"From: {who}\r\nTo: support@desk.example\r\nSubject: case {i}\r\n"
                       f"Message-ID: <{i}.m@customer.example>\r\n\r\n"
                       + "Hello, please help with our phones. " * 6).encode()
                yield (i, f"{i}.m@customer.example", who.lower(), f"case {i}", opened, opened,
                       len(raw), raw)
    con.executemany(
        """INSERT INTO messages (case_id, direction, message_id, sender, subject, sent_at, received_at, size, raw)
           VALUES (?, 'in', ?, ?, ?, ?, ?, ?, ?)""", messages())

    def outbox():
        for i, who, opened, _, _, email, _, _ in extra:
            if email:
                raw = (f"To: {who}\r\nSubject: [Case #{i}] received\r\n\r\n"
                       + "We have your request. " * 6).encode()
                yield (i, who, f"[Case #{i}] received", f"{i}.ack@desk.example", raw, opened + 5,
                       opened + 1, opened + 5)
    con.executemany(
        """INSERT INTO outbox (case_id, kind, recipient, subject, message_id, raw, status,
               next_attempt_at, created_at, sent_at)
           VALUES (?, 'ack', ?, ?, ?, ?, 'sent', ?, ?, ?)""", outbox())

    def comments():
        rnd = random.Random(7)
        for i, _, opened, owner, _, _, commented, later in extra:
            if commented:
                yield (i, opened + 3600, owner, " ".join(rnd.choice(WORDS) for _ in range(10)))
            for at, author in later:
                yield (i, at, author, " ".join(rnd.choice(WORDS) for _ in range(10)))
    con.executemany("INSERT INTO comments (case_id, at, author, body) VALUES (?, ?, ?, ?)", comments())
    # Each case's latest staff comment and its author, as `add_comment` keeps
    # them (migrations 17 and 19).
    con.execute("""UPDATE cases SET last_comment_at = m.at
                   FROM (SELECT case_id, max(at) AS at FROM comments
                         WHERE author IS NOT NULL GROUP BY case_id) m
                   WHERE m.case_id = cases.id""")
    con.execute("""UPDATE cases SET last_comment_by = (
                       SELECT author FROM comments
                       WHERE case_id = cases.id AND author IS NOT NULL
                       ORDER BY at DESC, id DESC LIMIT 1)
                   WHERE last_comment_at IS NOT NULL""")
    # The search index, as the store keeps it (migration 5: rows up to last_id are indexed).
    con.execute("INSERT INTO cases_fts (rowid, subject, description) SELECT id, subject, description FROM cases")
    con.execute("INSERT INTO comments_fts (rowid, body) SELECT id, body FROM comments")
    con.execute("UPDATE search_indexed SET last_id = (SELECT coalesce(max(id), 0) FROM cases) WHERE name = 'cases'")
    con.execute("UPDATE search_indexed SET last_id = (SELECT coalesce(max(id), 0) FROM comments) WHERE name = 'comments'")


if __name__ == "__main__":
    main()
