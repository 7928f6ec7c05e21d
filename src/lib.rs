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
//! Output ──write──▶ public/ (atomic, only changed files, stale ones removed, manifest)
//! ```
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
//! markdown the renderer parses, and runs its editorial rules on it (see `check`).
pub mod assets;
pub mod build_cache;
pub mod check;
pub mod cli;
pub mod config;
pub mod diagnostics;
pub mod frontmatter;
pub mod html_policy;
pub mod i18n;
pub mod incremental;
pub mod location;
pub mod markdown;
pub mod pipeline;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod seo;
pub mod serve;
pub mod site;
pub mod source;
pub mod theme;
pub mod translation;
pub mod write;
pub mod yaml;
