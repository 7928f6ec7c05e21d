//! The report for the medical reviewer and the marketing lead: a `Report` and a way to read
//! the site's files in, one HTML page out. First what needs the medical reviewer (overdue,
//! changed since review, never reviewed), then every other finding, each with the page's
//! title, a link to it in the local preview (`clinicsite serve`), its file and the sentence
//! at fault; then the review schedule, a bar chart of each page's reading level (inline
//! SVG) and a table of pages. It needs no network and no JavaScript, and reads on a phone.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use super::{PageReport, Report};
use crate::diagnostics::{Code, Diagnostic, Severity, display_path};

mod charts;
use charts::{Verdict, charts, verdict};

/// Charts show at most this many pages (the hardest), so a big site's report stays readable.
const CHART_PAGES: usize = 200;

/// Where `clinicsite serve` shows the site by default.
pub const PREVIEW: &str = "http://127.0.0.1:1111/";

/// The report as a complete HTML document; `read` gives a file's text (for the sentence at
/// fault), or nothing.
pub fn render(report: &Report, read: &dyn Fn(&Path) -> Option<String>) -> String {
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
    let items = Items::new(report, read);
    out.push_str(&items.for_reviewer());
    out.push_str(&items.others());
    out.push_str(&schedule_table(report));
    out.push_str(&charts(report));
    out.push_str(&pages_table(report));
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

const STYLE: &str = "*{box-sizing:border-box}body{font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1f2933;margin:0;background:#fafafa;overflow-wrap:anywhere}\
main{max-width:1100px;margin:0 auto;padding:24px 16px}h1{font-size:1.6rem;line-height:1.25}h2{margin-top:2.2rem;border-bottom:2px solid #d9e2ec;padding-bottom:4px}\
table{border-collapse:collapse;width:100%;background:#fff}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #e4e7eb;vertical-align:top}\
th{background:#f0f4f8}td.num{text-align:right;font-variant-numeric:tabular-nums}.error{color:#b42318;font-weight:600}.warning{color:#8a5a00;font-weight:600}\
.ok{color:#1b7f3b}.muted{color:#616e7c}code{font-size:.9em;background:#f0f4f8;padding:0 3px;border-radius:3px}\
ul.items{list-style:none;padding:0;margin:0}ul.items li{background:#fff;border-left:4px solid #d9e2ec;margin:10px 0;padding:10px 12px}\
ul.items li.error{border-color:#b42318;color:inherit;font-weight:normal}ul.items li.warning{border-color:#d69e2e;color:inherit;font-weight:normal}.item-head{display:flex;flex-wrap:wrap;gap:4px 10px;align-items:baseline}\
.badge{font-size:.8rem;font-weight:700;text-transform:uppercase;letter-spacing:.03em}.page{font-weight:600}.file{font-size:.9rem;color:#616e7c}\
blockquote{margin:6px 0;padding:4px 10px;border-left:3px solid #d9e2ec;background:#f8fafc;color:#323f4b}mark{background:#ffe08a;color:inherit;padding:0 2px}\
.what{margin:4px 0}.help{color:#3e4c59;white-space:pre-wrap;margin:4px 0 0}.to-do{font-weight:600;color:#1f2933}svg{max-width:100%;height:auto;background:#fff}\
@media (max-width:640px){main{padding:16px 12px}table,thead,tbody,tr,th,td{display:block}thead{display:none}tr{border-bottom:2px solid #d9e2ec;padding:4px 0}\
td{border:0;padding:2px 8px}td.num{text-align:left}td[data-label]::before{content:attr(data-label) \": \";color:#616e7c}}";

/// Every finding as the reviewer reads it: which page, where to see it, what is wrong.
struct Items<'r> {
    report: &'r Report,
    pages: HashMap<&'r str, &'r PageReport>,
    read: &'r dyn Fn(&Path) -> Option<String>,
}

/// Review findings in the order the reviewer takes them, with the word for each.
const FOR_REVIEWER: &[(Code, &str)] = &[
    (Code::ReviewOverdue, "Overdue"),
    (Code::ReviewChanged, "Changed since review"),
    (Code::ReviewMissing, "Never reviewed"),
    (Code::ReviewFutureDate, "Review date after today"),
    (Code::ReviewUnrecorded, "Review not recorded"),
    (Code::ReviewDueSoon, "Due soon"),
];

impl<'r> Items<'r> {
    fn new(report: &'r Report, read: &'r dyn Fn(&Path) -> Option<String>) -> Self {
        let pages = report.pages.iter().map(|p| (p.file.as_str(), p)).collect();
        Items {
            report,
            pages,
            read,
        }
    }

    fn for_reviewer(&self) -> String {
        let mut out = String::from("<h2>Needs the medical reviewer</h2>\n");
        let mut any = false;
        for (code, word) in FOR_REVIEWER {
            for finding in self.report.findings.iter().filter(|f| f.code == *code) {
                if !any {
                    out.push_str("<ul class=\"items\">\n");
                    any = true;
                }
                out.push_str(&self.item(finding, word, false));
            }
        }
        if any {
            out.push_str("</ul>\n");
        } else {
            out.push_str("<p class=\"ok\">Every page that needs a medical review has an up-to-date one.</p>\n");
        }
        out
    }

