#!/usr/bin/env bash
# Photo benchmark: PHOTOS generated photos (50 by default, 4000 × 3000: 12 megapixels), one
# per page bundle (`content/gallery/photo-NNN/index.md` with `photo.jpg` beside it).
# Times, with GNU time (wall seconds, peak memory of the process):
#   - clinicsite: a cold build (no cache, no output), warm rebuilds (nothing changed), and
#     warm rebuilds of the same pages without their photos (the difference is what photos
#     cost once processed), then a cold build again after deleting the cache;
#   - Hugo (Debian's `hugo`) making the same files from the same photos: widths 480, 800,
#     1200 and 1600, each in WebP q75 and JPEG q82 (8 files a photo, as clinicsite writes),
#     cold (no resources/_gen, no public/) and warm.
# Prints the size of the 1200-pixel WebP copies too.
#
#   benches/images.sh                              # 50 photos in /tmp/clinicsite-images-bench
#   PHOTOS=200 SIZE="2000 1500" benches/images.sh  # the warm cost of 200 photos, made faster
#   HUGO=0 benches/images.sh                       # without Hugo
#   CLINICSITE_BIN=target/debug/clinicsite GEN_PHOTOS=... benches/images.sh   # given binaries
#
# Needs GNU time and Hugo (Debian packages `time` and `hugo`; installed here when missing and
# run as root).
set -euo pipefail
cd "$(dirname "$0")/.."
PHOTOS=${PHOTOS:-50}
SIZE=${SIZE:-4000 3000}
RUNS=${RUNS:-3}
HUGO=${HUGO:-1}
DIR=${BENCH_DIR:-/tmp/clinicsite-images-bench}
missing=()
[ -x /usr/bin/time ] || missing+=(time)
[ "$HUGO" = 0 ] || command -v hugo >/dev/null || missing+=(hugo)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "needs: ${missing[*]} (apt-get install ${missing[*]})" >&2
    exit 2
  fi
fi
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}
# CLINICSITE_BIN and GEN_PHOTOS name binaries built elsewhere (no release build here).
if [ -z "${CLINICSITE_BIN:-}" ] || [ -z "${GEN_PHOTOS:-}" ]; then
  cargo build --release --quiet --example gen_photos --bin clinicsite
fi
BIN=${CLINICSITE_BIN:-$CARGO_TARGET_DIR/release/clinicsite}
GEN=${GEN_PHOTOS:-$CARGO_TARGET_DIR/release/examples/gen_photos}

rm -rf "$DIR" && mkdir -p "$DIR"
"$BIN" init "$DIR/site" >/dev/null
"$BIN" init "$DIR/plain" >/dev/null
# shellcheck disable=SC2086 # SIZE is two numbers
"$GEN" "$DIR/photos" "$PHOTOS" $SIZE
for site in site plain; do
  mkdir -p "$DIR/$site/content/gallery"
  printf -- '---\ntitle: Gallery\n---\nPhotos of the office.\n' > "$DIR/$site/content/gallery/_index.md"
done
for f in "$DIR"/photos/*.jpg; do
  n=$(basename "$f" .jpg)
  for site in site plain; do
    mkdir -p "$DIR/$site/content/gallery/$n"
    {
      printf -- '---\ntitle: Photo %s\n---\nA room of the office.\n\n' "$n"
      [ "$site" = plain ] || printf '![A generated test photo, %s](photo.jpg)\n' "$n"
    } > "$DIR/$site/content/gallery/$n/index.md"
  done
  mv "$f" "$DIR/site/content/gallery/$n/photo.jpg"
done
du -sh "$DIR/site/content/gallery" | sed "s/^/$PHOTOS photos ($SIZE) on disk: /"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

measure() { # label, command...
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$DIR/time" "$@" >/dev/null 2>"$DIR/err" || { cat "$DIR/err"; exit 1; }
  read -r secs kib < "$DIR/time"
  printf '%-48s %8.3f s %6d MiB\n' "$label" "$secs" $((kib / 1024))
}

echo "== clinicsite"
measure "cold build ($PHOTOS photos)" "$BIN" build --root "$DIR/site"
for i in $(seq "$RUNS"); do measure "warm rebuild, nothing changed ($i)" "$BIN" build --root "$DIR/site"; done
"$BIN" build --root "$DIR/plain" >/dev/null
for i in $(seq "$RUNS"); do measure "the same pages without photos, rebuild ($i)" "$BIN" build --root "$DIR/plain"; done
rm -rf "$DIR/site/.clinicsite-cache" "$DIR/site/public"
measure "cold build again (cache deleted)" "$BIN" build --root "$DIR/site"
find "$DIR/site/public/gallery" -name '*-1200.webp' -printf '%s\n' |
  awk '{s+=$1; if ($1>m) m=$1} END {if (NR) printf "1200-px WebP (q75): %d files, average %d KB, largest %d KB\n", NR, s/NR/1024, m/1024}'

[ "$HUGO" = 0 ] && exit 0
echo "== hugo $(hugo version | cut -d' ' -f2)"
H=$DIR/hugo
mkdir -p "$H/layouts/_default" "$H/content"
cp -r "$DIR/site/content/gallery" "$H/content/"
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
for i in $(seq "$RUNS"); do measure "hugo warm ($i)" hugo --source "$H" --quiet; done
find "$H/public/gallery" -name '*1200x*.webp' -printf '%s\n' |
  awk '{s+=$1; if ($1>m) m=$1} END {if (NR) printf "hugo 1200-px WebP (q75): %d files, average %d KB, largest %d KB\n", NR, s/NR/1024, m/1024}'
