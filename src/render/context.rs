//! The placed site in, the views each template gets out: the site, a section, a page, its
//! related questions, dates and language links.

use super::views::{
    CaseView, CategoryView, DateView, FaqIndex, FaqView, ImageView, LanguageLink, Link,
    LocationView, PageSummary, PageView, PhotoView, SectionView, ShareView, SiteView,
};
use super::{Language, Shared};
use crate::config::{Config, tel_href};
use crate::frontmatter::{Date, SectionKind};
use crate::location::Location;
use crate::markdown::{self, Rendered};
use crate::site::{Common, Role, Site, Target, slugify};

/// How many related questions an FAQ entry lists.
const RELATED: usize = 5;

pub(super) fn site_view(
    site: &Site,
    config: &Config,
    lang: &str,
    stylesheets: &[String],
) -> SiteView {
    let nav = site.sections[site.home(lang)]
        .subsections
        .iter()
        .map(|&i| link(&site.sections[i].common))
        .collect();
    let locations = site
        .locations(lang)
        .into_iter()
        .map(|(i, l)| location_view(site, i, l))
        .collect();
    let faq = site
        .sections
        .iter()
        .enumerate()
        .find(|(_, s)| s.kind == SectionKind::Faq && s.common.lang == lang)
        .map(|(i, s)| FaqIndex {
            title: s.common.title.clone(),
            path: s.common.path.clone(),
            categories: categories(site, i),
        });
    let (title, tagline, description) = config.text(lang);
    let brand = config.brand.as_ref();
    SiteView {
        title,
        tagline,
        description,
        base_url: config.base_url.clone(),
        language: lang.to_string(),
        default_language: config.language.clone(),
        home: site.sections[site.home(lang)].common.path.clone(),
        languages: site
            .languages
            .iter()
            .map(|code| {
                let path = site.sections[site.home(code)].common.path.clone();
                LanguageLink {
                    lang: code.clone(),
                    permalink: format!("{}{path}", config.base_url),
                    path,
                    translated: true,
                    current: code == lang,
                }
            })
            .collect(),
        phone: config.phone.clone(),
        phone_href: tel_href(&config.phone),
        extra: config.extra.clone(),
        nav,
        locations,
        faq,
        stylesheets: stylesheets.to_vec(),
        logo: brand.and_then(|b| Some(crate::brand::logo_path(b.logo.as_ref()?))),
        theme_color: crate::brand::theme_colour(brand).hex(),
    }
}

pub(super) fn section_view(shared: &Shared, index: usize, rendered: Rendered) -> SectionView {
    let Shared { site, config, .. } = *shared;
    let section = &site.sections[index];
    let common = &section.common;
    let (languages, translations) = language_links(site, Target::Section(index), config);
    let image = image_view(site, config, common);
    let share = share_view(shared, common, image.as_ref());
    SectionView {
        title: common.title.clone(),
        description: common.description.clone(),
        path: common.path.clone(),
        permalink: format!("{}{}", config.base_url, common.path),
        content: after_lead_image(rendered.html, image.is_some()),
        image,
        share,
        toc: rendered.toc,
        kind: section.kind,
        typical_results: (section.kind == SectionKind::Results)
            .then(|| section.typical_results.clone()),
        pages: section.pages.iter().map(|&i| summary(site, i)).collect(),
        categories: if section.kind == SectionKind::Faq {
            categories(site, index)
        } else {
            Vec::new()
        },
        subsections: section
            .subsections
            .iter()
            .map(|&i| link(&site.sections[i].common))
            .collect(),
        extra: extra_view(common),
        lang: common.lang.clone(),
        languages,
        translations,
        draft: common.draft,
    }
}

