//! Rendering: the placed site and the compiled theme in, the files of the finished site (in
//! memory) out.
//!
//! Templates get typed views (`SiteView`, `PageView`, `SectionView`, …): they are the theme
//! authors' API and are documented in README.md. Pages render in parallel; the result does
//! not depend on the number of threads.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::config::{Config, tel_href};
use crate::diagnostics::Diagnostic;
use crate::frontmatter::{Date, SectionKind};
use crate::location::Location;
use crate::markdown::{self, Heading, PageRef, Rendered};
use crate::seo;
use crate::site::{Common, Role, Site, Target, slugify};
use crate::source::Data;
use crate::theme::{Theme, template_error};

/// One file of the finished site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Path under the output folder, with `/` separators.
    pub path: String,
    pub body: Body,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    Text(String),
    Copy(Data),
}

// ---- The template context ----------------------------------------------------------------

/// `site`: the same for every page.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub tagline: String,
    pub description: String,
    pub base_url: String,
    pub language: String,
    pub phone: String,
    pub phone_href: String,
    pub extra: crate::yaml::Value,
    pub nav: Vec<Link>,
    pub locations: Vec<LocationView>,
    pub faq: Option<FaqIndex>,
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
}

#[derive(Debug, Clone, Serialize)]
pub struct FaqView {
    pub summary: String,
    pub category: String,
    pub category_id: String,
    pub reviewed_by: String,
    pub last_reviewed: Option<DateView>,
    pub locations: Vec<LocationView>,
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
    pub pages: Vec<PageSummary>,
    pub categories: Vec<CategoryView>,
    pub subsections: Vec<Link>,
    pub extra: crate::yaml::Value,
}

/// How many related questions an FAQ entry lists.
const RELATED: usize = 5;

// ---- Rendering ----------------------------------------------------------------------------

/// Renders every page and section and lists the theme's and content's files to copy.
pub fn render(site: &Site, theme: &mut Theme, config: &Config) -> (Vec<Output>, Vec<Diagnostic>) {
    let site_view = site_view(site, config);
    theme.tera.global_context().insert("site", &site_view);
    let theme = &*theme;
    let Bodies {
        targets,
        bodies,
        mut findings,
    } = render_bodies(site);

    let first_page = site.sections.len();
    let search_index = crate::search::index(site, &|page| {
        bodies[first_page + page]
            .0
            .toc
            .iter()
            .filter(|h| h.level == 2)
            .map(|h| h.text.clone())
            .collect()
    });
    let pages: Vec<Result<Output, Diagnostic>> = targets
        .par_iter()
        .zip(bodies.into_par_iter())
        // A file that lost its address to another is already reported (`site/duplicate-url`);
        // rendering it too would add a second, misleading `site/duplicate-output` error.
        .filter(|&(&target, _)| {
            site.common(target)
                .is_some_and(|c| site.by_path.get(&c.path) == Some(&target))
        })
        .map(|(&target, (rendered, _))| {
            render_one(site, theme, config, &site_view, target, rendered)
        })
        .collect();
    let mut outputs = Vec::with_capacity(pages.len() + theme.statics.len() + site.assets.len());
    let mut template_findings: HashMap<(std::path::PathBuf, usize, String), (Diagnostic, usize)> =
        HashMap::new();
    for result in pages {
        match result {
            Ok(output) => outputs.push(output),
            Err(finding) => {
                // One broken template fails every page that uses it: say it once.
                let key = (finding.file.clone(), finding.line, finding.message.clone());
                template_findings.entry(key).or_insert((finding, 0)).1 += 1;
            }
        }
    }
    findings.extend(template_findings.into_values().map(|(mut finding, count)| {
        if count > 1 {
            finding.message = format!("{} (on {count} pages)", finding.message);
        }
        finding
    }));
    match render_not_found(theme, config) {
        Ok(Some(output)) => outputs.push(output),
        Ok(None) => {}
        Err(finding) => findings.push(finding),
    }
    findings.extend(publishing_files(site, config, &mut outputs));
    outputs.push(Output {
        path: crate::search::file_name(&config.language),
        body: Body::Text(search_index),
    });
    if config.minify {
        outputs.par_iter_mut().for_each(minify);
    }
    outputs.extend(theme.statics.iter().map(|f| Output {
        path: f.rel.clone(),
        body: Body::Copy(f.data.clone()),
    }));
    outputs.extend(site.assets.iter().map(|(f, path)| Output {
        path: path.clone(),
        body: Body::Copy(f.data.clone()),
    }));
    (outputs, findings)
}

/// Every page's and section's markdown, rendered, with the link and anchor findings.
pub struct Bodies {
    /// Sections first, then pages, in site order.
    pub targets: Vec<Target>,
    /// For each target, its rendered body and the findings of its own links.
    pub bodies: Vec<(Rendered, Vec<Diagnostic>)>,
    /// Every link and anchor finding of the site.
    pub findings: Vec<Diagnostic>,
}

