//! clinicsite: a static site generator for patient-education websites.
//!
//! A build is a chain of plain functions, each stage owning its input and output types.
//! Disk I/O happens only at the two ends (`source` reads, `write` writes), so every stage in
//! between can be tested without files:
//!
//! ```text
//! site.yaml ──config──▶ Config (its `check:` block: config::check)
//! content/  ──source──▶ ContentFile (text, \n endings) ──frontmatter──▶ Parsed (RawFrontMatter + body)
//! themes/   ──source──▶ ThemeFiles ──theme──▶ Theme (Tera compiled once, i18n words, static files merged)
//! Config's brand ──brand──▶ contrast findings, brand.css + icons in its colours (into Theme)
//! Parsed ──site──▶ Site (sections, pages, URLs, order, drafts, collisions, per-kind metadata;
//!                        offices through `location`, before-and-after cases through `results`)
//! Site's images + theme's ──assets──▶ Images (upright, stripped, resized; WebP; cached)
//! Site + CardStyle ──cards──▶ a 1200×630 share card (PNG) per page without a photo (cached)
//! Site + Theme ──render──▶ output::Output files in memory
//!                 ├─ each page's body ──markdown──▶ HTML, links and anchors checked
//!                 │                      (`html_policy`: what HTML the markdown may hold)
//!                 ├─ Site ──seo──▶ JSON-LD, sitemap.xml, robots.txt, manifest, redirects
//!                 ├─ Site ──search──▶ one search index per language
//!                 ├─ each finished file ──third_party──▶ errors for requests to other sites
//!                 └─ Config + hashed names ──headers──▶ _headers (security policy, caching)
//! Output paths ──output_paths──▶ collisions found before anything is written
//! Output ──write──▶ public/ (locked, atomic, only changed files, stale ones removed, manifest)
//! ```
//!
//! Below the stages: `diagnostics` (findings; `diagnostics::Code`, every finding's code with
//! its default severity and which ones `check.rules` can change), `atomic_file` (the one way
//! a single file is replaced: the build's records and every cache write through it), `yaml`
//! (the one YAML parser), `cache_format` (how the build's records are stored: versioned,
//! checksummed MessagePack), `cache_key` (how the theme, the images and the build cache key
//! what they keep) and `file_cache` (the folders of `.clinicsite-cache/` that images and share
//! cards keep their files in, under their keys), and `today` (the clinic's date: the clock read
//! in site.yaml's `timezone:`, or `CLINICSITE_TODAY`, which review dates and consents count
//! from).
//!
//! `third_party` watches every file the render pass finishes (a hook in
//! `pipeline::render`, so `build`, `check` and `serve` all stop on a tracker)
//! and places each finding on the markdown or theme file that wrote the address. `headers`
//! writes `_headers` for Netlify and Cloudflare Pages; `serve` sends the same headers, and
//! `deploy/nginx.conf` (written by `init`) repeats them.
//!
//! `assets` re-encodes every raster image the build publishes (content files and the theme's
//! static files) so no metadata (GPS, camera serial numbers, times) reaches `public/`, and
//! makes the resized copies behind `<picture>` markup; its results are kept in
//! `ROOT/.clinicsite-cache/images/` (a `file_cache`), so a rebuild with nothing changed
//! decodes nothing.
//!
//! `cards` draws the picture link previews show for each page (its title under the clinic's
//! name, in the page's language) when the theme asks for them (`share_cards: true`), with a
//! font built into the binary; `render` names each page's card, or its photo, as `share`.
//! Cards are kept in `ROOT/.clinicsite-cache/cards/` (a `file_cache`), so only changed
//! titles are drawn again.
//!
//! `results` checks before-and-after cases (`kind: results`): a case whose consent could
//! never allow publishing is an error; one whose consent was revoked (`revoked_consents:`) or
//! has expired is withheld by `site`, like a draft, with its translations and photos, and
//! `build`'s summary line names it. `check::cases` warns of consents about to expire and of
//! photo pairs whose EXIF blocks say they were taken differently.
//!
//! `brand` turns `brand:` in site.yaml (two colours, a logo, a font) into the clinic theme's
//! custom properties, with every shade it derives solved for WCAG contrast and the two
//! colours staff picked checked in every pair the theme draws; `pipeline::load_theme` adds
//! its files to the theme's, so `build`, `check` and `serve` all stop on a colour too hard
//! to read.
//!
//! One verb per stage, at every layer: `pipeline` runs read, place, render, commit.
//! `pipeline::place` parses the front matter, then `site::place` places the site;
//! `pipeline::render` loads the theme, then `render::render` makes every file; `write`
//! commits them. `pipeline::build` is all four; `pipeline::render_site` is the first three
//! with every file kept in memory (the dev server).
//!
//! Problems in the user's files are `diagnostics::Diagnostic`s, collected across the whole
//! site; `pipeline` runs the stages and stops before `write` if there is any error. `build`
//! keeps what it can reuse next time in `build_cache`, and what it made of each markdown
//! file it read in `read_record` (a `ReuseRead`: unchanged files are not parsed again); `translation` finds pages without a
//! translation and translations whose original changed. `cli` maps each command to one
//! library function; `scaffold` writes new sites and FAQ entries (`init`, `new faq`).
//!
//! `serve` runs the same stages in memory after every change, reusing what did not change
//! through the `incremental` hooks (`ReuseRead` for the files read and parsed, `Reuse` for
//! the pages rendered; `build`'s `build_cache` is a `Reuse` too), and serves the result with
//! a live-reload channel. `check` (`pipeline::check`) runs them without `write`; its `check::PageRules` is a
//! `render::ReadBodies`, which reads each page's text from the markdown events the renderer
//! parses and runs its editorial rules on it (see `check`). `build` and `serve` run the same
//! page rules in their rendering pass: `build` stops on every error-level finding, `serve`
//! shows them.
//!
//! A medical review holds only for the words reviewed: `reviewed_text` turns a page's title,
//! description, summary and text into a fingerprint, which `render` (the "Medically reviewed"
//! line) and `check` (`review/changed`) compare with the one `review` recorded.
//!
//! Commands that edit the site's own files change only the files they name or must change,
//! through `frontmatter_edit` (header lines set in place, never re-serialised):
//! `review` (`clinicsite review`) and `relocate` (`clinicsite move`: files renamed, links
//! rewritten, old addresses added to `aliases:`).

// Core: findings, YAML, the site's settings and files.
pub mod atomic_file;
pub mod cache_format;
pub mod cache_key;
pub mod config;
pub mod diagnostics;
pub mod file_cache;
pub mod frontmatter;
pub mod source;
pub mod today;
pub mod yaml;

// The site: parsed files placed at their addresses, offices, translations, images.
pub mod assets;
pub mod location;
pub mod results;
pub mod reviewed_text;
pub mod site;
pub mod translation;

// Rendering: the theme, markdown, pages and the files around them.
pub mod brand;
pub mod cards;
pub mod headers;
pub mod html_policy;
pub mod i18n;
pub mod markdown;
pub mod output;
pub mod output_paths;
pub mod render;
pub mod search;
pub mod seo;
pub mod theme;
pub mod third_party;

// Checking: the editorial rules.
pub mod check;

// Running builds and commands: reuse between builds, the pipeline, writing, serving, and
// the commands that edit the site's own files.
pub mod build_cache;
pub mod build_inputs;
pub mod cli;
pub mod frontmatter_edit;
pub mod incremental;
pub mod pipeline;
pub mod read_record;
pub mod relocate;
pub mod review;
pub mod scaffold;
pub mod serve;
pub mod write;
