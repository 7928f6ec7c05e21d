//! The build, end to end: a site folder in, `public/` updated (or every finding) out.
//!
//! `build` streams: each file is staged in the output folder as it is rendered, and put in
//! place only when the whole site is free of errors. `render_site` runs the same stages with
//! every file kept in memory, for the dev server; `place` and `render` are the
//! two halves `check` runs.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::build_cache::BuildCache;
use crate::build_inputs;
use crate::check;
use crate::config::{self, Config};
use crate::diagnostics::{self, Diagnostic, Severity};
use crate::frontmatter;
use crate::incremental::{Reuse, ReuseRead};
use crate::read_record::ReadRecord;
use crate::render::{self, Output};
use crate::site::{self, content_path};
use crate::source;
use crate::theme;
use crate::write;

mod checking;
mod gone;
mod inputs;
mod linked;
mod made;
mod read;
pub use checking::check;
use inputs::{fingerprint_inputs, markdown_stamps, unchanged};
pub use made::{compile_theme, load_theme, read_theme};
use made::{make_cards, process_images};
pub use read::{SiteFiles, read_config, read_site_files, read_site_files_at};

/// What `build` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// `--output-dir`; `ROOT/public` when absent.
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    pub force: bool,
    /// The date `check`'s review rules count from; the clock's (UTC) when absent.
    pub today: Option<crate::frontmatter::Date>,
    /// The process ends when `build` returns (the command line sets it): the placed site and
    /// the lists of files and findings are left for the exit to free. At 10,000 pages, freeing
    /// their many small allocations one by one costs a tenth of a one-page edit's build.
    pub exiting: bool,
}

