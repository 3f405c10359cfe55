#!/bin/sh
# The growth benchmark: the same open work (20,000 open cases, 50 owners; the
# 10k database holds 2,000, all it can) under 10k, 100k and 1M cases of
# history, each command timed as a whole process. See benches/RESULTS-growth.md.
#
#   benches/growth.sh [DIR] [ROUNDS]     (DIR defaults to /tmp/growth-db)
#
# Builds the release binary, the three databases (about a minute and a half;
# 1.6 GB in DIR), then runs benches/growth.py.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-/tmp/growth-db}
rounds=${2:-11}
mkdir -p "$dir"
cargo build --release --manifest-path "$here/../Cargo.toml"
bin="$here/../target/release/casebook"
python3 "$here/gen_views_db.py" "$bin" "$dir/g10k.db" --cases 10000 --open 2000 --history
python3 "$here/gen_views_db.py" "$bin" "$dir/g100k.db" --cases 100000 --history
python3 "$here/gen_views_db.py" "$bin" "$dir/g1m.db" --cases 1000000 --history
python3 "$here/growth.py" "$bin" "$dir/g10k.db" "$dir/g100k.db" "$dir/g1m.db" "$rounds"
