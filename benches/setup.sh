# Sourced by the benchmarks that race casebook against a floor program
# (one_delivery.sh, bulk.sh): copies the casebook binary into $DIR and
# builds the floor there. Needs ROOT and DIR set.
#   casebook_into_dir          sets BIN: $CASEBOOK_BIN if given, else this
#                              checkout's release build (built first)
#   floor_into_dir NAME GIVEN  sets FLOOR: the path GIVEN if not empty, else
#                              NAME built from $CASEBOOK_SHARED/bench/floor
#                              (default ../shared beside the checkout)
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
