//! A case's two original photos in, hints that they are not a fair comparison out: read from
//! their EXIF blocks before the build removes them (for `check`, which warns about them).
//!
//! A fair before-and-after pair is taken the same way: the same flash setting, the same
//! focal length (zoom), and the "after" photo later than the "before" one.

use std::io::Cursor;

/// What a photo's EXIF block says about how it was taken.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Shot {
    /// Whether the flash fired.
    pub flash: Option<bool>,
    /// Focal length in millimetres.
    pub focal_length: Option<f64>,
    /// When it was taken, as `YYYY-MM-DD HH:MM:SS` (sorts in time order).
    pub taken: Option<String>,
}

/// Reads how a JPEG, PNG or WebP photo was taken; nothing when it has no EXIF block.
pub fn shot(bytes: &[u8]) -> Shot {
    let Ok(exif) = exif::Reader::new().read_from_container(&mut Cursor::new(bytes)) else {
        return Shot::default();
    };
    let field = |tag| exif.get_field(tag, exif::In::PRIMARY);
    let flash = field(exif::Tag::Flash)
        .and_then(|f| f.value.get_uint(0))
        .map(|v| v & 1 == 1);
    let focal_length = field(exif::Tag::FocalLength).and_then(|f| match &f.value {
        exif::Value::Rational(values) => values.first().map(|r| r.to_f64()),
        _ => None,
    });
    let taken = [exif::Tag::DateTimeOriginal, exif::Tag::DateTime]
        .into_iter()
        .find_map(|tag| match &field(tag)?.value {
            exif::Value::Ascii(values) => {
                let text = String::from_utf8_lossy(values.first()?).trim().to_string();
                // `2026:03:02 10:15:00` -> `2026-03-02 10:15:00`.
                (text.len() >= 19)
                    .then(|| format!("{}{}", text[..10].replace(':', "-"), &text[10..19]))
            }
            _ => None,
        });
    Shot {
        flash,
        focal_length: focal_length.filter(|mm| mm.is_finite() && *mm > 0.0),
        taken,
    }
}

/// What differs between the "before" and "after" photos, each as a sentence for staff.
pub fn differences(before: &Shot, after: &Shot) -> Vec<String> {
    let mut found = Vec::new();
    if let (Some(b), Some(a)) = (before.flash, after.flash)
        && a != b
    {
        let with = |fired: bool| if fired { "with flash" } else { "without flash" };
        found.push(format!(
            "the \"before\" photo was taken {} and the \"after\" photo {}: light changes how skin looks",
            with(b),
            with(a)
        ));
    }
    if let (Some(b), Some(a)) = (before.focal_length, after.focal_length)
        && (a - b).abs() > 0.5
    {
        found.push(format!(
            "the \"before\" photo was taken at a focal length of {b:.0} mm and the \"after\" photo at {a:.0} mm: a different zoom changes how skin looks"
        ));
    }
    if let (Some(b), Some(a)) = (&before.taken, &after.taken)
        && a < b
    {
        found.push(format!(
            "the \"after\" photo is dated {} and the \"before\" photo {}: the \"after\" photo was taken first",
            &a[..10],
            &b[..10]
        ));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fair_pair_has_no_differences_and_an_unfair_one_has_each() {
        let before = Shot {
            flash: Some(false),
            focal_length: Some(26.0),
            taken: Some("2026-03-02 10:00:00".into()),
        };
        assert!(differences(&before, &before.clone()).is_empty());
        let after = Shot {
            flash: Some(true),
            focal_length: Some(52.0),
            taken: Some("2026-01-10 09:00:00".into()),
        };
        let found = differences(&before, &after);
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(found[2].contains("dated 2026-01-10"), "{}", found[2]);
        // Nothing known, nothing said.
        assert!(differences(&Shot::default(), &after).is_empty());
    }
}
