#!/usr/bin/env bash
# The dev server under load: `clinicsite serve` on a copy of the clinic's site, hit by wrk on
# loopback, first quietly and then during a rebuild storm.
#
#   benches/load.sh                       # 10 s per run, 64 connections
#   DURATION=30s CONNECTIONS=128 benches/load.sh
#
# Runs, each checked response by response by benches/load.lua:
#   page      GET /faq/does-it-hurt/          200, a whole page (ends with </html>)
#   missing   GET /faq/no-such-page/          404, the site's whole 404 page
#   asset     GET /style.HASH.css             200, exactly the stylesheet's bytes
#   even      the page again while its file is rewritten 1,000 times in 5 s (in place, as
#             many editors save; benches/load_storm.py), evenly spaced: every response must
#             be a whole page whose title and text come from one version, and the server
#             must serve the last version afterwards
#   bursts    the same with the 1,000 writes in 25 bursts, so that rebuilds happen during
#             the run (evenly spaced writes never let the watcher see the quiet it waits for)
#
# Prints one line per run (requests/s, latency percentiles, bad responses) and exits 1 if any
# response was wrong, any socket error happened or the server died. Needs wrk (Debian
# package `wrk`; installed here when missing and running as root) and python3. All traffic
# stays on 127.0.0.1; every run is bounded in time.
set -euo pipefail
cd "$(dirname "$0")/.."

duration=${DURATION:-10s}
connections=${CONNECTIONS:-64}
threads=${THREADS:-2}
writes=${WRITES:-1000}
storm_seconds=${STORM_SECONDS:-5}

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq wrk >/dev/null
  else
    echo "needs wrk (apt-get install wrk)" >&2
    exit 2
  fi
fi

cargo build --release --quiet
bin=$PWD/target/release/clinicsite
work=$(mktemp -d)
server=
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

site=$work/site
mkdir -p "$site"
cp -r content themes site.yaml "$site/"
page_file=$site/content/faq/does-it-hurt.md
original=$work/does-it-hurt.md
cp "$page_file" "$original"

# Version N of the stormed page: its title and its first paragraph carry N.
write_version() {
  python3 benches/load_storm.py "$original" "$page_file" version "$1"
}
write_version 0

"$bin" serve --root "$site" --port 0 >"$work/serve.out" 2>"$work/serve.err" &
server=$!
url=
for _ in $(seq 1 300); do
  url=$(grep -o 'http://127.0.0.1:[0-9]*/' "$work/serve.out" | head -n 1 || true)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "the server did not start:"; cat "$work/serve.err"; exit 1; }
echo "Serving at $url ($(nproc) cores, wrk -t$threads -c$connections -d$duration)"

css=$(curl -s "$url" | grep -o 'style\.[0-9a-f]*\.css' | head -n 1)
css_length=$(curl -s "$url$css" | wc -c)

failed=0
run() { # NAME PATH ENV...
  local name=$1 path=$2
  shift 2
  local out
  out=$(env "$@" wrk -t"$threads" -c"$connections" -d"$duration" --latency \
    -s benches/load.lua "$url${path#/}")
  local check
  check=$(grep '^CHECK requests' <<<"$out")
  printf '%-8s %s\n' "$name" "${check#CHECK }"
  grep '^CHECK first bad' <<<"$out" || true
  if ! grep -q ' bad=0 socket_errors=0 ' <<<"$check"; then
    failed=1
  fi
  if ! kill -0 "$server" 2>/dev/null; then
    echo "the server died during $name"
    exit 1
  fi
}

run page /faq/does-it-hurt/ EXPECT_STATUS=200 CHECK_HTML=1 CHECK_STORM=1
run missing /faq/no-such-page/ EXPECT_STATUS=404 CHECK_HTML=1
run asset "/$css" EXPECT_STATUS=200 EXPECT_LENGTH="$css_length"

# The storms: WRITES rewrites of the page's file in STORM_SECONDS while wrk runs, after which
# the last version must be served. `even` spaces the writes evenly, as the issue asks; the
# server's watcher waits for 100 ms of quiet before rebuilding, so it rebuilds once, after the
# storm. `bursts` writes the same number in 25 bursts with pauses between them, so the
# server rebuilds many times while wrk is reading pages.
storm() { # PATTERN
  local pattern=$1 before after last writer
  before=$(grep -c ' changed: ' "$work/serve.out" || true)
  python3 benches/load_storm.py "$original" "$page_file" storm "$writes" "$storm_seconds" \
    "$pattern" >"$work/storm.out" &
  writer=$!
  run "$pattern" /faq/does-it-hurt/ EXPECT_STATUS=200 CHECK_HTML=1 CHECK_STORM=1
  wait "$writer"
  for _ in $(seq 1 100); do
    last=$(curl -s "${url}faq/does-it-hurt/" | grep -o '<title>Storm [0-9]*' || true)
    [ "$last" = "<title>Storm $writes" ] && break
    sleep 0.1
  done
  after=$(grep -c ' changed: ' "$work/serve.out" || true)
  printf '%-8s %s, %d rebuilds\n' "$pattern" "$(cat "$work/storm.out")" "$((after - before))"
  if [ "$last" != "<title>Storm $writes" ]; then
    echo "after the storm the server still serves ${last:-nothing}, not version $writes"
    failed=1
  fi
  # The next storm starts from version 0 again.
  write_version 0
  sleep 1
}
storm even
storm bursts

if [ "$failed" = 0 ]; then
  echo "load: all responses whole and correct"
else
  echo "load: FAILED"
fi
exit "$failed"
