//! Risky claims: a page's visible text (title, description, summary and body) and the list of
//! risky phrases in, a finding for each phrase used without the page allowing it out.
//!
//! Phrases match whole words in any case (`Painless` and `painless`, not `painlessly`'s
//! stem `pain`). A page allows a phrase with a reason in its front matter:
//! `allow_claims: [{ phrase: "FDA approved", reason: "quoting the FDA's letter" }]`.

use aho_corasick::AhoCorasick;

use super::document::Block;
use super::page::{PageInput, Spot};
use super::settings::CheckSettings;
use crate::diagnostics::{Code, Diagnostic};

/// A risky phrase, its variants, and what to say instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub rule: Code,
    /// Lower case; the first is the one named in messages.
    pub phrases: Vec<String>,
    pub reason: String,
    pub instead: String,
}

fn claim(rule: Code, phrases: &[&str], reason: &str, instead: &str) -> Claim {
    Claim {
        rule,
        phrases: phrases.iter().map(|p| p.to_string()).collect(),
        reason: reason.into(),
        instead: instead.into(),
    }
}

/// The claims list with an automaton that finds all its phrases in one pass over a text,
/// together with the words that show results (`SHOWS_RESULTS`) or say they vary
/// (`RESULTS_VARY`), which the disclaimer rule needs from the same texts.
#[derive(Debug, Clone)]
pub struct Claims {
    claims: Vec<Claim>,
    /// (claim, phrase) for each claim pattern of the automaton; the patterns after them are
    /// `SHOWS_RESULTS`, then `RESULTS_VARY`.
    patterns: Vec<(usize, usize)>,
    automaton: AhoCorasick,
    /// A word of each phrase in lower case (`anchors`), to find in a lower-case copy of a
    /// text whether any phrase may be there at all: most texts hold none, and this
    /// automaton, matching case as it is and looking for a few words, skips through a text
    /// many bytes at a time (`None` if it could not be built).
    any: Option<AhoCorasick>,
}

/// What one pass over a text found.
pub struct Scan<'c> {
    /// Where phrases start as whole words: (byte offset, claim, phrase), in order.
    pub claims: Vec<(usize, &'c Claim, &'c str)>,
    /// The first words that show results.
    pub shows: Option<std::ops::Range<usize>>,
    /// Whether the text says results vary.
    pub varies: bool,
}

