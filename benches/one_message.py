#!/usr/bin/env python3
"""Median wall time of `casebook ingest < msg`, one process per message, as
procmail runs it. Each run gets a fresh Message-ID so every run creates a case.

usage: one_message.py CASEBOOK_BIN DB RUNS
"""
import os
import statistics
import subprocess
import sys
import time

MSG = (
    "From: Maria Chen <mchen@contoso-dental.example>\n"
    "To: cases@northwind-voice.example\n"
    "Subject: Quote for additional phones - run {i}\n"
    "Date: Mon, 23 Nov 2026 09:00:00 -0500\n"
    "Message-ID: <one-{i}-{pid}@bench.example>\n"
    "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n"
    "Hello,\n\nWe need a quote for twelve more handsets at the Elm Street office.\n\nMaria\n"
)


def main():
    binary, db, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    env = dict(os.environ, CASEBOOK_DB=db, CASEBOOK_CONFIG=os.path.join(os.path.dirname(db), "none.toml"))
    times = []
    for i in range(runs):
        data = MSG.format(i=i, pid=os.getpid()).encode()
        t0 = time.perf_counter()
        out = subprocess.run([binary, "ingest"], input=data, env=env, capture_output=True)
        times.append(time.perf_counter() - t0)
        if out.returncode != 0 or not out.stdout.startswith(b"created #"):
            sys.exit(f"run {i}: exit {out.returncode}: {out.stdout!r} {out.stderr!r}")
    times.sort()
    ms = [t * 1000 for t in times]
    print(
        f"runs {runs}: median {statistics.median(ms):.2f} ms, p10 {ms[len(ms) // 10]:.2f} ms, "
        f"p90 {ms[len(ms) * 9 // 10]:.2f} ms, max {ms[-1]:.2f} ms"
    )


if __name__ == "__main__":
    main()
