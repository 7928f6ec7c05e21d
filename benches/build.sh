#!/usr/bin/env bash
# Build-speed benchmark: generates FAQ corpora of N pages and times, in one run, a full
# clinicsite build, `clinicsite check` (taking turns with the build), a rebuild with nothing
# changed, a rebuild after a one-page edit, Hugo on the same content (minimal templates in
# benches/hugo/), and the `cp -r` / `rm -rf` floor of the output. Medians of RUNS runs
# (REBUILD_RUNS=7 for the rebuilds); wall time, CPU time, pages per second and peak memory.
# Then a clinic group's bilingual site (BILINGUAL=1000 FAQ pages and OFFICES=300 offices, each
# also in Spanish; BILINGUAL=0 leaves it out), `serve`'s edit-to-reload time at 10,000 pages
# (SERVE=0 leaves it out), and the table of the scale goals, one row per goal. `check` and the
# `cp -r` floor run up to FLOOR_MAX=10000 pages. Share cards are off (a child theme of the
# clinic theme with `share_cards: false`) unless CARDS=1: see benches/cards.sh for their cost.
#
#   benches/build.sh                                   # N = 1,000, 10,000, 100,000 on tmpfs
#   benches/build.sh --quick                           # the 10,000-page rows only
#   CLINICSITE_BIN=/tmp/old/clinicsite benches/build.sh --quick   # another build of the tool
#   SIZES="10000" RUNS=7 BENCH_DIR=/work/bench benches/build.sh   # on the work disk
#   HUGO_MAX=0 benches/build.sh                        # without Hugo
#
# Needs GNU time and Hugo (Debian packages `time` and `hugo`; installed here when missing and
# run as root) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
[ -x /usr/bin/time ] || missing+=(time)
command -v hugo >/dev/null || missing+=(hugo)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "needs: ${missing[*]} (apt-get install ${missing[*]})" >&2
    [ -x /usr/bin/time ] || exit 2
  fi
fi

# One cargo call for all three: built apart, the examples' dev-dependencies give the library
# other features, and it is compiled twice.
cargo build --release --quiet --bin clinicsite --example gen_corpus --example serve_latency
exec python3 benches/measure.py "$@"
