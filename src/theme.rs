//! Themes: the theme's files (and its parents') in, one compiled Tera instance and the
//! merged static files out.
//!
//! A theme may `extends:` another; a template or static file in the child replaces the
//! parent's file of the same name. Templates are compiled once per build. Files the build
//! makes from the site's settings (the brand stylesheet, see `brand`) join the static files
//! last. Every stylesheet is linked from every page (`site.stylesheets`): the parent's first,
//! then the child's, then the brand's.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

pub use crate::cache_key::hash_field;
use crate::diagnostics::{Code, Diagnostic};
use crate::source::{AssetFile, ThemeFiles};
use crate::yaml;

/// `theme.yaml` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub name: Option<String>,
    pub description: Option<String>,
    pub extends: Option<String>,
    /// `share_cards: true`: the theme names each page's share card in its head (see `cards`),
    /// so the build draws them. A child theme that does not say inherits its parent's choice.
    pub share_cards: Option<bool>,
}

const KEYS: &[&str] = &["name", "description", "extends", "share_cards"];

/// Parses a theme's `theme.yaml`.
pub fn parse_manifest(files: &ThemeFiles) -> Result<Manifest, Vec<Diagnostic>> {
    let file = files.dir.join("theme.yaml");
    yaml::parse(
        &files.manifest,
        yaml::Origin {
            file: &file,
            first_line: 1,
        },
        KEYS,
    )
}

/// Whether the theme chain (child first) asks for share cards: the first theme that says.
pub fn shares_cards(chain: &[ThemeFiles]) -> bool {
    chain
        .iter()
        .find_map(|files| parse_manifest(files).ok()?.share_cards)
        .unwrap_or(false)
}

/// A ready theme.
#[derive(Clone)]
pub struct Theme {
    pub tera: tera::Tera,
    /// Static files of the whole chain, the child's winning; path under `static/`.
    pub statics: Vec<AssetFile>,
    /// The output paths of every stylesheet, in the order pages link them: the parent
    /// theme's first, then the child's, then the files the build made.
    pub stylesheets: Vec<String>,
    /// Template name -> the file it came from, for messages.
    pub template_files: BTreeMap<String, PathBuf>,
    /// A hash of everything in the theme that can change a page: templates, words, and the
    /// names of the fingerprinted assets (which change with their bytes).
    pub fingerprint: blake3::Hash,
    /// Pages get share cards (see `shares_cards`).
    pub share_cards: bool,
    /// Each language's words as the template value `i18n` (see `i18n::values`).
    pub words: BTreeMap<String, tera::Value>,
}

impl std::fmt::Debug for Theme {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Theme")
            .field("templates", &self.template_files.keys())
            .finish()
    }
}

