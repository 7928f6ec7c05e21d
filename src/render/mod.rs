//! Rendering: the placed site and the compiled theme in, the files of the finished site (in
//! memory) out.
//!
//! Templates get typed views (`SiteView`, `PageView`, `SectionView`, …): they are the theme
//! authors' API and are documented in docs/theme.md. Pages render in parallel; the result does
//! not depend on the number of threads.
//!
//! `views` holds the template context's types, `context` makes them from the site, `pass`
//! renders every page (through the caller's `hooks`) and `site_files` the files that are not
//! pages (404, sitemap, robots, manifest, redirects).

mod context;
mod footer;
mod hooks;
mod page_template;
mod pass;
mod site_files;
mod views;

pub use crate::output::{Body, Output};
pub use context::date_view;
pub use hooks::{Hooks, ReadBodies};
pub use pass::{Frame, Single, render, render_bodies, search_index};
pub use views::{
    CaseView, CategoryView, DateView, FaqIndex, FaqView, ImageView, LanguageLink, Link,
    LocationView, PageSummary, PageView, PhotoView, SectionView, SiteView,
};

use std::collections::{BTreeMap, HashMap};

use crate::config::Config;
use crate::site::{Role, Site};
use crate::theme::Theme;

/// What every page's rendering reads.
struct Shared<'s> {
    site: &'s Site<'s>,
    theme: &'s Theme,
    config: &'s Config,
    /// Each language's site view, with what its pages share of it.
    views: &'s BTreeMap<String, Language>,
    groups: &'s CategoryGroups,
}

/// One language's site view made into template values once (`tera` copies a value into a
/// page's context without serializing it again). The view itself is not kept: at 100,000
/// pages its FAQ index is tens of megabytes, already in `value`.
struct Language {
    /// The site view as the template value `site`.
    value: tera::Value,
    /// Each of the view's locations as a template value, with its slug, for the FAQ entries
    /// that list them.
    locations: Vec<(String, tera::Value)>,
    /// The theme's `site_footer.html` in this language, by `root` (see `footer`).
    footers: footer::Footers,
}

impl Language {
    fn new(view: SiteView) -> Self {
        Language {
            value: tera::Value::from_serializable(&view),
            locations: view
                .locations
                .iter()
                .map(|l| (l.location.slug.clone(), tera::Value::from_serializable(l)))
                .collect(),
            footers: footer::Footers::default(),
        }
    }
}

/// The FAQ entries of each (section, category), in order, so related questions are found
/// without scanning the section for every page.
struct CategoryGroups {
    members: HashMap<(usize, Option<usize>), Vec<usize>>,
    /// For each page, its place in its group.
    position: Vec<usize>,
}

impl CategoryGroups {
    fn new(site: &Site) -> Self {
        let mut members: HashMap<(usize, Option<usize>), Vec<usize>> = HashMap::new();
        let mut position = vec![0; site.pages.len()];
        for (s, section) in site.sections.iter().enumerate() {
            for &i in &section.pages {
                if let Role::Faq(faq) = &site.pages[i].role {
                    let group = members.entry((s, faq.category)).or_default();
                    position[i] = group.len();
                    group.push(i);
                }
            }
        }
        CategoryGroups { members, position }
    }
}
