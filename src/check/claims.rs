//! Risky claims: a page's visible text (title, description, summary and body) and the list of
//! risky phrases in, a finding for each phrase used without the page allowing it out.
//!
//! Phrases match whole words in any case (`Painless` and `painless`, not `painlessly`'s
//! stem `pain`). A page allows a phrase with a reason in its front matter:
//! `allow_claims: [{ phrase: "FDA approved", reason: "quoting the FDA's letter" }]`.

use aho_corasick::{AhoCorasick, Input};

use super::document::Block;
use super::page::{PageInput, Spot};
use super::settings::CheckSettings;
use crate::diagnostics::{Code, Diagnostic};

mod defaults;
use defaults::{RESULTS_VARY, SHOWS_RESULTS, defaults, results_vary_in};

/// A risky phrase, its variants, and what to say instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub rule: Code,
    /// Lower case; the first is the one named in messages.
    pub phrases: Vec<String>,
    pub reason: String,
    pub instead: String,
    /// What to say instead on a Spanish page: the default list's claims have it; a site's own
    /// (`claims.add`) say their `instead` in every language.
    pub instead_es: Option<String>,
}

impl Claim {
    /// What to write instead on a page in `language`.
    pub fn instead_in(&self, language: &str) -> &str {
        match (language, &self.instead_es) {
            ("es", Some(spanish)) => spanish,
            _ => &self.instead,
        }
    }
}

