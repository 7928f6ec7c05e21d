//! The report's reading-level charts: one inline SVG bar chart per language with a formula,
//! each page's bar coloured by how its score stands against the target and the limit.

use std::fmt::Write as _;

use super::super::reading::ReadingSummary;
use super::super::{PageReport, Report};
use super::{CHART_PAGES, escape};

/// One bar chart per language with a formula.
pub(super) fn charts(report: &Report) -> String {
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
        let mut rows: Vec<(&PageReport, &ReadingSummary)> = report.scored(formula).collect();
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

/// Horizontal bars, one per page under its title, with dashed lines at the site's `target`
/// and `limit`. Narrow enough to read on a phone without zooming.
fn bar_chart(
    rows: &[(&PageReport, &ReadingSummary)],
    english: bool,
    (target, limit): (f64, f64),
) -> String {
    const LEFT: f64 = 4.0;
    const PLOT: f64 = 330.0;
    // Each row: the page's title, then its bar.
    const ROW: f64 = 34.0;
    let top = if english {
        rows.iter()
            .map(|r| r.1.score)
            .fold(limit.max(12.0), f64::max)
            .ceil()
    } else {
        100.0
    };
    let x = |value: f64| LEFT + PLOT * value.clamp(0.0, top) / top;
    // Rows start below a line for the limit's label; the target's label goes under them.
    const TOP: f64 = 20.0;
    let height = TOP + ROW * rows.len() as f64 + 22.0;
    let width = LEFT + PLOT + 46.0;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"Reading level of each page; the same numbers are in the table below\" font-family=\"system-ui,sans-serif\" font-size=\"13\">\n"
    );
    for (i, (page, reading)) in rows.iter().enumerate() {
        let y = TOP + ROW * i as f64;
        let (colour, verdict) = match verdict(reading, english) {
            Verdict::Ok => ("#2f9e44", "on target"),
            Verdict::AboveTarget => ("#e5a50a", "above target"),
            Verdict::TooHard => ("#c92a2a", "too hard"),
        };
        let label: String = match page.title.chars().count() {
            n if n > 52 => format!("{}…", page.title.chars().take(51).collect::<String>()),
            _ => page.title.clone(),
        };
        let _ = writeln!(
            svg,
            "<text x=\"{LEFT}\" y=\"{}\" fill=\"#1f2933\">{}</text><rect x=\"{LEFT}\" y=\"{}\" width=\"{:.1}\" height=\"12\" fill=\"{colour}\"><title>{}: {} ({verdict})</title></rect><text x=\"{:.1}\" y=\"{}\">{}</text>",
            y + 12.0,
            escape(&label),
            y + 17.0,
            (x(reading.score) - LEFT).max(1.0),
            escape(&page.file),
            reading.score,
            x(reading.score) + 4.0,
            y + 28.0,
            reading.score
        );
    }
    let bottom = TOP + ROW * rows.len() as f64;
    for (value, name, label_y) in [(target, "target", bottom + 16.0), (limit, "limit", 13.0)] {
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

pub(super) enum Verdict {
    Ok,
    AboveTarget,
    TooHard,
}

pub(super) fn verdict(reading: &ReadingSummary, english: bool) -> Verdict {
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
