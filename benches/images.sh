#!/usr/bin/env bash
# Photo benchmark: 50 generated 12-megapixel JPEGs (4000 × 3000) in one page bundle.
# Times, with GNU time (wall seconds, peak memory):
#   - clinicsite: a cold build (no cache, no output), a warm rebuild (nothing changed), and a
#     warm rebuild of the same site without the photos (the difference is what photos cost);
#   - Hugo (Debian's `hugo`) making the same widths (480, 800, 1200, 1600) in WebP q75 and
#     JPEG q82 from the same photos, cold (no resources/_gen) and warm.
# Prints the size of the 1200-pixel WebP copies too.
#
#   benches/images.sh                  # 50 photos in /tmp/clinicsite-images-bench
#   PHOTOS=200 benches/images.sh
#
# Needs GNU time and Hugo (Debian packages `time` and `hugo`; installed here when missing and
# run as root).
set -euo pipefail
cd "$(dirname "$0")/.."
PHOTOS=${PHOTOS:-50}
DIR=${BENCH_DIR:-/tmp/clinicsite-images-bench}
missing=()
[ -x /usr/bin/time ] || missing+=(time)
command -v hugo >/dev/null || missing+=(hugo)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
fi
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}
cargo build --release --quiet --example gen_photos
cargo build --release --quiet
BIN=$CARGO_TARGET_DIR/release/clinicsite
GEN=$CARGO_TARGET_DIR/release/examples/gen_photos

rm -rf "$DIR" && mkdir -p "$DIR"
"$BIN" init "$DIR/site" >/dev/null
"$BIN" init "$DIR/plain" >/dev/null
mkdir -p "$DIR/site/content/gallery"
"$GEN" "$DIR/site/content/gallery" "$PHOTOS" 4000 3000
{
  printf -- '---\ntitle: Gallery\n---\n'
  for f in "$DIR"/site/content/gallery/*.jpg; do
    n=$(basename "$f")
    printf '![A generated test photo, %s](%s)\n\n' "$n" "$n"
  done
} > "$DIR/site/content/gallery/index.md"
du -sh "$DIR/site/content/gallery" | sed 's/^/photos on disk: /'

measure() { # label, command...
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$DIR/time" "$@" >/dev/null 2>"$DIR/err" || { cat "$DIR/err"; exit 1; }
  read -r secs kib < "$DIR/time"
  printf '%-44s %8.2f s %8d MiB\n' "$label" "$secs" $((kib / 1024))
}

echo "== clinicsite"
measure "cold build ($PHOTOS photos)" "$BIN" build --root "$DIR/site"
for i in 1 2 3; do measure "warm rebuild, nothing changed ($i)" "$BIN" build --root "$DIR/site"; done
"$BIN" build --root "$DIR/plain" >/dev/null
for i in 1 2 3; do measure "same site without photos, rebuild ($i)" "$BIN" build --root "$DIR/plain"; done
rm -rf "$DIR/site/.clinicsite-cache" "$DIR/site/public"
measure "cold build again (cache deleted)" "$BIN" build --root "$DIR/site"
ls -l "$DIR"/site/public/gallery/*-1200.webp | awk '{s+=$5; if ($5>m) m=$5} END {printf "1200-px WebP: average %d KB, largest %d KB\n", s/NR/1024, m/1024}'

echo "== hugo $(hugo version | cut -d' ' -f2)"
H=$DIR/hugo
mkdir -p "$H/content/gallery" "$H/layouts/_default"
cp "$DIR"/site/content/gallery/*.jpg "$H/content/gallery/"
printf -- '---\ntitle: Gallery\n---\n' > "$H/content/gallery/index.md"
cat > "$H/config.toml" <<'TOML'
baseURL = "https://example.com/"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[imaging]
quality = 75
resampleFilter = "box"
TOML
cat > "$H/layouts/_default/single.html" <<'HTML'
{{ range $r := .Resources.ByType "image" }}{{ range $w := slice 480 800 1200 1600 }}{{ with $r.Resize (printf "%dx webp q75" $w) }}<img src="{{ .RelPermalink }}">{{ end }}{{ with $r.Resize (printf "%dx jpg q82" $w) }}<img src="{{ .RelPermalink }}">{{ end }}{{ end }}{{ end }}
HTML
cp "$H/layouts/_default/single.html" "$H/layouts/_default/list.html"
measure "hugo cold ($PHOTOS photos, 8 files each)" hugo --source "$H" --quiet
for i in 1 2 3; do measure "hugo warm ($i)" hugo --source "$H" --quiet; done