/// Compiles a theme chain, child first, with the static files the build `made` (which win
/// over the theme's of the same name). Every template syntax error is reported, each with
/// its file and line.
pub fn compile(
    chain: &[ThemeFiles],
    languages: &[String],
    made: Vec<AssetFile>,
) -> Result<Theme, Vec<Diagnostic>> {
    let tables = std::sync::Arc::new(crate::i18n::load(chain, languages)?);
    let mut templates: BTreeMap<String, (String, PathBuf)> = BTreeMap::new();
    let mut statics: BTreeMap<String, AssetFile> = BTreeMap::new();
    for theme in chain.iter().rev() {
        for (name, text) in &theme.templates {
            templates.insert(
                name.clone(),
                (text.clone(), theme.dir.join("templates").join(name)),
            );
        }
        for file in &theme.statics {
            statics.insert(file.rel.clone(), file.clone());
        }
    }
    let mut stylesheet_order: Vec<String> = Vec::new();
    let css_files = chain
        .iter()
        .rev()
        .flat_map(|theme| &theme.statics)
        .chain(&made);
    for file in css_files {
        if file.rel.ends_with(".css") && !stylesheet_order.contains(&file.rel) {
            stylesheet_order.push(file.rel.clone());
        }
    }
    if let Some(last) = made.iter().find(|f| f.rel.ends_with(".css")) {
        // A made stylesheet comes last even when a theme has a file of its name.
        stylesheet_order.retain(|rel| rel != &last.rel);
        stylesheet_order.push(last.rel.clone());
    }
    for file in made {
        statics.insert(file.rel.clone(), file);
    }
    let template_files: BTreeMap<String, PathBuf> = templates
        .iter()
        .map(|(name, (_, file))| (name.clone(), file.clone()))
        .collect();

    let mut statics: Vec<AssetFile> = statics.into_values().collect();
    let hashed = fingerprint(&mut statics).map_err(|error| {
        vec![Diagnostic::new(
            Code::ThemeUnreadable,
            chain[0].dir.join("static"),
            format!("cannot read a static file: {error}"),
        )]
    })?;
    let plain: Vec<String> = statics.iter().map(|f| f.rel.clone()).collect();
    let stylesheets: Vec<String> = stylesheet_order
        .iter()
        .map(|rel| hashed.get(rel).cloned().unwrap_or_else(|| rel.clone()))
        .collect();
    let new_tera = || {
        let mut tera = tera::Tera::new();
        tera.autoescape_on([".html", ".htm", ".xml"]);
        register_asset_function(&mut tera, hashed.clone(), plain.clone());
        // Known before the images are processed; `pipeline` registers it again with them.
        crate::assets::markup::register_template_function(
            &mut tera,
            crate::assets::Images::default(),
        );
        crate::i18n::register(&mut tera, tables.clone());
        tera
    };

    // Each template alone first, so every syntax error is found, not only the first.
    let mut findings = Vec::new();
    for (name, (text, _)) in &templates {
        let mut alone = new_tera();
        if let Err(error) = alone.add_raw_template(name, text)
            && matches!(error.kind(), tera::ErrorKind::SyntaxError(_))
        {
            findings.push(template_error(&error, &template_files));
        }
    }
    if !findings.is_empty() {
        return Err(findings);
    }
    let mut tera = new_tera();
    if let Err(error) = tera.add_raw_templates(
        templates
            .iter()
            .map(|(name, (text, _))| (name.as_str(), text.as_str())),
    ) {
        let mut finding = template_error(&error, &template_files);
        if finding.code == Code::TemplateCycle {
            locate_cycle(&mut finding, &error, &templates);
        }
        return Err(vec![finding]);
    }
    let mut hasher = blake3::Hasher::new();
    for (name, (text, _)) in &templates {
        hash_field(&mut hasher, name);
        hash_field(&mut hasher, text);
    }
    for theme in chain {
        for (lang, text) in &theme.i18n {
            hash_field(&mut hasher, lang);
            hash_field(&mut hasher, text);
        }
    }
    for (name, hashed_name) in &hashed {
        hash_field(&mut hasher, name);
        hash_field(&mut hasher, hashed_name);
    }
    for name in plain.iter().chain(&stylesheets) {
        hash_field(&mut hasher, name);
    }
    let share_cards = shares_cards(chain);
    hash_field(&mut hasher, if share_cards { "share cards" } else { "" });
    Ok(Theme {
        tera,
        statics,
        stylesheets,
        template_files,
        fingerprint: hasher.finalize(),
        share_cards,
        words: crate::i18n::values(&tables),
    })
}

/// Gives the theme's CSS and JavaScript files a content hash in their name
/// (`style.css` -> `style.1a2b3c4d.css`) so hosts can cache them for a year; returns the map
/// from the written name to the hashed one, for the `asset()` template function.
pub fn fingerprint(statics: &mut [AssetFile]) -> std::io::Result<BTreeMap<String, String>> {
    let mut names = BTreeMap::new();
    for file in statics.iter_mut() {
        let Some((stem, ext)) = file.rel.rsplit_once('.') else {
            continue;
        };
        if ext != "css" && ext != "js" {
            continue;
        }
        let hash = blake3::hash(&file.data.read()?).to_hex();
        let hashed = format!("{stem}.{}.{ext}", &hash[..10]);
        names.insert(file.rel.clone(), hashed.clone());
        file.rel = hashed;
    }
    Ok(names)
}

