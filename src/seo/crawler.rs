//! Files crawlers and browsers read: the placed site in, `sitemap.xml`, `robots.txt` and the
//! web app manifest out.

use serde::Serialize;

use crate::config::Config;
use crate::site::{Common, Site};

use super::xml_escape;

/// The sitemap's path in the output.
pub const SITEMAP: &str = "sitemap.xml";

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

/// `manifest.webmanifest`, for "add to home screen". Icons come from the theme.
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