    fn others(&self) -> String {
        let mut out = String::from("<h2>Other findings</h2>\n");
        let mut others: Vec<&Diagnostic> = self
            .report
            .findings
            .iter()
            .filter(|f| !f.code.as_str().starts_with("review/"))
            .collect();
        if others.is_empty() {
            out.push_str("<p class=\"ok\">Nothing else to fix.</p>\n");
            return out;
        }
        // Errors first; within each, the report's order (by file, then line).
        others.sort_by_key(|f| f.severity != Severity::Error);
        out.push_str("<ul class=\"items\">\n");
        for finding in others {
            let word = if finding.severity == Severity::Error {
                "Must fix"
            } else {
                "Should fix"
            };
            out.push_str(&self.item(finding, word, true));
        }
        out.push_str("</ul>\n");
        out
    }

    /// One finding: badge, page title linked to the preview, file, the sentence at fault
    /// (when it is in the page's text) and what to do.
    fn item(&self, finding: &Diagnostic, word: &str, quote: bool) -> String {
        let class = if finding.severity == Severity::Error {
            "error"
        } else {
            "warning"
        };
        let file = display_path(&finding.file);
        let page = self.pages.get(file.as_str());
        let title = page.map_or_else(|| file.clone(), |p| p.title.clone());
        let heading = match page {
            Some(p) => format!(
                "<a class=\"page\" href=\"{PREVIEW}{}\">{}</a>",
                escape(&p.path),
                escape(&title)
            ),
            None => format!("<span class=\"page\">{}</span>", escape(&title)),
        };
        let place = if finding.line > 0 {
            format!("{file}, line {}", finding.line)
        } else {
            file.clone()
        };
        let sentence = if quote {
            self.sentence(finding).unwrap_or_default()
        } else {
            String::new()
        };
        let help = finding
            .help
            .as_deref()
            .map(|h| {
                format!(
                    "<p class=\"help\"><span class=\"to-do\">What to do:</span> {}</p>",
                    with_code(&as_sentences(h))
                )
            })
            .unwrap_or_default();
        format!(
            "<li class=\"{class}\" data-rule=\"{}\"><div class=\"item-head\"><span class=\"badge {class}\">{}</span>{heading}<span class=\"file\">{}</span></div>{sentence}<p class=\"what\">{}</p>{help}</li>\n",
            finding.code,
            escape(word),
            escape(&place),
            plain(&as_sentences(&upper_first(&finding.message))),
        )
    }

    /// The sentence around the finding's place in its file, the flagged words marked: read
    /// across the lines of its paragraph, at most a few hundred characters.
    fn sentence(&self, finding: &Diagnostic) -> Option<String> {
        const MOST: usize = 300;
        if finding.line == 0 {
            return None;
        }
        let text = (self.read)(&finding.file)?;
        let lines: Vec<&str> = text.lines().collect();
        let at = finding.line - 1;
        lines.get(at)?;
        // In the header, only the field's own line, and only when the finding marks words in it.
        let header_end = lines
            .iter()
            .skip(1)
            .position(|l| l.trim_end() == "---")
            .map_or(0, |i| i + 1);
        // Outside markdown (site.yaml), only the line itself.
        let markdown = finding.file.extension().is_some_and(|e| e == "md");
        if !markdown || (lines.first().is_some_and(|l| l.trim_end() == "---") && at <= header_end) {
            if finding.width <= 1 || at == 0 || at == header_end {
                return None;
            }
            let line: Vec<char> = lines[at].chars().collect();
            let start = finding.column.saturating_sub(1).min(line.len());
            let end = (start + finding.width).min(line.len());
            let part = |a: usize, b: usize| escape(&line[a..b].iter().collect::<String>());
            return Some(format!(
                "<blockquote>{}<mark>{}</mark>{}</blockquote>",
                part(0, start),
                part(start, end),
                part(end, line.len())
            ));
        }
        let first = lines[..at]
            .iter()
            .rposition(|l| l.trim().is_empty() || l.trim_end() == "---")
            .map_or(0, |i| i + 1);
        let last = lines[at..]
            .iter()
            .position(|l| l.trim().is_empty() || l.trim_end() == "---")
            .map_or(lines.len(), |i| at + i);
        let mut chars: Vec<char> = Vec::new();
        let mut start = 0;
        for (i, line) in lines[first..last].iter().enumerate() {
            if first + i == at {
                start = chars.len() + finding.column.saturating_sub(1).min(line.chars().count());
            }
            chars.extend(line.trim_end().chars());
            chars.push(' ');
        }
        let end = (start + finding.width.max(1)).min(chars.len());
        // Widen to the sentence: back to the previous `. ! ?` and on to the next one.
        let ends_sentence = |c: &char| matches!(c, '.' | '!' | '?');
        let from = chars[..start]
            .iter()
            .rposition(ends_sentence)
            .map_or(0, |i| i + 1)
            .max(start.saturating_sub(MOST / 2));
        let to = chars[end..]
            .iter()
            .position(ends_sentence)
            .map_or(chars.len(), |i| end + i + 1)
            .min(end + MOST / 2);
        let part = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
        let (before, marked, after) = (part(from, start), part(start, end), part(end, to));
        if marked.trim().is_empty() && (before.trim().is_empty() || after.trim().is_empty()) {
            return None;
        }
        Some(format!(
            "<blockquote>{}<mark>{}</mark>{}</blockquote>",
            escape(before.trim_start()),
            escape(&marked),
            escape(after.trim_end())
        ))
    }
}

