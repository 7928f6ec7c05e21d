//! Medical review: an FAQ entry's `reviewed_by` and `last_reviewed`, today's date and the
//! review interval in, its line of the review schedule and any findings out.
//!
//! A review is due `interval_days` after `last_reviewed`: after that it is overdue (an
//! error), in the last `warn_days` before it is due soon (a warning). A date after today is
//! a typo or a wish, never a review (an error).

use serde::Serialize;

use super::page::PageInput;
use super::rules;
use super::settings::ReviewSettings;
use crate::diagnostics::Diagnostic;
use crate::frontmatter::Date;

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
}

/// The status of a review and its due date.
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
    } else if last > today {
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

/// The schedule line and findings of an FAQ entry; `None` for other pages.
pub fn check(
    page: &PageInput,
    today: Date,
    settings: ReviewSettings,
) -> Option<(ReviewEntry, Vec<Diagnostic>)> {
    let faq = page.faq()?;
    let (status, due) = status(&faq.reviewed_by, faq.last_reviewed, today, settings);
    let entry = ReviewEntry {
        file: crate::diagnostics::display_path(&page.file),
        title: page.common.title.clone(),
        reviewed_by: faq.reviewed_by.trim().to_string(),
        last_reviewed: faq.last_reviewed,
        due,
        status,
    };
    Some((entry.clone(), findings(page, &entry, today, settings)))
}

fn findings(
    page: &PageInput,
    entry: &ReviewEntry,
    today: Date,
    settings: ReviewSettings,
) -> Vec<Diagnostic> {
    let date_spot = |key: &str| page.field_spot(key, "");
    let mut findings = Vec::new();
    let at_date = |finding: Diagnostic| {
        let spot = date_spot("last_reviewed");
        finding.at(spot.line, spot.column).width(spot.width)
    };
    if entry.reviewed_by.is_empty() {
        findings.push(
            rules::finding(
                "review/missing",
                &page.file,
                "this answer does not say who reviewed it medically",
            )
            .at(1, 1)
            .width(3)
            .help("after the medical review, add a line like `reviewed_by: Medical Director`"),
        );
    }
    let Some(last) = entry.last_reviewed else {
        findings.push(
            rules::finding(
                "review/missing",
                &page.file,
                "this answer does not say when it was last reviewed",
            )
            .at(1, 1)
            .width(3)
            .help("after the medical review, add its date, like `last_reviewed: 2026-10-20`"),
        );
        return findings;
    };
    let due = entry.due.map_or_else(|| "?".into(), |d| d.iso());
    let every = settings.interval_days;
    match entry.status {
        Status::FutureDate => findings.push(at_date(
            rules::finding("review/future-date", &page.file, format!("`last_reviewed` is {last}, which is after today ({today})"))
                .help("write the date the review really happened, as YYYY-MM-DD"),
        )),
        Status::Overdue => findings.push(at_date(
            rules::finding("review/overdue", &page.file, format!("the medical review is overdue: last reviewed {last}, due {due} (every {every} days)"))
                .help("ask the medical reviewer to check this answer, then set `last_reviewed:` to the date of that review"),
        )),
        Status::DueSoon => {
            let days = entry.due.map_or(0, |d| (d.0 - today.0).num_days());
            findings.push(at_date(
                rules::finding("review/due-soon", &page.file, format!("the medical review is due on {due}, in {days} days"))
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
        assert_eq!(at("2026-11-25"), Status::FutureDate);
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
