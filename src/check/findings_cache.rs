//! What each page's own rules found, kept between builds in `ROOT/.clinicsite-cache/findings`:
//! a page's key in, the findings its rules made and the links the site-wide rules read out,
//! so `build` and `serve` check again only the pages that changed.
//!
//! The key hashes everything a page's own rules read: the page as placed (its front matter
//! as written, its body, its address, language and draft mark, and its role's facts, which
//! for a translated office come from the original's file; for a translation, its original's
//! words, see `untranslated`), the site's `check:` settings, the program's version, and where
//! its medical review stands today (with today's date when a message names it). Rules that
//! look across pages (links written in HTML, duplicates, translations' freshness) run on every
//! build, on the links kept here. A page whose findings read other
//! files (`review/changed` shows the reviewed words kept in `.clinicsite-cache/reviews/`) is
//! never kept: it is checked on every build.
//!
//! A body is hashed in the key by its hash (`frontmatter::Parsed::body_hash`), made once per
//! changed file or recalled from the last build's reading (`read_record`), so an unchanged
//! body is never hashed again. A key is a 128-bit XXH3 hash of those bytes (a cache key,
//! not a defence against forged files). The file is in the format of `cache_format`: the
//! codes and texts its findings name, each once, then each page's entry, sorted by key.
//!
//! The file is only a cache: a missing, unreadable or outdated file means every page is
//! checked, and deleting it changes no finding. Each build writes the entries of its own pages
//! (so pages deleted since are forgotten), and only when one of them was checked anew.

use std::collections::HashMap;
use std::hash::{Hash, Hasher as _};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use twox_hash::XxHash3_128;

use super::document::{Document, LinkMark, Piece};
use super::links::has_no_address;
use super::page::{Kind, PageInput};
use super::review;
use crate::config::check::CheckSettings;
use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::frontmatter::{Date, Parsed};
use crate::site::{Common, Faq, Role};

/// The file, relative to the site's folder.
pub const FILE: &str = ".clinicsite-cache/findings";
/// Changes whenever the file's layout or what a rule finds does (every release).
const VERSION: &str = concat!("clinicsite ", env!("CARGO_PKG_VERSION"), " findings 5");

/// What one page's rules found, by the hash of what they read.
pub type Key = u128;

/// The findings of the previous builds, and whether this one added any.
pub struct FindingsCache {
    path: PathBuf,
    /// The codes the entries name (`None` for one this version does not know).
    codes: Vec<Option<Code>>,
    /// The messages and help texts the entries name.
    texts: Vec<String>,
    /// Each page's entry, sorted by key.
    known: Vec<(Key, Entry)>,
    /// The version and the settings, hashed once: every key starts from it.
    base: u128,
    today: Date,
    review: crate::config::check::ReviewSettings,
    checked_anew: AtomicBool,
}

/// One page's entry in the file: rows of values rather than named fields, as the file is
/// read on every build.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Entry<S = String, R = Range<usize>> {
    findings: Vec<Finding>,
    /// Its links without an address (`links::has_no_address`), the only ones the rules read.
    links: Vec<Link<S, R>>,
    html: Vec<(S, R)>,
}

/// A finding on the page's own file: its code (by its place in the file's `codes`), whether
/// it is a warning (else an error), line, column, width, message, help (each by its place in
/// the file's `texts`: most pages' messages say the same few things).
#[derive(Debug, Serialize, Deserialize)]
struct Finding(u32, bool, usize, usize, usize, u32, Option<u32>);

/// A `LinkMark`: whether it is an image, its address, its text, where it is written.
#[derive(Debug, Serialize, Deserialize)]
struct Link<S = String, R = Range<usize>>(bool, S, S, R);

/// The file: the codes and texts the findings name, then each page's entry by key (its two
/// halves), sorted, so the same pages write the same bytes.
#[derive(Serialize, Deserialize)]
struct File<S, E> {
    codes: Vec<S>,
    texts: Vec<S>,
    pages: Vec<(Halves, E)>,
}

/// A `Key` as stored: its high and low 64 bits.
type Halves = (u64, u64);