/// A message in plain words: `code` marks become quotes.
fn plain(text: &str) -> String {
    let mut out = String::new();
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 1 {
            let _ = write!(out, "“{}”", escape(part));
        } else {
            out.push_str(&escape(part));
        }
    }
    out
}

/// Help text: `code` marks become code (commands to copy).
fn with_code(text: &str) -> String {
    let mut out = String::new();
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 1 {
            let _ = write!(out, "<code>{}</code>", escape(part));
        } else {
            out.push_str(&escape(part));
        }
    }
    out
}

/// `text` with a capital first letter, unless it starts with a file name.
fn upper_first(text: &str) -> String {
    if text
        .split(' ')
        .next()
        .is_some_and(|word| word.contains('/'))
    {
        return text.to_string();
    }
    let mut chars = text.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// Help text written as sentences: each starts with a capital letter (unless it starts with
/// code or a file name, which keep their case) and the last ends with a full stop.
fn as_sentences(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 1);
    let mut in_code = false;
    let mut sentence_start = true;
    for (i, c) in text.char_indices() {
        if c == '`' {
            in_code = !in_code;
            sentence_start = false;
        }
        if sentence_start && !in_code && c.is_alphabetic() {
            let word = text[i..].split(' ').next().unwrap_or_default();
            if word.contains('/') {
                out.push(c);
            } else {
                out.extend(c.to_uppercase());
            }
            sentence_start = false;
            continue;
        }
        if !c.is_whitespace() && c != '`' {
            sentence_start = false;
        }
        out.push(c);
        // A sentence ends at `. `, `? ` or `! ` outside code, and at a new line.
        if !in_code && matches!(c, '.' | '?' | '!') && text[i + 1..].starts_with(' ') {
            sentence_start = true;
        }
        if c == '\n' {
            sentence_start = true;
        }
    }
    let trimmed = out.trim_end();
    if !trimmed.ends_with(['.', '?', '!', ':']) {
        out.truncate(trimmed.len());
        out.push('.');
    }
    out
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
        let review = match report.schedule.iter().find(|e| e.file == page.file) {
            Some(entry) => escape(entry.label()),
            None => "<span class=\"muted\">-</span>".into(),
        };
        let _ = writeln!(
            out,
            "<tr><td>{}<br><code>{}</code></td><td data-label=\"Language\">{}</td><td data-label=\"Reading level\">{reading}</td><td data-label=\"Medical review\">{review}</td><td data-label=\"Errors\" class=\"num{}\">{}</td><td data-label=\"Warnings\" class=\"num{}\">{}</td></tr>",
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
            _ if entry.text == crate::reviewed_text::Standing::Changed => "error",
            super::review::Status::Current => "ok",
            super::review::Status::DueSoon => "warning",
            _ => "error",
        };
        let _ = writeln!(
            out,
            "<tr><td data-label=\"Due\">{}</td><td data-label=\"Status\" class=\"{class}\">{}</td><td data-label=\"Last reviewed\">{}</td><td data-label=\"Reviewed by\">{}</td><td>{}<br><code>{}</code></td></tr>",
            date(entry.due),
            escape(entry.label()),
            date(entry.last_reviewed),
            escape(&entry.reviewed_by),
            escape(&entry.title),
            escape(&entry.file)
        );
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut out, text).ok();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_reads_as_sentences() {
        assert_eq!(
            as_sentences("did you mean `last_reviewed`? custom values go under `extra:`"),
            "Did you mean `last_reviewed`? Custom values go under `extra:`."
        );
        assert_eq!(
            as_sentences("write `days: [Mo]` (two letters a day). then build again"),
            "Write `days: [Mo]` (two letters a day). Then build again."
        );
        // Code and file names keep their case; text in code is left alone.
        assert_eq!(
            as_sentences("`lat` is between -90 and 90"),
            "`lat` is between -90 and 90."
        );
        assert_eq!(
            as_sentences("content/faq/a.es.md is still a draft: translate it"),
            "content/faq/a.es.md is still a draft: translate it."
        );
        assert_eq!(
            as_sentences("run `clinicsite check. now` here?"),
            "Run `clinicsite check. now` here?"
        );
    }
}