/// The claims list, ready to find all its phrases in a text in one pass, together with the
/// words that show results (`SHOWS_RESULTS`) or say they vary (`RESULTS_VARY`), which the
/// disclaimer rule needs from the same texts.
///
/// An automaton looks for one word of each phrase (its anchor, see `anchors`) in a lower-case
/// copy of the text; around each place an anchor is found, the phrases holding it are compared
/// with the text. Anchors are rare next to the text around them, so this finds exactly what
/// an automaton of every phrase would (ASCII letters in any case), many bytes at a time.
#[derive(Debug, Clone)]
pub struct Claims {
    claims: Vec<Claim>,
    /// (claim, phrase) for each claim phrase of `folded`; the phrases after them are
    /// `SHOWS_RESULTS`, then `RESULTS_VARY`.
    patterns: Vec<(usize, usize)>,
    /// Every phrase with its ASCII letters in lower case, as the lower-case copy of a text
    /// holds it.
    folded: Vec<Vec<u8>>,
    /// The anchors, lower case.
    anchors: Vec<String>,
    /// Finds every place of every anchor (`None` if it could not be built: the anchors are
    /// then looked for one by one).
    automaton: Option<AhoCorasick>,
    /// For each anchor, where it is in the phrases that hold it: (phrase, byte offset).
    places: Vec<Vec<(usize, usize)>>,
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
        let folded: Vec<Vec<u8>> = all
            .iter()
            .map(|phrase| phrase.as_bytes().to_ascii_lowercase())
            .collect();
        let anchors = anchors(&all);
        // Each phrase is found through one anchor it holds (every phrase holds one): its
        // longest, so the fewest places are compared.
        let mut places = vec![Vec::new(); anchors.len()];
        for (phrase, text) in folded.iter().enumerate() {
            let held = anchors
                .iter()
                .enumerate()
                .filter(|(_, anchor)| contains(text, anchor.as_bytes()))
                .max_by_key(|(_, anchor)| anchor.len());
            if let Some((anchor, word)) = held {
                places[anchor].extend(offsets(text, word.as_bytes()).map(|at| (phrase, at)));
            }
        }
        // Leftmost-first: a search that may skip ahead with a prefilter. Only billions of
        // states fail here, more than site.yaml can hold in memory.
        let automaton = AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostFirst)
            .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
            .build(&anchors)
            .ok();
        Claims {
            claims,
            patterns,
            folded,
            anchors,
            automaton,
            places,
        }
    }

    /// Where phrases start in `text` as whole words, in any case (of two phrases found at one
    /// place, the longer wins: `no risks` over `no risk`), and whether the text shows results
    /// or says they vary.
    pub fn scan(&self, text: &str) -> Scan<'_> {
        self.scan_with(text, &mut Vec::new())
    }

    /// `scan` of each of `texts` in which something is found, with its place in `texts`, in
    /// order, in one search over all of them (a page's texts are many and short: one search
    /// each would cost more to start than to run; most find nothing, and a text that finds
    /// nothing has no claims, shows no results and does not say they vary).
    pub fn scan_all(&self, texts: &[&str]) -> Vec<(usize, Scan<'_>)> {
        // The texts in lower case, each followed by a zero byte, and where each starts.
        let mut lower = Vec::with_capacity(texts.iter().map(|t| t.len() + 1).sum());
        let mut starts = Vec::with_capacity(texts.len());
        for text in texts {
            starts.push(lower.len());
            lower.extend_from_slice(text.as_bytes());
            lower.push(0);
        }
        lower.make_ascii_lowercase();
        // (text, (end, phrase, start)) of each place found, the offsets within the text.
        let mut found = Vec::new();
        for (end, phrase, start) in self.phrases_in_lower(&lower) {
            let text = starts.partition_point(|&s| s <= start).saturating_sub(1);
            let (Some(&from), Some(text_str)) = (starts.get(text), texts.get(text)) else {
                continue;
            };
            // A phrase holding a zero byte could run into the next text: it is in neither.
            if end - from <= text_str.len() {
                found.push((text, (end - from, phrase, start - from)));
            }
        }
        found.sort_unstable_by_key(|&(text, _)| text);
        found
            .chunk_by(|a, b| a.0 == b.0)
            .map(|places| {
                let text = places[0].0;
                let places = places.iter().map(|&(_, place)| place).collect();
                (text, self.scan_found(texts[text], places))
            })
            .collect()
    }

    /// `scan`, with a buffer for the text in lower case, kept between calls.
    fn scan_with(&self, text: &str, lower: &mut Vec<u8>) -> Scan<'_> {
        lower.clear();
        lower.extend_from_slice(text.as_bytes());
        lower.make_ascii_lowercase();
        let found = self.phrases_in_lower(lower);
        self.scan_found(text, found)
    }

    /// What `found`, (end, phrase, start) of each place a phrase is in `text` (unordered,
    /// maybe repeated), makes of the text.
    fn scan_found(&self, text: &str, mut found: Vec<(usize, usize, usize)>) -> Scan<'_> {
        let mut scan = Scan {
            claims: Vec::new(),
            shows: None,
            varies: false,
        };
        // (end, phrase, start) of every phrase in the text: the order in which an automaton
        // of every phrase would report them.
        if found.is_empty() {
            return scan;
        }
        found.sort_unstable();
        found.dedup();
        for (end, pattern, start) in found {
            let Some(&(claim, phrase)) = self.patterns.get(pattern) else {
                let shows = pattern < self.patterns.len() + SHOWS_RESULTS.len();
                if !shows {
                    scan.varies = true;
                } else if scan.shows.is_none() {
                    scan.shows = Some(start..end);
                }
                continue;
            };
            let claim = &self.claims[claim];
            let phrase = claim.phrases[phrase].as_str();
            if !whole_words(text, start, phrase) {
                continue;
            }
            match scan.claims.iter_mut().find(|(at, _, _)| *at == start) {
                Some(same) if same.2.len() < phrase.len() => *same = (start, claim, phrase),
                Some(_) => {}
                None => scan.claims.push((start, claim, phrase)),
            }
        }
        scan.claims.sort_by_key(|(at, _, _)| *at);
        scan
    }

    /// (end, phrase, start) of each place a phrase is in a text (in any case, whole words or
    /// not), unordered, maybe repeated, from the text's copy with ASCII in lower case.
    fn phrases_in_lower(&self, lower: &[u8]) -> Vec<(usize, usize, usize)> {
        let mut found = Vec::new();
        let mut at_anchor = |anchor: usize, at: usize| {
            for &(phrase, offset) in &self.places[anchor] {
                let folded = &self.folded[phrase];
                let Some(start) = at.checked_sub(offset) else {
                    continue;
                };
                if lower.get(start..start + folded.len()) == Some(folded.as_slice()) {
                    found.push((start + folded.len(), phrase, start));
                }
            }
        };
        match &self.automaton {
            Some(automaton) => {
                // Each search finds the anchor that starts first (no two start at one place:
                // none holds another), skipping through the text many bytes at a time; the
                // next starts just after it, so anchors that overlap are all found.
                let mut from = 0;
                while let Some(hit) = automaton.find(Input::new(lower).span(from..lower.len())) {
                    at_anchor(hit.pattern().as_usize(), hit.start());
                    from = hit.start() + 1;
                }
            }
            None => {
                for (anchor, word) in self.anchors.iter().enumerate() {
                    for at in offsets(lower, word.as_bytes()) {
                        at_anchor(anchor, at);
                    }
                }
            }
        }
        found
    }
}

