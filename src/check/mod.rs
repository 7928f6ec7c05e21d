//! `clinicsite check`: the site as `build` sees it (placed, rendered, with `build`'s own
//! findings) in, a `Report` out: every finding of the rules below, each page's reading level
//! and the medical review schedule.
//!
//! ```text
//! pipeline::inspect ──▶ Site + front matter + rendered files + build findings
//!     per page (in parallel): page::PageInput (markdown read by `document`)
//!         ├─ reading       reading level (readability, syllables_en, syllables_es)
//!         ├─ review        medical review dates
//!         ├─ claims        risky wording
//!         ├─ content_rules titles, descriptions, alt text, headings, link text, locations
//!         └─ links         HTML links, empty links
//!     whole site: duplicate titles and descriptions, orphans, --external links (external)
//! ──▶ rules::apply_levels (site.yaml `check.rules`) ──▶ Report ──▶ report_human / report_json / report_html
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
use crate::pipeline::{self, Inspection};
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
    let inspection = pipeline::inspect(&options.root, &files, options.drafts);
    let today = options.today.unwrap_or_else(today_utc);
    Ok(run(&files.config, &inspection, today, options))
}

/// What one page's rules found.
struct PageResult {
    findings: Vec<Diagnostic>,
    reading: Option<ReadingSummary>,
    review: Option<ReviewEntry>,
}

fn run(config: &Config, inspection: &Inspection, today: Date, options: &Options) -> Report {
    let site = &inspection.site;
    let settings = &config.check;
    let targets: Vec<Target> = (0..site.sections.len())
        .map(Target::Section)
        .chain((0..site.pages.len()).map(Target::Page))
        .collect();
    let pages: Vec<PageInput> = targets
        .par_iter()
        .filter_map(|&target| {
            let source = &site.common(target)?.source;
            PageInput::new(site, target, inspection.front_matter.get(source))
        })
        .collect();
    let claims = claims::list(settings);
    let files = output_files(inspection);
    let base_path = config.base_path();
    let results: Vec<PageResult> = pages
        .par_iter()
        .map_init(readability::SyllableCache::default, |cache, page| {
            let mut findings = claims::check(page, &claims);
            findings.extend(content_rules::check(page));
            findings.extend(links::check(page, &files, &base_path));
            let reading =
                reading::check(page, settings.reading, cache).map(|(summary, mut found)| {
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
        })
        .collect();

    let mut findings = inspection.findings.clone();
    findings.extend(content_rules::duplicates(&pages));
    if let Some(outputs) = &inspection.outputs {
        findings.extend(links::orphans(&pages, outputs, &base_path));
    }
    let external = options.external.then(|| {
        let links: Vec<external::ExternalLink> = pages.iter().flat_map(external::collect).collect();
        let (mut found, summary) = external::check(&links, settings.external, today, &options.root);
        findings.append(&mut found);
        summary
    });
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
    let page_reports = page_reports(&pages, &mut readings, &schedule, &findings);
    Report {
        site_title: config.title.clone(),
        today,
        findings,
        pages: page_reports,
        schedule,
        review_interval_days: settings.review.interval_days,
        external,
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
fn output_files(inspection: &Inspection) -> HashSet<String> {
    match &inspection.outputs {
        Some(outputs) => outputs.iter().map(|o| o.path.clone()).collect(),
        None => {
            let site = &inspection.site;
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
