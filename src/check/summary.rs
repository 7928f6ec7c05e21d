//! The report `check` prints: every finding with `site.yaml`'s levels applied, sorted, and
//! one row per page (reading level, review status, counts), out of the pass's results.

use std::collections::HashMap;
use std::path::Path;

use super::page::PageInput;
use super::reading::ReadingSummary;
use super::{PageReport, PageResult, Report, external, review, rules};
use crate::config::Config;
use crate::diagnostics::{self, Diagnostic, Severity, display_path};
use crate::frontmatter::Date;

/// Applies `site.yaml`'s levels and puts the report together, sorted.
pub(super) fn report(
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
    let mut readings = Vec::with_capacity(pages.len());
    for result in results {
        findings.extend(result.findings);
        readings.push((
            result.reading.map(|r| *r),
            result.review.as_ref().map(|e| e.status),
        ));
        schedule.extend(result.review.map(|e| *e));
    }
    let mut findings = rules::apply_levels(findings, &settings.rules);
    diagnostics::sort(&mut findings);
    findings.dedup();
    review::sort_schedule(&mut schedule);
    let page_reports = page_reports(pages, readings, &findings);
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

/// One row per page that is a real file, with its reading level and review status (in
/// `pages` order) and its counts of findings, sorted by file.
fn page_reports(
    pages: &[PageInput],
    readings: Vec<(Option<ReadingSummary>, Option<review::Status>)>,
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
    let mut reports: Vec<PageReport> = pages
        .iter()
        .zip(readings)
        .filter(|(page, _)| page.exists())
        .map(|(page, (reading, review))| {
            let (errors, warnings) = counts.get(page.file.as_path()).copied().unwrap_or_default();
            PageReport {
                file: display_path(&page.file),
                path: page.common.path.clone(),
                title: page.common.title.clone(),
                language: page.language.clone(),
                reading,
                review,
                errors,
                warnings,
            }
        })
        .collect();
    reports.sort_unstable_by(|a, b| a.file.cmp(&b.file));
    reports
}
