//! A page's keys in the findings cache: what its own rules read in (the page as placed, its
//! body's hash, its original's words, its review's standing today), a `Key` out.
//!
//! `whole` hashes all of it (see the module doc of `findings_cache`). `quick` is made only
//! when the placed site's key is known (`incremental::Reuse::placed_key`: every file's front
//! matter and path, `site.yaml`, the build's options, the theme): while that key is the same
//! every page is placed as it was, so a page's placing is hashed as that key and its place
//! in the site, and only what can change within one placed site is hashed besides.

use std::hash::{Hash, Hasher as _};

use twox_hash::XxHash3_128;

use super::super::page::Kind;
use super::super::review;
use crate::frontmatter::{Date, Parsed};
use crate::site::{Common, Faq, Role, Target};

/// What one page's rules found, by the hash of what they read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    /// Everything its rules read, hashed one by one.
    pub whole: u128,
    /// The placed site's key, the page's place and what can change within one placed site,
    /// when the placed site's key is known.
    pub quick: Option<u128>,
}

/// What a page's keys are made from. `original` is what its rules read of a translation's
/// original (`untranslated::original_words`).
#[derive(Clone, Copy)]
pub struct KeyInput<'p> {
    pub target: Target,
    pub common: &'p Common<'p>,
    pub kind: Kind<'p>,
    pub front: Option<&'p Parsed<'p>>,
    pub original: Option<blake3::Hash>,
}

/// What a page's keys start from: the version and the settings (`base`), today and how
/// long a review lasts.
#[derive(Clone, Copy)]
pub(super) struct Hashing {
    pub base: u128,
    pub today: Date,
    pub review: crate::config::check::ReviewSettings,
}

impl Hashing {
    /// Where the page's review stands today, and today's date when its findings name it.
    fn standing(&self, common: &Common) -> (review::Status, Option<Date>) {
        let review = &common.review;
        let (status, _) = review::status(
            &review.reviewed_by,
            review.last_reviewed,
            self.today,
            self.review,
        );
        // Messages name today's date only for these; the others hold whatever the day.
        let day = matches!(status, review::Status::FutureDate | review::Status::DueSoon)
            .then_some(self.today);
        (status, day)
    }

    /// The page's quick key in the placed site whose key hashes (`placed`) as `placed`.
    pub fn quick(&self, page: &KeyInput, placed: u128) -> u128 {
        let (status, day) = self.standing(page.common);
        let mut bytes = Bytes(Vec::with_capacity(128));
        bytes.0.extend_from_slice(&placed.to_le_bytes());
        let h = &mut bytes;
        (page.target, &page.common.source, status as u8, day).hash(h);
        h.write(body_hash(page).as_bytes());
        page.original.map(|hash| *hash.as_bytes()).hash(h);
        XxHash3_128::oneshot(&bytes.0)
    }

    /// The hash of the placed site's key `placed` with the settings and the version: the key
    /// of the duplicates rule's findings, and what each page's quick key starts from.
    pub fn placed(&self, placed: &str) -> u128 {
        let mut bytes = Bytes(self.base.to_le_bytes().to_vec());
        placed.hash(&mut bytes);
        XxHash3_128::oneshot(&bytes.0)
    }

    /// The page's whole key: everything its rules read.
    pub fn whole(&self, page: &KeyInput) -> u128 {
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
            body: _,
            body_line,
            template_line,
            lang,
            translation_key,
            translated_from,
            draft,
            review,
            image,
        } = page.common;
        let (status, day) = self.standing(page.common);
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
        page.front
            .map(|front| (front.yaml_line, front.yaml))
            .hash(h);
        print_into(h, format_args!("{status:?} {image:?}"));
        match page.kind {
            Kind::Section(kind) => print_into(h, format_args!("{kind:?}")),
            Kind::Page(Role::Faq(Faq {
                category,
                summary,
                locations,
            })) => ("faq", category, summary, locations).hash(h),
            // An office's facts and a case's photos and consent, as they print.
            Kind::Page(role) => print_into(h, format_args!("{role:?}")),
        }
        h.write(body_hash(page).as_bytes());
        page.original.map(|hash| *hash.as_bytes()).hash(h);
        XxHash3_128::oneshot(&bytes.0)
    }
}

/// The hash of everything that makes every key: the version and the settings.
pub(super) fn base(version: &str, settings: &crate::config::check::CheckSettings) -> u128 {
    let mut base = Bytes(Vec::new());
    version.hash(&mut base);
    // Debug output is complete and ordered: every setting, in a fixed order.
    print_into(&mut base, format_args!("{settings:?}"));
    XxHash3_128::oneshot(&base.0)
}

/// The page's body by its hash: made once per changed file, or recalled from the last
/// build's reading (see the module doc of `findings_cache`).
fn body_hash(page: &KeyInput) -> blake3::Hash {
    let body = page.common.body;
    match page.front {
        Some(front) if front.body.same(body) => front.body_hash(),
        _ => body.hash(),
    }
}

/// The bytes a value hashes as (`Hash`), gathered to be hashed in one call.
struct Bytes(Vec<u8>);

impl std::hash::Hasher for Bytes {
    fn write(&mut self, bytes: &[u8]) {
        self.0.extend_from_slice(bytes);
    }

    /// Not used: the keys hash the bytes to 128 bits.
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
