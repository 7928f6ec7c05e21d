//! The reading-level rules: a page (its prose and, for FAQ entries, its summary), the site's
//! limits and the page's own `reading_level:` in, the page's reading summary and findings out.
//!
//! Findings point at the hardest sentence and name up to three, with their long words, so
//! staff know what to rewrite. Pages with fewer than `min_words` words of prose are too short
//! for the formulas to mean anything and are not scored.

use serde::Serialize;

use super::page::{PageInput, Spot};
use super::readability::{self, Counts, Language, Reading, Sentence, SyllableCache};
use super::settings::ReadingLimits;
use crate::diagnostics::{Code, Diagnostic};

/// How hard a page is to read, for the reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReadingSummary {
    /// `flesch-kincaid` (a US school grade) or `inflesz` (0–100, higher is easier).
    pub formula: &'static str,
    pub score: f64,
    /// Above this grade (below this INFLESZ score) is a warning.
    pub target: f64,
    /// Above this grade (below this INFLESZ score) is an error.
    pub limit: f64,
    /// The page's reason for its own limit, if it set one.
    pub raised_because: Option<String>,
    pub words: usize,
    pub sentences: usize,
    pub syllables: usize,
    /// Whether the page has enough words to be scored.
    pub scored: bool,
    /// The hardest sentences, hardest first.
    pub hardest: Vec<HardSentence>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HardSentence {
    pub line: usize,
    pub text: String,
    pub score: f64,
    pub words: usize,
    pub long_words: Vec<String>,
}

/// The reading summary and findings of a page in a language with a formula. Without
/// `full` (`build`'s gate, which keeps only the findings), the summary of a page that is not
/// too hard to read names none of its sentences.
pub fn check(
    page: &PageInput,
    limits: ReadingLimits,
    cache: &mut SyllableCache,
    full: bool,
) -> Option<(ReadingSummary, Vec<Diagnostic>)> {
    let language = Language::from_code(&page.language)?;
    let summary_text = page
        .faq()
        .map(|f| f.summary.trim())
        .filter(|s| !s.is_empty());
    let mut blocks: Vec<&str> = summary_text.into_iter().collect();
    blocks.extend(page.doc.prose().map(|b| b.text));
    let mut findings = Vec::new();
    let (target, limit, raised_because) = page_limits(page, language, limits, &mut findings);
    let harder_than = |score: f64, bound: f64| {
        if language == Language::English {
            score > bound
        } else {
            score < bound
        }
    };
    let summary =
        |score: f64, counts: Counts, scored: bool, hardest: Vec<HardSentence>| ReadingSummary {
            formula: formula(language),
            score: round(score),
            target,
            limit,
            raised_because,
            words: counts.words,
            sentences: counts.sentences,
            syllables: counts.syllables,
            scored,
            hardest,
        };
    if !full {
        let (counts, score) = readability::count(&blocks, language, cache);
        let scored = counts.words >= limits.min_words;
        if !(scored && harder_than(score, target)) {
            return Some((summary(score, counts, scored, Vec::new()), findings));
        }
    }
    let reading = readability::measure(&blocks, language, cache);
    let spot_of = |sentence: &Sentence| -> Spot {
        let block_offset = usize::from(summary_text.is_some());
        match sentence.block.checked_sub(block_offset) {
            None => page.field_spot("summary", &sentence.text),
            Some(index) => {
                let block = page
                    .doc
                    .prose()
                    .nth(index)
                    .expect("sentences come from these blocks");
                page.body_spot(
                    block.offset_of(sentence.range.start)..block.offset_of(sentence.range.end),
                )
            }
        }
    };
    let mut hard: Vec<&Sentence> = reading
        .sentences
        .iter()
        .filter(|s| harder_than(s.score, target))
        .take(3)
        .collect();
    if hard.is_empty() {
        hard = reading.sentences.iter().take(1).collect();
    }
    let hardest: Vec<HardSentence> = hard
        .iter()
        .map(|s| HardSentence {
            line: spot_of(s).line,
            text: s.text.clone(),
            score: round(s.score),
            words: s.counts.words,
            long_words: s.long_words.clone(),
        })
        .collect();
    let scored = reading.counts.words >= limits.min_words;
    if scored && harder_than(reading.score, target) {
        let rule = if harder_than(reading.score, limit) {
            Code::ReadabilityTooHard
        } else {
            Code::ReadabilityAboveTarget
        };
        let spot = hard.first().map(|s| spot_of(s)).unwrap_or(Spot {
            line: 1,
            column: 1,
            width: 3,
        });
        findings.push(
            Diagnostic::new(rule, &page.file, message(&reading, target, limit, rule))
                .at(spot.line, spot.column)
                .width(spot.width)
                .help(help(&hardest, &reading)),
        );
    }
    Some((
        summary(reading.score, reading.counts, scored, hardest),
        findings,
    ))
}

