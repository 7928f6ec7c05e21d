//! The site footer: one language's site view and a page's `root` in, the theme's
//! `site_footer.html` rendered out, once per language and `root` rather than once per page.
//!
//! A footer is the same on every page of a language but for the relative `root` of its links,
//! and rendering it is a tenth of a page's template work. A theme that has
//! `templates/site_footer.html` gets it rendered with only `site`, `lang`, `i18n` and `root`,
//! and handed to every page and 404 page as `site_footer` (HTML: `{{ site_footer | safe }}`).
//! A theme without it renders as before.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::diagnostics::Diagnostic;
use crate::theme::{Theme, template_error};

/// The template that makes `site_footer`.
pub const TEMPLATE: &str = "site_footer.html";

/// One language's footers, by `root`, each rendered the first time a page asks for it.
#[derive(Default)]
pub(super) struct Footers {
    by_root: Mutex<HashMap<String, Result<String, Diagnostic>>>,
}

impl Footers {
    /// The footer of a page of this language whose links start with `root`; `None` when the
    /// theme has no footer template. Its template's error (the same for every page) is
    /// returned to each page that needs it.
    pub(super) fn get(
        &self,
        theme: &Theme,
        (site, lang, root): (&tera::Value, &str, &str),
    ) -> Option<Result<String, Diagnostic>> {
        if !theme.template_files.contains_key(TEMPLATE) {
            return None;
        }
        let done = self.lock().get(root).cloned();
        if let Some(done) = done {
            return Some(done);
        }
        // Rendered without the lock held: two pages may both render the first one, to the
        // same bytes.
        let made = render(theme, site, lang, root);
        self.lock().insert(root.to_string(), made.clone());
        Some(made)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Result<String, Diagnostic>>> {
        self.by_root.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// `site_footer.html` rendered for `lang`'s `site` value and a page whose links start with
/// `root`.
pub(super) fn render(
    theme: &Theme,
    site: &tera::Value,
    lang: &str,
    root: &str,
) -> Result<String, Diagnostic> {
    let mut context = tera::Context::new();
    context.insert_value("site", site.clone());
    context.insert("lang", lang);
    if let Some(words) = theme.words.get(lang) {
        context.insert_value("i18n", words.clone());
    }
    context.insert("root", root);
    theme
        .tera
        .render(TEMPLATE, &context)
        .map_err(|error| template_error(&error, &theme.template_files))
}
