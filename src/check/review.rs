//! Medical review: a page's `reviewed_by`, `last_reviewed` and `review_fingerprint`, today's
//! date and the review interval in, its line of the review schedule and any findings out.
//!
//! A review is due `interval_days` after `last_reviewed`: after that it is overdue (an
//! error), in the last `warn_days` before it is due soon (a warning). A date more than a day
//! after today (already today nowhere on earth) is a typo or a wish, never a review (an
//! error). A text that changed since its review is no longer reviewed (an error naming the
//! words removed and added, when the reviewed words are
//! in `.clinicsite-cache/reviews/`); a review written by hand, without a fingerprint, is
//! taken at its word with a warning to record it. FAQ entries need a review; other pages
//! are checked when they have one. Drafts need none.

use std::path::Path;

use serde::Serialize;

use super::page::{PageInput, Spot};
use super::settings::ReviewSettings;
use crate::diagnostics::{Code, Diagnostic, push_shell_word};
use crate::frontmatter::Date;
use crate::reviewed_text::{self, Standing};

/// What the review rules need besides the page.
#[derive(Debug, Clone, Copy)]
pub struct Context<'r> {
    pub today: Date,
    pub settings: ReviewSettings,
    /// The site's folder, for the reviewed words kept in `.clinicsite-cache/reviews/`.
    pub root: &'r Path,
}

/// Where an entry stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Missing,
    FutureDate,
    Overdue,
    DueSoon,
    Current,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Missing => "not reviewed",
            Status::FutureDate => "date after today",
            Status::Overdue => "overdue",
            Status::DueSoon => "due soon",
            Status::Current => "up to date",
        }
    }
}

/// One line of the review schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewEntry {
    pub file: String,
    pub title: String,
    /// Empty when not given.
    pub reviewed_by: String,
    pub last_reviewed: Option<Date>,
    pub due: Option<Date>,
    pub status: Status,
    /// Whether the text is still the one reviewed.
    pub text: Standing,
}

impl ReviewEntry {
    /// Its status in words: a text that changed since its review says so first.
    pub fn label(&self) -> &'static str {
        if self.text == Standing::Changed {
            "changed since review"
        } else {
            self.status.label()
        }
    }
}

/// The status of a review and its due date. A review dated the day after `today` is not in
/// the future: somewhere it is already that day (the world's time zones span 26 hours), so a
/// review recorded on a computer ahead of the clinic's `timezone:` is taken as written.
pub fn status(
    reviewed_by: &str,
    last: Option<Date>,
    today: Date,
    settings: ReviewSettings,
) -> (Status, Option<Date>) {
    let Some(last) = last else {
        return (Status::Missing, None);
    };
    let due = last
        .0
        .checked_add_days(chrono::Days::new(settings.interval_days.max(0) as u64))
        .map(Date);
    let status = if reviewed_by.trim().is_empty() {
        Status::Missing
    } else if last.0 > today.0 + chrono::Days::new(1) {
        Status::FutureDate
    } else {
        match due {
            Some(due) if due < today => Status::Overdue,
            Some(due) if (due.0 - today.0).num_days() <= settings.warn_days => Status::DueSoon,
            _ => Status::Current,
        }
    };
    (status, due)
}

