#!/usr/bin/env bash
# Seeds fuzz/corpus/intake/ (not committed) with real mail: the shared corpus
# beside the clone ($CASEBOOK_CORPUS, default ../shared/corpus), the sample
# emails and the forward fixtures. Files over 1 MB are left out (libFuzzer's
# inputs stay small); names are content hashes, so re-running adds nothing twice.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
corpus="${CASEBOOK_CORPUS:-$root/../shared/corpus}"
out="$here/corpus/intake"
mkdir -p "$out"
sources=("$root/samples/emails" "$root/tests/data/forwards")
if [ -d "$corpus" ]; then
  sources+=("$corpus")
else
  echo "note: no shared corpus at $corpus (set CASEBOOK_CORPUS); seeding from the project's own mail only" >&2
fi
before=$(find "$out" -type f | wc -l)
find "${sources[@]}" -type f -size -1024k ! -name '*.md' -print0 |
  while IFS= read -r -d '' f; do
    cp "$f" "$out/$(sha1sum "$f" | cut -c1-40)"
  done
after=$(find "$out" -type f | wc -l)
echo "fuzz/corpus/intake: $after inputs ($((after - before)) new)"