pub(super) fn page_view(
    shared: &Shared,
    index: usize,
    language: &Language,
    rendered: Rendered,
) -> PageView {
    let Shared { site, config, .. } = *shared;
    let page = &site.pages[index];
    let common = &page.common;
    let (languages, translations) = language_links(site, Target::Page(index), config);
    let faq = match &page.role {
        Role::Faq(faq) => {
            // A review of other words is no review of these (see `reviewed_text`).
            let reviewed =
                crate::reviewed_text::standing_of(site, Target::Page(index)).shows_as_reviewed();
            let section = &site.sections[page.section];
            let category = faq
                .category
                .map(|c| section.categories[c].clone())
                .unwrap_or_default();
            let locations = language
                .locations
                .iter()
                .filter(|(slug, _)| {
                    faq.locations
                        .as_ref()
                        .is_none_or(|only| only.contains(slug))
                })
                .map(|(_, value)| value.clone())
                .collect();
            Some(FaqView {
                summary: faq.summary.clone(),
                category_id: slugify(&category),
                category,
                reviewed_by: if reviewed {
                    common.review.reviewed_by.clone()
                } else {
                    String::new()
                },
                last_reviewed: common
                    .review
                    .last_reviewed
                    .filter(|_| reviewed)
                    .map(|d| date_view(d, &common.lang)),
                locations,
                related: related(shared, index),
            })
        }
        _ => None,
    };
    let location = match &page.role {
        Role::Location(location) => Some(location_view(site, index, location)),
        _ => None,
    };
    let image = image_view(site, config, common);
    let share = share_view(shared, common, image.as_ref());
    PageView {
        case: case_view(site, index),
        title: common.title.clone(),
        description: common.description.clone(),
        path: common.path.clone(),
        permalink: format!("{}{}", config.base_url, common.path),
        content: after_lead_image(rendered.html, image.is_some()),
        image,
        share,
        toc: rendered.toc,
        date: common.date.map(|d| date_view(d, &common.lang)),
        updated: common.updated.map(|d| date_view(d, &common.lang)),
        lang: common.lang.clone(),
        languages,
        translations,
        draft: common.draft,
        tags: common.tags.clone(),
        extra: extra_view(common),
        word_count: rendered.word_count,
        reading_minutes: rendered.word_count.div_ceil(200).max(1),
        section: link(&site.sections[page.section].common),
        faq,
        location,
    }
}

fn image_view(site: &Site, config: &Config, common: &crate::site::Common) -> Option<ImageView> {
    use crate::assets::markup::{self, Alt, Shown};
    let image = common.image.as_ref()?;
    let root = markdown::root_prefix(&common.path);
    let shown = Shown {
        root: &root,
        alt: Alt::of(&image.alt),
        title: "",
        sizes: markup::SIZES,
        first: true,
    };
    let set = site.images.get(&image.path);
    Some(ImageView {
        src: format!("{root}{}", image.path),
        permalink: format!("{}{}", config.base_url, image.path),
        alt: shown.alt.text().to_string(),
        width: set.map_or(0, |s| s.main.width),
        height: set.map_or(0, |s| s.main.height),
        html: match set {
            Some(set) => markup::picture(set, shown),
            None => markup::plain(&format!("{root}{}", image.path), shown),
        },
    })
}

/// The page's `image:`, else its share card (see `cards`) when the theme has them.
fn share_view(shared: &Shared, common: &Common, image: Option<&ImageView>) -> Option<ShareView> {
    if let Some(image) = image {
        return Some(ShareView {
            permalink: image.permalink.clone(),
            width: image.width,
            height: image.height,
            alt: image.alt.clone(),
        });
    }
    if !shared.theme.share_cards || !crate::cards::has_card(common) {
        return None;
    }
    let card = crate::cards::card_of(common, shared.config);
    Some(ShareView {
        permalink: format!("{}{}", shared.config.base_url, card.path),
        width: crate::cards::WIDTH,
        height: crate::cards::HEIGHT,
        alt: card.alt(),
    })
}

/// A page with `image:` shows it first: the text's own first image then loads lazily.
fn after_lead_image(html: String, has_lead_image: bool) -> String {
    if has_lead_image {
        crate::assets::markup::not_first(html)
    } else {
        html
    }
}

/// Other entries of the same category, nearest in order first, listed in site order.
fn related(shared: &Shared, index: usize) -> Vec<PageSummary> {
    let site = shared.site;
    let page = &site.pages[index];
    let Role::Faq(faq) = &page.role else {
        return Vec::new();
    };
    let Some(siblings) = shared.groups.members.get(&(page.section, faq.category)) else {
        return Vec::new();
    };
    let position = shared.groups.position[index];
    let mut picked: Vec<usize> = Vec::new();
    for distance in 1..siblings.len() {
        let candidates = [
            position.checked_sub(distance),
            position.checked_add(distance),
        ];
        for candidate in candidates.into_iter().flatten() {
            if candidate < siblings.len() && picked.len() < RELATED {
                picked.push(candidate);
            }
        }
        if picked.len() >= RELATED {
            break;
        }
    }
    picked.sort_unstable();
    picked
        .into_iter()
        .map(|p| summary(site, siblings[p]))
        .collect()
}

fn categories(site: &Site, index: usize) -> Vec<CategoryView> {
    let section = &site.sections[index];
    let mut views: Vec<CategoryView> = section
        .categories
        .iter()
        .map(|name| CategoryView {
            name: name.clone(),
            id: slugify(name),
            pages: Vec::new(),
        })
        .collect();
    let mut uncategorised = Vec::new();
    for &i in &section.pages {
        match &site.pages[i].role {
            Role::Faq(faq) if faq.category.is_some() => views[faq.category.unwrap_or(0)]
                .pages
                .push(summary(site, i)),
            _ => uncategorised.push(summary(site, i)),
        }
    }
    if !uncategorised.is_empty() {
        views.push(CategoryView {
            name: "More questions".into(),
            id: "more-questions".into(),
            pages: uncategorised,
        });
    }
    views.retain(|c| !c.pages.is_empty());
    views
}

