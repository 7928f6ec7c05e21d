//! Rendering: the placed site and the compiled theme in, the files of the finished site (in
//! memory) out.
//!
//! Templates get typed views (`SiteView`, `PageView`, `SectionView`, …): they are the theme
//! authors' API and are documented in docs/theme.md. Pages render in parallel; the result does
//! not depend on the number of threads.

use std::collections::{BTreeMap, HashMap};

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
    /// A file the `assets` stage made, with its hash known.
    Processed(crate::assets::Processed),
}

// ---- The template context ----------------------------------------------------------------

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
    /// `image:`, shown at the top and used as the share image.
    pub image: Option<ImageView>,
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

/// How many related questions an FAQ entry lists.
const RELATED: usize = 5;

// ---- Rendering ----------------------------------------------------------------------------

/// Renders every page and section and lists the theme's and content's files to copy.
pub fn render(site: &Site, theme: &Theme, config: &Config) -> (Vec<Output>, Vec<Diagnostic>) {
    render_reusing(site, theme, config, &crate::incremental::Fresh, &|output| {
        output
    })
}

/// `render`, taking unchanged bodies and pages from earlier builds through `reuse` (the pages
/// it keeps are left out), and handing each finished file to `keep` as soon as it is made.
///
/// `keep` decides what stays in memory: the dev server keeps every file, `build` writes each
/// one to its staging folder and keeps only its path and hash. Each page's markdown and
/// template are rendered in one step, so no more than a few pages' HTML exists at a time.
pub fn render_reusing<T: Send>(
    site: &Site,
    theme: &Theme,
    config: &Config,
    reuse: &dyn crate::incremental::Reuse,
    keep: &(dyn Fn(Output) -> T + Sync),
) -> (Vec<T>, Vec<Diagnostic>) {
    let views: BTreeMap<String, (SiteView, tera::Value)> = site
        .languages
        .iter()
        .map(|lang| {
            let view = site_view(site, config, lang, &theme.stylesheets);
            let value = tera::Value::from_serializable(&view);
            (lang.clone(), (view, value))
        })
        .collect();
    let shared = Shared {
        site,
        theme,
        config,
        views: &views,
        groups: CategoryGroups::new(site),
    };
    reuse.theme_loaded(theme);
    let minified = minify_if(config);
    let finish = |output: Output| keep(minified(output));
    let Pass {
        targets,
        made,
        mut findings,
    } = pass(site, reuse, Some((&shared, &finish)));

    let first_page = site.sections.len();
    let page_headings: Vec<&[String]> = made[first_page..]
        .iter()
        .map(|m| m.headings.as_slice())
        .collect();
    let headings = |page: usize| page_headings[page];
    let mut paths = Vec::with_capacity(targets.len() + theme.statics.len() + site.assets.len());
    let mut kept = Vec::with_capacity(paths.capacity());
    let mut template_findings: HashMap<(std::path::PathBuf, usize, String), (Diagnostic, usize)> =
        HashMap::new();
    // The site-wide files only need the placed site and the headings: side by side.
    let (search_indexes, (publishing, publishing_findings)) = rayon::join(
        || {
            views
                .keys()
                .map(|lang| Output {
                    path: crate::search::file_name(lang),
                    body: Body::Text(crate::search::index(
                        site,
                        lang,
                        &headings,
                        &config.synonyms,
                    )),
                })
                .collect::<Vec<Output>>()
        },
        || {
            let mut files = Vec::new();
            let findings = publishing_files(site, config, &mut files);
            (files, findings)
        },
    );
    for made in made {
        match made.page {
            Some(Ok(Some((path, file)))) => {
                paths.push(path);
                kept.push(file);
            }
            Some(Ok(None)) | None => {}
            Some(Err(finding)) => {
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
    let mut others = Vec::new();
    for (lang, (_, site_value)) in &views {
        match render_not_found(theme, config, lang, site_value) {
            Ok(Some(output)) => others.push(output),
            Ok(None) => {}
            Err(finding) => findings.push(finding),
        }
    }
    findings.extend(publishing_findings);
    others.extend(publishing);
    others.extend(search_indexes);
    let mut others: Vec<Output> = others.into_par_iter().map(minify_if(config)).collect();
    let hashed: Vec<String> = theme
        .statics
        .iter()
        .filter(|f| crate::headers::is_hashed(&f.rel))
        .map(|f| f.rel.clone())
        .collect();
    others.push(Output {
        path: crate::headers::FILE.into(),
        body: Body::Text(crate::headers::file(config, &hashed)),
    });
    findings.extend(crate::headers::too_long(config));
    let copied = theme
        .statics
        .iter()
        .map(|f| (f, &f.rel))
        .chain(site.assets.iter().map(|(f, path)| (f, path)));
    for (file, path) in copied {
        // A file the brand made (an icon in its colours) replaces the theme's as it is.
        let processed = match file.data {
            Data::Made(_) => None,
            _ => site.images.get(path),
        };
        match processed {
            Some(set) => others.extend(set.files().map(|variant| Output {
                path: variant.path.clone(),
                body: Body::Processed(variant.file.clone()),
            })),
            None => others.push(Output {
                path: path.clone(),
                body: Body::Copy(file.data.clone()),
            }),
        }
    }
    for output in others {
        paths.push(output.path.clone());
        kept.push(keep(output));
    }
    findings.extend(duplicate_paths(&paths));
    (kept, findings)
}

/// Renders all markdown in parallel and checks every link and `#anchor`, without templates:
/// what runs when the theme has errors, so content problems are still reported in the same
/// run.
pub fn render_bodies(site: &Site, reuse: &dyn crate::incremental::Reuse) -> Vec<Diagnostic> {
    pass::<()>(site, reuse, None).findings
}

/// One target's share of the rendering pass: what the site-wide steps after it need, and its
/// finished file when templates were rendered.
struct Made<T> {
    /// Its heading ids, sorted, for other pages' anchor checks.
    ids: Vec<String>,
    /// Its `##` headings, for the search index.
    headings: Vec<String>,
    anchors: Vec<markdown::AnchorCheck>,
    /// `None` without templates or for a file that lost its address to another; `Some(Ok(None))`
    /// when `reuse` kept the previous build's file.
    page: Option<Result<Option<(String, T)>, Diagnostic>>,
}

struct Pass<T> {
    /// Sections first, then pages, in site order.
    targets: Vec<Target>,
    made: Vec<Made<T>>,
    /// Every link and anchor finding of the site.
    findings: Vec<Diagnostic>,
}

type Finish<'f, T> = &'f (dyn Fn(Output) -> T + Sync);

/// Renders every target's markdown and, given templates, its page, in parallel; then checks
/// the `#anchors` links point at, which needs every page's heading ids.
fn pass<T: Send>(
    site: &Site,
    reuse: &dyn crate::incremental::Reuse,
    templates: Option<(&Shared, Finish<T>)>,
) -> Pass<T> {
    let targets: Vec<Target> = (0..site.sections.len())
        .map(Target::Section)
        .chain((0..site.pages.len()).map(Target::Page))
        .collect();
    let results: Vec<(Made<T>, Vec<Diagnostic>)> = targets
        .par_iter()
        .map(|&target| {
            let common = site.common(target).expect("placed targets exist");
            let page = PageRef {
                source: &common.source,
                path: &common.path,
                body: common.body,
                body_line: common.body_line,
            };
            let (mut rendered, mut found) = reuse.body(site, target, &|watch| {
                markdown::render_watched(page, site, watch)
            });
            if let Some((shared, _)) = templates {
                crate::html_policy::apply(shared.config.raw_html, &mut rendered, &mut found);
            }
            let mut ids: Vec<String> = rendered.ids.iter().cloned().collect();
            ids.sort();
            let headings = rendered
                .toc
                .iter()
                .filter(|h| h.level == 2)
                .map(|h| h.text.clone())
                .collect();
            let anchors = rendered.anchors_to_check.clone();
            // A file that lost its address to another is already reported
            // (`site/duplicate-url`); rendering it too would add a misleading second error.
            let owns_address = site.by_path.get(&common.path) == Some(&target);
            let page = templates.filter(|_| owns_address).map(|(shared, finish)| {
                let made = reuse.page(site, target, &|| {
                    render_one(shared, target, rendered.clone())
                })?;
                Ok(made.map(|output| (output.path.clone(), finish(output))))
            });
            let made = Made {
                ids,
                headings,
                anchors,
                page,
            };
            (made, found)
        })
        .collect();
    // `targets` holds the sections, then the pages, each in index order.
    let index_of = |target: Target| match target {
        Target::Section(i) => Some(i),
        Target::Page(i) => Some(site.sections.len() + i),
        Target::Unavailable | Target::Draft => None,
    };
    let ids_of = |target: Target| index_of(target).map(|i| results[i].0.ids.clone());
    let mut findings = Vec::new();
    for (target, (made, found)) in targets.iter().zip(&results) {
        findings.extend(found.iter().cloned());
        let source = &site.common(*target).expect("placed").source;
        findings.extend(markdown::check_anchors(source, &made.anchors, &ids_of));
    }
    Pass {
        targets,
        made: results.into_iter().map(|(made, _)| made).collect(),
        findings,
    }
}

/// Two files on one path (a static file named like a page, say).
fn duplicate_paths(paths: &[String]) -> Vec<Diagnostic> {
    let mut seen = std::collections::HashSet::new();
    paths
        .iter()
        .filter(|path| !seen.insert(path.as_str()))
        .map(|path| {
            Diagnostic::error(
                "site/duplicate-output",
                std::path::PathBuf::from(path),
                format!("two files of the site would be written to `{path}`"),
            )
            .help("rename the static or content file that has the same name as a page")
        })
        .collect()
}

/// `404.html`, when the theme has one. Hosts serve it at any address, so its links start
/// from the site's absolute base path instead of a relative `root`.
fn render_not_found(
    theme: &Theme,
    config: &Config,
    lang: &str,
    site_value: &tera::Value,
) -> Result<Option<Output>, Diagnostic> {
    if !theme.template_files.contains_key("404.html") {
        return Ok(None);
    }
    let mut context = tera::Context::new();
    context.insert("root", &config.base_path());
    context.insert("json_ld", &Vec::<String>::new());
    context.insert("lang", lang);
    context.insert_value("site", site_value.clone());
    let html = theme
        .tera
        .render("404.html", &context)
        .map_err(|error| template_error(&error, &theme.template_files))?;
    Ok(Some(Output {
        path: format!("{}404.html", config.language_prefix(lang)),
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

/// `minify` when `minify: true` is set in site.yaml, else the file as it is.
fn minify_if(config: &Config) -> impl Fn(Output) -> Output + Sync + '_ {
    move |output| {
        if config.minify {
            minify(output)
        } else {
            output
        }
    }
}

/// Minifies an HTML page (`minify: true` in site.yaml); other files pass through.
fn minify(mut output: Output) -> Output {
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
    output
}

/// What every page's rendering reads.
struct Shared<'s> {
    site: &'s Site<'s>,
    theme: &'s Theme,
    config: &'s Config,
    /// The site view of each language, as the template value shared by its pages.
    views: &'s BTreeMap<String, (SiteView, tera::Value)>,
    groups: CategoryGroups,
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

fn render_one(shared: &Shared, target: Target, rendered: Rendered) -> Result<Output, Diagnostic> {
    let Shared {
        site,
        theme,
        config,
        views,
        ..
    } = *shared;
    let common = site.common(target).expect("placed");
    let (site_view, site_value) = &views[&common.lang];
    let mut context = tera::Context::new();
    context.insert_value("site", site_value.clone());
    context.insert("lang", &common.lang);
    context.insert("root", &markdown::root_prefix(&common.path));
    context.insert("json_ld", &seo::json_ld(site, target, config));
    let (template, fallback) = match target {
        Target::Section(i) => {
            let section = &site.sections[i];
            context.insert("section", &section_view(site, i, config, rendered));
            let home = section.common.translation_key == "_index.md";
            let preferred = match (home, section.kind) {
                (true, _) => "index.html",
                (_, SectionKind::Faq) => "faq_section.html",
                (_, SectionKind::Locations) => "locations_section.html",
                (_, SectionKind::Plain) => "section.html",
            };
            (preferred, "section.html")
        }
        Target::Page(i) => {
            context.insert("page", &page_view(shared, i, site_view, rendered));
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

fn site_view(site: &Site, config: &Config, lang: &str, stylesheets: &[String]) -> SiteView {
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

fn section_view(site: &Site, index: usize, config: &Config, rendered: Rendered) -> SectionView {
    let section = &site.sections[index];
    let common = &section.common;
    let (languages, translations) = language_links(site, Target::Section(index), config);
    let image = image_view(site, config, common);
    SectionView {
        title: common.title.clone(),
        description: common.description.clone(),
        path: common.path.clone(),
        permalink: format!("{}{}", config.base_url, common.path),
        content: after_lead_image(rendered.html, image.is_some()),
        image,
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
        lang: common.lang.clone(),
        languages,
        translations,
        draft: common.draft,
    }
}

fn page_view(shared: &Shared, index: usize, site_view: &SiteView, rendered: Rendered) -> PageView {
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
    PageView {
        title: common.title.clone(),
        description: common.description.clone(),
        path: common.path.clone(),
        permalink: format!("{}{}", config.base_url, common.path),
        content: after_lead_image(rendered.html, image.is_some()),
        image,
        toc: rendered.toc,
        date: common.date.map(|d| date_view(d, &common.lang)),
        updated: common.updated.map(|d| date_view(d, &common.lang)),
        lang: common.lang.clone(),
        languages,
        translations,
        draft: common.draft,
        tags: common.tags.clone(),
        extra: common.extra.clone(),
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
