#!/bin/sh
# Writes benches/delivery-symbols.txt: the functions of the release binary
# that one delivery runs, which build.rs hands to the linker
# (--symbol-ordering-file) so that they sit together at the start of the
# code instead of spread over 11 MB of it. A delivery is a fresh process
# (procmail starts one per mail): every page of code it touches for the
# first time is a page fault, and packed together they take about 70 fewer
# (benches/RESULTS-delivery.md).
#
# usage: benches/delivery_symbols.sh   (needs valgrind and nm)
# Rerun it after a change of dependencies or of the delivery path, and
# before measuring a delivery: a name the binary no longer has is skipped by
# the linker, so a stale list only packs less, and the names LLVM gives the
# local functions it shares between codegen units (`...llvm.N`, about one in
# twenty here) change with most edits of the crate.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT="$ROOT/benches/delivery-symbols.txt"
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
. "$ROOT/benches/setup.sh"
casebook_into_dir
samples_desk samples

deliver() { # deliver NAME < message: one delivery under callgrind, its function names kept
  valgrind --tool=callgrind --demangle=no --callgrind-out-file="$DIR/$1.cg" "$BIN" ingest \
    >"$DIR/$1.out" 2>/dev/null || echo "$1: exit $?" >&2
  echo "$1: $(head -1 "$DIR/$1.out")" >&2
}
# Every kind of delivery the samples hold: forwards from each mail client
# (acknowledged), a customer writing directly, a stranger; then a reply to
# a case, a duplicate and an out-of-office reply.
for mail in "$ROOT"/samples/emails/*.eml; do
  deliver "$(basename "$mail" .eml)" <"$mail"
done
sed 's/^Subject: .*/Subject: Re: [Case #1] Equipment quote/; s/^Message-I[Dd]: .*/Message-ID: <reply-1@bench.example>/' \
  "$ROOT/samples/emails/01-outlook-equipment-quote.eml" | deliver reply
deliver duplicate <"$ROOT/samples/emails/01-outlook-equipment-quote.eml"
sed 's/^Subject: .*/Subject: Out of Office: Equipment quote/; s/^Message-I[Dd]: .*/Message-ID: <ooo-1@bench.example>/' \
  "$ROOT/samples/emails/09-direct-customer-general-question.eml" |
  sed '/^Subject:/a Auto-Submitted: auto-replied' | deliver auto-reply

# The names callgrind saw (each is spelled out once per file, as "fn=(id) name"),
# kept where the binary defines them.
sed -n 's/^c\{0,1\}fn=([0-9]*) //p' "$DIR"/*.cg | sort -u >"$DIR/seen"
nm "$BIN" | awk '{ print $NF }' | sort -u >"$DIR/defined"
comm -12 "$DIR/seen" "$DIR/defined" >"$OUT"
echo "$(wc -l <"$OUT") functions written to $OUT" >&2
