//! The report for the medical reviewer and the marketing lead: a `Report` in, one HTML page
//! out, with a bar chart of each page's reading level (inline SVG), a table of pages with
//! their reading level, review status and findings, the review schedule and every finding.
//! It needs no network and no JavaScript: styles and chart are inside the page.

use std::fmt::Write as _;

use super::reading::ReadingSummary;
use super::{PageReport, Report};
use crate::diagnostics::{Severity, display_path};

/// Charts show at most this many pages (the hardest), so a big site's report stays readable.
const CHART_PAGES: usize = 200;

/// The report as a complete HTML document.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let title = format!("Content check: {}", report.site_title);
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n<h1>{}</h1>\n",
        escape(&title),
        escape(&title)
    );
    let count = |n: usize, word: &str, class: &str| {
        let text = if n == 1 {
            format!("1 {word}")
        } else {
            format!("{n} {word}s")
        };
        if n == 0 {
            text
        } else {
            format!("<span class=\"{class}\">{text}</span>")
        }
    };
    let _ = writeln!(
        out,
        "<p class=\"summary\">Checked on {} · {} · {} · {}</p>",
        report.today,
        count(report.pages.len(), "page", ""),
        count(report.errors(), "error", "error"),
        count(report.warnings(), "warning", "warning")
    );
    out.push_str(&charts(report));
    out.push_str(&pages_table(report));
    out.push_str(&schedule_table(report));
    out.push_str(&findings_list(report));
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

const STYLE: &str = "body{font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1f2933;margin:0;background:#fafafa}\
main{max-width:1100px;margin:0 auto;padding:24px}h1{font-size:1.6rem}h2{margin-top:2.2rem;border-bottom:2px solid #d9e2ec;padding-bottom:4px}\
table{border-collapse:collapse;width:100%;background:#fff}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #e4e7eb;vertical-align:top}\
th{background:#f0f4f8}td.num{text-align:right;font-variant-numeric:tabular-nums}.error{color:#b42318;font-weight:600}.warning{color:#8a5a00;font-weight:600}\
.ok{color:#1b7f3b}.muted{color:#616e7c}code{font-size:.9em;background:#f0f4f8;padding:0 3px;border-radius:3px}\
ul.findings{list-style:none;padding:0}ul.findings li{background:#fff;border-left:4px solid #d9e2ec;margin:6px 0;padding:6px 10px}\
ul.findings li.error{border-color:#b42318;font-weight:normal}ul.findings li.warning{border-color:#d69e2e;font-weight:normal}\
.help{color:#3e4c59;white-space:pre-wrap}svg{max-width:100%;height:auto;background:#fff}";

/// One bar chart per language with a formula.
fn charts(report: &Report) -> String {
    let mut out = String::from("<h2>Reading level</h2>\n");
    let mut any = false;
    for (formula, heading, english) in [
        (
            "flesch-kincaid",
            "English pages: Flesch-Kincaid grade (lower is easier)",
            true,
        ),
        (
            "inflesz",
            "Spanish pages: INFLESZ score (higher is easier)",
            false,
        ),
    ] {
        let mut rows: Vec<(&PageReport, &ReadingSummary)> = report
            .pages
            .iter()
            .filter_map(|p| {
                p.reading
                    .as_ref()
                    .filter(|r| r.scored && r.formula == formula)
                    .map(|r| (p, r))
            })
            .collect();
        if rows.is_empty() {
            continue;
        }
        any = true;
        rows.sort_by(|a, b| {
            if english {
                b.1.score.total_cmp(&a.1.score)
            } else {
                a.1.score.total_cmp(&b.1.score)
            }
        });
        let shown = rows.len().min(CHART_PAGES);
        let _ = writeln!(out, "<h3>{}</h3>", escape(heading));
        if shown < rows.len() {
            let _ = writeln!(
                out,
                "<p class=\"muted\">The {shown} hardest of {} pages.</p>",
                rows.len()
            );
        }
        let limits = report.reading_limits;
        let lines = if english {
            (limits.target_grade, limits.max_grade)
        } else {
            (limits.target_inflesz, limits.min_inflesz)
        };
        out.push_str(&bar_chart(&rows[..shown], english, lines));
    }
    if !any {
        out.push_str("<p class=\"muted\">No page has enough prose to score.</p>\n");
    }
    out
}

