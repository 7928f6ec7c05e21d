//! Slugs: file names made into address parts, and slugs written in front matter checked.

/// A file name made into an address part: lower case letters, digits and hyphens.
pub fn slugify(text: &str) -> String {
    // Most file names are slugs already (`does-it-hurt`): the loop below would give them back
    // as they are, so they are copied without it.
    if is_slug_already(text) {
        return text.to_string();
    }
    slugify_char_by_char(text)
}

/// `slugify`'s loop: every character lowered, folded and kept, joined or dropped.
fn slugify_char_by_char(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        let c = fold_accent(c);
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty()
            && !slug.ends_with('-')
            && (c.is_whitespace() || "-_./".contains(c))
        {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

/// Whether `slugify` gives `text` back unchanged: lower-case ASCII letters and digits in runs
/// joined by single hyphens, with none at either end.
fn is_slug_already(text: &str) -> bool {
    let bytes = text.as_bytes();
    let word = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    bytes.first().is_some_and(word)
        && bytes.last().is_some_and(word)
        && bytes.iter().all(|b| word(b) || *b == b'-')
        && !bytes.windows(2).any(|pair| pair == b"--")
}

/// The letters Spanish and French add, without their accents.
fn fold_accent(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
        'ú' | 'ù' | 'û' | 'ü' => 'u',
        'ñ' => 'n',
        'ç' => 'c',
        other => other,
    }
}

/// A slug written in front matter must already be a clean address part.
pub(super) fn check_slug(slug: &str) -> Result<String, String> {
    let clean = slug
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !slug.is_empty()
        && !slug.starts_with('-');
    if clean && !is_reserved(slug) {
        return Ok(slug.to_string());
    }
    let suggestion = slugify(slug);
    Err(if is_reserved(&suggestion) {
        format!(
            "Windows keeps the name `{suggestion}` for itself, so the site could not be copied to a Windows computer or server; use another, like `slug: {suggestion}-page`"
        )
    } else if suggestion.is_empty() {
        "use lower-case letters, digits and hyphens, like `slug: does-it-hurt`".to_string()
    } else {
        format!("use lower-case letters, digits and hyphens: `slug: {suggestion}`")
    })
}

/// Names Windows keeps for devices (`con`, `nul`, `com1`…): a folder so named cannot be
/// copied to a Windows computer or server.
pub(super) fn is_reserved(slug: &str) -> bool {
    let lower = slug.to_ascii_lowercase();
    matches!(lower.as_str(), "con" | "prn" | "aux" | "nul")
        || ["com", "lpt"].iter().any(|prefix| {
            lower
                .strip_prefix(prefix)
                .is_some_and(|n| n.len() == 1 && n.as_bytes()[0].is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_are_slugs_already_are_given_back_as_the_loop_would() {
        for name in [
            "q-000001", "a", "7", "a-b-c", "-a", "a-", "a--b", "", "-", "A-b", "a_b", "a.b", "año",
            "a b", "ab-", "--", "a-1-", "é",
        ] {
            assert_eq!(slugify(name), slugify_char_by_char(name), "{name:?}");
            if is_slug_already(name) {
                assert_eq!(slugify_char_by_char(name), name, "{name:?}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn any_name_is_slugged_as_the_loop_would(name in "[a-z0-9A-Z_. ñé-]{0,12}") {
            proptest::prop_assert_eq!(slugify(&name), slugify_char_by_char(&name));
        }
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify("Does It Hurt?"), "does-it-hurt");
        assert_eq!(slugify("¿Duele el microagujado?"), "duele-el-microagujado");
        assert_eq!(slugify("a__b"), "a-b");
        assert!(check_slug("ok-1").is_ok());
        for bad in [
            "../x", "a/b", "a\\b", "a\0b", "con", "com9", "lpt1", "", "Big",
        ] {
            assert!(check_slug(bad).is_err(), "{bad:?}");
        }
    }
}
