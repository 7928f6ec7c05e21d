//! The theme's words in each language: `themes/NAME/i18n/LANG.yaml` files in, one checked
//! table per language and the `t()` template function out.
//!
//! A table is a flat list of `key: text` lines. A child theme's table adds to and replaces
//! keys of its parent's. Every key must exist in every language of the site, so a missing
//! translation is an error at build time, not an English word on a Spanish page.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::diagnostics::{Code, Diagnostic};
use crate::source::ThemeFiles;
use crate::yaml;

/// Language code -> key -> text.
pub type Tables = BTreeMap<String, BTreeMap<String, String>>;

/// Reads and merges the chain's tables (child first in `chain`) and checks that each of
/// `languages` has every key. A theme without `i18n/` files has no tables; `t()` then fails
/// with a message saying so.
pub fn load(chain: &[ThemeFiles], languages: &[String]) -> Result<Tables, Vec<Diagnostic>> {
    let mut tables: Tables = BTreeMap::new();
    let mut files: BTreeMap<String, std::path::PathBuf> = BTreeMap::new();
    let mut findings = Vec::new();
    for theme in chain.iter().rev() {
        for (lang, text) in &theme.i18n {
            let file = theme.dir.join("i18n").join(format!("{lang}.yaml"));
            let origin = yaml::Origin {
                file: &file,
                first_line: 1,
            };
            match yaml::parse_map(text, origin) {
                Ok(map) => tables.entry(lang.clone()).or_default().extend(map),
                Err(mut errors) => findings.append(&mut errors),
            }
            files.insert(lang.clone(), file);
        }
    }
    if !findings.is_empty() {
        return Err(findings);
    }
    if tables.is_empty() {
        return Ok(tables);
    }
    let all_keys: BTreeSet<&String> = languages
        .iter()
        .filter_map(|l| tables.get(l))
        .flat_map(|t| t.keys())
        .collect();
    let dir = chain
        .first()
        .map(|t| t.dir.join("i18n"))
        .unwrap_or_default();
    for lang in languages {
        let file = files
            .get(lang)
            .cloned()
            .unwrap_or_else(|| dir.join(format!("{lang}.yaml")));
        let Some(table) = tables.get(lang) else {
            findings.push(
                Diagnostic::new(
                    Code::I18nMissingLanguage,
                    file,
                    format!("the theme has no words for the site's language `{lang}`"),
                )
                .help(format!(
                    "translate the theme's i18n files into `{lang}.yaml`, with the same keys"
                )),
            );
            continue;
        };
        for key in all_keys.iter().filter(|k| !table.contains_key(**k)) {
            let has = tables
                .iter()
                .find(|(_, t)| t.contains_key(*key))
                .map(|(l, _)| l.as_str())
                .unwrap_or("another language");
            findings.push(
                Diagnostic::new(
                    Code::I18nMissingKey,
                    &file,
                    format!("`{key}` has no `{lang}` translation"),
                )
                .help(format!(
                    "add a line `{key}: ...` with the {lang} text ({has}.yaml has it)"
                )),
            );
        }
    }
    if findings.is_empty() {
        Ok(tables)
    } else {
        Err(findings)
    }
}

/// Each language's table as one template value, the map every template gets as `i18n`:
/// `{{ i18n.home }}` is the text `{{ t(key="home") }}` gives, made once per language instead
/// of a function call (and its arguments) each time a page uses a word.
pub fn values(tables: &Tables) -> BTreeMap<String, tera::Value> {
    tables
        .iter()
        .map(|(lang, table)| (lang.clone(), tera::Value::from_serializable(table)))
        .collect()
}

