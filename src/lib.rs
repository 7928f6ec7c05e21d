//! clinicsite: a static site generator for patient-education websites.
//!
//! A build is a chain of plain functions, each stage owning its input and output types.
//! Disk I/O happens only at the two ends (`source` reads, `write` writes), so every stage in
//! between can be tested without files:
//!
//! ```text
//! site.yaml ──config──▶ Config
//! content/  ──source──▶ ContentFile (text, \n endings) ──frontmatter──▶ Parsed (RawFrontMatter + body)
//! themes/   ──source──▶ ThemeFiles ──theme──▶ Theme (Tera compiled once, static files merged)
//! Parsed ──site──▶ Site (sections, pages, URLs, order, drafts, collisions, per-kind metadata)
//! Site's images + theme's ──assets──▶ Images (upright, stripped, resized; WebP; cached)
//! Site + Theme ──render──▶ Output files in memory (markdown, links and anchors checked)
//!                 ├─ each finished file ──third_party──▶ errors for requests to other sites
//!                 └─ Config + hashed names ──headers──▶ _headers (security policy, caching)
//! Output paths ──output_paths──▶ collisions found before anything is written
//! Output ──write──▶ public/ (locked, atomic, only changed files, stale ones removed, manifest)
//! ```
//!
//! `third_party` watches every file the render pass finishes (a hook in
//! `pipeline::render_placed_keeping`, so `build`, `check` and `serve` all stop on a tracker)
//! and places each finding on the markdown or theme file that wrote the address. `headers`
//! writes `_headers` for Netlify and Cloudflare Pages; `serve` sends the same headers, and
//! `deploy/nginx.conf` (written by `init`) repeats them.
//!
//! `assets` re-encodes every raster image the build publishes (content files and the theme's
//! static files) so no metadata (GPS, camera serial numbers, times) reaches `public/`, and
//! makes the resized copies behind `<picture>` markup; its results are kept in
//! `ROOT/.clinicsite-cache/images/`, so a rebuild with nothing changed decodes nothing.
//!
//! Problems in the user's files are `diagnostics::Diagnostic`s, collected across the whole
//! site; `pipeline` runs the stages and stops before `write` if there is any error.
//!
//! `serve` runs the same stages in memory after every change, reusing what did not change
//! through the `incremental::Reuse` hook, and serves the result with a live-reload channel.
//! `check` runs them without `write`, using the same hook to read each page's text from the
//! markdown the renderer parses, and runs its editorial rules on it (see `check`). `build`
//! and `serve` run the same page rules in their rendering pass (`check::PageRules` wraps
//! their cache): `build` stops on every error-level finding, `serve` shows them.
//!
//! A medical review holds only for the words reviewed: `reviewed_text` turns a page's title,
//! description, summary and text into a fingerprint, which `render` (the "Medically reviewed"
//! line) and `check` (`review/changed`) compare with the one `review` recorded.
//!
//! Commands that edit the site's own files change only the files they name or must change,
//! through `frontmatter_edit` (header lines set in place, never re-serialised):
//! `review` (`clinicsite review`) and `relocate` (`clinicsite move`: files renamed, links
//! rewritten, old addresses added to `aliases:`).
pub mod assets;
pub mod build_cache;
pub mod build_inputs;
pub mod check;
pub mod cli;
pub mod config;
pub mod diagnostics;
pub mod frontmatter;
pub mod frontmatter_edit;
pub mod headers;
pub mod html_policy;
pub mod i18n;
pub mod incremental;
pub mod location;
pub mod markdown;
pub mod output_paths;
pub mod pipeline;
pub mod relocate;
pub mod render;
pub mod review;
pub mod reviewed_text;
pub mod scaffold;
pub mod search;
pub mod seo;
pub mod serve;
pub mod site;
pub mod source;
pub mod theme;
pub mod third_party;
pub mod translation;
pub mod write;
pub mod yaml;
