//! Tests of `yaml`: unknown keys, wrong values, where findings point.

use super::*;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Sample {
    title: String,
    #[serde(default)]
    weight: Option<i64>,
}

const KEYS: &[&str] = &["title", "weight"];

fn origin() -> Origin<'static> {
    Origin {
        file: Path::new("content/a.md"),
        first_line: 2,
    }
}

#[test]
fn every_unknown_key_is_reported_with_a_suggestion() {
    let errors = parse::<Sample>("title: A\ntitel: B\nwieght: 3\n", origin(), KEYS).unwrap_err();
    assert_eq!(errors.len(), 2);
    assert_eq!(errors[0].message, "unknown key `titel`");
    assert_eq!((errors[0].line, errors[0].column), (3, 1));
    assert_eq!(
        errors[0].help.as_deref(),
        Some("did you mean `title`? Custom values go under `extra:`")
    );
    assert_eq!(errors[1].line, 4);
}

#[test]
fn known_keys_parse() {
    let sample: Sample = parse("title: A\nweight: 2\n", origin(), KEYS).unwrap();
    assert_eq!((sample.title.as_str(), sample.weight), ("A", Some(2)));
}

#[test]
fn an_unknown_key_does_not_hide_a_wrong_value() {
    let errors = parse::<Sample>(
        "titel:\n  more: x\ntitle: B\nweight: heavy\n",
        origin(),
        KEYS,
    )
    .unwrap_err();
    let codes: Vec<_> = errors.iter().map(|e| (e.code, e.line)).collect();
    assert_eq!(codes, [(Code::YamlUnknownKey, 2), (Code::YamlInvalid, 5)]);
}

#[test]
fn wrong_type_names_the_key_and_the_real_line() {
    let errors = parse::<Sample>("title: A\nweight: heavy\n", origin(), KEYS).unwrap_err();
    assert_eq!(
        errors[0].message,
        "wrong kind of value in `weight`: expected a whole number, found string \"heavy\""
    );
    assert_eq!((errors[0].line, errors[0].column), (3, 9));
}

#[test]
fn syntax_errors_point_at_the_line() {
    let errors = parse::<Sample>("weight: 1\ntitle: \"A\n", origin(), KEYS).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, 3, "{:?}", errors[0]);
}

#[test]
fn finds_key_lines() {
    assert_eq!(key_line("a: 1\n\"b\" : 2\n", "b"), Some(2));
    assert_eq!(key_line("ab: 1\n", "a"), None);
    let front = "title: A\n  last_reviewed: x\nsummary: last_reviewed: no\n\u{feff}'last_reviewed' \t: 2026-01-02\r\nlast_reviewed: 2\n";
    assert_eq!(key_line(front, "last_reviewed"), Some(4));
    assert_eq!(key_line("a:\nb", "b"), None, "no colon after it");
}

/// `key_line` as it was first written: every line read in turn.
fn key_line_by_lines(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|line| names_key(line, key))
        .map(|i| i + 1)
}

/// The search that skips lines by their first byte finds what reading every line finds, on
/// every short text made of the characters that decide it.
#[test]
fn key_lines_found_skipping_lines_are_those_read_line_by_line() {
    let chars = ['a', 'b', ':', ' ', '\n', '"', '\'', '\r', '\u{feff}'];
    let mut texts = vec![String::new()];
    for _ in 0..5 {
        let longer: Vec<String> = texts
            .iter()
            .filter(|t| t.chars().count() == texts.last().map_or(0, |l| l.chars().count()))
            .flat_map(|t| chars.iter().map(move |c| format!("{t}{c}")))
            .collect();
        texts.extend(longer);
    }
    assert!(texts.len() > 60_000);
    for text in &texts {
        for key in ["a", "ab", "ba", "a:", "", "\"a", "\u{feff}a"] {
            assert_eq!(
                key_line(text, key),
                key_line_by_lines(text, key),
                "{text:?} {key:?}"
            );
        }
    }
}

#[test]
fn a_misspelt_key_is_read_as_the_key_meant_and_its_line_is_shown() {
    let (sample, errors) =
        parse_past_unknown_keys::<Sample>("titel: Does it hurt?\nweight: 2\n", origin(), KEYS)
            .unwrap();
    assert_eq!(
        (sample.title.as_str(), sample.weight),
        ("Does it hurt?", Some(2))
    );
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].message, "unknown key `titel`");
    assert_eq!(
        errors[0].help.as_deref(),
        Some("did you mean `title`? Write `title: Does it hurt?`")
    );
    // The key meant is written too: the misspelt line is left out, as any unknown key.
    let errors = parse::<Sample>("title: A\ntitel: B\n", origin(), KEYS).unwrap_err();
    assert_eq!(
        errors[0].help.as_deref(),
        Some("did you mean `title`? Custom values go under `extra:`")
    );
}

#[test]
fn lines_are_written_as_given_where_they_stand() {
    let text = "location:\n  streat: 1 Main St\n  city: Miami\n";
    assert_eq!(
        with_lines(text, &[(2, "  street: 1 Main St".into())]),
        "location:\n  street: 1 Main St\n  city: Miami\n"
    );
}