/// Registers `asset(path="style.css")`: the address of a theme file from the page being
/// rendered, with its content hash when it has one.
pub fn register_asset_function(
    tera: &mut tera::Tera,
    hashed: BTreeMap<String, String>,
    plain: Vec<String>,
) {
    tera.register_function(
        "asset",
        move |kwargs: tera::Kwargs, state: &tera::State| -> tera::TeraResult<String> {
            let path: String = kwargs
                .must_get::<&str>("path")?
                .trim_start_matches('/')
                .to_string();
            let root: String = state.get::<String>("root")?.unwrap_or_default();
            match hashed.get(&path) {
                Some(name) => Ok(format!("{root}{name}")),
                None if plain.contains(&path) => Ok(format!("{root}{path}")),
                None => Err(tera::Error::message(format!(
                    "asset(): the theme has no static file `{path}`"
                ))),
            }
        },
    );
}

/// A Tera error as a finding on the template file and line it names.
pub fn template_error(error: &tera::Error, files: &BTreeMap<String, PathBuf>) -> Diagnostic {
    let file_of = |name: &str| {
        files
            .get(name)
            .cloned()
            .unwrap_or_else(|| PathBuf::from(name))
    };
    match error.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let span = report.span();
            Diagnostic::new(
                Code::TemplateError,
                file_of(report.filename()),
                report.message().to_string(),
            )
            .at(span.start_line, span.start_col + 1)
            .width(if span.end_line == span.start_line {
                span.end_col.saturating_sub(span.start_col)
            } else {
                1
            })
            .help(
                "fix the template; the Tera 2 syntax is described at https://keats.github.io/tera/",
            )
        }
        tera::ErrorKind::MissingParent { current, parent } => Diagnostic::new(
            Code::TemplateMissing,
            file_of(current),
            format!("this template extends `{parent}`, which the theme does not have"),
        )
        .at(1, 1)
        .help(format!(
            "add `templates/{parent}` to the theme or fix the name in `{{% extends %}}`"
        )),
        tera::ErrorKind::TemplateNotFound(name) => Diagnostic::new(
            Code::TemplateMissing,
            file_of(name),
            format!("the template `{name}` does not exist"),
        )
        .help("check the name in `{% include %}` or `{% extends %}`"),
        tera::ErrorKind::CircularExtend {
            tpl,
            inheritance_chain,
        } => Diagnostic::new(
            Code::TemplateCycle,
            file_of(tpl),
            format!(
                "templates extend each other in a circle: {}",
                circle(inheritance_chain, tpl)
            ),
        )
        .help("one template in the chain must not extend another"),
        tera::ErrorKind::CircularInclude { tpl, include_chain } => Diagnostic::new(
            Code::TemplateCycle,
            file_of(tpl),
            format!(
                "templates include each other in a circle: {}",
                circle(include_chain, tpl)
            ),
        )
        .help("remove the `{% include %}` that leads back to the first template"),
        other => {
            let message = other.to_string();
            if let Some(finding) = from_rendered_report(&message, &file_of) {
                return finding;
            }
            let named = files.keys().find(|name| {
                message.contains(&format!("`{name}`")) || message.contains(&format!("'{name}'"))
            });
            Diagnostic::new(
                Code::TemplateError,
                named.map_or_else(|| PathBuf::from("themes"), |n| file_of(n)),
                message,
            )
        }
    }
}

/// `a.html -> b.html -> a.html`: the chain Tera reports, closed by the template it came
/// back to.
fn circle(chain: &[String], back_to: &str) -> String {
    let mut names: Vec<&str> = chain.iter().map(String::as_str).collect();
    if names.first() != Some(&back_to) {
        names.insert(0, back_to);
    }
    if names.len() < 2 || names.last() != Some(&back_to) {
        names.push(back_to);
    }
    names.join(" -> ")
}

