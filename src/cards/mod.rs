//! Share cards: the placed site and a `CardStyle` in, one 1200×630 PNG per page out, the
//! picture a link preview shows (Open Graph and Twitter cards) when the page has no `image:`.
//!
//! A card shows the page's title (the patient's question, in the page's own language) large,
//! fitted to its box (see `layout`), under the clinic's name and logo, in the style's colours
//! (see `draw`). Its text is set in a font built into the binary, so a card looks the same on
//! every machine. A page's card is published at `cards/PAGE-PATH.png` (see `path_for`); the
//! theme names it in the page's head through `share` in the template context.
//!
//! Drawing is pure: the same texts, style and font give the same bytes, whatever the thread.
//! Every card is kept in `ROOT/.clinicsite-cache/cards/` (see `cache`), so a rebuild draws
//! only the cards whose words or style changed.

mod cache;
pub mod draw;
mod encode;
pub mod layout;

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;

use crate::assets::Processed;
use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic};
use crate::site::{Common, Site, Target};

/// A card's size in pixels: what Facebook, LinkedIn, WhatsApp and X show in full.
pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;

/// The folder cards are kept in, below the site root.
pub const CACHE_DIR: &str = ".clinicsite-cache/cards";

/// Everything about drawing that is not in `CardStyle` or the texts: part of every cache key.
/// Change it whenever `draw` or `layout` draws differently.
const RENDERER: &str = "clinicsite cards 3";

/// The colours and logo of every card. `Default` is the default theme's look: its dark
/// header colour behind white text, with its apricot call-button colour for the name.
#[derive(Debug, Clone, PartialEq)]
pub struct CardStyle {
    /// The card's background (sRGB).
    pub background: [u8; 3],
    /// The title.
    pub text: [u8; 3],
    /// The clinic's name, the rule under it and the band along the bottom.
    pub accent: [u8; 3],
    /// Drawn before the clinic's name, scaled to fit 64 pixels high and 320 wide.
    pub logo: Option<Logo>,
}

impl Default for CardStyle {
    fn default() -> CardStyle {
        CardStyle {
            // themes/clinic/static/style.css: --deep, #fff and --apricot (7.79:1 on --deep).
            background: [0x0c, 0x3b, 0x45],
            text: [0xff, 0xff, 0xff],
            accent: [0xf3, 0xc7, 0x9a],
            logo: None,
        }
    }
}

/// A decoded logo (straight, not premultiplied, alpha).
#[derive(Debug, Clone, PartialEq)]
pub struct Logo {
    pub image: image::RgbaImage,
}

/// One card to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    /// Path under the output folder (`cards/faq/does-it-hurt.png`).
    pub path: String,
    /// The page's title.
    pub title: String,
    /// The clinic's name in the page's language; empty on the home page, whose title it is.
    pub name: String,
}

/// Where the card of the page at `page_path` is published: `cards/faq/does-it-hurt.png` for
/// `faq/does-it-hurt/`, `cards/es.png` for `es/`, `cards/index.png` for the home page.
pub fn path_for(page_path: &str) -> String {
    let stem = page_path.trim_end_matches('/');
    if stem.is_empty() {
        "cards/index.png".to_string()
    } else {
        format!("cards/{stem}.png")
    }
}

/// Whether a page gets a card: every page and section does, except those with `image:`,
/// whose photo is their share image.
pub fn has_card(common: &Common) -> bool {
    common.image.is_none()
}

/// The card of a page (which `has_card`): its path and words.
pub fn card_of(common: &Common, config: &Config) -> Card {
    let (name, _, _) = config.text(&common.lang);
    Card {
        path: path_for(&common.path),
        title: common.title.clone(),
        name: if name == common.title {
            String::new()
        } else {
            name
        },
    }
}

impl Card {
    /// The card's text alternative (`og:image:alt`): what it says.
    pub fn alt(&self) -> String {
        if self.name.is_empty() {
            self.title.clone()
        } else {
            format!("{} — {}", self.title, self.name)
        }
    }
}