impl FindingsCache {
    /// The findings kept in the site at `root` (none when the file is missing or outdated).
    pub fn open(root: &Path, settings: &CheckSettings, today: Date) -> FindingsCache {
        let path = root.join(FILE);
        let file = std::fs::read(&path)
            .ok()
            .and_then(|bytes| crate::cache_format::decode::<File<String, Entry>>(VERSION, &bytes));
        let (codes, texts, known) = match file {
            Some(File {
                codes,
                texts,
                pages,
            }) => {
                let codes = codes.iter().map(|code| code_named(code));
                let pages = pages.into_iter().map(|((high, low), entry)| {
                    ((u128::from(high) << 64) | u128::from(low), entry)
                });
                let mut known: Vec<(Key, Entry)> = pages.collect();
                // Written sorted; a file sorted otherwise is only slower to read.
                if !known.is_sorted_by_key(|(key, _)| *key) {
                    known.sort_unstable_by_key(|(key, _)| *key);
                }
                (codes.collect(), texts, known)
            }
            None => Default::default(),
        };
        let mut base = Bytes(Vec::new());
        VERSION.hash(&mut base);
        // Debug output is complete and ordered: every setting, in a fixed order.
        print_into(&mut base, format_args!("{settings:?}"));
        let base = XxHash3_128::oneshot(&base.0);
        FindingsCache {
            path,
            codes,
            texts,
            known,
            base,
            today,
            review: settings.review,
            checked_anew: AtomicBool::new(false),
        }
    }

    /// The key of a page's own findings: everything its rules read. `original` is what they
    /// read of a translation's original (`untranslated::original_words`).
    pub fn key(
        &self,
        common: &Common,
        kind: Kind,
        front: Option<&Parsed>,
        original: Option<blake3::Hash>,
    ) -> Key {
        // Destructured, so a new field of the page is a decision here, not forgotten.
        let Common {
            source,
            path,
            title,
            description,
            weight,
            date,
            updated,
            aliases,
            alias_lines,
            template,
            tags,
            extra,
            body,
            body_line,
            template_line,
            lang,
            translation_key,
            translated_from,
            draft,
            review,
            image,
        } = common;
        let (status, _) = review::status(
            &review.reviewed_by,
            review.last_reviewed,
            self.today,
            self.review,
        );
        // Messages name today's date only for these; the others hold whatever the day.
        let day = matches!(status, review::Status::FutureDate | review::Status::DueSoon)
            .then_some(self.today);
        // Each field is written as it hashes (`Hash`), not printed: printing with `{:?}` cost
        // more than all the rest of a kept page's gate. The few values without `Hash` are
        // printed straight into the same bytes, which are hashed in one call (XXH3, 128
        // bits: a cache key, not a defence against forged files, and many times faster per
        // byte than SipHash).
        let mut bytes = Bytes(Vec::with_capacity(2048));
        bytes.0.extend_from_slice(&self.base.to_le_bytes());
        let h = &mut bytes;
        (source, path, title, description, lang, translation_key).hash(h);
        (weight, date, updated, aliases, alias_lines, template, tags).hash(h);
        (extra, body_line, template_line, translated_from, draft).hash(h);
        let crate::site::Review {
            reviewed_by,
            last_reviewed,
            fingerprint,
        } = review;
        (reviewed_by, last_reviewed, fingerprint, day).hash(h);
        front.map(|front| (front.yaml_line, front.yaml)).hash(h);
        print_into(h, format_args!("{status:?} {image:?}"));
        match kind {
            Kind::Section(kind) => print_into(h, format_args!("{kind:?}")),
            Kind::Page(Role::Faq(Faq {
                category,
                summary,
                locations,
            })) => ("faq", category, summary, locations).hash(h),
            // An office's facts and a case's photos and consent, as they print.
            Kind::Page(role) => print_into(h, format_args!("{role:?}")),
        }
        // The body by its hash: made once per changed file, or recalled (see the module's doc).
        let body_hash = match front {
            Some(front) if front.body.same(*body) => front.body_hash(),
            _ => body.hash(),
        };
        h.write(body_hash.as_bytes());
        original.map(|hash| *hash.as_bytes()).hash(h);
        XxHash3_128::oneshot(&bytes.0)
    }

