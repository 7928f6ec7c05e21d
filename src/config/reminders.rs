//! What `site.yaml` still has to be told before the site goes to patients: the settings and
//! site.yaml's text in, warnings out (they do not stop a build; `build` prints them, `check`
//! counts them with the rest): the example address `init` wrote, and site words shown in the
//! default language on another language's pages.

use super::{Config, EXAMPLE_BASE_URL, FILE, line_width};
use crate::diagnostics::{Code, Diagnostic};
use crate::yaml;

/// Every reminder for the settings `config`, read from `text`; `overridden` when the address
/// was given with `--base-url`.
pub fn of(config: &Config, text: &str, overridden: bool) -> Vec<Diagnostic> {
    let mut found = Vec::from_iter(example_base_url(config, text, overridden));
    found.extend(untranslated(config, text));
    found
}

/// A warning when the site would be published with the example address from `init` (its
/// canonical links, sitemap and link previews would point there). `text` is site.yaml.
fn example_base_url(config: &Config, text: &str, overridden: bool) -> Option<Diagnostic> {
    if overridden || config.base_url != EXAMPLE_BASE_URL {
        return None;
    }
    let line = yaml::key_line(text, "base_url").unwrap_or(1);
    Some(
        Diagnostic::new(
            Code::ConfigExampleBaseUrl,
            FILE,
            format!("`base_url` is still the example address {EXAMPLE_BASE_URL}: canonical links, the sitemap and link previews will point there"),
        )
        .at(line, 1)
        .width(line_width(text, line))
        .help("write the address the site will be published at, like `base_url: https://www.yourclinic.com/`, or build with `--base-url https://www.yourclinic.com/`"),
    )
}

/// A warning for each of the site's other languages whose pages would show the site's
/// tagline or description in the default language: `translations:` has no words for them.
fn untranslated(config: &Config, text: &str) -> Vec<Diagnostic> {
    let line = yaml::key_line(text, "translations")
        .or_else(|| yaml::key_line(text, "languages"))
        .unwrap_or(1);
    let mut found = Vec::new();
    for lang in config.languages.iter().filter(|l| **l != config.language) {
        let words = config.translations.get(lang);
        let missing: Vec<(&str, &str)> = [
            (
                "tagline",
                &config.tagline,
                words.and_then(|w| w.tagline.as_ref()),
            ),
            (
                "description",
                &config.description,
                words.and_then(|w| w.description.as_ref()),
            ),
        ]
        .into_iter()
        .filter(|(_, own, translated)| !own.is_empty() && translated.is_none())
        .map(|(key, own, _)| (key, own.as_str()))
        .collect();
        if missing.is_empty() {
            continue;
        }
        let keys: Vec<String> = missing.iter().map(|(key, _)| format!("`{key}`")).collect();
        let lines: Vec<String> = missing
            .iter()
            .map(|(key, own)| format!("{key}: \"{}\"", own.replace('"', "'")))
            .collect();
        found.push(
            Diagnostic::new(
                Code::ConfigUntranslated,
                FILE,
                format!(
                    "the `{lang}` pages show the site's {} in `{}`: `translations:` has no `{lang}` words for {}",
                    keys.join(" and "),
                    config.language,
                    if missing.len() == 1 { "it" } else { "them" },
                ),
            )
            .at(line, 1)
            .width(line_width(text, line))
            .help(format!(
                "write them in `{lang}` under `translations:`, like `translations: {{ {lang}: {{ {} }} }}` with the words translated",
                lines.join(", ")
            )),
        );
    }
    found
}
