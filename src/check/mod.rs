//! `clinicsite check`: the site as `build` sees it (placed, rendered, with `build`'s own
//! findings) in, a `Report` out: every finding of the rules below, each page's reading level
//! and the medical review schedule.
//!
//! ```text
//! pipeline::place ──▶ Site + front matter (+ build's findings so far)
//!   ├─ pipeline::render_placed_keeping ──▶ each file's links + build's other findings } side by side
//!   └─ per page: page::PageInput (markdown read by `document`)                      }
//!        ├─ reading       reading level (readability, syllables_en, syllables_es)
//!        ├─ review        medical review dates
//!        ├─ claims        risky wording
//!        └─ content_rules titles, descriptions, alt text, headings, link text, locations
//! whole site: links (HTML links, empty links, orphans), duplicates, translations, --external
//! ──▶ rules::apply_levels (site.yaml `check.rules`) ──▶ Report ──▶ report_human / _json / _html
//! ```
//!
//! Nothing here writes to the site, except the link cache of `--external`.

pub mod claims;
pub mod content_rules;
pub mod document;
pub mod external;
pub mod links;
pub mod page;
pub mod readability;
pub mod reading;
pub mod report_html;
pub mod report_human;
pub mod report_json;
pub mod review;
pub mod rules;
pub mod settings;
pub mod syllables_en;
pub mod syllables_es;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use crate::config::Config;
use crate::diagnostics::{self, Diagnostic, Severity, display_path};
use crate::frontmatter::Date;
use crate::pipeline;
use crate::site::Target;
use page::PageInput;
use reading::ReadingSummary;
use review::ReviewEntry;

/// What `check` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub root: PathBuf,
    /// `--today`; the current date (UTC) when absent.
    pub today: Option<Date>,
    /// `--external`: also ask outside sites whether their links work.
    pub external: bool,
    /// `--drafts`: also check pages marked `draft: true`.
    pub drafts: bool,
}

/// Everything `check` found.
#[derive(Debug, Clone)]
pub struct Report {
    pub site_title: String,
    pub today: Date,
    /// Sorted by file, then position.
    pub findings: Vec<Diagnostic>,
    /// Every page and section, sorted by file.
    pub pages: Vec<PageReport>,
    /// FAQ entries, soonest due first.
    pub schedule: Vec<ReviewEntry>,
    pub review_interval_days: i64,
    /// The site's reading-level limits (pages may set their own).
    pub reading_limits: settings::ReadingLimits,
    /// With `--external`: how many outside links were checked.
    pub external: Option<external::Summary>,
}

/// One page in the report.
#[derive(Debug, Clone, Serialize)]
pub struct PageReport {
    pub file: String,
    /// Its address, relative to the site's root (`faq/pain/`).
    pub path: String,
    pub title: String,
    pub language: String,
    pub reading: Option<ReadingSummary>,
    pub review: Option<review::Status>,
    pub errors: usize,
    pub warnings: usize,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count()
    }

    pub fn warnings(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Warning)
            .count()
    }
}

/// Checks the site at `options.root`. `Err` only when the site cannot be read at all (no or
/// a broken `site.yaml`); everything else is a finding in the report.
pub fn check(options: &Options) -> Result<Report, Vec<Diagnostic>> {
    let files = pipeline::read_site_files(&options.root)?;
    let placed = pipeline::place(&files, options.drafts);
    let config = &files.config;
    let today = options.today.unwrap_or_else(today_utc);
    // Rendering and the rules of each page do not depend on each other: side by side, each
    // fills the other's idle moments (rendering has stretches that use one core).
    let base_path = config.base_path();
    let ((outputs, render_findings), (pages, results)) = rayon::join(
        || {
            let keep = |output| links::Published::new(output, &base_path);
            let fresh = &crate::incremental::Fresh;
            pipeline::render_placed_keeping(&options.root, config, &placed.site, fresh, &keep)
        },
        || check_pages(&placed, config, today),
    );
    let mut findings = placed.findings.clone();
    findings.extend(render_findings);
    let context = SiteContext {
        config,
        site: &placed.site,
        outputs: outputs.as_deref(),
    };
    findings.extend(site_rules(&pages, &context));
    let external = options.external.then(|| {
        let links: Vec<external::ExternalLink> = pages.iter().flat_map(external::collect).collect();
        let (mut found, summary) =
            external::check(&links, config.check.external, today, &options.root);
        findings.append(&mut found);
        summary
    });
    Ok(report(findings, &pages, results, config, today, external))
}

/// What one page's rules found.
struct PageResult {
    findings: Vec<Diagnostic>,
    reading: Option<ReadingSummary>,
    review: Option<ReviewEntry>,
}

/// Every page and section read for the rules, and what each page's own rules found.
fn check_pages<'a>(
    placed: &'a pipeline::Placed<'a>,
    config: &Config,
    today: Date,
) -> (Vec<PageInput<'a>>, Vec<PageResult>) {
    let site = &placed.site;
    let targets: Vec<Target> = (0..site.sections.len())
        .map(Target::Section)
        .chain((0..site.pages.len()).map(Target::Page))
        .collect();
    let mut pages: Vec<PageInput> = targets
        .par_iter()
        .filter_map(|&target| {
            let source = &site.common(target)?.source;
            PageInput::new(site, target, placed.front_matter.get(source))
        })
        .collect();
    let claims = claims::list(&config.check);
    let results = pages
        .par_iter_mut()
        .map_init(readability::SyllableCache::default, |cache, page| {
            let result = check_page(page, &claims, &config.check, today, cache);
            // The rules about the whole site read only links and HTML: the text goes now,
            // on this thread, instead of one page after another at the end.
            page.doc.keep_links_only();
            result
        })
        .collect();
    (pages, results)
}