impl BuildOptions {
    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// The finished site, in memory.
#[derive(Debug)]
pub struct RenderedSite {
    pub config: Config,
    pub outputs: Vec<Output>,
    /// Pages and sections rendered.
    pub pages: usize,
    /// What `check`'s rules found (the gate `build` stops on): shown by the dev server over
    /// the pages, which are rendered all the same.
    pub gate: Vec<Diagnostic>,
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    pub pages: usize,
    /// Warnings of `check`'s rules: they do not stop the build, `check` tells more.
    pub warnings: usize,
    pub files: usize,
    pub write: write::Report,
    pub elapsed: Duration,
    pub output: PathBuf,
    /// Results cases left out because their consent was revoked or has expired (see
    /// `results`), each in the default language only.
    pub withheld: Vec<crate::results::Withheld>,
    /// What site.yaml still has to be told (see `config::reminders`): printed by `build`.
    pub reminders: Vec<Diagnostic>,
    /// Pages the last build published and this one does not (see `gone`).
    pub gone: Vec<Diagnostic>,
}

/// Why a build stopped.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("the site has {} problem(s)", .0.len())]
    Findings(Vec<Diagnostic>),
    #[error(transparent)]
    Io(#[from] write::IoError),
}

/// Builds the site and updates the output folder. Files are staged as they are rendered and
/// put in place only when the whole site is free of errors. With `options.exiting`, what a
/// successful build held is not freed (see `BuildOptions::exiting`).
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    let root = &options.root;
    let output = options.output_dir();
    write::check_output_dir(root, &output, options.force)
        .map_err(|d| BuildError::Findings(vec![d]))?;
    let (config, site_yaml) =
        read_config(root, options.base_url.as_deref()).map_err(BuildError::Findings)?;
    let reminders = config::reminders::of(&config, &site_yaml, options.base_url.is_some());
    let listed = source::list_content(root);
    let today = options.today.unwrap_or_else(|| crate::today::of(&config));
    let records = write::record::folder(root, &output);
    let theme_files = read_theme(root, &config);
    let inputs = match &theme_files {
        Ok(chain) if listed.1.is_empty() => Some(fingerprint_inputs(
            options, &config, &site_yaml, &listed.0, chain, today,
        )),
        _ => None,
    };
    if let Some(outcome) = inputs
        .as_ref()
        .and_then(|inputs| unchanged(&records, &output, inputs))
    {
        return Ok(BuildReport {
            pages: outcome.pages,
            warnings: outcome.warnings,
            files: outcome.files,
            write: write::Report {
                unchanged: outcome.files,
                ..write::Report::default()
            },
            elapsed: started.elapsed(),
            output,
            withheld: Vec::new(),
            reminders,
            gone: Vec::new(),
        });
    }
    // The last build's read record is decoded and the files are read through it (one thread
    // most of the time) while the theme compiles.
    let ((read, (content, findings)), theme) = rayon::join(
        || {
            // Markdown files whose stamps match the last build's reading are not parsed
            // again. No body is kept in memory: each is read again when its page is
            // rendered, and files the last build read unchanged are not read at all (see
            // `source::BodyText`).
            let read = match &inputs {
                Some(inputs) => {
                    let stamps = markdown_stamps(&listed.0, inputs);
                    ReadRecord::open(root, stamps, inputs.taken)
                }
                None => ReadRecord::open(root, Default::default(), 0),
            };
            let known = |path: &Path, rel: &str| read.known(path, rel);
            let files = source::read_listed_lean(listed, &known, &body_start);
            (read, files)
        },
        || theme_files.and_then(|chain| compile_theme(root, &config, chain)),
    );
    let inputs = inputs.filter(|_| findings.is_empty());
    let flags = (options.drafts, options.today);
    let mut placed = place_content(&config, &content, &read, flags, findings);
    read.save(&content, &placed.front_matter);
    placed.front_matter.forget_placed_words();
    let (images, image_findings) = process_images(root, &config, &placed.site);
    placed.findings.extend(image_findings);
    placed.site.images = images;
    let site = &placed.site;
    // A site already known to be broken is still rendered, to report every problem, but
    // nothing is staged and no earlier work is reused.
    let broken = has_errors(&placed.findings);
    let (mut staging, mut cache) = if broken {
        (write::Staging::dry(&output), None)
    } else {
        // The site's shape (see `incremental::shape`) is hashed and the build cache's record
        // read while the output is locked and its manifest read: the record only once the
        // read record is let go of, which would otherwise be held beside it and the placed
        // site (at 100,000 pages, tens of megabytes each).
        let ((staging, recorded), shape) = rayon::join(
            || {
                rayon::join(
                    || write::Staging::open(root, &output),
                    || crate::build_cache::Previous::read(&records),
                )
            },
            || crate::incremental::shape_parsed(&content, &placed.front_matter),
        );
        let staging = staging?;
        // Pages name their images' sizes and files: a changed image renders them again. A
        // case withheld since the last build (its consent expired today) changes the lists.
        let withheld: Vec<&str> = site.withheld.iter().map(|w| w.source.as_str()).collect();
        let settings = format!(
            "drafts {} base_url {:?} images {} withheld {withheld:?}",
            options.drafts,
            options.base_url,
            site.images.digest()
        );
        let records = staging.records();
        let read = (shape, &placed.front_matter);
        // An output folder this build made holds nothing to keep: no page is looked for there.
        let on_disk = if staging.is_fresh() {
            Default::default()
        } else {
            staging.previous_shared()
        };
        let previous = (recorded, on_disk);
        let cache = BuildCache::open((records, &output), previous, read, &site_yaml, &settings);
        (staging, Some(cache))
    };
    let reuse: &dyn crate::incremental::Reuse = match &cache {
        Some(cache) => cache,
        None => &crate::incremental::Fresh,
    };
    // The gate: check's rules read each page as it is rendered (see `check::PageRules`).
    let placed_key = match (&cache, &theme) {
        (Some(cache), Ok(theme)) => Some(cache.placed_key(theme)),
        _ => None,
    };
    let rules = check::PageRules::new(&placed, &config, today, root)
        .as_gate(placed_key)
        .counting();
    let (cards, card_findings) = if broken {
        (Vec::new(), Vec::new())
    } else {
        make_cards(root, &config, site)
    };
    // `check`'s orphan rule needs every page's links: read from each page as it is staged.
    let linked = linked::Linked::new(&placed, config.base_path(), cache.as_ref());
    let hooks = render::Hooks {
        reuse,
        reader: Some(&rules),
        keep: &|file| linked.stage(file, |file| staging.stage_borrowed(file)),
    };
    let (staged, render_findings) = render(root, &config, site, theme, hooks);
    let staged = staged.map(|mut staged| {
        staged.extend(cards.into_iter().map(|card| staging.stage(card)));
        staged
    });
    let files = staged.as_ref().map(|staged| {
        // Sized for every file at once: grown from empty, it would be hashed again each time
        // it doubled.
        let kept = cache.as_ref().map(BuildCache::kept).unwrap_or_default();
        let mut files = std::collections::HashSet::with_capacity(staged.len() + kept.len());
        files.extend(
            staged
                .iter()
                .filter_map(|s| s.as_ref().ok().map(|s| s.path.clone())),
        );
        files.extend(kept);
        files
    });
    let mut findings = placed.findings.clone();
    findings.extend(card_findings);
    findings.extend(render_findings);
    findings.extend(linked.orphans(cache.as_ref()));
    // Before check's gate, which holds every page's findings: what only the render pass and
    // the orphan rule read is let go of first.
    if let Some(cache) = cache.as_mut() {
        cache.rendered();
    }
    let counted = rules.gate(&config, &content, files.as_ref(), &mut findings);
    // Counted as `check` counts them: with `site.yaml`'s levels, each finding once. Errors
    // are shown, sorted; warnings are only counted (`count_unique`: as many as `sort_unique`
    // leaves, without sorting thousands of them), with those of the pages the gate only
    // counted (`check::PageRules::counting`).
    // The warnings stay where they are, the errors (few, unless the build fails) copied out:
    // split into two new lists, a first build of 100,000 pages held its warnings twice.
    let mut warnings = check::rules::apply_levels(findings, &config.check.rules);
    let is_error = |f: &Diagnostic| f.severity == Severity::Error;
    let mut findings: Vec<Diagnostic> = warnings.iter().filter(|f| is_error(f)).cloned().collect();
    warnings.retain(|f| !is_error(f));
    diagnostics::sort_unique(&mut findings);
    let (mut staged, cache) = match (staged, cache) {
        (Some(staged), Some(cache)) if !has_errors(&findings) => {
            (staged.into_iter().collect::<Result<Vec<_>, _>>()?, cache)
        }
        _ => return Err(BuildError::Findings(finish(findings))),
    };
    // In path order, as the manifest is: each found along it (see `Staging::keep_sorted`).
    let mut kept = cache.kept();
    kept.par_sort_unstable();
    staged.extend(staging.keep_sorted(kept));
    // Every path this build writes or keeps: what is in the way, and which pages are gone.
    let wanted: std::collections::HashSet<&str> = staged.iter().map(|f| f.path.as_str()).collect();
    // Every output path is planned before the first file is put in place (or was, by the
    // previous build, when the paths are the same), while the disk is looked at on the way
    // to each file.
    let (mut in_the_way, on_disk) = rayon::join(
        || match staging.same_plan(&staged) {
            true => Vec::new(),
            false => {
                let paths: Vec<&str> = staged.iter().map(|f| f.path.as_str()).collect();
                crate::output_paths::check(site, &paths, &output)
            }
        },
        || staging.in_the_way(&staged, &wanted, options.force),
    );
    in_the_way.extend(on_disk);
    if !in_the_way.is_empty() {
        return Err(BuildError::Findings(finish(in_the_way)));
    }
    let gone = gone::addresses(staging.previous(), &wanted, site, &placed.front_matter);
    drop(wanted);
    build_inputs::forget(&records);
    let taken = crate::write::stamp::now();
    let report = staging.commit(&staged)?;
    // Each file's stamp, taken once for both records.
    let stamps = write::stamp::of_output(&output, &staged, cache.kept_stamps());
    let outcome = build_inputs::Outcome {
        pages: site.sections.len() + site.pages.len(),
        warnings: diagnostics::count_unique(&warnings) + counted,
        files: staged.len(),
    };
    // The two records of this build are independent of each other: saved side by side.
    rayon::join(
        || cache.save(&content, &staged, (taken, &stamps)),
        || {
            // A build that withheld results cases says which in its summary, so it is never
            // only repeated: the next one runs in full and says so again.
            if let Some(inputs) = inputs.as_ref().filter(|_| site.withheld.is_empty()) {
                let files: Vec<(&str, &str)> = staged
                    .iter()
                    .map(|f| (f.path.as_str(), f.hash.as_str()))
                    .collect();
                let done = (outcome, taken);
                build_inputs::save(&records, inputs, done, &files, &stamps);
            }
        },
    );
    let withheld = site
        .withheld
        .iter()
        .filter(|w| !w.translation)
        .cloned()
        .collect();
    if options.exiting {
        std::mem::forget((staged, files, warnings));
        std::mem::forget(placed);
        std::mem::forget(content);
    }
    Ok(BuildReport {
        pages: outcome.pages,
        warnings: outcome.warnings,
        files: outcome.files,
        write: report,
        elapsed: started.elapsed(),
        output,
        withheld,
        reminders,
        gone,
    })
}