/// Registers `t(key="read_more")`: the text of `key` in the language of the page being
/// rendered. Other arguments fill `{name}` placeholders: `t(key="reviewed", date=d)`.
pub fn register(tera: &mut tera::Tera, tables: Arc<Tables>) {
    // Each text as a template value, made once: a page's many `t()` calls copy it. (Every
    // page calls `t()` a few dozen times: a quick hash for the short keys.)
    let values: FxHashMap<String, FxHashMap<String, tera::Value>> = tables
        .iter()
        .map(|(lang, table)| {
            let texts = table
                .iter()
                .map(|(key, text)| (key.clone(), tera::Value::from(text.as_str())))
                .collect();
            (lang.clone(), texts)
        })
        .collect();
    tera.register_function("t", move |kwargs: tera::Kwargs, state: &tera::State| -> tera::TeraResult<tera::Value> {
        let key: &str = kwargs.must_get("key")?;
        // As `state.get::<String>` reads it, without copying a string.
        let lang = state.get::<tera::Value>("lang")?;
        let lang: std::borrow::Cow<str> = match &lang {
            Some(value) => match value.as_str() {
                Some(lang) => lang.into(),
                None => value.to_string().into(),
            },
            None => "".into(),
        };
        let lang = lang.as_ref();
        let value = values
            .get(lang)
            .and_then(|t| t.get(key))
            .ok_or_else(|| tera::Error::message(format!("t(): the theme has no text `{key}` in `{lang}` (add it to the theme's i18n/{lang}.yaml)")))?;
        if kwargs.iter().all(|(name, _)| name.as_str() == Some("key")) {
            return Ok(value.clone());
        }
        let mut text = value.as_str().unwrap_or_default().to_string();
        for (name, value) in kwargs.iter() {
            if name.as_str() != Some("key") {
                let name = name.as_str().unwrap_or_default();
                let filled = match value.as_str() {
                    Some(filled) => std::borrow::Cow::Borrowed(filled),
                    None => value.to_string().into(),
                };
                text = fill(&text, name, &filled);
            }
        }
        Ok(text.into())
    });
}

/// `text` with every `{name}` replaced by `value` (as `str::replace` would, without making
/// the pattern first).
fn fill(text: &str, name: &str, value: &str) -> String {
    let mut out = String::with_capacity(text.len() + value.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.strip_prefix(name).and_then(|a| a.strip_prefix('}')) {
            Some(tail) => {
                out.push_str(&rest[..open]);
                out.push_str(value);
                rest = tail;
            }
            None => {
                out.push_str(&rest[..=open]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn theme(i18n: &[(&str, &str)]) -> ThemeFiles {
        ThemeFiles {
            name: "t".into(),
            dir: PathBuf::from("themes/t"),
            manifest: String::new(),
            templates: Vec::new(),
            statics: Vec::new(),
            i18n: i18n
                .iter()
                .map(|(l, t)| (l.to_string(), t.to_string()))
                .collect(),
        }
    }

    #[test]
    fn a_key_missing_in_one_language_is_an_error() {
        let chain = [theme(&[
            ("en", "home: Home\nmore: More\n"),
            ("es", "home: Inicio\n"),
        ])];
        let errors = load(&chain, &["en".into(), "es".into()]).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].message, "`more` has no `es` translation");
        assert_eq!(errors[0].file, PathBuf::from("themes/t/i18n/es.yaml"));
    }

    #[test]
    fn a_child_theme_replaces_keys() {
        let chain = [
            theme(&[("en", "home: Start\n")]),
            theme(&[("en", "home: Home\nmore: More\n")]),
        ];
        let tables = load(&chain, &["en".into()]).unwrap();
        assert_eq!(tables["en"]["home"], "Start");
        assert_eq!(tables["en"]["more"], "More");
    }

    #[test]
    fn fill_replaces_as_str_replace_does() {
        for text in [
            "",
            "Call {name} at",
            "{name}{name}",
            "{{name}}",
            "{nam} {name",
            "{names} {name}.",
            "{",
            "}{name}{",
            "Llame a {name} al",
        ] {
            for (name, value) in [("name", "Kendall"), ("name", "{name}"), ("date", "")] {
                assert_eq!(
                    fill(text, name, value),
                    text.replace(&format!("{{{name}}}"), value),
                    "{text:?} {name} {value:?}"
                );
            }
        }
    }

    #[test]
    fn t_fills_placeholders_in_the_page_language() {
        let mut tera = tera::Tera::new();
        let tables: Tables = [(
            "es".to_string(),
            [("hi".to_string(), "Hola, {name}".to_string())].into(),
        )]
        .into();
        register(&mut tera, Arc::new(tables));
        tera.add_raw_template("x", "{{ t(key=\"hi\", name=\"Ana\") }}")
            .unwrap();
        let mut context = tera::Context::new();
        context.insert("lang", "es");
        assert_eq!(tera.render("x", &context).unwrap(), "Hola, Ana");
        context.insert("lang", "fr");
        assert!(
            tera.render("x", &context)
                .unwrap_err()
                .to_string()
                .contains("no text `hi` in `fr`")
        );
    }
}