/// The schedule line and findings of a page; `None` for a page that needs no review and has
/// none.
pub fn check(page: &PageInput, context: Context) -> Option<(ReviewEntry, Vec<Diagnostic>)> {
    if page.front.is_some_and(|front| front.meta.draft) {
        return None;
    }
    let review = &page.common.review;
    let written = !review.reviewed_by.trim().is_empty()
        || review.last_reviewed.is_some()
        || review.fingerprint.is_some();
    let faq = page.faq();
    if faq.is_none() && !written {
        return None;
    }
    let common = page.common;
    let summary = faq.map_or("", |f| f.summary.as_str());
    // The text is compared only with a recorded fingerprint: most pages have none.
    let text = match review.fingerprint {
        Some(_) => reviewed_text::text(
            &common.title,
            &common.description,
            summary,
            page.lines.text(),
        ),
        None => String::new(),
    };
    let text_standing = reviewed_text::standing(review, &text);
    let (status, due) = status(
        &review.reviewed_by,
        review.last_reviewed,
        context.today,
        context.settings,
    );
    let entry = ReviewEntry {
        file: crate::diagnostics::display_path(&page.file),
        title: common.title.clone(),
        reviewed_by: review.reviewed_by.trim().to_string(),
        last_reviewed: review.last_reviewed,
        due,
        status,
        text: text_standing,
    };
    // Both rules may point at `last_reviewed:`: its line is found once.
    let date_spot = std::cell::OnceCell::new();
    let date_spot = || *date_spot.get_or_init(|| page.field_spot("last_reviewed", ""));
    let mut found = findings(page, &entry, context, &date_spot);
    found.extend(text_findings(page, &entry, &text, context.root, &date_spot));
    Some((entry, found))
}

/// `review/changed` and `review/unrecorded`.
fn text_findings(
    page: &PageInput,
    entry: &ReviewEntry,
    text: &str,
    root: &Path,
    date_spot: &dyn Fn() -> Spot,
) -> Option<Diagnostic> {
    let last = entry.last_reviewed?;
    // Only a page at fault is told the command (most pages are not).
    let again = || {
        let mut command = String::new();
        push_review_command(&mut command, entry);
        command
    };
    match entry.text {
        Standing::Changed => {
            let (recorded, line) = page.common.review.fingerprint.as_ref()?;
            let reviewed = std::fs::read_to_string(reviewed_text::cache_file(root, recorded)).ok();
            let what = match reviewed {
                Some(reviewed) => describe_changes(&reviewed, text),
                None => " (the reviewed words are not kept on this computer, so the changed words cannot be shown; compare with the file's history)".into(),
            };
            Some(
                Diagnostic::new(
                    Code::ReviewChanged,
                    &page.file,
                    format!("the text changed since its medical review on {last}{what}"),
                )
                .at(*line, 1)
                .width("review_fingerprint".len())
                .help(format!(
                    "until it is reviewed again, the page no longer says it was medically reviewed; ask the medical reviewer to read it, then run `{}`",
                    again()
                )),
            )
        }
        Standing::Unrecorded => {
            let spot = date_spot();
            Some(
                Diagnostic::new(
                    Code::ReviewUnrecorded,
                    &page.file,
                    "this review was written by hand, so a later change to the text would not be noticed",
                )
                .at(spot.line, spot.column)
                .width(spot.width)
                .help(unrecorded_help(entry, &last.iso())),
            )
        }
        Standing::Holds | Standing::NotReviewed => None,
    }
}

/// The help of `review/unrecorded`, written into one string: on a site whose reviews were
/// all written by hand, every FAQ entry has it.
fn unrecorded_help(entry: &ReviewEntry, date: &str) -> String {
    let who = &entry.reviewed_by;
    let mut help = String::with_capacity(80 + 2 * who.len() + entry.file.len() + 2 * date.len());
    for part in [
        "if the text is the one ",
        who,
        " reviewed on ",
        date,
        ", run `",
    ] {
        help.push_str(part);
    }
    push_review_command(&mut help, entry);
    for part in [" --date ", date, "`"] {
        help.push_str(part);
    }
    help
}

/// `clinicsite review FILE --by NAME`, the command that records the review of `entry`'s page,
/// at the end of `out` (`entry.file` is the page's file as findings show it).
fn push_review_command(out: &mut String, entry: &ReviewEntry) {
    out.push_str("clinicsite review ");
    push_shell_word(out, &entry.file);
    out.push_str(" --by ");
    push_shell_word(out, &entry.reviewed_by);
}

