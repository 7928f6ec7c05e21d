#!/usr/bin/env bash
# What share cards cost at 1,000 pages: the clinic theme (cards on) against a child theme
# that only turns them off (`share_cards: false`), on the RAM disk. Three rows each:
# clean builds (no public/, no .clinicsite-cache/), rebuilds after one page's file was
# touched (the whole pipeline runs; cards come from the cache), and rebuilds with nothing
# changed (the build repeats the last one's summary). Medians.
#
#   cargo build --release --bin clinicsite --example gen_corpus && bash benches/cards.sh
#
# CLINICSITE_BIN and GEN_CORPUS name other binaries; PAGES (1000), RUNS (5) and WARM_RUNS (10)
# change the sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${CLINICSITE_BIN:-$PWD/target/release/clinicsite}
gen=${GEN_CORPUS:-$PWD/target/release/examples/gen_corpus}
dir=/dev/shm/clinicsite-cards-bench
rm -rf "$dir" && mkdir -p "$dir"
"$gen" --pages "${PAGES:-1000}" --out "$dir/cards" >/dev/null
cp -r "$dir/cards" "$dir/nocards"
mkdir -p "$dir/nocards/themes/nocards"
printf 'name: nocards\nextends: clinic\nshare_cards: false\n' >"$dir/nocards/themes/nocards/theme.yaml"
sed -i 's/^theme: clinic$/theme: nocards/' "$dir/nocards/site.yaml"
"$bin" build --root "$dir/cards" | tail -1
"$bin" build --root "$dir/nocards" | tail -1
echo "cards: $(find "$dir/cards/public/cards" -name '*.png' | wc -l) files, $(du -sk "$dir/cards/public/cards" | cut -f1) KB, largest $(find "$dir/cards/public/cards" -name '*.png' -printf '%s\n' | sort -n | tail -1) bytes"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
page() { find "$1/content" -name '*.md' | sort | sed -n 10p; }
hyperfine -N -w 1 -r "${RUNS:-5}" --export-json "$dir/clean.json" \
  --prepare "rm -rf $dir/cards/public $dir/cards/.clinicsite-cache" \
  --prepare "rm -rf $dir/nocards/public $dir/nocards/.clinicsite-cache" \
  -n "clean, cards" "$bin build --root $dir/cards" \
  -n "clean, no cards" "$bin build --root $dir/nocards" >/dev/null
hyperfine -N -w 1 -r "${WARM_RUNS:-10}" --export-json "$dir/touched.json" \
  --prepare "touch $(page "$dir/cards")" \
  --prepare "touch $(page "$dir/nocards")" \
  -n "one page touched, cards" "$bin build --root $dir/cards" \
  -n "one page touched, no cards" "$bin build --root $dir/nocards" >/dev/null
hyperfine -N -w 2 -r "${WARM_RUNS:-10}" --export-json "$dir/unchanged.json" \
  -n "nothing changed, cards" "$bin build --root $dir/cards" \
  -n "nothing changed, no cards" "$bin build --root $dir/nocards" >/dev/null
python3 - "$dir" <<'PY'
import json, sys
d = sys.argv[1]
for name in ["clean", "touched", "unchanged"]:
    on, off = json.load(open(f"{d}/{name}.json"))["results"]
    extra = (on["median"] / off["median"] - 1) * 100
    print(f"{on['command']}: median {on['median']*1000:.0f} ms; {off['command']}: "
          f"{off['median']*1000:.0f} ms; cards add {extra:+.1f} %")
PY
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