/// Whether `text` holds `word`.
fn contains(text: &[u8], word: &[u8]) -> bool {
    word.is_empty() || text.windows(word.len()).any(|w| w == word)
}

/// Every place `word` starts in `text`, overlapping ones too.
fn offsets<'t>(text: &'t [u8], word: &'t [u8]) -> impl Iterator<Item = usize> + 't {
    (0..=text.len().saturating_sub(word.len()))
        .filter(move |&at| text.get(at..at + word.len()) == Some(word))
}

/// Words that make poor anchors: nearly every page about a treatment uses them, and each
/// place an anchor is found costs a search of its own; or, like `without`, they start the
/// way a word nearly every page uses does (`with`), and the search's first, rough look stops
/// at each of those. A phrase is found through another of its words when it has one
/// (`results vary` through `vary`, `without risk` through `risk`).
const COMMON: &[&str] = &["results", "resultados", "will", "pueden", "without"];

/// One word of each phrase, in lower case (its longest, but for `COMMON` words), leaving out
/// any that holds another (a text with `painless` has `pain`). A text in which a phrase is, in
/// any case, has that phrase's anchor in its lower-case copy.
fn anchors(phrases: &[&str]) -> Vec<String> {
    let mut words: Vec<String> = phrases
        .iter()
        .map(|phrase| {
            let phrase = phrase.to_ascii_lowercase();
            let rare = phrase.split(' ').filter(|word| !COMMON.contains(word));
            let anchor = match longest(rare) {
                "" => longest(phrase.split(' ')),
                anchor => anchor,
            };
            anchor.to_string()
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

/// The longest of `words` (the first of those as long), or "" when there are none.
fn longest<'w>(words: impl Iterator<Item = &'w str>) -> &'w str {
    words.fold("", |longest, word| {
        if word.len() > longest.len() {
            word
        } else {
            longest
        }
    })
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
    claims.extend(settings.claims_add.iter().map(|c| Claim {
        rule: Code::ClaimsCustom,
        phrases: vec![c.phrase.to_lowercase()],
        reason: c.reason.clone(),
        instead: c.instead.clone(),
        instead_es: None,
    }));
    Claims::new(claims)
}

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
    // Made at their length: the page's three fields at most, then its blocks.
    let most = 3 + page.doc.blocks().len();
    let (mut texts, mut sources) = (Vec::with_capacity(most), Vec::with_capacity(most));
    for (text, source) in page_texts(page) {
        texts.push(text);
        sources.push(source);
    }
    for (place, scan) in claims.scan_all(&texts) {
        let (text, from) = (texts[place], sources[place]);
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
                    .help(format!("write something like {}; if the wording is right here, allow it in the front matter with `allow_claims` and the reason", claim.instead_in(&page.language))),
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
    Body(Block<'p>),
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
fn page_texts<'p>(page: &'p PageInput) -> impl Iterator<Item = (&'p str, TextSource<'p>)> {
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
    fields.chain(page.doc.blocks().map(|b| (b.text, TextSource::Body(b))))
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
            .help(format!("add a sentence near them, like \"{}\"", results_vary_in(&page.language))),
    )
}

#[cfg(test)]
mod tests;