impl Claims {
    pub fn new(claims: Vec<Claim>) -> Claims {
        let patterns: Vec<(usize, usize)> = claims
            .iter()
            .enumerate()
            .flat_map(|(c, claim)| (0..claim.phrases.len()).map(move |p| (c, p)))
            .collect();
        let phrases = patterns.iter().map(|&(c, p)| claims[c].phrases[p].as_str());
        let all: Vec<&str> = phrases
            .chain(SHOWS_RESULTS.iter().chain(RESULTS_VARY).copied())
            .collect();
        // Only texts the quick look (`any`) lets through are searched with it, so it is the
        // kind quickest to build (a DFA takes longer to build than a build's one edited page
        // takes to check). Only billions of states fail here, more than site.yaml can hold in
        // memory: the site's phrases are then left out rather than stopping the check.
        let build = |phrases: &[&str], kind| {
            AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .kind(kind)
                .build(phrases)
        };
        let contiguous = Some(aho_corasick::AhoCorasickKind::ContiguousNFA);
        let built = build(&all, contiguous).or_else(|_| build(&all, None));
        let (patterns, automaton, all) = match built {
            Ok(automaton) => (patterns, automaton, all),
            Err(_) => {
                let all: Vec<&str> = SHOWS_RESULTS.iter().chain(RESULTS_VARY).copied().collect();
                let automaton = build(&all, None).expect("the built-in phrases make an automaton");
                (Vec::new(), automaton, all)
            }
        };
        let lower = anchors(&all);
        let any = AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostFirst)
            .kind(contiguous)
            .build(lower)
            .ok();
        Claims {
            claims,
            patterns,
            automaton,
            any,
        }
    }

    /// Whether a phrase may be in `text`: `lower` is left holding its lower-case copy.
    fn may_be_in(&self, text: &str, lower: &mut Vec<u8>) -> bool {
        let Some(any) = &self.any else {
            return true;
        };
        lower.clear();
        lower.extend_from_slice(text.as_bytes());
        lower.make_ascii_lowercase();
        any.is_match(lower.as_slice())
    }

    /// Where phrases start in `text` as whole words, in any case (of two phrases found at one
    /// place, the longer wins: `no risks` over `no risk`), and whether the text shows results
    /// or says they vary.
    pub fn scan(&self, text: &str) -> Scan<'_> {
        self.scan_with(text, &mut Vec::new())
    }

    /// `scan`, with a buffer for the text in lower case, kept between calls.
    fn scan_with(&self, text: &str, lower: &mut Vec<u8>) -> Scan<'_> {
        if !self.may_be_in(text, lower) {
            return Scan {
                claims: Vec::new(),
                shows: None,
                varies: false,
            };
        }
        self.search(text)
    }

    /// `scan` without the quick look.
    fn search(&self, text: &str) -> Scan<'_> {
        let mut scan = Scan {
            claims: Vec::new(),
            shows: None,
            varies: false,
        };
        for hit in self.automaton.find_overlapping_iter(text) {
            let Some(&(claim, phrase)) = self.patterns.get(hit.pattern().as_usize()) else {
                let shows = hit.pattern().as_usize() < self.patterns.len() + SHOWS_RESULTS.len();
                if !shows {
                    scan.varies = true;
                } else if scan.shows.is_none() {
                    scan.shows = Some(hit.range());
                }
                continue;
            };
            let claim = &self.claims[claim];
            let phrase = claim.phrases[phrase].as_str();
            if !whole_words(text, hit.start(), phrase) {
                continue;
            }
            match scan.claims.iter_mut().find(|(at, _, _)| *at == hit.start()) {
                Some(same) if same.2.len() < phrase.len() => *same = (hit.start(), claim, phrase),
                Some(_) => {}
                None => scan.claims.push((hit.start(), claim, phrase)),
            }
        }
        scan.claims.sort_by_key(|(at, _, _)| *at);
        scan
    }
}

/// For the quick look: one word of each phrase, in lower case (its longest), leaving out any
/// that holds another (a text with `painless` has `pain`). A text in which the automaton finds
/// a phrase, in any case, has that phrase's word in its lower-case copy.
fn anchors(phrases: &[&str]) -> Vec<String> {
    let mut words: Vec<String> = phrases
        .iter()
        .map(|phrase| {
            let phrase = phrase.to_ascii_lowercase();
            let longest = phrase.split(' ').fold("", |longest, word| {
                if word.len() > longest.len() {
                    word
                } else {
                    longest
                }
            });
            longest.to_string()
        })
        .collect();
    words.sort_by_key(String::len);
    let mut kept: Vec<String> = Vec::new();
    for word in words {
        if !kept.iter().any(|shorter| word.contains(shorter.as_str())) {
            kept.push(word);
        }
    }
    kept
}

/// Whether `phrase` at `at` in `text` is whole words: no letter or digit joined to either end
/// (`%` ends a phrase like `100%` without a word after it).
fn whole_words(text: &str, at: usize, phrase: &str) -> bool {
    let word_char = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
    let before = text[..at].chars().next_back();
    let after = text
        .get(at + phrase.len()..)
        .and_then(|rest| rest.chars().next());
    let starts_word = !word_char(before) || !phrase.starts_with(|c: char| c.is_alphanumeric());
    let ends_word = !word_char(after) || !phrase.ends_with(|c: char| c.is_alphanumeric());
    starts_word && ends_word
}

/// The default list, with the site's additions and without its removals.
pub fn list(settings: &CheckSettings) -> Claims {
    let mut claims: Vec<Claim> = defaults()
        .into_iter()
        .map(|mut c| {
            c.phrases.retain(|p| !settings.claims_remove.contains(p));
            c
        })
        .filter(|c| !c.phrases.is_empty())
        .collect();
    claims.extend(settings.claims_add.iter().map(|c| {
        claim(
            Code::ClaimsCustom,
            &[c.phrase.to_lowercase().as_str()],
            &c.reason,
            &c.instead,
        )
    }));
    Claims::new(claims)
}

