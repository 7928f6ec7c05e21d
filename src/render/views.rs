//! The template context: the typed views templates get (the theme authors' API, documented
//! in docs/theme.md).

use serde::Serialize;

use crate::frontmatter::SectionKind;
use crate::location::Location;
use crate::markdown::Heading;

/// `site`: the same for every page.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub tagline: String,
    pub description: String,
    pub base_url: String,
    /// The language of the page being rendered.
    pub language: String,
    pub default_language: String,
    /// The home page of this language (`` or `es/`).
    pub home: String,
    /// Every language's home page (`{lang, path, permalink, translated, current}`), for
    /// pages that are not translations of anything, like the 404 page.
    pub languages: Vec<LanguageLink>,
    pub phone: String,
    pub phone_href: String,
    pub extra: crate::yaml::Value,
    pub nav: Vec<Link>,
    pub locations: Vec<LocationView>,
    pub faq: Option<FaqIndex>,
    /// Every stylesheet to link, in order (see `Theme::stylesheets`).
    pub stylesheets: Vec<String>,
    /// The clinic's logo (`brand: logo:`), from the site's top folder.
    pub logo: Option<String>,
    /// The header's colour, for `<meta name="theme-color">`.
    pub theme_color: String,
}

/// A title and where it lives.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub title: String,
    pub path: String,
}

/// A location with its page's title and address.
#[derive(Debug, Clone, Serialize)]
pub struct LocationView {
    pub title: String,
    pub path: String,
    #[serde(flatten)]
    pub location: Location,
}

/// The first FAQ section, for the home page and navigation.
#[derive(Debug, Clone, Serialize)]
pub struct FaqIndex {
    pub title: String,
    pub path: String,
    pub categories: Vec<CategoryView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CategoryView {
    pub name: String,
    pub id: String,
    pub pages: Vec<PageSummary>,
}

/// A page as listed elsewhere.
#[derive(Debug, Clone, Serialize)]
pub struct PageSummary {
    pub title: String,
    pub path: String,
    pub description: String,
    pub summary: String,
    pub category: String,
    /// A results case, listed with its photos.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case: Option<CaseView>,
}

/// A before-and-after case (`page.case`, and each of a results section's `pages`).
#[derive(Debug, Clone, Serialize)]
pub struct CaseView {
    pub treatment: String,
    pub area: String,
    pub sessions: u32,
    pub interval: String,
    /// Show a visible "retouched" label on the photos.
    pub retouched: bool,
    pub before: PhotoView,
    pub after: PhotoView,
    /// The section's `typical_results:`, shown beside every case.
    pub typical_results: String,
}

/// A case's photo: themes show it with `image(path=photo.path, alt=photo.alt)`.
#[derive(Debug, Clone, Serialize)]
pub struct PhotoView {
    /// Its address from the site's root (`results/acne-scars/before.jpg`).
    pub path: String,
    pub alt: String,
    /// Its size in pixels (0 when the build did not process it).
    pub width: u32,
    pub height: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct DateView {
    pub iso: String,
    pub text: String,
}

/// `page`: a page being rendered.
#[derive(Debug, Clone, Serialize)]
pub struct PageView {
    pub title: String,
    pub description: String,
    pub path: String,
    pub permalink: String,
    pub content: String,
    pub toc: Vec<Heading>,
    pub date: Option<DateView>,
    pub updated: Option<DateView>,
    pub tags: Vec<String>,
    pub extra: crate::yaml::Value,
    pub word_count: usize,
    pub reading_minutes: usize,
    pub section: Link,
    pub faq: Option<FaqView>,
    pub location: Option<LocationView>,
    /// A results case: its photos, caption and the section's typical results.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case: Option<CaseView>,
    /// `image:`, shown at the top and used as the share image.
    pub image: Option<ImageView>,
    /// The picture link previews show (`og:image`).
    pub share: Option<ShareView>,
    /// The page's language.
    pub lang: String,
    /// Every language of the site, for the language switcher.
    pub languages: Vec<LanguageLink>,
    /// The versions of this page that exist (itself included), for `hreflang` links.
    pub translations: Vec<LanguageLink>,
    /// Marked `draft: true`, so only in a `--drafts` preview: the theme marks it as a draft
    /// and asks search engines not to index it.
    pub draft: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct FaqView {
    pub summary: String,
    pub category: String,
    pub category_id: String,
    /// Empty, with no `last_reviewed`, when the page has no review or its text changed since
    /// (see `reviewed_text`): the page must not say it was medically reviewed.
    pub reviewed_by: String,
    pub last_reviewed: Option<DateView>,
    /// `LocationView`s, made into template values once per language (see `render::Language`).
    pub locations: Vec<tera::Value>,
    pub related: Vec<PageSummary>,
}

/// `section`: a section (or the home page) being rendered.
#[derive(Debug, Clone, Serialize)]
pub struct SectionView {
    pub title: String,
    pub description: String,
    pub path: String,
    pub permalink: String,
    pub content: String,
    pub toc: Vec<Heading>,
    pub kind: SectionKind,
    /// Results sections: what results are typical, shown beside every case (absent from
    /// other sections).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub typical_results: Option<String>,
    pub pages: Vec<PageSummary>,
    pub categories: Vec<CategoryView>,
    pub subsections: Vec<Link>,
    pub extra: crate::yaml::Value,
    /// The page's language.
    pub lang: String,
    /// Every language of the site, for the language switcher.
    pub languages: Vec<LanguageLink>,
    /// The versions of this page that exist (itself included), for `hreflang` links.
    pub translations: Vec<LanguageLink>,
    /// Marked `draft: true`, so only in a `--drafts` preview: the theme marks it as a draft
    /// and asks search engines not to index it.
    pub draft: bool,
    /// `image:`, shown at the top and used as the share image.
    pub image: Option<ImageView>,
    /// The picture link previews show (`og:image`).
    pub share: Option<ShareView>,
}

/// A page's `image:`.
#[derive(Debug, Clone, Serialize)]
pub struct ImageView {
    /// Its address from the page.
    pub src: String,
    /// Its full address, for link previews (`og:image`).
    pub permalink: String,
    pub alt: String,
    /// Its size in pixels (0 when the build did not process it).
    pub width: u32,
    pub height: u32,
    /// Ready `<picture>` markup, loaded first.
    pub html: String,
}

/// The picture link previews show for a page (`og:image`): its `image:`, else its share card
/// when the theme has them (see `cards`); absent when it has neither.
#[derive(Debug, Clone, Serialize)]
pub struct ShareView {
    /// Its full address.
    pub permalink: String,
    /// Its size in pixels (0 when the build did not process the photo).
    pub width: u32,
    pub height: u32,
    /// What it shows, in words (`og:image:alt`).
    pub alt: String,
}

/// One language version of a page, for the language switcher and `hreflang` links.
#[derive(Debug, Clone, Serialize)]
pub struct LanguageLink {
    pub lang: String,
    pub path: String,
    pub permalink: String,
    /// False when the page has no version in this language and the link goes to the
    /// nearest translated section (or that language's home page) instead.
    pub translated: bool,
    /// True for the language of the page being rendered.
    pub current: bool,
}