/// Where the body of a markdown file starts in its text; `None` when its front matter
/// cannot be cut from it (the file is then kept whole, for its errors).
fn body_start(file: &source::ContentFile) -> Option<usize> {
    let split = frontmatter::split(&file.text, Path::new(&file.rel)).ok()?;
    (split.body.as_ptr() as usize).checked_sub(file.text.as_ptr() as usize)
}

fn has_errors(findings: &[Diagnostic]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}

/// Reads, checks and renders the site at `root`, every file kept in memory; every finding
/// when anything is wrong. What it can, it takes from earlier reads and builds through
/// `reuse` (the dev server's cache; `Fresh` for none): `outputs` then lacks the pages `reuse`
/// kept from the previous build.
pub fn render_site(
    root: &Path,
    base_url: Option<&str>,
    drafts: bool,
    reuse: &(impl Reuse + ReuseRead),
) -> Result<RenderedSite, Vec<Diagnostic>> {
    let (config, _) = read_config(root, base_url)?;
    let (content, findings) = reuse.content(root);
    let theme = load_theme(root, &config);
    let mut placed = place_content(&config, &content, reuse, (drafts, None), findings);
    let at = Placing {
        root,
        config: &config,
        content: &content,
        today: crate::today::of(&config),
    };
    let rendered = render_placed(at, &mut placed, theme, reuse)?;
    if has_errors(&rendered.findings) {
        return Err(finish(rendered.findings));
    }
    Ok(RenderedSite {
        gate: rendered.gate.finish(&config),
        config,
        outputs: rendered.outputs,
        pages: rendered.pages,
    })
}

