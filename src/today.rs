//! The clinic's today: `CLINICSITE_TODAY`, or the clock read in the clinic's time zone
//! (`timezone:` in site.yaml, else the machine's), in; the date review rules, consents and
//! `clinicsite review` count from, out. A review recorded at 8 pm in Miami is dated that day,
//! not the next (the UTC date).

use jiff::tz::TimeZone;

use crate::config::Config;
use crate::frontmatter::Date;

/// Set to a date (`YYYY-MM-DD`), every command counts from it instead of the clock's (tests
/// pin it, so a review falling due does not break them).
pub const VARIABLE: &str = "CLINICSITE_TODAY";

/// Today for the site of `config`.
pub fn of(config: &Config) -> Date {
    in_zone(&config.timezone)
}

/// Today in `zone`: `CLINICSITE_TODAY` when set, else the clock's date there.
pub fn in_zone(zone: &TimeZone) -> Date {
    pinned().unwrap_or_else(|| date_at(jiff::Timestamp::now(), zone))
}

/// Today for the site in `root`, by its site.yaml (the machine's today when the file cannot
/// be read: the command that reads it reports why).
pub fn at_site(root: &std::path::Path) -> Date {
    let text = std::fs::read_to_string(root.join(crate::config::FILE)).unwrap_or_default();
    match crate::config::parse(&text, None) {
        Ok(config) => of(&config),
        Err(_) => local(),
    }
}

/// Today on this machine (for `init`, before a site has a `timezone:`).
pub fn local() -> Date {
    in_zone(&TimeZone::system())
}

/// `CLINICSITE_TODAY`, when set to a date.
pub fn pinned() -> Option<Date> {
    std::env::var(VARIABLE)
        .ok()
        .and_then(|text| Date::parse(text.trim()))
}

/// The date in `zone` at `moment`.
fn date_at(moment: jiff::Timestamp, zone: &TimeZone) -> Date {
    let date = moment.to_zoned(zone.clone()).date();
    let day = chrono::NaiveDate::from_ymd_opt(
        i32::from(date.year()),
        date.month().unsigned_abs().into(),
        date.day().unsigned_abs().into(),
    );
    day.map_or_else(Date::today_utc, Date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_evening_in_miami_is_still_that_day_there() {
        // 8 pm in Miami on December 7 is 01:00 UTC on December 8.
        let evening: jiff::Timestamp = "2026-12-08T01:00:00Z".parse().expect("a moment");
        let miami = TimeZone::get("America/New_York").expect("the zone");
        assert_eq!(date_at(evening, &miami).iso(), "2026-12-07");
        assert_eq!(date_at(evening, &TimeZone::UTC).iso(), "2026-12-08");
        // In summer Miami is 4 hours behind.
        let summer: jiff::Timestamp = "2026-07-01T03:59:00Z".parse().expect("a moment");
        assert_eq!(date_at(summer, &miami).iso(), "2026-06-30");
    }
}