fn formula(language: Language) -> &'static str {
    match language {
        Language::English => "flesch-kincaid",
        Language::Spanish => "inflesz",
    }
}

/// The target and limit for this page: the site's, or the page's own with its reason.
fn page_limits(
    page: &PageInput,
    language: Language,
    limits: ReadingLimits,
    findings: &mut Vec<Diagnostic>,
) -> (f64, f64, Option<String>) {
    let (target, limit) = match language {
        Language::English => (limits.target_grade, limits.max_grade),
        Language::Spanish => (limits.target_inflesz, limits.min_inflesz),
    };
    let Some(own) = page.front.and_then(|f| f.meta.reading_level.as_ref()) else {
        return (target, limit, None);
    };
    let value = match language {
        Language::English => own.max_grade,
        Language::Spanish => own.min_inflesz,
    };
    let Some(value) = value else {
        return (target, limit, None);
    };
    let reason = own.reason.clone().filter(|r| !r.trim().is_empty());
    if reason.is_none() {
        let spot = page.field_spot("reading_level", "");
        findings.push(
            Diagnostic::new(Code::CheckMissingReason, &page.file, "this page sets its own reading level without a reason")
                .at(spot.line, spot.column)
                .width(spot.width)
                .help("say why it cannot be simpler: `reading_level: { max_grade: 9, reason: \"names of medicines\" }`"),
        );
        return (target, limit, None);
    }
    (value, value, reason)
}

fn message(reading: &Reading, target: f64, limit: f64, rule: Code) -> String {
    let score = round(reading.score);
    let too_hard = rule == Code::ReadabilityTooHard;
    match reading.language {
        Language::English if too_hard => {
            format!("this page reads at grade {score}, above the limit of grade {limit}")
        }
        Language::English => {
            format!("this page reads at grade {score}; the target is grade {target} or lower")
        }
        Language::Spanish if too_hard => format!(
            "this page scores {score} on the INFLESZ scale ({}), below the limit of {limit}",
            readability::inflesz_band(reading.score)
        ),
        Language::Spanish => format!(
            "this page scores {score} on the INFLESZ scale ({}); the target is {target} or higher",
            readability::inflesz_band(reading.score)
        ),
    }
}

fn help(hardest: &[HardSentence], reading: &Reading) -> String {
    let unit = if reading.language == Language::English {
        "grade"
    } else {
        "INFLESZ"
    };
    let sentences: Vec<String> = hardest
        .iter()
        .map(|s| {
            let long = if s.long_words.is_empty() {
                String::new()
            } else {
                format!("; long words: {}", s.long_words.join(", "))
            };
            format!(
                "line {}: \"{}\" ({unit} {}, {} words{long})",
                s.line,
                shorten(&s.text, 90),
                s.score,
                s.words
            )
        })
        .collect();
    format!(
        "split long sentences and use shorter words. Hardest first:\n  {}",
        sentences.join("\n  ")
    )
}

/// At most `max` characters, cut at a word with `…`.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}…")
}

fn round(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_sentences_are_shortened_at_a_word() {
        assert_eq!(shorten("one two three four", 9), "one two…");
        assert_eq!(shorten("short", 9), "short");
        assert_eq!(round(6.04), 6.0);
        assert_eq!(round(-1.45), -1.5);
    }
}