/// What `render_placed` made of a placed site.
#[derive(Debug)]
pub struct RenderedPlaced {
    pub outputs: Vec<Output>,
    /// Pages and sections rendered.
    pub pages: usize,
    /// What `check`'s rules found, before `site.yaml`'s levels (see `check::GateParts`).
    pub gate: check::GateParts,
    /// What reading, placing and rendering found: with an error, `build` would stop.
    pub findings: Vec<Diagnostic>,
}

/// The site a placed site was placed from, for `render_placed`.
#[derive(Debug, Clone, Copy)]
pub struct Placing<'p> {
    pub root: &'p Path,
    pub config: &'p Config,
    pub content: &'p source::Content,
    /// The day check's review rules count from.
    pub today: frontmatter::Date,
}

/// `render_site`'s stages after placing: images, share cards, every page rendered (through
/// `reuse`) with check's rules reading it. The dev server calls it with the placed site it
/// keeps between rebuilds. Every finding when the theme could not be loaded; otherwise the
/// caller decides what the `findings` mean (`render_site` fails on an error).
pub fn render_placed(
    at: Placing,
    placed: &mut Placed,
    theme: Result<theme::Theme, Vec<Diagnostic>>,
    reuse: &dyn Reuse,
) -> Result<RenderedPlaced, Vec<Diagnostic>> {
    let Placing {
        root,
        config,
        content,
        today,
    } = at;
    let (images, image_findings) = process_images(root, config, &placed.site);
    placed.findings.extend(image_findings);
    placed.site.images = images;
    let (cards, card_findings) = make_cards(root, config, &placed.site);
    placed.findings.extend(card_findings);
    let placed = &*placed;
    let rules = check::PageRules::new(placed, config, today, root).as_gate(None);
    let hooks = render::Hooks {
        reuse,
        reader: Some(&rules),
        keep: &|f| f,
    };
    let (outputs, render_findings) = render(root, config, &placed.site, theme, hooks);
    let outputs = outputs.map(|mut outputs| {
        outputs.extend(cards);
        outputs
    });
    // Links written in HTML may point at the pages `reuse` kept, which are not in `outputs`.
    let files = outputs.as_ref().map(|outputs| {
        let made = outputs.iter().map(|o| o.path.clone());
        made.chain(reuse.kept_paths()).collect()
    });
    let gate = rules.gate_parts(config, content, files.as_ref());
    let mut findings = placed.findings.clone();
    findings.extend(render_findings);
    let Some(outputs) = outputs else {
        return Err(finish(findings));
    };
    Ok(RenderedPlaced {
        outputs,
        pages: placed.site.sections.len() + placed.site.pages.len(),
        gate,
        findings,
    })
}

