#!/bin/sh
# The backends benchmark (not a test): SQLite and PostgreSQL on the same
# machine, in the same run, interleaved.
#   - one delivery: `casebook ingest < msg`, one process per message, as
#     procmail runs it (median of RUNS, SQLite and PostgreSQL in turn);
#   - bulk import: `ingest --mbox` of N generated messages (3 runs each, in turn);
#   - the views at 1,000,000 cases: benches/gen_views_db.py's desk, moved
#     into PostgreSQL with `casebook migrate-to`, each view in turn.
# Both are durable: SQLite with synchronous=FULL, PostgreSQL with fsync on
# (its default), the server on loopback started here (as the `postgres`
# user when run as root).
#
# usage: benches/backends.sh [N] [RUNS] [DIR]
# Record the figures in benches/RESULTS-backends.md and the README.
set -eu
N=${1:-20000}
RUNS=${2:-101}
DIR=${3:-$(mktemp -d)}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
: "${CARGO_TARGET_DIR:=$ROOT/target}"
cargo build --release --manifest-path "$ROOT/Cargo.toml" >&2
BIN="$DIR/casebook"
cp "$CARGO_TARGET_DIR/release/casebook" "$BIN"
PGBIN=${CASEBOOK_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$DIR/pg"
AS=""
if [ "$(id -u)" = 0 ]; then chown postgres "$DIR" "$DIR/pg"; AS="runuser -u postgres --"; fi
$AS "$PGBIN/initdb" -D "$DIR/pg/data" -A trust -U postgres --locale=C.UTF-8 >/dev/null
$AS "$PGBIN/pg_ctl" -D "$DIR/pg/data" -l "$DIR/pg/log" -w \
  -o "-k $DIR/pg -p $PORT -c listen_addresses=127.0.0.1" start >/dev/null
trap '$AS "$PGBIN/pg_ctl" -D "$DIR/pg/data" -m fast stop >/dev/null' EXIT
echo "machine: $(nproc) cores, $(uname -sr), load $(cut -d' ' -f1-3 /proc/loadavg); PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on loopback; SQLite in $DIR"
python3 "$ROOT/benches/backends.py" "$BIN" "$ROOT" "$DIR" "$PORT" "$PGBIN" "$N" "$RUNS"