/// Points a cycle finding at the `{% include %}` or `{% extends %}` line of its template that
/// names the next template in the circle (Tera reports no line for cycles).
fn locate_cycle(
    finding: &mut Diagnostic,
    error: &tera::Error,
    templates: &BTreeMap<String, (String, PathBuf)>,
) {
    let (tpl, chain, keyword) = match error.kind() {
        tera::ErrorKind::CircularExtend {
            tpl,
            inheritance_chain,
        } => (tpl, inheritance_chain, "extends"),
        tera::ErrorKind::CircularInclude { tpl, include_chain } => (tpl, include_chain, "include"),
        _ => return,
    };
    let Some((text, _)) = templates.get(tpl.as_str()) else {
        return;
    };
    let names: Vec<&str> = chain
        .iter()
        .map(String::as_str)
        .chain([tpl.as_str()])
        .collect();
    let found = text.lines().enumerate().find_map(|(i, line)| {
        let at = line.find(keyword)?;
        let rest = &line[at..];
        names
            .iter()
            .any(|n| rest.contains(&format!("\"{n}\"")) || rest.contains(&format!("'{n}'")))
            .then(|| {
                let start = line[..at].rfind("{%").unwrap_or(at);
                let end = line[at..].find("%}").map_or(line.len(), |e| at + e + 2);
                (
                    i + 1,
                    line[..start].chars().count() + 1,
                    line[start..end].chars().count(),
                )
            })
    });
    if let Some((line, column, width)) = found {
        *finding = finding.clone().at(line, column).width(width);
    }
}

/// Some Tera errors (unknown functions and filters, found when templates are checked) come
/// as an already formatted report: `error: MESSAGE` then `--> TEMPLATE:LINE:COLUMN`.
fn from_rendered_report(report: &str, file_of: &dyn Fn(&str) -> PathBuf) -> Option<Diagnostic> {
    let message = report
        .lines()
        .next()?
        .trim()
        .trim_start_matches("error:")
        .trim();
    let locus = report.lines().find_map(|l| l.trim().strip_prefix("--> "))?;
    let mut parts = locus.rsplitn(3, ':');
    let column: usize = parts.next()?.parse().ok()?;
    let line: usize = parts.next()?.parse().ok()?;
    let name = parts.next()?;
    Some(
        Diagnostic::new(Code::TemplateError, file_of(name), message.to_string())
            .at(line, column)
            .help(if message.contains("function") || message.contains("filter") || message.contains("test") {
                "check the name: the functions the theme can use are listed in the theme guide, docs/theme.md"
            } else {
                "fix the template at this line; the Tera 2 syntax is described at https://keats.github.io/tera/"
            }),
    )
}

/// The chain of themes to load, child first, resolving `extends:` with `read`.
pub fn load_chain(
    first: ThemeFiles,
    read: &dyn Fn(&str) -> Result<ThemeFiles, Vec<Diagnostic>>,
) -> Result<Vec<ThemeFiles>, Vec<Diagnostic>> {
    let mut chain = vec![first];
    loop {
        let current = chain.last().expect("chain starts with one theme");
        let manifest = parse_manifest(current)?;
        let Some(parent) = manifest.extends else {
            return Ok(chain);
        };
        let manifest_file = current.dir.join("theme.yaml");
        let line = yaml::key_line(&current.manifest, "extends").unwrap_or(1);
        let width = current
            .manifest
            .lines()
            .nth(line - 1)
            .map_or(1, |l| l.trim_end().chars().count());
        if chain.iter().any(|t| t.name == parent) {
            let names: Vec<&str> = chain
                .iter()
                .map(|t| t.name.as_str())
                .chain([parent.as_str()])
                .collect();
            return Err(vec![
                Diagnostic::new(
                    Code::ThemeCycle,
                    manifest_file,
                    format!(
                        "themes extend each other in a circle: {}",
                        names.join(" -> ")
                    ),
                )
                .at(line, 1)
                .width(width)
                .help("remove `extends:` from one of these themes"),
            ]);
        }
        match read(&parent) {
            Ok(files) => chain.push(files),
            Err(_) => {
                return Err(vec![
                    Diagnostic::new(
                        Code::ThemeMissing,
                        manifest_file,
                        format!(
                            "this theme extends `{parent}`, but there is no folder themes/{parent}"
                        ),
                    )
                    .at(line, 1)
                    .width(width)
                    .help("install the parent theme in `themes/` or fix the name"),
                ]);
            }
        }
    }
}

