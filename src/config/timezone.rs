//! `timezone:` in `site.yaml`: an IANA time zone name in, the zone the clinic's days are
//! counted in out (see `today`). Without it, the machine's own zone (as Hugo's `timeZone`).

use std::path::Path;

use jiff::tz::TimeZone;

use crate::diagnostics::{Code, Diagnostic};

/// The zone named by `written` (the machine's when `None`); an unknown name is an error on
/// its line in `text` (site.yaml), with the closest name to write.
pub fn resolve(written: Option<&str>, text: &str) -> Result<TimeZone, Diagnostic> {
    let Some(name) = written else {
        return Ok(TimeZone::system());
    };
    if let Ok(zone) = TimeZone::get(name.trim()) {
        return Ok(zone);
    }
    let (line, column, width) = super::value_position(text, "timezone");
    let suggestion = closest(name).unwrap_or_else(|| "America/New_York".into());
    Err(Diagnostic::new(
        Code::ConfigTimezone,
        Path::new(super::FILE),
        format!("`{name}` is not a time zone name"),
    )
    .at(line, column)
    .width(width)
    .help(format!(
        "write the clinic's zone as the time zone database names it, like `timezone: {suggestion}` (Miami)"
    )))
}

/// The zone name `written` most likely means: the one whose city is it (`new york`,
/// `Los-Angeles`), or that it is in another case.
fn closest(written: &str) -> Option<String> {
    let folded = |text: &str| text.trim().to_lowercase().replace([' ', '-'], "_");
    let wanted = folded(written);
    let names = jiff::tz::db().available();
    let mut city = None;
    for name in names {
        let name = name.as_str();
        let folded_name = folded(name);
        if folded_name == wanted {
            return Some(name.to_string());
        }
        if city.is_none() && folded_name.rsplit('/').next() == Some(wanted.as_str()) {
            city = Some(name.to_string());
        }
    }
    city
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked_and_near_misses_named() {
        let text = "title: T\ntimezone: new york\n";
        assert!(resolve(Some("America/New_York"), text).is_ok());
        let error = resolve(Some("new york"), text).unwrap_err();
        assert_eq!(error.message, "`new york` is not a time zone name");
        assert_eq!((error.line, error.column, error.width), (2, 11, 8));
        assert_eq!(
            error.help.as_deref(),
            Some(
                "write the clinic's zone as the time zone database names it, like `timezone: America/New_York` (Miami)"
            )
        );
        assert_eq!(
            closest("america/chicago").as_deref(),
            Some("America/Chicago")
        );
        assert_eq!(closest("Miami"), None);
    }
}
