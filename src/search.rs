//! The on-site search index: the placed site in, a small JSON file per language out.
//!
//! The theme's `search.js` loads it the first time someone uses the search box and filters
//! it in the browser, so search works on any static host with no outside service. Only what
//! a result shows is indexed (title, address, short answer, category, headings), which keeps
//! the file small: full text would grow with every word of every page.

use serde::Serialize;

use crate::site::{Role, Site};

/// One searchable page. Short keys keep the file small.
#[derive(Debug, Serialize, PartialEq)]
pub struct Entry<'s> {
    /// Title.
    pub t: &'s str,
    /// Address relative to the site root.
    pub u: &'s str,
    /// Short answer, or the description.
    pub s: &'s str,
    /// Category (FAQ entries) or section title.
    pub c: &'s str,
    /// The page's `##` headings, joined by ` · `.
    pub h: String,
}

/// The index file's name for a language.
pub fn file_name(language: &str) -> String {
    format!("search-index.{language}.json")
}

/// Every page of the site in `lang`, in site order; `headings` gives a page's `##` headings.
pub fn index<'s>(site: &'s Site, lang: &str, headings: &dyn Fn(usize) -> &'s [String]) -> String {
    let mut entries = Vec::with_capacity(site.pages.len());
    for section in site.sections.iter().filter(|s| s.common.lang == lang) {
        for &i in section
            .pages
            .iter()
            .filter(|&&i| !site.pages[i].common.draft)
        {
            let page = &site.pages[i];
            let (summary, category) = match &page.role {
                Role::Faq(faq) => (
                    faq.summary.as_str(),
                    faq.category.map_or("", |c| section.categories[c].as_str()),
                ),
                _ => ("", section.common.title.as_str()),
            };
            entries.push(Entry {
                t: &page.common.title,
                u: &page.common.path,
                s: if summary.is_empty() {
                    &page.common.description
                } else {
                    summary
                },
                c: category,
                h: headings(i).join(" · "),
            });
        }
    }
    serde_json::to_string(&entries).expect("search entries serialise") + "\n"
}