/// `: removed "…"; added "…"`: the words of `reviewed` no longer there and the new words of
/// `now`, a few runs of each.
pub fn describe_changes(reviewed: &str, now: &str) -> String {
    let (removed, added) = word_changes(reviewed, now);
    let list = |runs: &[String]| {
        let mut shown: Vec<String> = runs.iter().take(3).map(|r| format!("\"{r}\"")).collect();
        if runs.len() > 3 {
            shown.push(format!("and {} more", runs.len() - 3));
        }
        shown.join(", ")
    };
    match (removed.is_empty(), added.is_empty()) {
        (false, false) => format!(": removed {}; added {}", list(&removed), list(&added)),
        (false, true) => format!(": removed {}", list(&removed)),
        (true, false) => format!(": added {}", list(&added)),
        (true, true) => ": only spaces or line breaks moved".into(),
    }
}

/// Runs of removed and added words, each cut to a few words.
fn word_changes(reviewed: &str, now: &str) -> (Vec<String>, Vec<String>) {
    use similar::ChangeTag;
    const WORDS: usize = 8;
    let diff = similar::TextDiff::configure().diff_words(reviewed, now);
    let (mut removed, mut added) = (Vec::new(), Vec::new());
    let (mut run_removed, mut run_added) = (String::new(), String::new());
    let flush = |run: &mut String, into: &mut Vec<String>| {
        let words: Vec<&str> = run.split_whitespace().collect();
        if !words.is_empty() {
            let mut text = words[..words.len().min(WORDS)].join(" ");
            if words.len() > WORDS {
                text.push_str(" …");
            }
            into.push(text);
        }
        run.clear();
    };
    for change in diff.iter_all_changes() {
        let value = change.value();
        match change.tag() {
            ChangeTag::Delete => run_removed.push_str(value),
            ChangeTag::Insert => run_added.push_str(value),
            // Spaces between changed words keep a run together.
            ChangeTag::Equal if value.trim().is_empty() => {
                for run in [&mut run_removed, &mut run_added] {
                    if !run.is_empty() {
                        run.push(' ');
                    }
                }
            }
            ChangeTag::Equal => {
                flush(&mut run_removed, &mut removed);
                flush(&mut run_added, &mut added);
            }
        }
    }
    flush(&mut run_removed, &mut removed);
    flush(&mut run_added, &mut added);
    (removed, added)
}

/// A name as a shell argument: in double quotes when it has more than letters and digits.
fn findings(
    page: &PageInput,
    entry: &ReviewEntry,
    context: Context,
    date_spot: &dyn Fn() -> Spot,
) -> Vec<Diagnostic> {
    let (today, settings) = (context.today, context.settings);
    let mut findings = Vec::new();
    let at_date = |finding: Diagnostic| {
        let spot = date_spot();
        finding.at(spot.line, spot.column).width(spot.width)
    };
    let unsigned = entry.reviewed_by.is_empty();
    let missing = match (unsigned, entry.last_reviewed) {
        (true, None) => Some("this answer has no medical review yet: no reviewer and no date"),
        (true, Some(_)) => Some("this answer does not say who reviewed it medically"),
        (false, None) => Some("this answer does not say when it was last reviewed"),
        (false, Some(_)) => None,
    };
    if let Some(message) = missing {
        let record = format!(
            "after the medical review, record it: `clinicsite review {} --by \"Medical Director\"` (with the reviewer's name)",
            crate::diagnostics::shell_path(&page.file)
        );
        findings.push(
            Diagnostic::new(Code::ReviewMissing, &page.file, message)
                .at(1, 1)
                .width(3)
                .help(record),
        );
    }
    let Some(last) = entry.last_reviewed else {
        return findings;
    };
    // Written out only in the findings that name it (most pages have none).
    let due = || entry.due.map_or_else(|| "?".into(), |d| d.iso());
    let every = settings.interval_days;
    match entry.status {
        Status::FutureDate => findings.push(at_date(
            Diagnostic::new(Code::ReviewFutureDate, &page.file, format!("`last_reviewed` is {last}, which is after today ({today})"))
                .help("write the date the review really happened, as YYYY-MM-DD"),
        )),
        Status::Overdue => findings.push(at_date(
            Diagnostic::new(Code::ReviewOverdue, &page.file, format!("the medical review is overdue: last reviewed {last}, due {} (every {every} days)", due()))
                .help("ask the medical reviewer to check this answer, then set `last_reviewed:` to the date of that review"),
        )),
        Status::DueSoon => {
            let days = entry.due.map_or(0, |d| (d.0 - today.0).num_days());
            findings.push(at_date(
                Diagnostic::new(Code::ReviewDueSoon, &page.file, format!("the medical review is due on {}, in {days} days", due()))
                    .help("plan the review with the medical reviewer, then set `last_reviewed:` to its date"),
            ));
        }
        Status::Missing | Status::Current => {}
    }
    findings
}

