# Sourced by the benchmarks (one_delivery.sh, bulk.sh, delivery_symbols.sh):
# what they set up alike. Needs ROOT and DIR set.
#   casebook_into_dir          sets BIN: $CASEBOOK_BIN if given, else this
#                              checkout's release build (built first), copied
#                              into DIR
#   floor_into_dir NAME GIVEN  sets FLOOR: the path GIVEN if not empty, else
#                              NAME built from $CASEBOOK_SHARED/bench/floor
#                              (default ../shared beside the checkout)
#   samples_desk CONFIG        a desk in DIR like samples/ (people, accounts;
#                              its mail written to DIR/outbox, so nothing
#                              leaves), run by $BIN; CONFIG=empty gives it an
#                              empty config file (every default) instead of
#                              samples/'s. Exports the CASEBOOK_ variables
#                              and HOME that point at it.
: "${CARGO_TARGET_DIR:=$ROOT/target}"

casebook_into_dir() {
  BIN="$DIR/casebook"
  if [ -n "${CASEBOOK_BIN:-}" ]; then
    cp "$CASEBOOK_BIN" "$BIN"
  else
    cargo build --release --manifest-path "$ROOT/Cargo.toml" >&2
    cp "$CARGO_TARGET_DIR/release/casebook" "$BIN"
  fi
  # A shared target folder may hold another checkout's binary.
  "$BIN" ingest --help | grep -q -- --maildir || { echo "the release binary is not this checkout's; rebuild" >&2; exit 1; }
}

floor_into_dir() {
  if [ -n "$2" ]; then
    FLOOR=$2
  else
    rm -rf "$DIR/floor" && cp -r "${CASEBOOK_SHARED:-$ROOT/../shared}/bench/floor" "$DIR/floor"
    cargo build --release --manifest-path "$DIR/floor/Cargo.toml" >&2
    FLOOR="$DIR/floor/target/release/$1"
  fi
}

samples_desk() {
  mkdir -p "$DIR/outbox"
  if [ "$1" = empty ]; then
    : >"$DIR/config.toml"
  else
    sed "s|^transport = .*|transport = \"file:$DIR/outbox\"|" "$ROOT/samples/config.toml" >"$DIR/config.toml"
  fi
  export CASEBOOK_DB="$DIR/desk.db" CASEBOOK_CONFIG="$DIR/config.toml" CASEBOOK_NOW=2026-11-23T14:00:00Z HOME="$DIR"
  rm -f "$CASEBOOK_DB" "$CASEBOOK_DB-wal" "$CASEBOOK_DB-shm"
  "$BIN" init >/dev/null
  "$BIN" people import "$ROOT/samples/people.csv" >/dev/null
  "$BIN" accounts import "$ROOT/samples/accounts.csv" >/dev/null
}
