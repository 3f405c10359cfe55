#!/bin/bash
# The cost of the test suite to a developer, before and after a change:
# `cargo test --all-targets` on a fresh clone (empty target/), then an
# edit-one-file-then-test loop, interleaved, three times each.
#
#   benches/test_time.sh OLD_REV OLD_FILE NEW_FILE
#   benches/test_time.sh 82232c2 src/workflow.rs src/desk/change.rs
#
# OLD_FILE and NEW_FILE are the same module in each revision (the one a
# change to the desk's rules touches). Needs ../shared beside the clones for
# the corpus tests, as CI has it.
set -eu
old=$1 old_file=$2 new_file=$3
repo=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
work=$(mktemp -d)
git clone -q "$repo" "$work/after"
git clone -q "$repo" "$work/before" && git -C "$work/before" checkout -q "$old"
export CASEBOOK_CORPUS="${CASEBOOK_CORPUS:-$repo/../shared/corpus}"
run() { # DIR LABEL
    local start end
    start=$(date +%s.%N)
    (cd "$1" && cargo test --all-targets >"$work/$2.log" 2>&1) || { echo "$2 failed: $work/$2.log"; exit 1; }
    end=$(date +%s.%N)
    printf '%-16s %6.1f s\n' "$2" "$(echo "$end - $start" | bc)"
}
run "$work/before" fresh_before
run "$work/after" fresh_after
for i in 1 2 3; do
    echo "// touched $i" >>"$work/before/$old_file"; run "$work/before" edit_before_$i
    echo "// touched $i" >>"$work/after/$new_file"; run "$work/after" edit_after_$i
done
rm -rf "$work"