fn defaults() -> Vec<Claim> {
    vec![
        claim(
            Code::ClaimsGuarantee,
            &[
                "guaranteed",
                "guarantee",
                "guarantees",
                "100%",
                "100 percent",
                "garantizado",
                "garantizada",
                "garantizados",
                "garantizadas",
            ],
            "results differ from person to person, so a promise of results can mislead patients and breaks medical advertising rules",
            "\"most people see smoother skin after a few sessions\"",
        ),
        claim(
            Code::ClaimsAbsolute,
            &[
                "painless",
                "pain-free",
                "pain free",
                "no pain",
                "indoloro",
                "indolora",
                "sin dolor",
            ],
            "some people do feel discomfort, so promising none is not true for everyone",
            "\"most people feel only mild discomfort\"",
        ),
        claim(
            Code::ClaimsAbsolute,
            &[
                "no risk",
                "no risks",
                "risk-free",
                "risk free",
                "without risk",
                "sin riesgo",
                "sin riesgos",
            ],
            "every medical treatment has some risk",
            "\"side effects are usually mild, like redness for a day or two\"",
        ),
        claim(
            Code::ClaimsAbsolute,
            &[
                "no downtime",
                "zero downtime",
                "no down time",
                "sin tiempo de recuperación",
            ],
            "most people have some redness or swelling for a day or more",
            "\"most people go back to their usual activities within a day or two\"",
        ),
        claim(
            Code::ClaimsAbsolute,
            &["permanent", "permanently", "permanente", "permanentes"],
            "skin keeps aging, so results fade over time",
            "\"results can last for months\"",
        ),
        claim(
            Code::ClaimsAbsolute,
            &["cure", "cures", "cured"],
            "microneedling can improve how skin looks; it does not cure a condition",
            "\"can improve the look of\"",
        ),
        claim(
            Code::ClaimsSuperlative,
            &[
                "best",
                "safest",
                "el mejor",
                "la mejor",
                "los mejores",
                "las mejores",
                "el más seguro",
            ],
            "a superlative cannot be proven and many medical advertising rules forbid it",
            "\"our providers are trained in microneedling\"",
        ),
        claim(
            Code::ClaimsFdaApproved,
            &[
                "fda approved",
                "fda-approved",
                "approved by the fda",
                "aprobado por la fda",
            ],
            "microneedling devices are FDA-cleared, which is not the same as FDA-approved",
            "\"FDA-cleared\" (only if the device really is)",
        ),
    ]
}

/// Words that show before-and-after results or patients' own words.
const SHOWS_RESULTS: &[&str] = &[
    "before and after",
    "before-and-after",
    "before/after",
    "before & after",
    "testimonial",
    "testimonials",
    "antes y después",
    "testimonio",
    "testimonios",
];
/// Words that tell patients results differ.
const RESULTS_VARY: &[&str] = &[
    "results vary",
    "results may vary",
    "results can vary",
    "results will vary",
    "resultados varían",
    "resultados pueden variar",
];

/// Every risky phrase on the page that the page does not allow.
pub fn check(page: &PageInput, claims: &Claims) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    let allowed = allowances(page, &mut findings);
    let is_allowed = |claim: &Claim, found: &str| {
        allowed
            .iter()
            .any(|a| a == found || claim.phrases.contains(a))
    };
    // Before-and-after pictures or testimonials need a "results vary" note on the same page.
    let mut varies = false;
    let mut shown = None;
    let mut lower = Vec::new();
    for (text, from) in texts(page) {
        let scan = claims.scan_with(text, &mut lower);
        varies |= scan.varies && !matches!(from, TextSource::Field("title"));
        if let (None, Some(words), TextSource::Body(block)) = (&shown, scan.shows, from) {
            let spot = block.offset_of(words.start)..block.offset_of(words.end);
            shown = Some(page.body_spot(spot));
        }
        for (at, claim, phrase) in scan.claims {
            let found = &text[at..at + phrase.len()];
            if is_allowed(claim, &found.to_lowercase()) {
                continue;
            }
            let spot = from.spot(page, at, found);
            findings.push(
                Diagnostic::new(claim.rule, &page.file, format!("`{found}`: {}", claim.reason))
                    .at(spot.line, spot.column)
                    .width(spot.width)
                    .help(format!("write something like {}; if the wording is right here, allow it in the front matter with `allow_claims` and the reason", claim.instead)),
            );
        }
    }
    if !varies {
        findings.extend(results_disclaimer(page, shown));
    }
    findings
}

