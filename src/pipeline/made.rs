//! What a build makes beside its pages, before rendering: the theme with the brand's files
//! (`brand`), the processed images (`assets`) and the share cards (`cards`). Each reads only
//! the files it names from the site's folder, and returns findings rather than stopping.

use std::path::{Path, PathBuf};

use crate::config::{self, Config};
use crate::diagnostics::{Code, Diagnostic};
use crate::output::Output;
use crate::render;
use crate::site;
use crate::source;
use crate::theme;

/// Loads and compiles the theme `config` names: the site's own from `ROOT/themes/`, else the
/// built-in one.
pub fn load_theme(root: &Path, config: &Config) -> Result<theme::Theme, Vec<Diagnostic>> {
    compile_theme(root, config, read_theme(root, config)?)
}

/// The files of the theme `config` names and of the themes it extends, child first.
pub fn read_theme(
    root: &Path,
    config: &Config,
) -> Result<Vec<source::ThemeFiles>, Vec<Diagnostic>> {
    let first = source::read_theme(root, &config.theme).map_err(|errors| {
        if errors.iter().any(|e| e.code == Code::ThemeMissing) {
            let available = available_themes(root);
            vec![theme::missing_theme(
                &config.theme,
                config.theme_line,
                &available,
            )]
        } else {
            errors
        }
    })?;
    theme::load_chain(first, &|name| source::read_theme(root, name))
}

/// Compiles the theme from its files (see `read_theme`), with the files `brand:` adds.
pub fn compile_theme(
    root: &Path,
    config: &Config,
    chain: Vec<source::ThemeFiles>,
) -> Result<theme::Theme, Vec<Diagnostic>> {
    let made = match &config.brand {
        Some(brand) => brand_files(root, brand, &chain)?,
        None => Vec::new(),
    };
    theme::compile(&chain, &config.languages, made)
}

/// The files `brand:` adds to the theme (see `brand::files`), or why it cannot: colours too
/// hard to read, a logo file that is not there.
fn brand_files(
    root: &Path,
    brand: &config::Brand,
    chain: &[source::ThemeFiles],
) -> Result<Vec<source::AssetFile>, Vec<Diagnostic>> {
    let mut findings = crate::brand::check(brand);
    let logo = brand.logo.as_ref().map(crate::brand::logo_path);
    let logo = source::read_logo(root, brand, logo.unwrap_or_default())
        .map_err(|finding| findings.push(finding))
        .ok()
        .flatten();
    if !findings.is_empty() {
        return Err(findings);
    }
    let statics: Vec<source::AssetFile> = merged_statics(chain)
        .into_values()
        .map(|(file, _)| file.clone())
        .collect();
    crate::brand::files(brand, &statics, logo).map_err(|error| {
        vec![Diagnostic::new(
            Code::ThemeUnreadable,
            chain[0].dir.join("static"),
            format!("cannot read a static file: {error}"),
        )]
    })
}

/// The brand's own problems (colours too hard to read, a logo file that is not there) in a
/// site.yaml with other errors, so they are reported in the same run: `text` is site.yaml.
pub fn brand_findings_beside(root: &Path, text: &str) -> Vec<Diagnostic> {
    let Some(readable) = config::readable_brand(text) else {
        return Vec::new();
    };
    let mut findings = crate::brand::check_readable(&readable);
    let brand = &readable.brand;
    let logo = brand.logo.as_ref().map(crate::brand::logo_path);
    if let Err(finding) = source::read_logo(root, brand, logo.unwrap_or_default()) {
        findings.push(finding);
    }
    findings
}

/// The static files of a theme chain by path, the child's winning over its parent's, each
/// with the file it came from (for messages).
fn merged_statics(
    chain: &[source::ThemeFiles],
) -> std::collections::BTreeMap<String, (&source::AssetFile, PathBuf)> {
    let mut statics = std::collections::BTreeMap::new();
    for files in chain.iter().rev() {
        for file in &files.statics {
            statics.insert(
                file.rel.clone(),
                (file, files.dir.join("static").join(&file.rel)),
            );
        }
    }
    statics
}

