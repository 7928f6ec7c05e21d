//! What search engines, link previews and hosts read: the placed site in, `sitemap.xml`,
//! `robots.txt`, the web app manifest, redirects for old addresses and JSON-LD blocks out.
//!
//! JSON-LD is built from typed structs and escaped so no value can close its `<script>`.

use std::collections::HashMap;

use serde::Serialize;

use crate::config::{Config, tel_href};
use crate::diagnostics::Diagnostic;
use crate::frontmatter::SectionKind;
use crate::location::Location;
use crate::site::{Common, Role, Site, Target, content_path};

// ---- JSON-LD types (schema.org) -----------------------------------------------------------

const CONTEXT: &str = "https://schema.org";

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MedicalWebPage {
    #[serde(rename = "@context")]
    pub context: &'static str,
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    pub url: String,
    pub in_language: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_reviewed: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reviewed_by: Option<Person>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub about: Option<Thing>,
    pub breadcrumb: BreadcrumbList,
}

#[derive(Debug, Serialize)]
pub struct Person {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub name: String,
}

/// A named thing of a given type (`MedicalProcedure`).
#[derive(Debug, Serialize)]
pub struct Thing {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub name: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BreadcrumbList {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub item_list_element: Vec<ListItem>,
}

#[derive(Debug, Serialize)]
pub struct ListItem {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub position: usize,
    pub name: String,
    pub item: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FaqPage {
    #[serde(rename = "@context")]
    pub context: &'static str,
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub name: String,
    pub url: String,
    pub in_language: String,
    pub main_entity: Vec<Question>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Question {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub name: String,
    pub accepted_answer: Answer,
}

#[derive(Debug, Serialize)]
pub struct Answer {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub text: String,
    pub url: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MedicalClinic {
    #[serde(rename = "@context", skip_serializing_if = "Option::is_none")]
    pub context: Option<&'static str>,
    #[serde(rename = "@type")]
    pub kind: &'static str,
    /// A stable identifier of this location: its page address with `#clinic`.
    #[serde(rename = "@id")]
    pub id: String,
    pub name: String,
    pub url: String,
    pub telephone: String,
    pub address: PostalAddress,
    pub geo: GeoCoordinates,
    /// Left out while the hours are stand-ins (`placeholder: [hours]`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub opening_hours_specification: Vec<OpeningHoursSpecification>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PostalAddress {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    /// Left out while the street is a stand-in (`placeholder: true`): search engines must not
    /// be told an address patients cannot find.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub street_address: Option<String>,
    pub address_locality: String,
    pub address_region: String,
    pub postal_code: String,
    pub address_country: &'static str,
}

#[derive(Debug, Serialize)]
pub struct GeoCoordinates {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub latitude: f64,
    pub longitude: f64,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OpeningHoursSpecification {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub day_of_week: Vec<&'static str>,
    pub opens: String,
    pub closes: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MedicalOrganization {
    #[serde(rename = "@context")]
    pub context: &'static str,
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub name: String,
    pub url: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub telephone: String,
    pub department: Vec<MedicalClinic>,
}

/// Serialises a JSON-LD value for a `<script>` element: `<`, `>` and `&` are written as
/// `\u003c`, `\u003e` and `\u0026`, so `</script>` inside a value cannot end the element.
pub fn to_script_json<T: Serialize>(value: &T) -> String {
    let json = serde_json::to_string(value).expect("JSON-LD types always serialise");
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// The JSON-LD blocks of one page or section.
pub fn json_ld(site: &Site, target: Target, config: &Config) -> Vec<String> {
    let Some(common) = site.common(target) else {
        return Vec::new();
    };
    let url = format!("{}{}", config.base_url, common.path);
    // Only a review that still holds is told to search engines (see `reviewed_text`).
    let review = &common.review;
    let (last_reviewed, reviewed_by) =
        if crate::reviewed_text::standing_of(site, target).shows_as_reviewed() {
            (
                review.last_reviewed.map(|d| d.iso()),
                Some(Person {
                    kind: "Person",
                    name: review.reviewed_by.clone(),
                }),
            )
        } else {
            (None, None)
        };
    let page = MedicalWebPage {
        context: CONTEXT,
        kind: "MedicalWebPage",
        name: common.title.clone(),
        description: common.description.clone(),
        url: url.clone(),
        in_language: common.lang.clone(),
        last_reviewed,
        reviewed_by,
        about: (!config.procedure.is_empty()).then(|| Thing {
            kind: "MedicalProcedure",
            name: config.procedure.clone(),
        }),
        breadcrumb: breadcrumb(site, target, config),
    };
    let mut blocks = vec![to_script_json(&page)];
    match target {
        Target::Section(i) if site.sections[i].common.translation_key == "_index.md" => {
            blocks.push(to_script_json(&organization(site, config, &common.lang)))
        }
        Target::Section(i) if site.sections[i].kind == SectionKind::Faq => {
            blocks.push(to_script_json(&faq_page(site, i, config)))
        }
        Target::Page(i) => {
            if let Role::Location(location) = &site.pages[i].role {
                blocks.push(to_script_json(&clinic(location, &url, true)));
            }
        }
        _ => {}
    }
    blocks
}

fn breadcrumb(site: &Site, target: Target, config: &Config) -> BreadcrumbList {
    let mut chain = Vec::new();
    let mut section = match target {
        Target::Page(i) => {
            chain.push(&site.pages[i].common);
            Some(site.pages[i].section)
        }
        Target::Section(i) => Some(i),
        Target::Unavailable | Target::Draft => None,
    };
    // Up through the sections to the home page of the page's own language.
    while let Some(i) = section {
        chain.push(&site.sections[i].common);
        if site.sections[i].common.translation_key == "_index.md" {
            break;
        }
        let lang = &site.sections[i].common.lang;
        section = site.sections[i].parent.or(Some(site.home(lang)));
    }
    chain.reverse();
    chain.dedup_by(|a, b| a.path == b.path);
    BreadcrumbList {
        kind: "BreadcrumbList",
        item_list_element: chain
            .iter()
            .enumerate()
            .map(|(n, c)| ListItem {
                kind: "ListItem",
                position: n + 1,
                name: c.title.clone(),
                item: format!("{}{}", config.base_url, c.path),
            })
            .collect(),
    }
}

fn faq_page(site: &Site, index: usize, config: &Config) -> FaqPage {
    let section = &site.sections[index];
    FaqPage {
        context: CONTEXT,
        kind: "FAQPage",
        name: section.common.title.clone(),
        url: format!("{}{}", config.base_url, section.common.path),
        in_language: section.common.lang.clone(),
        main_entity: section
            .pages
            .iter()
            .filter_map(|&i| match &site.pages[i].role {
                Role::Faq(faq) if !faq.summary.is_empty() => Some(Question {
                    kind: "Question",
                    name: site.pages[i].common.title.clone(),
                    accepted_answer: Answer {
                        kind: "Answer",
                        text: faq.summary.clone(),
                        url: format!("{}{}", config.base_url, site.pages[i].common.path),
                    },
                }),
                _ => None,
            })
            .collect(),
    }
}

fn organization(site: &Site, config: &Config, lang: &str) -> MedicalOrganization {
    MedicalOrganization {
        context: CONTEXT,
        kind: "MedicalOrganization",
        name: config.title.clone(),
        url: config.base_url.clone(),
        description: config.description.clone(),
        telephone: phone_e164(&config.phone),
        department: site
            .locations(lang)
            .into_iter()
            .map(|(i, location)| {
                clinic(
                    location,
                    &format!("{}{}", config.base_url, site.pages[i].common.path),
                    false,
                )
            })
            .collect(),
    }
}

fn clinic(location: &Location, url: &str, top_level: bool) -> MedicalClinic {
    MedicalClinic {
        context: top_level.then_some(CONTEXT),
        kind: "MedicalClinic",
        id: format!("{url}#clinic"),
        name: location.name.clone(),
        url: url.to_string(),
        telephone: phone_e164(&location.phone),
        address: PostalAddress {
            kind: "PostalAddress",
            street_address: (!location.placeholder).then(|| location.street.clone()),
            address_locality: location.city.clone(),
            address_region: location.region.clone(),
            postal_code: location.postal_code.clone(),
            address_country: "US",
        },
        geo: GeoCoordinates {
            kind: "GeoCoordinates",
            latitude: location.lat,
            longitude: location.lng,
        },
        opening_hours_specification: location
            .hours
            .iter()
            .filter(|_| !location.placeholder_hours)
            .map(|h| OpeningHoursSpecification {
                kind: "OpeningHoursSpecification",
                day_of_week: h
                    .day_codes
                    .iter()
                    .map(|d| crate::location::day_name(*d))
                    .collect(),
                opens: h.opens_24.clone(),
                closes: h.closes_24.clone(),
            })
            .collect(),
    }
}

/// `305-555-0100` -> `+1-305-555-0100`, the form schema.org examples use.
fn phone_e164(phone: &str) -> String {
    tel_href(phone).trim_start_matches("tel:").to_string()
}

// ---- Files for crawlers and hosts ---------------------------------------------------------

/// `sitemap.xml`: every published page with its full address and last change, and, for
/// pages with translations, an `xhtml:link` to every version (itself included).
pub fn sitemap(site: &Site, config: &Config) -> String {
    let targets = site.targets();
    // (address, last change, every version as (language, full address))
    type Entry = (String, Option<String>, Vec<(String, String)>);
    let mut entries: Vec<Entry> = Vec::new();
    for target in targets {
        // Drafts (in a `--drafts` preview) are not for search engines.
        let Some(c) = site.common(target).filter(|c| !c.draft) else {
            continue;
        };
        let reviewed = c.review.last_reviewed;
        let last = [c.updated, reviewed, c.date].into_iter().flatten().max();
        let versions: Vec<&Common> = site
            .translations_of(target)
            .iter()
            .filter_map(|&t| site.common(t))
            .filter(|v| !v.draft)
            .collect();
        let alternates = if versions.len() > 1 {
            versions
                .iter()
                .map(|v| (v.lang.clone(), format!("{}{}", config.base_url, v.path)))
                .collect()
        } else {
            Vec::new()
        };
        entries.push((c.path.clone(), last.map(|d| d.iso()), alternates));
    }
    entries.sort();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for (path, lastmod, alternates) in entries {
        xml.push_str(&format!(
            "  <url>\n    <loc>{}</loc>\n",
            xml_escape(&format!("{}{path}", config.base_url))
        ));
        if let Some(lastmod) = lastmod {
            xml.push_str(&format!("    <lastmod>{lastmod}</lastmod>\n"));
        }
        for (lang, href) in &alternates {
            xml.push_str(&format!(
                "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>\n",
                xml_escape(lang),
                xml_escape(href)
            ));
        }
        if let Some((_, href)) = alternates.iter().find(|(lang, _)| *lang == config.language) {
            xml.push_str(&format!(
                "    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{}\"/>\n",
                xml_escape(href)
            ));
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// `robots.txt`: everything may be crawled; the sitemap's address.
pub fn robots(config: &Config) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n",
        config.base_url
    )
}

#[derive(Debug, Serialize)]
struct WebManifest<'a> {
    name: &'a str,
    short_name: &'a str,
    description: &'a str,
    lang: &'a str,
    start_url: &'a str,
    scope: &'a str,
    display: &'static str,
    background_color: &'static str,
    theme_color: &'a str,
    icons: Vec<Icon>,
}

#[derive(Debug, Serialize)]
struct Icon {
    src: &'static str,
    sizes: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    purpose: &'static str,
}

/// `manifest.webmanifest`, for "add to home screen". Icons come from the theme (drawn in the
/// brand's colours when site.yaml has `brand:`); the bar colour is the header's.
pub fn web_manifest(config: &Config) -> String {
    let base = config.base_path();
    let theme_color = crate::brand::theme_colour(config.brand.as_ref()).hex();
    let manifest = WebManifest {
        name: &config.title,
        short_name: &config.title,
        description: &config.description,
        lang: &config.language,
        start_url: &base,
        scope: &base,
        display: "browser",
        background_color: "#ffffff",
        theme_color: &theme_color,
        icons: vec![
            Icon {
                src: "favicon.svg",
                sizes: "any",
                kind: "image/svg+xml",
                purpose: "any",
            },
            Icon {
                src: "icon-192.png",
                sizes: "192x192",
                kind: "image/png",
                purpose: "any",
            },
            Icon {
                src: "icon-512.png",
                sizes: "512x512",
                kind: "image/png",
                purpose: "any",
            },
        ],
    };
    serde_json::to_string_pretty(&manifest).expect("manifest serialises") + "\n"
}

/// A redirect from an old address to a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// The old address, relative to the site root (`old-faq/pain/`).
    pub from: String,
    /// The page's address, relative to the site root.
    pub to: String,
}

/// The redirects asked for with `aliases:`; an alias that is a real page's address, or that
/// two pages claim, is an error.
pub fn redirects(site: &Site) -> (Vec<Redirect>, Vec<Diagnostic>) {
    let mut redirects = Vec::new();
    let mut findings = Vec::new();
    let mut claimed: HashMap<String, String> = HashMap::new();
    let commons = site
        .sections
        .iter()
        .map(|s| &s.common)
        .chain(site.pages.iter().map(|p| &p.common))
        // A draft in a `--drafts` preview takes over no old address.
        .filter(|c| !c.draft);
    for common in commons {
        for alias in &common.aliases {
            let file = content_path(&common.source);
            let line = alias_line(common, alias);
            let from = match normalise_alias(alias) {
                Ok(from) => from,
                Err(AliasProblem { message, help }) => {
                    findings.push(
                        Diagnostic::error("alias/invalid", &file, message)
                            .at(line, 1)
                            .help(help),
                    );
                    continue;
                }
            };
            if let Some(target) = site.by_path.get(&from) {
                let other = site
                    .common(*target)
                    .map(|c| c.source.clone())
                    .unwrap_or_default();
                findings.push(
                    Diagnostic::error(
                        "alias/collision",
                        &file,
                        format!("the old address `/{from}` is the address of content/{other}"),
                    )
                    .at(line, 1)
                    .help("remove this alias, or move the other page"),
                );
                continue;
            }
            if let Some(first) = claimed.insert(from.clone(), common.source.clone()) {
                findings.push(
                    Diagnostic::error(
                        "alias/collision",
                        &file,
                        format!("content/{first} already redirects `/{from}`"),
                    )
                    .at(line, 1)
                    .help("an old address can redirect to one page only"),
                );
                continue;
            }
            redirects.push(Redirect {
                from,
                to: common.path.clone(),
            });
        }
    }
    redirects.sort_by(|a, b| a.from.cmp(&b.from));
    (redirects, findings)
}

fn alias_line(common: &crate::site::Common, alias: &str) -> usize {
    common
        .alias_lines
        .iter()
        .find(|(a, _)| a == alias)
        .map_or(1, |(_, l)| *l)
}

/// Why an alias cannot be used, and what to write instead.
#[derive(Debug, PartialEq, Eq)]
struct AliasProblem {
    message: String,
    help: String,
}

/// `/old-faq/pain` -> `old-faq/pain/`. Refused: anything that could leave the site, split a
/// line of `_redirects` into other rules (spaces, line breaks), act as a rule there (`*`
/// wildcards, `:name` placeholders) or not exist as a file name on Windows (`C:`, `<>"|?*`,
/// a name ending in `.` or a space).
fn normalise_alias(alias: &str) -> Result<String, AliasProblem> {
    let shown = crate::diagnostics::visible(alias);
    let cleaned: String = alias
        .chars()
        .filter(|c| !(c.is_whitespace() || c.is_control() || "*:?#\"'<>|\\".contains(*c)))
        .collect();
    let cleaned = cleaned
        .split('/')
        .filter(|p| !p.is_empty() && *p != "." && *p != "..")
        .map(|p| p.trim_end_matches('.'))
        .collect::<Vec<_>>()
        .join("/");
    let (example, like) = if cleaned.is_empty() {
        (
            "write the old address as a path, like `/old-faq/pain/`".to_string(),
            "`/old-faq/pain/`".to_string(),
        )
    } else {
        (
            format!("write it as `/{cleaned}/`"),
            format!("`/{cleaned}/`"),
        )
    };
    let problem = |message: String, help: String| AliasProblem { message, help };
    let trimmed = alias.trim().trim_start_matches('/');
    if alias.contains("://") || alias.trim().starts_with("//") {
        return Err(problem(
            format!("`{shown}` is an address on another website, not an old address of this one"),
            "write the old address as a path on this site, like `/old-faq/pain/`".into(),
        ));
    }
    if let Some(c) = trimmed
        .chars()
        .find(|c| c.is_whitespace() || c.is_control())
    {
        let what = if c == ' ' {
            "a space"
        } else if c == '\n' {
            "a line break"
        } else {
            "a hidden character"
        };
        return Err(problem(
            format!("the old address `{shown}` has {what} in it"),
            example,
        ));
    }
    if trimmed.contains('*') || trimmed.split('/').any(|p| p.starts_with(':')) {
        return Err(problem(
            format!(
                "the old address `{shown}` has a `*` or `:name` part: hosts read those as patterns matching many addresses"
            ),
            format!("write one exact address, like {like}"),
        ));
    }
    if let Some(c) = trimmed.chars().find(|c| ":?#\"'<>|\\".contains(*c)) {
        return Err(problem(
            format!(
                "the old address `{shown}` has a `{c}` in it, which a file name cannot have on Windows or in a link"
            ),
            example,
        ));
    }
    let parts: Vec<&str> = trimmed.split('/').filter(|p| !p.is_empty()).collect();
    if parts.is_empty() {
        return Err(problem(
            format!("`{shown}` cannot be used as an old address"),
            "write the old address as a path, like `/old-faq/pain/`".into(),
        ));
    }
    if parts.iter().any(|p| *p == ".." || *p == ".") {
        return Err(problem(
            format!(
                "the old address `{shown}` has a `.` or `..` part, which could point outside the site"
            ),
            example,
        ));
    }
    if parts.iter().any(|p| p.ends_with('.')) {
        return Err(problem(
            format!(
                "a part of the old address `{shown}` ends with `.`, which a file name cannot on Windows"
            ),
            example,
        ));
    }
    let joined = parts.join("/");
    Ok(if joined.ends_with(".html") {
        joined
    } else {
        format!("{joined}/")
    })
}

/// The small page written at an old address.
pub fn redirect_page(redirect: &Redirect, config: &Config) -> String {
    let depth = redirect.from.trim_end_matches(".html").matches('/').count();
    let to_relative = format!(
        "{}{}",
        if depth == 0 {
            "./".into()
        } else {
            "../".repeat(depth)
        },
        redirect.to
    );
    let absolute = xml_escape(&format!("{}{}", config.base_url, redirect.to));
    let relative = xml_escape(&to_relative);
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>This page has moved</title>\n<link rel=\"canonical\" href=\"{absolute}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={relative}\">\n</head>\n<body>\n<p>This page has moved to <a href=\"{relative}\">{absolute}</a>.</p>\n</body>\n</html>\n",
        lang = xml_escape(&config.language)
    )
}

/// `_redirects` for Netlify and Cloudflare Pages: one permanent redirect a line.
pub fn redirects_file(redirects: &[Redirect], config: &Config) -> String {
    let base = config.base_path();
    redirects
        .iter()
        .map(|r| {
            format!(
                "{} {} 301\n",
                redirects_field(&format!("{base}{}", r.from)),
                redirects_field(&format!("{base}{}", r.to))
            )
        })
        .collect()
}

/// A path as one field of a `_redirects` line: spaces, line breaks and other characters
/// that would split the line are percent-encoded, as browsers send them.
fn redirects_field(path: &str) -> String {
    let mut field = String::with_capacity(path.len());
    for c in path.chars() {
        if c.is_whitespace() || c.is_control() {
            let mut bytes = [0; 4];
            for byte in c.encode_utf8(&mut bytes).bytes() {
                field.push_str(&format!("%{byte:02X}"));
            }
        } else {
            field.push(c);
        }
    }
    field
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_the_script() {
        let thing = Thing {
            kind: "MedicalProcedure",
            name: "</script><script>alert(1)</script> & more".into(),
        };
        let json = to_script_json(&thing);
        assert!(!json.contains('<') && !json.contains('>') && !json.contains('&'));
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back["name"], "</script><script>alert(1)</script> & more");
    }

    #[test]
    fn aliases_are_paths_inside_the_site() {
        assert_eq!(normalise_alias("/old/pain").unwrap(), "old/pain/");
        assert_eq!(normalise_alias("old.html").unwrap(), "old.html");
        for bad in [
            "/../x",
            "https://a.org/x",
            "//a.org/x",
            "/",
            "a\\b",
            "/a b/",
            "/a\n/b 301",
            "/a?b",
            "/*/",
            "/:splat/",
            "/faq/:slug/",
            "C:/x/",
            "/a:b/",
            "/a<b/",
            "/a|b/",
            "/a\"b/",
            "/old./",
            "/old /",
        ] {
            assert!(normalise_alias(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn alias_problems_say_what_to_write() {
        let problem = normalise_alias("/*/").unwrap_err();
        assert_eq!(
            problem.message,
            "the old address `/*/` has a `*` or `:name` part: hosts read those as patterns matching many addresses"
        );
        assert_eq!(
            problem.help,
            "write one exact address, like `/old-faq/pain/`"
        );
        assert_eq!(
            normalise_alias("/a:b/").unwrap_err().help,
            "write it as `/ab/`"
        );
        assert_eq!(
            normalise_alias("/old./").unwrap_err().help,
            "write it as `/old/`"
        );
    }

    #[test]
    fn redirects_fields_never_split_a_line() {
        assert_eq!(redirects_field("/a b/\n/c\u{a0}"), "/a%20b/%0A/c%C2%A0");
    }
}