fn finish(mut findings: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostics::sort_unique(&mut findings);
    findings
}

pub use crate::site::Placed;

/// Parses the front matter of every file and places the site. Results cases whose consent
/// expired by `today` (`--today`; the clock's date when `None`) are left out.
pub fn place<'a>(
    files: &'a SiteFiles,
    drafts: bool,
    today: Option<frontmatter::Date>,
) -> Placed<'a> {
    let findings = files.findings.clone();
    place_content(
        &files.config,
        &files.content,
        &crate::incremental::Fresh,
        (drafts, today),
        findings,
    )
}

/// Parses the front matter of every file of `content` (through `reuse`) and places the site,
/// adding to the `findings` so far. `(drafts, today)`: `--drafts`, and the day results
/// consents are checked on (the clock's when absent).
pub fn place_content<'a>(
    config: &Config,
    content: &'a source::Content,
    reuse: &dyn ReuseRead,
    (drafts, today): (bool, Option<frontmatter::Date>),
    mut findings: Vec<Diagnostic>,
) -> Placed<'a> {
    let (parsed, mut parse_findings) = parse_content(content, reuse);
    findings.append(&mut parse_findings);
    let options = site::Options {
        drafts,
        languages: config.languages.clone(),
        consents: crate::results::Consents {
            revoked: config.revoked_consents.clone(),
            today: Some(today.unwrap_or_else(|| crate::today::of(config))),
        },
    };
    let mut placed = site::place(content, parsed, &config.title, &options);
    findings.append(&mut placed.findings);
    placed.findings = findings;
    placed
}

/// Renders a placed site as `build` would, without writing it, with `theme` (see
/// `load_theme`) and through `hooks` (see `render::render`). When the theme could not be
/// loaded, the markdown is still rendered so link problems are reported too.
pub fn render<T: Send>(
    root: &Path,
    config: &Config,
    site: &site::Site,
    theme: Result<theme::Theme, Vec<Diagnostic>>,
    hooks: render::Hooks<'_, T>,
) -> (Option<Vec<T>>, Vec<Diagnostic>) {
    match theme {
        Ok(mut theme) => {
            crate::assets::markup::register_template_function(&mut theme.tera, site.images.clone());
            let gate = crate::third_party::Gate::new(config);
            let inspect = |output: Output| {
                gate.inspect(&output);
                (hooks.keep)(output)
            };
            let hooks = render::Hooks {
                keep: &inspect,
                ..hooks
            };
            let (outputs, mut findings) = render::render(site, &theme, config, hooks);
            findings.extend(gate.findings(&|| crate::third_party::Sources {
                site,
                theme_files: crate::third_party::theme_files(root, &theme),
            }));
            (Some(outputs), findings)
        }
        Err(mut findings) => {
            findings.append(&mut render::render_bodies(site, hooks.reuse, hooks.reader));
            if config.raw_html {
                crate::html_policy::allow(&mut findings);
            }
            (None, findings)
        }
    }
}

/// Splits and parses the front matter of every markdown file, in parallel: each file with
/// its parse (`None` when it had errors) and all the errors.
fn parse_content<'a>(
    content: &'a source::Content,
    reuse: &dyn ReuseRead,
) -> (
    Vec<(String, Option<frontmatter::Parsed<'a>>)>,
    Vec<Diagnostic>,
) {
    let results: Vec<_> = content
        .pages
        .par_iter()
        .map(|file| {
            let parse = || frontmatter::parse_file(file, &content_path(&file.rel));
            (file.rel.clone(), reuse.front_matter(file, &parse))
        })
        .collect();
    let mut findings = Vec::new();
    let parsed = results
        .into_iter()
        .map(|(rel, result)| match result {
            Ok(mut parsed) => {
                findings.append(&mut parsed.findings);
                (rel, Some(parsed))
            }
            Err(mut errors) => {
                findings.append(&mut errors);
                (rel, None)
            }
        })
        .collect();
    (parsed, findings)
}
