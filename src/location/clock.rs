//! Opening times: a time as `site.yaml` and location pages write it (24-hour `HH:MM`) in,
//! minutes since midnight and the 12-hour form patients read out; and, for a time written the
//! way people say it (`9am`, `5:30 PM`, `9:00`), the entry to write instead.

use crate::frontmatter::RawHours;

/// `"09:30"` -> minutes since midnight.
pub(super) fn clock(text: &str) -> Option<u32> {
    let (h, m) = text.split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h <= 24 && m < 60 && h * 60 + m <= 24 * 60 && text.len() == 5).then_some(h * 60 + m)
}

pub(super) fn twelve_hour(minutes: u32) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    let suffix = if (12..24).contains(&h) { "PM" } else { "AM" };
    let h12 = match h % 12 {
        0 => 12,
        other => other,
    };
    format!("{h12}:{m:02} {suffix}")
}

/// What to write for a wrong opening-hours entry: the whole entry with both times in 24-hour
/// form when both can be read the way people write them, else the general rule.
pub(super) fn hours_help(entry: &RawHours) -> String {
    let read = |text: &str| clock(text).or_else(|| spoken(text));
    match (read(&entry.opens), read(&entry.closes)) {
        (Some(opens), Some(closes)) if opens < closes && !entry.days.is_empty() => {
            let days: Vec<String> = entry.days.iter().map(|d| format!("{d:?}")).collect();
            format!(
                "write 24-hour times in quotes: `{{ days: [{}], opens: \"{}\", closes: \"{}\" }}`",
                days.join(", "),
                twenty_four_hour(opens),
                twenty_four_hour(closes)
            )
        }
        _ => "write 24-hour times with the opening time first, like `{ days: [Mo, Tu], opens: \"09:00\", closes: \"17:00\" }` (5 PM is `17:00`)".into(),
    }
}

/// A time written the way people say it (`9am`, `9 AM`, `5:30 p.m.`, `9:00`, `17.30`) ->
/// minutes since midnight; `None` when it is not a time.
fn spoken(text: &str) -> Option<u32> {
    let plain: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let plain = plain.replace("a.m.", "am").replace("p.m.", "pm");
    let (number, half) = match (plain.strip_suffix("am"), plain.strip_suffix("pm")) {
        (Some(number), _) => (number, Some(0)),
        (_, Some(number)) => (number, Some(12)),
        _ => (plain.as_str(), None),
    };
    let (hours, minutes) = match number.split_once([':', '.', 'h']) {
        Some((h, m)) if m.len() == 2 => (h, m),
        Some(_) => return None,
        None if half.is_some() => (number, "00"),
        None => return None,
    };
    if hours.is_empty() || hours.len() > 2 {
        return None;
    }
    let (hours, minutes): (u32, u32) = (hours.parse().ok()?, minutes.parse().ok()?);
    if minutes >= 60 {
        return None;
    }
    let hours = match half {
        Some(half) if (1..=12).contains(&hours) => hours % 12 + half,
        Some(_) => return None,
        None if hours <= 24 && hours * 60 + minutes <= 24 * 60 => hours,
        None => return None,
    };
    Some(hours * 60 + minutes)
}

/// Minutes since midnight -> `"09:30"`.
fn twenty_four_hour(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_written_the_way_people_say_them_are_read() {
        for (text, minutes) in [
            ("9am", 9 * 60),
            ("9 AM", 9 * 60),
            ("5:30 p.m.", 17 * 60 + 30),
            ("12pm", 12 * 60),
            ("12 a.m.", 0),
            ("9:00", 9 * 60),
            ("17.30", 17 * 60 + 30),
        ] {
            assert_eq!(spoken(text), Some(minutes), "{text}");
        }
        for text in ["noon", "13pm", "9", "9:5", "9:75", "", "am", "123:00"] {
            assert_eq!(spoken(text), None, "{text}");
        }
    }
}
