//! The report for people: a `Report` in, text out: findings grouped by file (each with the
//! line underlined and what to write instead), the medical review schedule, a reading-level
//! summary and a closing count.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use rayon::prelude::*;

use super::Report;
use super::reading::ReadingSummary;
use crate::diagnostics::{self, Colour, Diagnostic, Severity, display_path};

/// The whole report. `read_source` gives a file's text for the underlined snippets.
pub fn render(
    report: &Report,
    colour: Colour,
    read_source: &(dyn Fn(&Path) -> Option<String> + Sync),
) -> String {
    let mut by_file: BTreeMap<String, Vec<Diagnostic>> = BTreeMap::new();
    for finding in &report.findings {
        by_file
            .entry(display_path(&finding.file))
            .or_default()
            .push(finding.clone());
    }
    // Files in parallel (a big site can have thousands of findings), each file read once.
    let groups: Vec<(&String, &Vec<Diagnostic>)> = by_file.iter().collect();
    let rendered: Vec<String> = groups
        .par_iter()
        .map(|(file, findings)| {
            let source = findings.first().and_then(|f| read_source(&f.file));
            let snippets = diagnostics::render(findings, colour, &|_| source.clone());
            format!("── {file}: {}\n\n{snippets}", count(findings.iter()))
        })
        .collect();
    let mut out = rendered.concat();
    out.push_str(&schedule(report));
    out.push_str(&reading_summary(report));
    if let Some(external) = report.external {
        let _ = writeln!(
            out,
            "Outside links: {} checked ({} asked, {} from the cache).\n",
            external.links, external.asked, external.from_cache
        );
    }
    let _ = writeln!(
        out,
        "Checked {} pages: {}.",
        report.pages.len(),
        count(report.findings.iter())
    );
    out
}

/// `2 errors, 1 warning`; `no errors, no warnings`.
fn count<'d>(findings: impl Iterator<Item = &'d Diagnostic>) -> String {
    let (mut errors, mut warnings) = (0, 0);
    for finding in findings {
        match finding.severity {
            Severity::Error => errors += 1,
            Severity::Warning => warnings += 1,
        }
    }
    format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

fn plural(n: usize, word: &str) -> String {
    match n {
        0 => format!("no {word}s"),
        1 => format!("1 {word}"),
        n => format!("{n} {word}s"),
    }
}

/// The review schedule as a table, soonest due first.
fn schedule(report: &Report) -> String {
    if report.schedule.is_empty() {
        return String::new();
    }
    let mut rows = vec![[
        "due".to_string(),
        "status".into(),
        "last reviewed".into(),
        "reviewed by".into(),
        "page".into(),
    ]];
    for entry in &report.schedule {
        let date = |d: Option<crate::frontmatter::Date>| d.map_or_else(|| "-".into(), |d| d.iso());
        let reviewer = if entry.reviewed_by.is_empty() {
            "-".into()
        } else {
            entry.reviewed_by.clone()
        };
        rows.push([
            date(entry.due),
            entry.label().into(),
            date(entry.last_reviewed),
            reviewer,
            entry.file.clone(),
        ]);
    }
    let widths: Vec<usize> = (0..5)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = format!(
        "Medical review schedule (today is {}; reviews are due every {} days)\n\n",
        report.today, report.review_interval_days
    );
    for row in &rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        let _ = writeln!(out, "  {}", cells.join("  ").trim_end());
    }
    out.push('\n');
    out
}

/// One line per language: how many pages were scored, the hardest one, and the target.
fn reading_summary(report: &Report) -> String {
    let mut out = String::new();
    for (formula, name) in [("flesch-kincaid", "English"), ("inflesz", "Spanish")] {
        let scored: Vec<(&str, &ReadingSummary)> = report
            .scored(formula)
            .map(|(p, r)| (p.file.as_str(), r))
            .collect();
        let english = formula == "flesch-kincaid";
        let hardest = if english {
            scored.iter().max_by(|a, b| a.1.score.total_cmp(&b.1.score))
        } else {
            scored.iter().min_by(|a, b| a.1.score.total_cmp(&b.1.score))
        };
        let Some((file, hardest)) = hardest else {
            continue;
        };
        let unit = if english { "grade" } else { "INFLESZ" };
        let _ = writeln!(
            out,
            "Reading level ({name}): {} scored; the hardest is {file} ({unit} {}).\n",
            plural(scored.len(), "page"),
            hardest.score
        );
    }
    out
}