/// What the rules about the whole site need.
struct SiteContext<'c> {
    config: &'c Config,
    site: &'c crate::site::Site<'c>,
    /// The rendered files, when the theme could be loaded.
    outputs: Option<&'c [links::Published]>,
}

/// Rules that look at more than one page: HTML links (they need every published file),
/// duplicates, translations and orphans.
fn site_rules(pages: &[PageInput], context: &SiteContext) -> Vec<Diagnostic> {
    // Each rule is quick; side by side, none waits for another.
    let ((mut findings, duplicates), (translations, orphans)) = rayon::join(
        || {
            rayon::join(
                || {
                    let base_path = context.config.base_path();
                    let files = output_files(context.site, context.outputs);
                    pages
                        .par_iter()
                        .flat_map_iter(|page| links::check(page, &files, &base_path))
                        .collect::<Vec<Diagnostic>>()
                },
                || content_rules::duplicates(pages),
            )
        },
        || {
            rayon::join(
                || crate::translation::findings(context.site),
                || {
                    context
                        .outputs
                        .map(|outputs| links::orphans(pages, outputs))
                        .unwrap_or_default()
                },
            )
        },
    );
    findings.extend(duplicates);
    findings.extend(translations);
    findings.extend(orphans);
    findings
}

/// Applies `site.yaml`'s levels and puts the report together, sorted.
fn report(
    findings: Vec<Diagnostic>,
    pages: &[PageInput],
    results: Vec<PageResult>,
    config: &Config,
    today: Date,
    external: Option<external::Summary>,
) -> Report {
    let settings = &config.check;
    let mut findings = findings;
    let mut schedule = Vec::new();
    let mut readings = HashMap::new();
    for (page, result) in pages.iter().zip(results) {
        findings.extend(result.findings);
        schedule.extend(result.review);
        readings.insert(page.file.clone(), result.reading);
    }
    let mut findings = rules::apply_levels(findings, &settings.rules);
    diagnostics::sort(&mut findings);
    findings.dedup();
    review::sort_schedule(&mut schedule);
    let page_reports = page_reports(pages, &mut readings, &schedule, &findings);
    Report {
        site_title: config.title.clone(),
        today,
        findings,
        pages: page_reports,
        schedule,
        review_interval_days: settings.review.interval_days,
        reading_limits: settings.reading,
        external,
    }
}

fn check_page(
    page: &PageInput,
    claims: &claims::Claims,
    settings: &settings::CheckSettings,
    today: Date,
    cache: &mut readability::SyllableCache,
) -> PageResult {
    let mut findings = claims::check(page, claims);
    findings.extend(content_rules::check(page));
    let reading = reading::check(page, settings.reading, cache).map(|(summary, mut found)| {
        findings.append(&mut found);
        summary
    });
    let review = review::check(page, today, settings.review).map(|(entry, mut found)| {
        findings.append(&mut found);
        entry
    });
    PageResult {
        findings,
        reading,
        review,
    }
}

fn page_reports(
    pages: &[PageInput],
    readings: &mut HashMap<PathBuf, Option<ReadingSummary>>,
    schedule: &[ReviewEntry],
    findings: &[Diagnostic],
) -> Vec<PageReport> {
    let mut counts: HashMap<&Path, (usize, usize)> = HashMap::new();
    for finding in findings {
        let count = counts.entry(finding.file.as_path()).or_default();
        match finding.severity {
            Severity::Error => count.0 += 1,
            Severity::Warning => count.1 += 1,
        }
    }
    let reviews: HashMap<&str, review::Status> = schedule
        .iter()
        .map(|e| (e.file.as_str(), e.status))
        .collect();
    let mut reports: Vec<PageReport> = pages
        .iter()
        .filter(|p| p.exists())
        .map(|page| {
            let file = display_path(&page.file);
            let (errors, warnings) = counts.get(page.file.as_path()).copied().unwrap_or_default();
            PageReport {
                review: reviews.get(file.as_str()).copied(),
                file,
                path: page.common.path.clone(),
                title: page.common.title.clone(),
                language: page.language.clone(),
                reading: readings.remove(&page.file).flatten(),
                errors,
                warnings,
            }
        })
        .collect();
    reports.sort_by(|a, b| a.file.cmp(&b.file));
    reports
}

/// Every file the site would publish, for checking links written in HTML.
fn output_files(site: &crate::site::Site, outputs: Option<&[links::Published]>) -> HashSet<String> {
    match outputs {
        Some(outputs) => outputs.iter().map(|o| o.path.clone()).collect(),
        None => {
            let pages = site.by_path.keys().map(|p| format!("{p}index.html"));
            pages.chain(site.asset_paths.values().cloned()).collect()
        }
    }
}

/// Today's date in UTC, from the system clock.
pub fn today_utc() -> Date {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("a real date");
    Date(
        epoch
            .checked_add_days(chrono::Days::new(seconds / 86_400))
            .unwrap_or(epoch),
    )
}
