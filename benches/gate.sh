#!/usr/bin/env bash
# What `build`'s gate (check's rules, see `check::PageRules`) costs, on a generated FAQ site of
# PAGES pages (1,000 by default) on a RAM disk: each build with the gate and without it
# (CLINICSITE_BENCH_WITHOUT_GATE=1, the maintainers' switch read in `check`: it turns off
# check's rules, the findings cache and the orphan rule, while links are still checked and
# each page's links still read and recorded in the build cache, as a build does without the
# gate; see docs/development.md), in these cases:
#   clean-kept     public/ removed, .clinicsite-cache/ kept (images, cards, findings)
#   first-check    public/ and the findings cache removed (every page checked, as on a first
#                  build; images and cards kept)
#   clean-removed  public/ and .clinicsite-cache/ removed (every card drawn again)
#   one-edit       one page's text changed, everything else as the last build left it
# First instruction counts under callgrind with one thread (deterministic on a shared
# machine; clean-removed only with CALLGRIND_ALL=1, as it draws every card under valgrind),
# then wall-time medians with hyperfine (RUNS runs, 7 by default).
#
#   benches/gate.sh
#   PAGES=1000 RUNS=9 CALLGRIND=0 benches/gate.sh     # wall times only
#   WALL=0 benches/gate.sh                            # instruction counts only
#   CLINICSITE_BIN=/tmp/old/clinicsite benches/gate.sh    # another build of the tool
#
# Needs valgrind and hyperfine (Debian packages of those names).
set -euo pipefail
cd "$(dirname "$0")/.."

PAGES=${PAGES:-1000}
RUNS=${RUNS:-7}
DIR=${BENCH_DIR:-/dev/shm/clinicsite-gate}
CALLGRIND=${CALLGRIND:-1}
CALLGRIND_ALL=${CALLGRIND_ALL:-0}
WALL=${WALL:-1}
export CLINICSITE_TODAY=${CLINICSITE_TODAY:-2026-12-06}

# One cargo call for both: built apart, the example's dev-dependencies give the library other
# features, and it is compiled twice.
cargo build --release --quiet --bin clinicsite --example gen_corpus
BIN=${CLINICSITE_BIN:-$PWD/target/release/clinicsite}
rm -rf "$DIR" && mkdir -p "$DIR"
target/release/examples/gen_corpus --pages "$PAGES" --out "$DIR/site" >/dev/null
SITE=$DIR/site
PAGE=$(find "$SITE/content" -name 'q-*.md' | sort | sed -n 1p)
cd "$SITE"
"$BIN" build >/dev/null 2>&1

# The commands that prepare each case; the edited page alternates between two texts.
prepare() {
  case $1 in
    clean-kept) echo "rm -rf public" ;;
    first-check) echo "rm -rf public .clinicsite-cache/findings" ;;
    clean-removed) echo "rm -rf public .clinicsite-cache" ;;
    one-edit) echo "sed -i 's/is [*][*]important/is **truly important/; t; s/is [*][*]truly important/is **important/' $PAGE" ;;
  esac
}

if [ "$CALLGRIND" != 0 ]; then
  echo "instructions (callgrind, RAYON_NUM_THREADS=1):"
  for case in clean-kept first-check one-edit clean-removed; do
    [ "$case" = clean-removed ] && [ "$CALLGRIND_ALL" = 0 ] && continue
    for gate in with without; do
      env=()
      [ "$gate" = without ] && env=(CLINICSITE_BENCH_WITHOUT_GATE=1)
      # Each run follows a build of the same kind (its files' stamps settled), so both
      # see the same caches.
      "$BIN" build >/dev/null 2>&1
      sh -c "$(prepare "$case")"
      "$BIN" build >/dev/null 2>&1
      sleep 0.1
      sh -c "$(prepare "$case")"
      out=$DIR/$case-$gate.callgrind
      env RAYON_NUM_THREADS=1 "${env[@]}" valgrind --tool=callgrind --callgrind-out-file="$out" \
        "$BIN" build >/dev/null 2>&1
      printf '  %-14s %-8s %s\n' "$case" "$gate" "$(callgrind_annotate "$out" | grep 'PROGRAM TOTALS')"
    done
  done
fi

[ "$WALL" = 0 ] && exit 0
if ! command -v hyperfine >/dev/null; then
  echo "wall time: hyperfine is missing (on Debian: apt-get install -y hyperfine); WALL=0 skips it" >&2
  exit 1
fi
echo "wall time (hyperfine, $RUNS runs):"
for case in clean-kept first-check one-edit clean-removed; do
  "$BIN" build >/dev/null 2>&1
  hyperfine --style basic --runs "$RUNS" --prepare "$(prepare "$case")" \
    -n "$case with gate" "$BIN build" \
    -n "$case without gate" "CLINICSITE_BENCH_WITHOUT_GATE=1 $BIN build" 2>&1 |
    grep -E 'Time|±|faster|^  ' || true
done
