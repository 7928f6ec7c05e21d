#!/usr/bin/env bash
# Build-speed benchmark: generates FAQ corpora of N pages and times `clinicsite build` on them.
#
#   benches/build.sh                  # N = 1000 and 10000, 5 runs each, in /dev/shm
#   SIZES="1000" RUNS=10 BENCH_DIR=/tmp/bench benches/build.sh
#
# Reports the median wall time of a clean build (output folder emptied before each run), of a
# rebuild with nothing changed, and of a rebuild after a one-page edit, plus peak memory.
# Needs hyperfine and GNU time (Debian packages `hyperfine` and `time`).
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=${SIZES:-"1000 10000"}
runs=${RUNS:-5}
dir=${BENCH_DIR:-/dev/shm/clinicsite-bench}
for tool in hyperfine /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install hyperfine time)" >&2; exit 2; }
done

cargo build --release --quiet --example gen_corpus
cargo build --release --quiet
bin=$PWD/target/release/clinicsite
mkdir -p "$dir"

median() { python3 -c 'import json,sys,statistics; r=json.load(open(sys.argv[1]))["results"][0]; print("%.1f ms" % (statistics.median(r["times"])*1000))' "$1"; }

printf '%-8s %-14s %-14s %-16s %-10s\n' pages clean no-change one-page-edit peak-memory
for n in $sizes; do
  site=$dir/site-$n
  if [ ! -d "$site" ]; then
    target/release/examples/gen_corpus --pages "$n" --out "$site" >/dev/null
  fi
  page=$(find "$site/content" -name 'q-000001.md' | head -n 1)
  hyperfine --runs "$runs" --warmup 1 --style none \
    --prepare "rm -rf $site/public && mkdir $site/public" \
    --export-json "$dir/clean-$n.json" "$bin build --root $site" >/dev/null
  hyperfine --runs "$runs" --warmup 1 --style none \
    --export-json "$dir/noop-$n.json" "$bin build --root $site" >/dev/null
  hyperfine --runs "$runs" --warmup 1 --style none \
    --prepare "sed -i 's/^Part 0 edit.*//; \$a Part 0 edit '\$RANDOM \"$page\"" \
    --export-json "$dir/edit-$n.json" "$bin build --root $site" >/dev/null
  rm -rf "$site/public" && mkdir "$site/public"
  peak=$(/usr/bin/time -f '%M' "$bin" build --root "$site" 2>&1 >/dev/null | tail -n 1)
  printf '%-8s %-14s %-14s %-16s %-10s\n' "$n" "$(median "$dir/clean-$n.json")" \
    "$(median "$dir/noop-$n.json")" "$(median "$dir/edit-$n.json")" "$((peak / 1024)) MiB"
done