/// The error for `theme:` in site.yaml naming a theme that does not exist.
pub fn missing_theme(name: &str, config_line: usize, available: &[String]) -> Diagnostic {
    let help = match crate::diagnostics::nearest(name, available.iter().map(String::as_str)) {
        Some(near) => format!("did you mean `theme: {near}`?"),
        None => "put the theme in `themes/NAME/` or use the built-in `theme: clinic`".into(),
    };
    Diagnostic::new(
        Code::ThemeMissing,
        Path::new("site.yaml"),
        format!("there is no theme `{name}`"),
    )
    .at(config_line, 1)
    .width("theme: ".len() + name.chars().count())
    .help(help)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Data;

    fn theme_files(name: &str, templates: &[(&str, &str)], statics: &[&str]) -> ThemeFiles {
        ThemeFiles {
            name: name.into(),
            dir: PathBuf::from("themes").join(name),
            manifest: format!("name: {name}\n"),
            templates: templates
                .iter()
                .map(|(n, t)| (n.to_string(), t.to_string()))
                .collect(),
            statics: statics
                .iter()
                .map(|rel| AssetFile {
                    rel: rel.to_string(),
                    data: Data::Embedded(b"body { color: black }"),
                })
                .collect(),
            i18n: Vec::new(),
        }
    }

    fn render(theme: &Theme, name: &str) -> String {
        let mut context = tera::Context::new();
        context.insert("root", "../");
        theme.tera.render(name, &context).unwrap()
    }

    #[test]
    fn the_child_theme_wins_and_its_parent_fills_the_rest() {
        let parent = theme_files(
            "parent",
            &[("base.html", "parent base"), ("page.html", "parent page")],
            &["style.css", "logo.svg"],
        );
        let child = theme_files(
            "child",
            &[("page.html", "child page {{ asset(path='style.css') }}")],
            &[],
        );
        let theme = compile(&[child, parent], &["en".into()], Vec::new()).unwrap();
        assert_eq!(render(&theme, "base.html"), "parent base");
        let page = render(&theme, "page.html");
        let hashed = theme
            .statics
            .iter()
            .map(|f| f.rel.as_str())
            .find(|rel| rel.starts_with("style.") && rel.ends_with(".css"))
            .unwrap();
        assert_ne!(hashed, "style.css", "CSS gets a hashed name");
        assert_eq!(page, format!("child page ../{hashed}"));
        assert!(theme.statics.iter().any(|f| f.rel == "logo.svg"));
        assert_eq!(
            theme.template_files["page.html"],
            Path::new("themes/child/templates/page.html")
        );
    }

    #[test]
    fn every_template_syntax_error_is_reported_with_its_file() {
        let broken = theme_files(
            "t",
            &[
                ("a.html", "{% if x %}never closed"),
                ("b.html", "{{ unclosed "),
                ("c.html", "fine"),
            ],
            &[],
        );
        let findings = compile(&[broken], &["en".into()], Vec::new()).unwrap_err();
        let files: Vec<&Path> = findings.iter().map(|f| f.file.as_path()).collect();
        assert_eq!(
            files,
            [
                Path::new("themes/t/templates/a.html"),
                Path::new("themes/t/templates/b.html")
            ]
        );
    }

    #[test]
    fn the_fingerprint_changes_with_a_template_and_only_then() {
        let fingerprint = |text: &str| {
            let files = theme_files("t", &[("page.html", text)], &["style.css"]);
            compile(&[files], &["en".into()], Vec::new())
                .unwrap()
                .fingerprint
        };
        assert_eq!(fingerprint("one"), fingerprint("one"));
        assert_ne!(fingerprint("one"), fingerprint("two"));
    }
}