fn summary(site: &Site, index: usize) -> PageSummary {
    let page = &site.pages[index];
    let (summary, category) = match &page.role {
        Role::Faq(faq) => (
            faq.summary.clone(),
            faq.category
                .map(|c| site.sections[page.section].categories[c].clone())
                .unwrap_or_default(),
        ),
        _ => Default::default(),
    };
    PageSummary {
        title: page.common.title.clone(),
        path: page.common.path.clone(),
        description: page.common.description.clone(),
        summary,
        category,
        case: case_view(site, index),
    }
}

fn case_view(site: &Site, index: usize) -> Option<CaseView> {
    let page = &site.pages[index];
    let Role::Case(case) = &page.role else {
        return None;
    };
    let photo = |photo: &crate::results::Photo| {
        let set = site.images.get(&photo.path);
        PhotoView {
            path: photo.path.clone(),
            alt: photo.alt.clone(),
            width: set.map_or(0, |s| s.main.width),
            height: set.map_or(0, |s| s.main.height),
        }
    };
    Some(CaseView {
        treatment: case.treatment.clone(),
        area: case.area.clone(),
        sessions: case.sessions,
        interval: case.interval.clone(),
        retouched: case.retouched,
        before: photo(&case.before),
        after: photo(&case.after),
        typical_results: site.sections[page.section].typical_results.clone(),
    })
}

fn location_view(site: &Site, index: usize, location: &Location) -> LocationView {
    let common = &site.pages[index].common;
    LocationView {
        title: common.title.clone(),
        path: common.path.clone(),
        location: location.clone(),
    }
}

fn link(common: &Common) -> Link {
    Link {
        title: common.title.clone(),
        path: common.path.clone(),
    }
}

/// A date in English: `October 15, 2026`.
/// A date as people write it in `lang`: `October 15, 2026`, `15 de octubre de 2026`
/// (ISO `2026-10-15` for languages without a rule here).
pub fn date_view(date: Date, lang: &str) -> DateView {
    use chrono::Datelike;
    const SPANISH_MONTHS: [&str; 12] = [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ];
    let d = date.0;
    let text = match lang {
        "en" => d.format("%B %-d, %Y").to_string(),
        "es" => format!(
            "{} de {} de {}",
            d.day(),
            SPANISH_MONTHS[d.month0() as usize],
            d.year()
        ),
        _ => date.iso(),
    };
    DateView {
        iso: date.iso(),
        text,
    }
}

/// Every language of the site with where to go for this page (for the switcher), and only
/// the real versions of this page (for `hreflang`).
fn language_links(
    site: &Site,
    target: Target,
    config: &Config,
) -> (Vec<LanguageLink>, Vec<LanguageLink>) {
    let Some(common) = site.common(target) else {
        return Default::default();
    };
    let link = |t: Target, translated: bool| {
        let c = site.common(t).expect("placed");
        LanguageLink {
            lang: c.lang.clone(),
            path: c.path.clone(),
            permalink: format!("{}{}", config.base_url, c.path),
            translated,
            current: c.lang == common.lang,
        }
    };
    let versions: Vec<LanguageLink> = site
        .translations_of(target)
        .iter()
        .map(|&t| link(t, true))
        .collect();
    let mut all = Vec::new();
    for lang in &site.languages {
        if let Some(version) = versions.iter().find(|v| &v.lang == lang) {
            all.push(version.clone());
            continue;
        }
        // The nearest enclosing section that has this language, else its home page.
        let mut section = match target {
            Target::Page(i) => Some(site.pages[i].section),
            Target::Section(i) => site.sections[i].parent,
            _ => None,
        };
        let fallback = loop {
            let Some(i) = section else {
                break Target::Section(site.home(lang));
            };
            let found = site
                .translations_of(Target::Section(i))
                .iter()
                .copied()
                .find(|&t| site.common(t).is_some_and(|c| &c.lang == lang));
            if let Some(found) = found {
                break found;
            }
            section = site.sections[i].parent;
        };
        if site.common(fallback).is_some_and(|c| &c.lang == lang) {
            all.push(link(fallback, false));
        }
    }
    (all, versions)
}

/// `extra:` as templates see it: null when the page has none.
fn extra_view(common: &crate::site::Common) -> crate::yaml::Value {
    common
        .extra
        .as_deref()
        .cloned()
        .unwrap_or(crate::yaml::Value::Null)
}