/// Horizontal bars, one per page, with dashed lines at the site's `target` and `limit`.
fn bar_chart(
    rows: &[(&PageReport, &ReadingSummary)],
    english: bool,
    (target, limit): (f64, f64),
) -> String {
    const LABEL: f64 = 280.0;
    const PLOT: f64 = 560.0;
    const ROW: f64 = 24.0;
    let top = if english {
        rows.iter()
            .map(|r| r.1.score)
            .fold(limit.max(12.0), f64::max)
            .ceil()
    } else {
        100.0
    };
    let x = |value: f64| LABEL + PLOT * value.clamp(0.0, top) / top;
    // Rows start below a line for the limit's label; the target's label goes under them.
    const TOP: f64 = 24.0;
    let height = TOP + ROW * rows.len() as f64 + 24.0;
    let width = LABEL + PLOT + 60.0;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"Reading level of each page; the same numbers are in the table below\" font-family=\"system-ui,sans-serif\" font-size=\"12\">\n"
    );
    for (i, (page, reading)) in rows.iter().enumerate() {
        let y = TOP + ROW * i as f64;
        let (colour, verdict) = match verdict(reading, english) {
            Verdict::Ok => ("#2f9e44", "on target"),
            Verdict::AboveTarget => ("#e5a50a", "above target"),
            Verdict::TooHard => ("#c92a2a", "too hard"),
        };
        let label: String = match page.title.chars().count() {
            n if n > 40 => format!("{}…", page.title.chars().take(39).collect::<String>()),
            _ => page.title.clone(),
        };
        let _ = writeln!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><rect x=\"{LABEL}\" y=\"{y}\" width=\"{:.1}\" height=\"{}\" fill=\"{colour}\"><title>{}: {} ({verdict})</title></rect><text x=\"{:.1}\" y=\"{}\">{}</text>",
            LABEL - 8.0,
            y + 14.0,
            escape(&label),
            (x(reading.score) - LABEL).max(1.0),
            ROW - 6.0,
            escape(&page.file),
            reading.score,
            x(reading.score) + 4.0,
            y + 14.0,
            reading.score
        );
    }
    let bottom = TOP + ROW * rows.len() as f64;
    for (value, name, label_y) in [(target, "target", bottom + 16.0), (limit, "limit", 14.0)] {
        let _ = writeln!(
            svg,
            "<line x1=\"{0:.1}\" x2=\"{0:.1}\" y1=\"{TOP}\" y2=\"{bottom}\" stroke=\"#52606d\" stroke-dasharray=\"4 3\"/><text x=\"{0:.1}\" y=\"{1}\" text-anchor=\"middle\" fill=\"#52606d\">{name} {value}</text>",
            x(value),
            label_y
        );
    }
    svg.push_str("</svg>\n");
    svg
}

enum Verdict {
    Ok,
    AboveTarget,
    TooHard,
}

fn verdict(reading: &ReadingSummary, english: bool) -> Verdict {
    let harder = |bound: f64| {
        if english {
            reading.score > bound
        } else {
            reading.score < bound
        }
    };
    if harder(reading.limit) {
        Verdict::TooHard
    } else if harder(reading.target) {
        Verdict::AboveTarget
    } else {
        Verdict::Ok
    }
}

fn pages_table(report: &Report) -> String {
    let mut out = String::from(
        "<h2>Pages</h2>\n<table>\n<thead><tr><th>Page</th><th>Language</th><th>Reading level</th><th>Medical review</th><th>Errors</th><th>Warnings</th></tr></thead>\n<tbody>\n",
    );
    for page in &report.pages {
        let reading = match &page.reading {
            Some(r) if r.scored => {
                let unit = if r.formula == "inflesz" {
                    "INFLESZ"
                } else {
                    "grade"
                };
                let class = match verdict(r, r.formula != "inflesz") {
                    Verdict::Ok => "ok",
                    Verdict::AboveTarget => "warning",
                    Verdict::TooHard => "error",
                };
                format!("<span class=\"{class}\">{unit} {}</span>", r.score)
            }
            Some(r) => format!("<span class=\"muted\">too short ({} words)</span>", r.words),
            None => "<span class=\"muted\">-</span>".into(),
        };
        let review = page.review.map_or_else(
            || "<span class=\"muted\">-</span>".into(),
            |s| escape(s.label()),
        );
        let _ = writeln!(
            out,
            "<tr><td>{}<br><code>{}</code></td><td>{}</td><td>{reading}</td><td>{review}</td><td class=\"num{}\">{}</td><td class=\"num{}\">{}</td></tr>",
            escape(&page.title),
            escape(&page.file),
            escape(&page.language),
            if page.errors > 0 { " error" } else { "" },
            page.errors,
            if page.warnings > 0 { " warning" } else { "" },
            page.warnings
        );
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

fn schedule_table(report: &Report) -> String {
    if report.schedule.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "<h2>Medical review schedule</h2>\n<p class=\"muted\">Reviews are due every {} days.</p>\n<table>\n<thead><tr><th>Due</th><th>Status</th><th>Last reviewed</th><th>Reviewed by</th><th>Page</th></tr></thead>\n<tbody>\n",
        report.review_interval_days
    );
    for entry in &report.schedule {
        let date = |d: Option<crate::frontmatter::Date>| d.map_or_else(|| "-".into(), |d| d.iso());
        let class = match entry.status {
            super::review::Status::Current => "ok",
            super::review::Status::DueSoon => "warning",
            _ => "error",
        };
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"{class}\">{}</td><td>{}</td><td>{}</td><td>{}<br><code>{}</code></td></tr>",
            date(entry.due),
            escape(entry.status.label()),
            date(entry.last_reviewed),
            escape(&entry.reviewed_by),
            escape(&entry.title),
            escape(&entry.file)
        );
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

fn findings_list(report: &Report) -> String {
    let mut out = String::from("<h2>Findings</h2>\n");
    if report.findings.is_empty() {
        out.push_str("<p class=\"ok\">Nothing to fix.</p>\n");
        return out;
    }
    let mut current = String::new();
    for finding in &report.findings {
        let file = display_path(&finding.file);
        if file != current {
            if !current.is_empty() {
                out.push_str("</ul>\n");
            }
            let _ = writeln!(
                out,
                "<h3><code>{}</code></h3>\n<ul class=\"findings\">",
                escape(&file)
            );
            current = file;
        }
        let class = if finding.severity == Severity::Error {
            "error"
        } else {
            "warning"
        };
        let at = if finding.line > 0 {
            format!("line {}, column {}: ", finding.line, finding.column)
        } else {
            String::new()
        };
        let help = finding
            .help
            .as_deref()
            .map(|h| format!("<br><span class=\"help\">{}</span>", escape(h)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "<li class=\"{class}\"><span class=\"{class}\">{class}</span> <code>{}</code> {at}{}{help}</li>",
            finding.code,
            escape(&finding.message)
        );
    }
    out.push_str("</ul>\n");
    out
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut out, text).ok();
    out
}