/// The cards `site` needs, in site order: one for every page and section that is rendered at
/// its own address and has no `image:`.
pub fn plan(site: &Site, config: &Config) -> Vec<Card> {
    let targets = (0..site.sections.len())
        .map(Target::Section)
        .chain((0..site.pages.len()).map(Target::Page));
    targets
        .filter(|target| {
            site.common(*target)
                .is_some_and(|common| site.by_path.get(&common.path) == Some(target))
        })
        .filter_map(|target| site.common(target))
        .filter(|common| has_card(common))
        .map(|common| card_of(common, config))
        .collect()
}

/// Makes every card, taking what it can from the cache in `cache_dir`: each card's file by
/// its output path. Cards with the same words are drawn once.
pub fn make(
    cards: &[Card],
    style: &CardStyle,
    cache_dir: &Path,
) -> Result<BTreeMap<String, Processed>, Diagnostic> {
    let cache = cache::Cache::open(cache_dir, RENDERER);
    let base = base_key(style);
    let mut by_key: BTreeMap<String, Vec<&Card>> = BTreeMap::new();
    for card in cards {
        by_key.entry(key(&base, card)).or_default().push(card);
    }
    let made: Vec<(Vec<&Card>, std::io::Result<Processed>)> = by_key
        .into_par_iter()
        .map(|(key, cards)| {
            let first = cards[0];
            let texts = draw::Texts {
                title: &first.title,
                name: &first.name,
            };
            let file = cache.card(&key, &|| draw::card(&texts, style).0);
            (cards, file)
        })
        .collect();
    let mut files = BTreeMap::new();
    for (cards, file) in made {
        let file = file.map_err(|error| {
            Diagnostic::new(
                Code::CardCache,
                cache_dir,
                format!("cannot write the share-card cache: {error}"),
            )
            .help("check that the site's folder can be written to, or delete `.clinicsite-cache`")
        })?;
        for card in cards {
            files.insert(card.path.clone(), file.clone());
        }
    }
    cache.save();
    Ok(files)
}

/// The hash of what every card of one build shares: the renderer, the font and the style.
fn base_key(style: &CardStyle) -> blake3::Hasher {
    let mut hasher = blake3::Hasher::new();
    crate::theme::hash_field(&mut hasher, RENDERER);
    hasher.update(blake3::hash(draw::FONT).as_bytes());
    for colour in [style.background, style.text, style.accent] {
        hasher.update(&colour);
    }
    match &style.logo {
        Some(logo) => {
            let (width, height) = logo.image.dimensions();
            hasher.update(&width.to_le_bytes());
            hasher.update(&height.to_le_bytes());
            hasher.update(logo.image.as_raw());
        }
        None => {
            hasher.update(b"no logo");
        }
    }
    hasher
}

fn key(base: &blake3::Hasher, card: &Card) -> String {
    let mut hasher = base.clone();
    crate::theme::hash_field(&mut hasher, &card.title);
    crate::theme::hash_field(&mut hasher, &card.name);
    crate::file_cache::key(&hasher)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_path_gives_its_card_path() {
        assert_eq!(path_for(""), "cards/index.png");
        assert_eq!(path_for("es/"), "cards/es.png");
        assert_eq!(path_for("faq/does-it-hurt/"), "cards/faq/does-it-hurt.png");
        assert_eq!(
            path_for("es/faq/does-it-hurt/"),
            "cards/es/faq/does-it-hurt.png"
        );
    }

    #[test]
    fn the_key_changes_with_the_words_and_the_style() {
        let card = Card {
            path: "cards/a.png".into(),
            title: "Does it hurt?".into(),
            name: "Test Clinic".into(),
        };
        let base = base_key(&CardStyle::default());
        let same = key(&base, &card);
        assert_eq!(same, key(&base_key(&CardStyle::default()), &card));
        assert!(crate::file_cache::is_key(&same));
        let retitled = Card {
            title: "¿Duele?".into(),
            ..card.clone()
        };
        assert_ne!(same, key(&base, &retitled));
        let moved = Card {
            path: "cards/b.png".into(),
            ..card.clone()
        };
        assert_eq!(
            same,
            key(&base, &moved),
            "the path does not change the pixels"
        );
        let dark = CardStyle {
            background: [0, 0, 0],
            ..CardStyle::default()
        };
        assert_ne!(same, key(&base_key(&dark), &card));
    }
}