/// Where a text the rules read comes from.
#[derive(Clone, Copy)]
enum TextSource<'p> {
    /// A front matter key's value.
    Field(&'static str),
    Body(&'p Block),
}

impl TextSource<'_> {
    /// The spot in the file of `found`, at byte `at` of the text.
    fn spot(self, page: &PageInput, at: usize, found: &str) -> Spot {
        match self {
            TextSource::Field(key) => page.field_spot(key, found),
            TextSource::Body(block) => {
                let start = block.offset_of(at);
                let end = block.offset_of(at + found.len()).max(start + 1);
                page.body_spot(start..end)
            }
        }
    }
}

/// The page's visible text: title, description and summary, then the body.
fn texts<'p>(page: &'p PageInput) -> impl Iterator<Item = (&'p str, TextSource<'p>)> {
    // As placed (the same words as written: `build` forgets the front matter's copies).
    let summary = page.faq().map(|faq| faq.summary.as_str());
    let fields = page.front.into_iter().flat_map(move |_| {
        [
            ("title", Some(page.common.title.as_str())),
            ("description", Some(page.common.description.as_str())),
            ("summary", summary),
        ]
        .into_iter()
        .filter_map(|(key, value)| Some((value?, TextSource::Field(key))))
    });
    fields.chain(
        page.doc
            .blocks
            .iter()
            .map(|b| (b.text.as_str(), TextSource::Body(b))),
    )
}

/// The phrases the page allows, lower case; an allowance without a reason is a finding.
fn allowances(page: &PageInput, findings: &mut Vec<Diagnostic>) -> Vec<String> {
    let Some(front) = page.front else {
        return Vec::new();
    };
    front
        .meta
        .allow_claims
        .iter()
        .map(|allow| {
            if allow.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
                let spot = page.field_spot("allow_claims", &allow.phrase);
                findings.push(
                    Diagnostic::new(
                        Code::CheckMissingReason,
                        &page.file,
                        format!("`{}` is allowed without a reason", allow.phrase),
                    )
                    .at(spot.line, spot.column)
                    .width(spot.width)
                    .help(format!(
                        "say why the wording is right here: `{{ phrase: \"{}\", reason: \"…\" }}`",
                        allow.phrase
                    )),
                );
            }
            allow.phrase.to_lowercase()
        })
        .collect()
}

/// The finding for a page that says nowhere that results vary, when it shows results: in
/// its text (`shown`, the first words that do) or in a picture named before and after.
fn results_disclaimer(page: &PageInput, shown: Option<Spot>) -> Option<Diagnostic> {
    let shown_in_image = || {
        let pictured = |dest: &str| {
            dest.to_lowercase().contains("before") && dest.to_lowercase().contains("after")
        };
        page.doc
            .links
            .iter()
            .find(|l| l.image && pictured(&l.dest))
            .map(|l| page.body_spot(l.source.clone()))
    };
    let spot = shown.or_else(shown_in_image)?;
    Some(
        Diagnostic::new(Code::ClaimsResultsDisclaimer, &page.file, "this page shows before-and-after results or testimonials but does not say that results vary")
            .at(spot.line, spot.column)
            .width(spot.width)
            .help("add a sentence near them, like \"Results vary from person to person.\""),
    )
}

#[cfg(test)]
mod tests;
