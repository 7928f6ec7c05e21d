//! One page or section through its theme template: its placed entry and rendered markdown
//! in, its finished `index.html` (or the template's error) out.

use super::context::{page_view, section_view};
use super::{Body, Output, Shared};
use crate::diagnostics::{Code, Diagnostic};
use crate::frontmatter::SectionKind;
use crate::markdown::{self, Rendered};
use crate::seo;
use crate::site::{Common, Role, Target};
use crate::theme::{Theme, template_error};

/// One section or page through its template, with its rendered markdown.
pub(super) fn render_one(
    shared: &Shared,
    target: Target,
    rendered: Rendered,
) -> Result<Output, Diagnostic> {
    let Shared {
        site,
        theme,
        config,
        views,
        ..
    } = *shared;
    let common = site.common(target).expect("placed");
    let language = &views[&common.lang];
    let mut context = tera::Context::new();
    let root = markdown::root_prefix(&common.path);
    let footer = (&language.value, common.lang.as_str(), root.as_str());
    if let Some(footer) = language.footers.get(theme, footer) {
        context.insert("site_footer", &footer?);
    }
    context.insert_value("site", language.value.clone());
    context.insert("lang", &common.lang);
    if let Some(words) = theme.words.get(&common.lang) {
        context.insert_value("i18n", words.clone());
    }
    context.insert("root", &root);
    context.insert("json_ld", &seo::json_ld(site, target, config));
    let (template, fallback) = match target {
        Target::Section(i) => {
            let section = &site.sections[i];
            context.insert("section", &section_view(shared, i, rendered));
            let home = section.common.translation_key == "_index.md";
            let preferred = match (home, section.kind) {
                (true, _) => "index.html",
                (_, SectionKind::Faq) => "faq_section.html",
                (_, SectionKind::Locations) => "locations_section.html",
                (_, SectionKind::Results) => "results_section.html",
                (_, SectionKind::Plain) => "section.html",
            };
            (preferred, "section.html")
        }
        Target::Page(i) => {
            context.insert("page", &page_view(shared, i, language, rendered));
            let preferred = match site.pages[i].role {
                Role::Faq(_) => "faq_page.html",
                Role::Location(_) => "location_page.html",
                Role::Case(_) => "case_page.html",
                Role::Plain => "page.html",
            };
            (preferred, "page.html")
        }
        Target::Unavailable | Target::Draft => unreachable!("only placed targets are rendered"),
    };
    let name = pick_template(theme, common, template, fallback)?;
    let html = theme.tera.render(name, &context).map_err(|error| {
        let mut finding = template_error(&error, &theme.template_files);
        finding.message = format!(
            "{} (while rendering content/{})",
            finding.message, common.source
        );
        finding
    })?;
    Ok(Output {
        path: format!("{}index.html", common.path),
        body: Body::Text(html),
    })
}

fn pick_template<'t>(
    theme: &'t Theme,
    common: &Common,
    preferred: &'t str,
    fallback: &'t str,
) -> Result<&'t str, Diagnostic> {
    if let Some(chosen) = &common.template {
        if theme.template_files.contains_key(chosen) {
            return Ok(theme
                .template_files
                .get_key_value(chosen)
                .map(|(k, _)| k.as_str())
                .unwrap_or(preferred));
        }
        let help = match crate::diagnostics::nearest(
            chosen,
            theme.template_files.keys().map(String::as_str),
        ) {
            Some(near) => format!("did you mean `template: {near}`?"),
            None => format!(
                "the theme has: {}",
                theme
                    .template_files
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        return Err(Diagnostic::new(
            Code::TemplateMissing,
            crate::site::content_path(&common.source),
            format!("the theme has no template `{chosen}`"),
        )
        .at(common.template_line, 1)
        .help(help));
    }
    [preferred, fallback]
        .into_iter()
        .find(|name| theme.template_files.contains_key(*name))
        .ok_or_else(|| {
            Diagnostic::new(
                Code::TemplateMissing,
                "themes",
                format!("the theme has neither `{preferred}` nor `{fallback}`"),
            )
            .help(format!(
                "add `templates/{fallback}` to the theme (needed for content/{})",
                common.source
            ))
        })
}
