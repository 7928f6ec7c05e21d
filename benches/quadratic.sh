#!/usr/bin/env bash
# Inputs that once made the build time grow with the square of their size: one page with N
# identical `## Same` headings, one page with N broken links (one a line, each reported),
# and one page with N links on a single line (each reported, with a window of that line).
# For N = 1,000, 4,000, 16,000 and 64,000 it times one `clinicsite build` of each (release
# binary) and prints the seconds, and the ratio to the size before: about 4 (the size ratio)
# is linear; about 16 is quadratic.
#
#   benches/quadratic.sh                    # all shapes, all sizes
#   SIZES="1000 4000" SHAPES=headings benches/quadratic.sh
#   BIN=target/debug/clinicsite benches/quadratic.sh   # another binary, no cargo build
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"1000 4000 16000 64000"}
SHAPES=${SHAPES:-"headings broken_links one_line"}
if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet
  BIN="${CARGO_TARGET_DIR:-target}/release/clinicsite"
fi
BIN=$(realpath "$BIN")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The page for one shape and size, written to stdout.
page() {
  local shape=$1 n=$2
  printf -- '---\ntitle: Big\n---\n'
  case $shape in
    headings) for ((i = 0; i < n; i++)); do printf '## Same\n\nText.\n\n'; done ;;
    broken_links) for ((i = 0; i < n; i++)); do printf '[gone %d](/gone-%d/)\n\n' "$i" "$i"; done ;;
    one_line) for ((i = 0; i < n; i++)); do printf '[x](/gone-%d/) ' "$i"; done; printf '\n' ;;
  esac
}

printf '%-13s %8s %9s %7s\n' shape n seconds ratio
for shape in $SHAPES; do
  previous=
  for n in $SIZES; do
    site="$work/$shape-$n"
    mkdir -p "$site/content"
    printf 'title: Bench\n' > "$site/site.yaml"
    printf -- '---\ntitle: Home\n---\n' > "$site/content/_index.md"
    page "$shape" "$n" > "$site/content/big.md"
    start=$(date +%s.%N)
    # The broken-link shapes fail by design (exit status 1): the report is what is timed.
    "$BIN" build --root "$site" > /dev/null 2> "$site/report.txt" || true
    seconds=$(echo "$(date +%s.%N) - $start" | bc -l)
    ratio=$([ -n "$previous" ] && echo "scale=1; $seconds / $previous" | bc -l || echo -)
    printf '%-13s %8d %9.2f %7s\n' "$shape" "$n" "$seconds" "$ratio"
    previous=$seconds
    rm -rf "$site"
  done
done
