#!/usr/bin/env bash
# The memory benchmark (not a test): peak RSS of one `casebook ingest < msg`
# against the size of hostile messages, measured with /usr/bin/time -v.
#
# usage: benches/memory.sh [DIR]
#   DIR  where the messages and databases go (default a temp folder; about
#        150 MB of messages are generated there)
#   CASEBOOK_BIN=path  measure that binary instead of building a release one
#
# The messages (generated here): a 1 KB baseline, a 20 MB text body, a 20 MB
# attachment (base64, 27 MB on the wire), a 1,000,000-character Subject,
# 100,000 headers, multiparts nested 20,000 deep, and a 50 MB message. The
# desk's limit is raised to 32 MiB so that all but the 50 MB one are parsed;
# that one is over the limit and goes to quarantine unparsed, as do the
# 100,000 headers and the 20,000-deep nesting (over the structure limits of
# src/mail/repair.rs). The base is the 1 KB message's RSS; the goal is at
# most 2.5x the message above it.
# Prints a Markdown table; record it in the README ("Performance").
set -euo pipefail
DIR=${1:-$(mktemp -d)}
mkdir -p "$DIR"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
: "${CARGO_TARGET_DIR:=$ROOT/target}"
[ -x /usr/bin/time ] || { echo "needs GNU time at /usr/bin/time (Debian: apt-get install time)" >&2; exit 1; }
# CASEBOOK_BIN measures another build (say target/debug/casebook) instead of a fresh release one.
if [ -z "${CASEBOOK_BIN:-}" ]; then
  cargo build --release --manifest-path "$ROOT/Cargo.toml" >&2
  CASEBOOK_BIN="$CARGO_TARGET_DIR/release/casebook"
fi
BIN="$DIR/casebook"
cp "$CASEBOOK_BIN" "$BIN"
mkdir -p "$DIR/mail"
printf '[desk]\nmax_message_bytes = 33554432\n[mail]\ntransport = "none"\n' > "$DIR/config.toml"
export CASEBOOK_CONFIG="$DIR/config.toml" CASEBOOK_NOW=2026-11-23T14:00:00Z

python3 - "$DIR/mail" <<'PY'
import base64, os, sys
out = sys.argv[1]
head = lambda i, extra="": (
    f"From: Ann Acme <ann@acme.example>\r\nTo: cases@desk.example\r\n"
    f"Subject: memory {i}\r\nDate: Mon, 23 Nov 2026 08:00:00 -0500\r\n"
    f"Message-ID: <mem-{i}@acme.example>\r\n{extra}"
)
line = b"The quick brown fox jumps over the lazy dog, and the phones are down again.\r\n"

def text(name, size):
    with open(os.path.join(out, name), "wb") as f:
        f.write(head(name, "Content-Type: text/plain; charset=utf-8\r\n\r\n").encode())
        f.write(line * (size // len(line)))

text("1-baseline-1kb", 1000)
text("2-body-20mb", 20_000_000)
with open(os.path.join(out, "3-attachment-20mb"), "wb") as f:
    f.write(head("att", 'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n').encode())
    f.write(b'--b\r\nContent-Type: text/plain\r\n\r\nThe contract is attached.\r\n--b\r\n'
            b'Content-Type: application/pdf; name="contract.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n')
    data = base64.encodebytes(os.urandom(20_000_000)).replace(b"\n", b"\r\n")
    f.write(data)
    f.write(b"--b--\r\n")
with open(os.path.join(out, "4-header-1m-chars"), "wb") as f:
    f.write(head("hdr").replace("Subject: memory hdr", "Subject: " + "x" * 1_000_000).encode())
    f.write(b"\r\nbody\r\n")
with open(os.path.join(out, "5-headers-100k"), "wb") as f:
    f.write(head("many").encode())
    f.write(b"".join(b"X-Filler-%d: value %d\r\n" % (i, i) for i in range(100_000)))
    f.write(b"\r\nbody\r\n")
with open(os.path.join(out, "6-nesting-20k"), "wb") as f:
    depth = 20_000
    f.write(head("deep", 'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b0"\r\n\r\n').encode())
    for i in range(1, depth):
        f.write(b'--b%d\r\nContent-Type: multipart/mixed; boundary="b%d"\r\n\r\n' % (i - 1, i))
    f.write(b"--b%d\r\nContent-Type: text/plain\r\n\r\ninnermost\r\n" % (depth - 1))
    for i in range(depth - 1, -1, -1):
        f.write(b"--b%d--\r\n" % i)
text("7-message-50mb", 50_000_000)
PY

echo "machine: $(nproc) cores, $(uname -sr), load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "| message | size (MB) | peak RSS (MB) | RSS / size | (RSS - baseline) / size | outcome |"
echo "| --- | ---: | ---: | ---: | ---: | --- |"
base_kb=
for msg in "$DIR"/mail/*; do
  name=$(basename "$msg")
  db="$DIR/$name.db"
  rm -f "$db" "$db-wal" "$db-shm"
  CASEBOOK_DB="$db" "$BIN" init >/dev/null
  set +e
  CASEBOOK_DB="$db" /usr/bin/time -v -o "$DIR/$name.time" "$BIN" ingest < "$msg" > "$DIR/$name.out" 2> "$DIR/$name.err"
  code=$?
  set -e
  size=$(stat -c %s "$msg")
  rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$DIR/$name.time")
  outcome=$(head -c 60 "$DIR/$name.out" | head -n1)
  [ "$code" -eq 0 ] || outcome="exit $code: $(head -c 80 "$DIR/$name.err" | head -n1)"
  # The first message is the 1 KB baseline: what a process costs before the message does.
  base_kb=${base_kb:-$rss_kb}
  awk -v n="${name#*-}" -v s="$size" -v r="$rss_kb" -v b="$base_kb" -v o="$outcome" 'BEGIN {
    printf "| %s | %.1f | %.1f | %.1fx | %.1fx | %s |\n", n, s / 1e6, r * 1024 / 1e6, (r * 1024) / s, ((r - b) * 1024) / s, o }'
  rm -f "$db" "$db-wal" "$db-shm"
done