/// Renders all markdown in parallel and checks every link and `#anchor`. Runs on its own
/// when the theme has errors, so content problems are still reported in the same run.
pub fn render_bodies(site: &Site) -> Bodies {
    let targets: Vec<Target> = (0..site.sections.len())
        .map(Target::Section)
        .chain((0..site.pages.len()).map(Target::Page))
        .collect();
    let bodies: Vec<(Rendered, Vec<Diagnostic>)> = targets
        .par_iter()
        .map(|&target| {
            let common = site.common(target).expect("placed targets exist");
            let page = PageRef {
                source: &common.source,
                path: &common.path,
                body: common.body,
                body_line: common.body_line,
            };
            markdown::render(page, site)
        })
        .collect();
    let index_of: HashMap<Target, usize> =
        targets.iter().enumerate().map(|(i, t)| (*t, i)).collect();
    let ids_of = |target: Target| {
        index_of.get(&target).map(|&i| {
            let mut ids: Vec<String> = bodies[i].0.ids.iter().cloned().collect();
            ids.sort();
            ids
        })
    };
    let mut findings = Vec::new();
    for (target, (rendered, found)) in targets.iter().zip(&bodies) {
        findings.extend(found.iter().cloned());
        let source = &site.common(*target).expect("placed").source;
        findings.extend(markdown::check_anchors(
            source,
            &rendered.anchors_to_check,
            &ids_of,
        ));
    }
    Bodies {
        targets,
        bodies,
        findings,
    }
}

/// `404.html`, when the theme has one. Hosts serve it at any address, so its links start
/// from the site's absolute base path instead of a relative `root`.
fn render_not_found(theme: &Theme, config: &Config) -> Result<Option<Output>, Diagnostic> {
    if !theme.template_files.contains_key("404.html") {
        return Ok(None);
    }
    let mut context = tera::Context::new();
    context.insert("root", &config.base_path());
    context.insert("json_ld", &Vec::<String>::new());
    let html = theme
        .tera
        .render("404.html", &context)
        .map_err(|error| template_error(&error, &theme.template_files))?;
    Ok(Some(Output {
        path: "404.html".into(),
        body: Body::Text(html),
    }))
}

/// The sitemap, robots.txt, the web app manifest and the redirects for old addresses.
fn publishing_files(site: &Site, config: &Config, outputs: &mut Vec<Output>) -> Vec<Diagnostic> {
    let text = |path: &str, body: String| Output {
        path: path.into(),
        body: Body::Text(body),
    };
    outputs.push(text("sitemap.xml", seo::sitemap(site, config)));
    outputs.push(text("robots.txt", seo::robots(config)));
    outputs.push(text("manifest.webmanifest", seo::web_manifest(config)));
    let (redirects, findings) = seo::redirects(site);
    for redirect in &redirects {
        let path = if redirect.from.ends_with(".html") {
            redirect.from.clone()
        } else {
            format!("{}index.html", redirect.from)
        };
        outputs.push(text(&path, seo::redirect_page(redirect, config)));
    }
    if !redirects.is_empty() {
        outputs.push(text("_redirects", seo::redirects_file(&redirects, config)));
    }
    findings
}

/// Minifies an HTML page in place (`minify: true` in site.yaml).
fn minify(output: &mut Output) {
    if let Body::Text(html) = &mut output.body
        && output.path.ends_with(".html")
    {
        let mut cfg = minify_html::Cfg::new();
        cfg.keep_closing_tags = true;
        cfg.keep_html_and_head_opening_tags = true;
        cfg.minify_css = true;
        let bytes = minify_html::minify(html.as_bytes(), &cfg);
        *html = String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    }
}