    /// The findings kept for `key` on `page`'s file, and the document with the links the
    /// site-wide rules read; `None` when the page must be checked.
    pub fn recall(&self, key: Key, file: &Path) -> Option<(Vec<Diagnostic>, Document)> {
        let at = self.known.binary_search_by_key(&key, |(k, _)| *k).ok()?;
        let entry = &self.known[at].1;
        let text = |at: u32| self.texts.get(at as usize).cloned();
        let findings = entry
            .findings
            .iter()
            .map(
                |&Finding(code, warning, line, column, width, message, help)| {
                    let finding = Diagnostic {
                        severity: if warning {
                            Severity::Warning
                        } else {
                            Severity::Error
                        },
                        code: (*self.codes.get(code as usize)?)?,
                        file: file.to_path_buf(),
                        line,
                        column,
                        width,
                        message: text(message)?,
                        help: match help {
                            Some(help) => Some(text(help)?),
                            None => None,
                        },
                    };
                    Some(finding)
                },
            )
            .collect::<Option<Vec<_>>>()?;
        let links = entry
            .links
            .iter()
            .map(|Link(image, dest, text, source)| LinkMark {
                image: *image,
                dest: dest.clone(),
                text: text.clone(),
                source: source.clone(),
            });
        let html = entry.html.iter().map(|(text, source)| Piece {
            text: text.clone(),
            source: source.clone(),
        });
        let doc = Document {
            links: links.collect(),
            html: html.collect(),
            ..Document::default()
        };
        Some((findings, doc))
    }

    /// Whether `findings` of `page` can be kept: only what its own file and the key decide
    /// (see the module's doc), about its own file.
    pub fn keeps(page: &PageInput, findings: &[Diagnostic]) -> bool {
        findings
            .iter()
            .all(|f| f.file == page.file && f.code != Code::ReviewChanged)
    }

    /// Notes that a page was checked anew, so the file is written again.
    pub fn checked_anew(&self) {
        self.checked_anew.store(true, Ordering::Relaxed);
    }

    /// Writes the entries of this build's pages: `(key, page, its findings)` for every page
    /// whose findings can be kept. Nothing is written when every page was recalled; a cache
    /// that cannot be written is left as it was (the next build checks those pages again).
    pub fn save<'p>(&self, pages: impl Iterator<Item = (Key, &'p Document, &'p [Diagnostic])>) {
        let (mut codes, mut texts) = (Table::default(), Table::default());
        let mut pages: Vec<(Halves, Entry<&str, &Range<usize>>)> = pages
            .map(|(key, doc, findings)| {
                let findings = findings.iter().map(|f| {
                    let warning = f.severity == Severity::Warning;
                    Finding(
                        codes.place(f.code.as_str()),
                        warning,
                        f.line,
                        f.column,
                        f.width,
                        texts.place(&f.message),
                        f.help.as_deref().map(|help| texts.place(help)),
                    )
                });
                let findings = findings.collect();
                let links = doc.links.iter().filter(|l| has_no_address(l));
                let links =
                    links.map(|l| Link(l.image, l.dest.as_str(), l.text.as_str(), &l.source));
                let html = doc.html.iter().map(|p| (p.text.as_str(), &p.source));
                let entry = Entry {
                    findings,
                    links: links.collect(),
                    html: html.collect(),
                };
                (((key >> 64) as u64, key as u64), entry)
            })
            .collect();
        pages.sort_unstable_by_key(|(key, _)| *key);
        pages.dedup_by_key(|(key, _)| *key);
        let forgotten = pages.len() != self.known.len();
        if !self.checked_anew.load(Ordering::Relaxed) && !forgotten {
            return;
        }
        let file = File {
            codes: codes.texts,
            texts: texts.texts,
            pages,
        };
        let Some(folder) = self.path.parent() else {
            return;
        };
        // Written beside and renamed over, so a build reading it meanwhile never sees half.
        if std::fs::create_dir_all(folder).is_ok() {
            let always = crate::atomic_file::When::Always;
            let _ = crate::cache_format::save(&self.path, always, VERSION, &file);
        }
    }
}

