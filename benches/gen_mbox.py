#!/usr/bin/env python3
"""Writes an mbox of N generated inbound messages for the ingest benchmark.

The mix resembles the desk's mail: direct customer mail from known accounts
(contact address or domain), Outlook-style forwards from staff with a note
and a command line, replies tagged [Case #N] to earlier cases, strangers,
and out-of-office replies. Deterministic for a given N and seed.

usage: gen_mbox.py N OUT.mbox [--seed S] [--prefix P]
"""
import argparse
import csv
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLES = os.path.join(HERE, "..", "samples")

SUBJECTS = [
    "Quote for additional phones",
    "Pricing for new lines at our second office",
    "We need to cancel service, we are still under contract",
    "Name change on our account",
    "Customer service record request",
    "Voicemail to email question",
    "Third outage this month",
    "Fax line not receiving",
    "Interested in Teams calling",
    "Billing address update",
]
BODY = (
    "Hello,\n\nWe have a question about our service at the {site} office. "
    "Could someone from your team call me back this week? We have {n} users "
    "there and the main number should ring the front desk first.\n\n"
    "Thanks,\n{name}\n"
)


def load():
    people = list(csv.DictReader(open(os.path.join(SAMPLES, "people.csv"))))
    contacts, domains = [], []
    for row in csv.DictReader(open(os.path.join(SAMPLES, "accounts.csv"))):
        domains += [d for d in row["domains"].split(";") if d]
        for c in row["contacts"].split(";"):
            if "<" in c:
                name, addr = c.split("<", 1)
                contacts.append((name.strip(), addr.strip(" >")))
    return people, contacts, domains


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--prefix", default="bench")
    ap.add_argument("--new-only", action="store_true", help="only mail that opens a new case")
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    people, contacts, domains = load()
    with open(a.out, "w") as f:
        for i in range(a.n):
            kind = rnd.random() if not a.new_only else 0.95
            name, addr = rnd.choice(contacts)
            subject = rnd.choice(SUBJECTS)
            body = BODY.format(site=rnd.choice(["Elm", "Oak", "Main"]), n=rnd.randint(2, 90), name=name)
            extra = ""
            if kind < 0.35:
                frm = f"{name} <{addr}>"
            elif kind < 0.55:
                frm = f"User {i} <user{i}@{rnd.choice(domains)}>"
            elif kind < 0.80:
                p = rnd.choice(people)
                frm = f"{p['name']} <{p['email']}>"
                body = (
                    f"Priority: expedited\n\nCan someone pick this up? ({i})\n\n"
                    "________________________________\n"
                    f"From: {name} <{addr}>\n"
                    "Sent: Monday, November 16, 2026 9:14 AM\n"
                    f"To: {p['name']} <{p['email']}>\n"
                    f"Subject: {subject}\n\n" + body
                )
                subject = "FW: " + subject
            elif kind < 0.92 and i > 10:
                frm = f"{name} <{addr}>"
                subject = f"Re: [Case #{rnd.randint(1, i // 2)}] {subject}"
            elif kind < 0.97:
                frm = f"Stranger {i} <s{i}@unknown-{i % 500}.example>"
            else:
                frm = f"{name} <{addr}>"
                subject = "Automatic reply: " + subject
                extra = "Auto-Submitted: auto-replied\n"
            f.write(f"From {frm.split('<')[-1].rstrip('>')} Mon Nov 23 08:00:00 2026\n")
            f.write(
                f"From: {frm}\nTo: cases@northwind-voice.example\nSubject: {subject}\n"
                f"Date: Mon, 23 Nov 2026 08:{i % 60:02d}:00 -0500\n"
                f"Message-ID: <{a.prefix}-{i}@gen.example>\n{extra}"
                "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n"
            )
            f.write(body.replace("\nFrom ", "\n>From "))
            f.write("\n")


if __name__ == "__main__":
    main()
