//! The on-site search index: the placed site in, a small JSON file per language out.
//!
//! The theme's `search.js` loads it the first time someone uses the search box and filters
//! it in the browser, so search works on any static host with no outside service. Only what
//! a result shows is indexed (title, address, short answer, category, headings), plus each
//! page's key terms (its `tags`, and the other words of each `synonyms:` group of site.yaml
//! the page uses), which keeps the file small: full text would grow with every word of every
//! page: about 31 KB per 100 pages of the generated corpus (`examples/gen_corpus.rs`), 44 KB
//! per 100 on the clinic's Spanish pages, of which key terms are 2.5 and 5.7 KB.

use rayon::prelude::*;
use serde::Serialize;

use crate::site::{Role, Section, Site};

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
    /// Key terms: the page's `tags` and the synonyms of the words it uses, joined by spaces.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub k: String,
}

/// The index file's name for a language.
pub fn file_name(language: &str) -> String {
    format!("search-index.{language}.json")
}

/// Every page of the site in `lang`, in site order; `headings` gives a page's `##` headings,
/// `synonyms` the groups of words that mean the same thing (site.yaml's `synonyms:`). Each
/// entry is made on its own (in parallel), then the entries are joined: the same bytes as
/// the whole list serialised at once.
pub fn index<'s>(
    site: &'s Site,
    lang: &str,
    headings: &(dyn Fn(usize) -> &'s [String] + Sync),
    synonyms: &[Vec<String>],
) -> String {
    let synonyms = Synonyms::new(synonyms);
    let pages: Vec<(&Section, usize)> = site
        .sections
        .iter()
        .filter(|s| s.common.lang == lang)
        .flat_map(|section| {
            section
                .pages
                .iter()
                .filter(|&&i| !site.pages[i].common.draft)
                .map(move |&i| (section, i))
        })
        .collect();
    // Made a window of pages at a time (each window in parallel) and joined straight into the
    // file: at 100,000 pages every entry held at once beside the file would be another
    // 50 megabytes at the build's busiest moment.
    const WINDOW: usize = 4096;
    let mut json = String::from("[");
    for (n, window) in pages.chunks(WINDOW).enumerate() {
        let entries: Vec<String> = window
            .par_iter()
            .map(|&(section, i)| {
                let entry = entry(site, section, i, headings(i), &synonyms);
                serde_json::to_string(&entry).expect("a search entry serialises")
            })
            .collect();
        // Room for the whole file, guessed from the windows so far (and a little more), so
        // it is not grown by doubling: at 100,000 pages that held 45 MB for a 32 MB file,
        // at the build's busiest moment.
        let room: usize = entries.iter().map(|e| e.len() + 1).sum();
        if json.capacity() - json.len() < room {
            let made = json.len() + room;
            let guess = made / (n + 1) * pages.len().div_ceil(WINDOW) / 64 * 65;
            json.reserve_exact(guess.max(made) - json.len() + 2);
        }
        for entry in entries {
            if json.len() > 1 {
                json.push(',');
            }
            json.push_str(&entry);
        }
    }
    json.push_str("]\n");
    json
}

/// Page `i` of `section`, as the index lists it.
fn entry<'s>(
    site: &'s Site,
    section: &'s Section,
    i: usize,
    headings: &[String],
    synonyms: &Synonyms,
) -> Entry<'s> {
    let page = &site.pages[i];
    let (summary, category) = match &page.role {
        Role::Faq(faq) => (
            faq.summary.as_str(),
            faq.category.map_or("", |c| section.categories[c].as_str()),
        ),
        _ => ("", section.common.title.as_str()),
    };
    let s = if summary.is_empty() {
        &page.common.description
    } else {
        summary
    };
    let h = headings.join(" · ");
    let written = [
        page.common.title.as_str(),
        s,
        &h,
        &page.common.tags.join(" "),
    ];
    Entry {
        t: &page.common.title,
        u: &page.common.path,
        s,
        c: category,
        k: key_terms(&page.common.tags, &written, synonyms),
        h,
    }
}

/// site.yaml's synonym groups, each word also folded (see `fold`) once for every page.
struct Synonyms<'a> {
    groups: &'a [Vec<String>],
    folded: Vec<Vec<String>>,
}

impl<'a> Synonyms<'a> {
    fn new(groups: &'a [Vec<String>]) -> Self {
        let folded = groups
            .iter()
            .map(|group| group.iter().map(|word| fold(word)).collect())
            .collect();
        Synonyms { groups, folded }
    }
}

/// The page's tags, then every word of a synonym group one of whose words `written` holds
/// (and the page does not already hold), so a search for any of them finds the page.
fn key_terms(tags: &[String], written: &[&str], synonyms: &Synonyms) -> String {
    let text = fold(&written.join(" "));
    let mut terms: Vec<&str> = tags.iter().map(String::as_str).collect();
    for (group, folded) in synonyms.groups.iter().zip(&synonyms.folded) {
        if folded.iter().any(|word| text.contains(word.as_str())) {
            terms.extend(
                group
                    .iter()
                    .zip(folded)
                    .filter(|(_, word)| !text.contains(word.as_str()))
                    .map(|(word, _)| word.as_str()),
            );
        }
    }
    terms.dedup();
    terms.join(" ")
}

/// Lower case without accents, as `search.js` compares words: `Micropunción` -> `micropuncion`.
fn fold(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .map(|c| match c {
            'á' | 'à' | 'ä' | 'â' => 'a',
            'é' | 'è' | 'ë' | 'ê' => 'e',
            'í' | 'ì' | 'ï' | 'î' => 'i',
            'ó' | 'ò' | 'ö' | 'ô' => 'o',
            'ú' | 'ù' | 'ü' | 'û' => 'u',
            'ñ' => 'n',
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_terms_add_the_synonyms_a_page_does_not_use() {
        let groups = vec![vec![
            "microneedling".to_string(),
            "microagujado".to_string(),
            "micropunción".to_string(),
        ]];
        let synonyms = Synonyms::new(&groups);
        assert_eq!(
            key_terms(
                &["cicatrices".to_string()],
                &[
                    "¿Qué es el Microneedling?",
                    "Un tratamiento con micropuncion"
                ],
                &synonyms
            ),
            "cicatrices microagujado"
        );
        assert_eq!(key_terms(&[], &["Horario"], &synonyms), "");
    }
}