/// Texts, each kept once, by their place in the list.
#[derive(Default)]
struct Table<'t> {
    texts: Vec<&'t str>,
    places: FxHashMap<&'t str, u32>,
}

impl<'t> Table<'t> {
    /// The place of `text`, added if new.
    fn place(&mut self, text: &'t str) -> u32 {
        *self.places.entry(text).or_insert_with(|| {
            self.texts.push(text);
            (self.texts.len() - 1) as u32
        })
    }
}

/// The bytes a value hashes as (`Hash`), gathered to be hashed in one call.
struct Bytes(Vec<u8>);

impl std::hash::Hasher for Bytes {
    fn write(&mut self, bytes: &[u8]) {
        self.0.extend_from_slice(bytes);
    }

    /// Not used: `FindingsCache::key` hashes the bytes to 128 bits.
    fn finish(&self) -> u64 {
        XxHash3_128::oneshot(&self.0) as u64
    }
}

/// Hashes what `value` prints, without making a string of it (the end is marked, so two
/// values printed one after the other hash as two).
fn print_into(hasher: &mut impl std::hash::Hasher, value: std::fmt::Arguments) {
    struct Into<'h, H>(&'h mut H);
    impl<H: std::hash::Hasher> std::fmt::Write for Into<'_, H> {
        fn write_str(&mut self, text: &str) -> std::fmt::Result {
            self.0.write(text.as_bytes());
            Ok(())
        }
    }
    let _ = std::fmt::write(&mut Into(hasher), value);
    hasher.write_u8(0xff);
}

/// The code written as `text` (`content/placeholder`); `None` for a code this version does
/// not know (the entry is then checked anew).
fn code_named(text: &str) -> Option<Code> {
    static CODES: std::sync::OnceLock<HashMap<&'static str, Code>> = std::sync::OnceLock::new();
    let codes = CODES.get_or_init(|| Code::ALL.iter().map(|c| (c.as_str(), *c)).collect());
    codes.get(text).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Date {
        Date::parse(text).expect("a date")
    }

    #[test]
    fn keys_follow_what_the_rules_read() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/breakable");
        let yaml = std::fs::read_to_string(root.join("site.yaml")).expect("site.yaml");
        let config = crate::config::parse(&yaml, None).expect("the fixture's settings");
        let (content, _) = crate::source::read_content(&root);
        let parsed = content
            .pages
            .iter()
            .map(|file| {
                let path = crate::site::content_path(&file.rel);
                let parsed = crate::frontmatter::parse(&file.text, &path).ok();
                (file.rel.clone(), parsed)
            })
            .collect();
        let options = crate::site::Options {
            drafts: false,
            languages: config.languages.clone(),
            consents: crate::results::Consents::default(),
        };
        let placed = crate::site::place(&content, parsed, &config.title, &options);
        let site = &placed.site;
        let target = site.by_path["faq/pain/"];
        let common = site.common(target).expect("a page");
        let kind = Kind::of(site, target).expect("a page");
        let front = placed.front_matter.get(&common.source);
        let settings = &config.check;
        let key = |settings: &CheckSettings, today: &str, common: &Common| {
            FindingsCache::open(&root, settings, day(today)).key(common, kind, front, None)
        };
        // Reviewed on 2026-10-01, due a year later.
        let kept = key(settings, "2026-12-06", common);
        assert_eq!(kept, key(settings, "2027-01-06", common));
        assert_ne!(kept, key(settings, "2027-09-20", common), "due soon");
        assert_ne!(
            key(settings, "2027-09-20", common),
            key(settings, "2027-09-21", common),
            "due soon names the days left"
        );
        assert_ne!(kept, key(settings, "2027-10-05", common), "overdue");

        let mut fewer_claims = settings.clone();
        fewer_claims.claims_remove.push("painless".into());
        assert_ne!(kept, key(&fewer_claims, "2026-12-06", common));

        let mut edited = common.clone();
        edited.body = crate::source::BodyText::Here("## Numbing cream, and ice\n");
        assert_ne!(kept, key(settings, "2026-12-06", &edited));
        let mut retitled = common.clone();
        retitled.title.push('!');
        assert_ne!(kept, key(settings, "2026-12-06", &retitled));
    }
}
