//! Reading a theme: the site root and the theme's name in; its templates, static files, word
//! lists and manifest out, from `themes/NAME/` or, for the default theme, from the copy built
//! into the binary. A theme's parents are read by the caller, one call each.

use std::fs;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use super::{AssetFile, Data, decode, unreadable, walk};
use crate::diagnostics::{Code, Diagnostic};

/// The default theme, built into the binary so `init` and sites without a `themes/clinic`
/// folder work anywhere.
pub static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/clinic");
/// The default theme's name.
pub const DEFAULT_THEME_NAME: &str = "clinic";

/// One theme's files (not its parents').
#[derive(Debug, Clone)]
pub struct ThemeFiles {
    pub name: String,
    /// Shown in messages: `themes/clinic` or `(built-in theme clinic)`.
    pub dir: PathBuf,
    pub manifest: String,
    /// Template name (path under `templates/`) and text.
    pub templates: Vec<(String, String)>,
    /// Path under `static/` and bytes.
    pub statics: Vec<AssetFile>,
    /// `i18n/LANG.yaml` files: language code and text.
    pub i18n: Vec<(String, String)>,
}

/// Reads theme `name` from `root/themes/name`, or the built-in default theme.
pub fn read_theme(root: &Path, name: &str) -> Result<ThemeFiles, Vec<Diagnostic>> {
    let dir = root.join("themes").join(name);
    if !dir.is_dir() {
        if name == DEFAULT_THEME_NAME {
            return Ok(embedded_theme());
        }
        return Err(vec![Diagnostic::new(
            Code::ThemeMissing,
            Path::new("themes").join(name),
            format!("there is no theme `{name}`"),
        )]);
    }
    let display_dir = Path::new("themes").join(name);
    let mut findings = Vec::new();
    let manifest = match fs::read(dir.join("theme.yaml")) {
        Ok(bytes) => decode(bytes, &display_dir.join("theme.yaml")).unwrap_or_else(|f| {
            findings.push(f);
            String::new()
        }),
        Err(error) => {
            findings.push(
                unreadable(&display_dir.join("theme.yaml"), &error)
                    .help("every theme needs a `theme.yaml` with at least `name: THEME`"),
            );
            String::new()
        }
    };
    let mut templates = Vec::new();
    for (path, rel) in walk(root, &dir.join("templates"), &dir, &mut findings) {
        let display = display_dir.join("templates").join(&rel);
        match fs::read(&path)
            .map_err(|e| unreadable(&display, &e))
            .and_then(|b| decode(b, &display))
        {
            Ok(text) => templates.push((rel, text)),
            Err(finding) => findings.push(finding),
        }
    }
    let mut i18n = Vec::new();
    for (path, rel) in walk(root, &dir.join("i18n"), &dir, &mut findings) {
        let Some(lang) = rel.strip_suffix(".yaml") else {
            continue;
        };
        let display = display_dir.join("i18n").join(&rel);
        match fs::read(&path)
            .map_err(|e| unreadable(&display, &e))
            .and_then(|b| decode(b, &display))
        {
            Ok(text) => i18n.push((lang.to_string(), text)),
            Err(finding) => findings.push(finding),
        }
    }
    let statics = walk(root, &dir.join("static"), &dir, &mut findings)
        .into_iter()
        .map(|(path, rel)| AssetFile {
            rel,
            data: Data::Disk(path),
        })
        .collect();
    if !findings.is_empty() {
        return Err(findings);
    }
    templates.sort();
    Ok(ThemeFiles {
        name: name.to_string(),
        dir: display_dir,
        manifest,
        templates,
        statics,
        i18n,
    })
}

fn embedded_theme() -> ThemeFiles {
    let mut templates = Vec::new();
    let mut statics = Vec::new();
    let mut i18n = Vec::new();
    let mut stack = vec![&DEFAULT_THEME];
    while let Some(dir) = stack.pop() {
        stack.extend(dir.dirs());
        for file in dir.files() {
            let path = file.path().to_string_lossy().replace('\\', "/");
            if let Some(name) = path.strip_prefix("templates/") {
                let text = String::from_utf8_lossy(file.contents()).replace("\r\n", "\n");
                templates.push((name.to_string(), text));
            } else if let Some(lang) = path
                .strip_prefix("i18n/")
                .and_then(|p| p.strip_suffix(".yaml"))
            {
                i18n.push((
                    lang.to_string(),
                    String::from_utf8_lossy(file.contents()).into_owned(),
                ));
            } else if let Some(rel) = path.strip_prefix("static/") {
                statics.push(AssetFile {
                    rel: rel.to_string(),
                    data: Data::Embedded(file.contents()),
                });
            }
        }
    }
    templates.sort();
    statics.sort_by(|a, b| a.rel.cmp(&b.rel));
    let manifest = DEFAULT_THEME
        .get_file("theme.yaml")
        .map(|f| String::from_utf8_lossy(f.contents()).into_owned())
        .unwrap_or_default();
    ThemeFiles {
        name: DEFAULT_THEME_NAME.into(),
        dir: PathBuf::from(format!("(built-in theme {DEFAULT_THEME_NAME})")),
        manifest,
        templates,
        statics,
        i18n,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_theme_is_built_in() {
        let theme = embedded_theme();
        assert!(theme.templates.iter().any(|(name, _)| name == "base.html"));
    }
}