fn render_one(
    site: &Site,
    theme: &Theme,
    config: &Config,
    site_view: &SiteView,
    target: Target,
    rendered: Rendered,
) -> Result<Output, Diagnostic> {
    let common = site.common(target).expect("placed");
    let mut context = tera::Context::new();
    context.insert("root", &markdown::root_prefix(&common.path));
    context.insert("json_ld", &seo::json_ld(site, target, config));
    let (template, fallback) = match target {
        Target::Section(i) => {
            let section = &site.sections[i];
            context.insert("section", &section_view(site, i, config, rendered));
            let preferred = match (i, section.kind) {
                (0, _) => "index.html",
                (_, SectionKind::Faq) => "faq_section.html",
                (_, SectionKind::Locations) => "locations_section.html",
                (_, SectionKind::Plain) => "section.html",
            };
            (preferred, "section.html")
        }
        Target::Page(i) => {
            context.insert("page", &page_view(site, i, config, site_view, rendered));
            let preferred = match site.pages[i].role {
                Role::Faq(_) => "faq_page.html",
                Role::Location(_) => "location_page.html",
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
        return Err(Diagnostic::error(
            "template/missing",
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
            Diagnostic::error(
                "template/missing",
                "themes",
                format!("the theme has neither `{preferred}` nor `{fallback}`"),
            )
            .help(format!(
                "add `templates/{fallback}` to the theme (needed for content/{})",
                common.source
            ))
        })
}

fn site_view(site: &Site, config: &Config) -> SiteView {
    let nav = site.sections[0]
        .subsections
        .iter()
        .map(|&i| link(&site.sections[i].common))
        .collect();
    let locations = site
        .locations()
        .into_iter()
        .map(|(i, l)| location_view(site, i, l))
        .collect();
    let faq = site
        .sections
        .iter()
        .enumerate()
        .find(|(_, s)| s.kind == SectionKind::Faq)
        .map(|(i, s)| FaqIndex {
            title: s.common.title.clone(),
            path: s.common.path.clone(),
            categories: categories(site, i),
        });
    SiteView {
        title: config.title.clone(),
        tagline: config.tagline.clone(),
        description: config.description.clone(),
        base_url: config.base_url.clone(),
        language: config.language.clone(),
        phone: config.phone.clone(),
        phone_href: tel_href(&config.phone),
        extra: config.extra.clone(),
        nav,
        locations,
        faq,
    }
}

fn section_view(site: &Site, index: usize, config: &Config, rendered: Rendered) -> SectionView {
    let section = &site.sections[index];
    let common = &section.common;
    SectionView {
        title: common.title.clone(),
        description: common.description.clone(),
        path: common.path.clone(),
        permalink: format!("{}{}", config.base_url, common.path),
        content: rendered.html,
        toc: rendered.toc,
        kind: section.kind,
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
        extra: common.extra.clone(),
    }
}

fn page_view(
    site: &Site,
    index: usize,
    config: &Config,
    site_view: &SiteView,
    rendered: Rendered,
) -> PageView {
    let page = &site.pages[index];
    let common = &page.common;
    let faq = match &page.role {
        Role::Faq(faq) => {
            let section = &site.sections[page.section];
            let category = faq
                .category
                .map(|c| section.categories[c].clone())
                .unwrap_or_default();
            let locations = site_view
                .locations
                .iter()
                .filter(|l| {
                    faq.locations
                        .as_ref()
                        .is_none_or(|only| only.contains(&l.location.slug))
                })
                .cloned()
                .collect();
            Some(FaqView {
                summary: faq.summary.clone(),
                category_id: slugify(&category),
                category,
                reviewed_by: faq.reviewed_by.clone(),
                last_reviewed: faq.last_reviewed.map(date_view),
                locations,
                related: related(site, index),
            })
        }
        _ => None,
    };
    let location = match &page.role {
        Role::Location(location) => Some(location_view(site, index, location)),
        _ => None,
    };
    PageView {
        title: common.title.clone(),
        description: common.description.clone(),
        path: common.path.clone(),
        permalink: format!("{}{}", config.base_url, common.path),
        content: rendered.html,
        toc: rendered.toc,
        date: common.date.map(date_view),
        updated: common.updated.map(date_view),
        tags: common.tags.clone(),
        extra: common.extra.clone(),
        word_count: rendered.word_count,
        reading_minutes: rendered.word_count.div_ceil(200).max(1),
        section: link(&site.sections[page.section].common),
        faq,
        location,
    }
}

/// Other entries of the same category, nearest in order first.
fn related(site: &Site, index: usize) -> Vec<PageSummary> {
    let page = &site.pages[index];
    let Role::Faq(faq) = &page.role else {
        return Vec::new();
    };
    let siblings: Vec<usize> = site.sections[page.section]
        .pages
        .iter()
        .copied()
        .filter(|&i| matches!(&site.pages[i].role, Role::Faq(f) if f.category == faq.category))
        .collect();
    let Some(position) = siblings.iter().position(|&i| i == index) else {
        return Vec::new();
    };
    let mut picked: Vec<usize> = Vec::new();
    for distance in 1..siblings.len() {
        for candidate in [
            position.checked_add(distance),
            position.checked_sub(distance),
        ]
        .into_iter()
        .flatten()
        {
            if let Some(&i) = siblings.get(candidate)
                && picked.len() < RELATED
            {
                picked.push(i);
            }
        }
        if picked.len() >= RELATED {
            break;
        }
    }
    picked.sort_by_key(|i| siblings.iter().position(|s| s == i));
    picked.into_iter().map(|i| summary(site, i)).collect()
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
    }
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
pub fn date_view(date: Date) -> DateView {
    DateView {
        iso: date.iso(),
        text: date.0.format("%B %-d, %Y").to_string(),
    }
}