/// The schedule, soonest due first (entries without a date first of all).
pub fn sort_schedule(entries: &mut [ReviewEntry]) {
    entries.sort_by(|a, b| (a.due, &a.file).cmp(&(b.due, &b.file)));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    const SETTINGS: ReviewSettings = ReviewSettings {
        interval_days: 365,
        warn_days: 30,
    };

    #[test]
    fn due_a_year_after_the_review() {
        let (status, due) = status(
            "Dr. A",
            Some(date("2026-01-10")),
            date("2026-06-01"),
            SETTINGS,
        );
        assert_eq!((status, due), (Status::Current, Some(date("2027-01-10"))));
    }

    #[test]
    fn warns_thirty_days_ahead_and_fails_after() {
        let today = date("2026-11-24");
        let at = |last: &str| status("Dr. A", Some(date(last)), today, SETTINGS).0;
        assert_eq!(at("2025-12-25"), Status::Current, "due in 31 days");
        assert_eq!(at("2025-12-24"), Status::DueSoon, "due in 30 days");
        assert_eq!(at("2025-11-24"), Status::DueSoon, "due today");
        assert_eq!(at("2025-11-23"), Status::Overdue, "due yesterday");
        assert_eq!(at("2026-11-24"), Status::Current, "reviewed today");
        assert_eq!(
            at("2026-11-25"),
            Status::Current,
            "already today in another zone"
        );
        assert_eq!(at("2026-11-26"), Status::FutureDate);
    }

    #[test]
    fn missing_reviewer_or_date() {
        assert_eq!(
            status("", Some(date("2026-01-01")), date("2026-02-01"), SETTINGS).0,
            Status::Missing
        );
        assert_eq!(
            status("Dr. A", None, date("2026-02-01"), SETTINGS),
            (Status::Missing, None)
        );
    }

    #[test]
    fn changed_words_are_named() {
        assert_eq!(
            describe_changes(
                "Most people feel some pressure.\n\nIt is always safe.",
                "Most people feel mild stinging.\n\nIt is always safe for you."
            ),
            // Punctuation belongs to its word: "safe." became "safe for you.".
            ": removed \"some pressure.\", \"safe.\"; added \"mild stinging.\", \"safe for you.\""
        );
        assert_eq!(
            describe_changes("a b c", "a b c"),
            ": only spaces or line breaks moved"
        );
        assert_eq!(
            describe_changes("a b", "a b c d e f g h i j k"),
            ": added \"c d e f g h i j …\""
        );
    }

    #[test]
    fn shorter_intervals() {
        let settings = ReviewSettings {
            interval_days: 180,
            warn_days: 14,
        };
        let (status, due) = status(
            "Dr. A",
            Some(date("2026-01-01")),
            date("2026-06-20"),
            settings,
        );
        assert_eq!((status, due), (Status::DueSoon, Some(date("2026-06-30"))));
    }
}