/// Publishes every raster image of the site (content files and the theme's static files):
/// see `assets`. The theme's files are read here again, without compiling its templates; a
/// theme that cannot be read is reported when it is loaded.
pub(super) fn process_images(
    root: &Path,
    config: &Config,
    site: &site::Site,
) -> (crate::assets::Images, Vec<Diagnostic>) {
    use crate::assets::{Job, Source};
    let mut sources: Vec<Source> = site
        .assets
        .iter()
        .filter(|(file, _)| crate::assets::is_raster(&file.rel))
        .map(|(file, output)| Source {
            file,
            display: Path::new("content").join(&file.rel),
            output: output.clone(),
            job: Job::Responsive,
        })
        .collect();
    let chain = theme_chain(root, config);
    // The child theme's file wins over its parent's of the same name.
    let statics = merged_statics(&chain);
    let brand = config.brand.as_ref();
    let logo = brand
        .and_then(|brand| {
            let published = crate::brand::logo_path(brand.logo.as_ref()?);
            source::read_logo(root, brand, published).ok().flatten()
        })
        .filter(|logo| crate::assets::is_raster(&logo.rel));
    if let (Some(logo), Some(written)) = (&logo, brand.and_then(|b| b.logo.as_ref())) {
        sources.push(Source {
            file: logo,
            display: written.path.clone(),
            output: logo.rel.clone(),
            job: Job::Strip,
        });
    }
    sources.extend(
        statics
            .into_values()
            .filter(|(file, _)| crate::assets::is_raster(&file.rel))
            .map(|(file, display)| Source {
                file,
                display,
                output: file.rel.clone(),
                job: Job::Strip,
            }),
    );
    crate::assets::process(&sources, &root.join(crate::assets::CACHE_DIR))
}

/// The files of the theme `config` names and of its parents, child first; empty when they
/// cannot be read (the build says why when it loads the theme).
fn theme_chain(root: &Path, config: &Config) -> Vec<source::ThemeFiles> {
    source::read_theme(root, &config.theme)
        .and_then(|first| theme::load_chain(first, &|name| source::read_theme(root, name)))
        .unwrap_or_default()
}

/// Draws the share card of every page that has no `image:`, or takes it from the cache, when
/// the theme shows them (`share_cards: true` in theme.yaml): see `cards`.
pub(super) fn make_cards(
    root: &Path,
    config: &Config,
    site: &site::Site,
) -> (Vec<Output>, Vec<Diagnostic>) {
    if !theme::shares_cards(&theme_chain(root, config)) {
        return (Vec::new(), Vec::new());
    }
    let cards = crate::cards::plan(site, config);
    let style = card_style(root, config);
    match crate::cards::make(&cards, &style, &root.join(crate::cards::CACHE_DIR)) {
        Ok(files) => {
            let outputs = files
                .into_iter()
                .map(|(path, file)| Output {
                    path,
                    body: render::Body::Processed(file),
                })
                .collect();
            (outputs, Vec::new())
        }
        Err(finding) => (Vec::new(), vec![finding]),
    }
}

/// The cards' colours and logo: the theme's own, or `brand:`'s (the header's deep shade behind
/// white titles, the accent for the name and bands, a PNG logo; an SVG logo is left off the
/// cards, which draw only pixels).
fn card_style(root: &Path, config: &Config) -> crate::cards::CardStyle {
    let Some(brand) = &config.brand else {
        return crate::cards::CardStyle::default();
    };
    let rgb = |c: crate::config::Rgb| [c.r, c.g, c.b];
    let logo = brand
        .logo
        .as_ref()
        .filter(|logo| logo.kind == crate::config::LogoKind::Png)
        .and_then(|logo| image::open(root.join(&logo.path)).ok())
        .map(|image| crate::cards::Logo {
            image: image.to_rgba8(),
        });
    crate::cards::CardStyle {
        background: rgb(crate::brand::theme_colour(Some(brand))),
        accent: rgb(brand.accent),
        logo,
        ..crate::cards::CardStyle::default()
    }
}

fn available_themes(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root.join("themes"))
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.push(source::DEFAULT_THEME_NAME.to_string());
    names.sort();
    names.dedup();
    names
}
