//! Redirects: each page's `aliases:` in, checked old addresses out, written as redirect pages
//! and as the hosts' `_redirects` file.

use std::collections::HashMap;

use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic};
use crate::site::{Site, content_path};

use super::xml_escape;

/// A redirect from an old address to a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// The old address, relative to the site root (`old-faq/pain/`).
    pub from: String,
    /// The page's address, relative to the site root.
    pub to: String,
}

/// The redirects asked for with `aliases:`; an alias that is a real page's address, or that
/// two pages claim, is an error.
pub fn redirects(site: &Site) -> (Vec<Redirect>, Vec<Diagnostic>) {
    let mut redirects = Vec::new();
    let mut findings = Vec::new();
    let mut claimed: HashMap<String, String> = HashMap::new();
    let commons = site
        .sections
        .iter()
        .map(|s| &s.common)
        .chain(site.pages.iter().map(|p| &p.common))
        // A draft in a `--drafts` preview takes over no old address.
        .filter(|c| !c.draft);
    for common in commons {
        for alias in &common.aliases {
            let file = content_path(&common.source);
            let line = alias_line(common, alias);
            let from = match normalise_alias(alias) {
                Ok(from) => from,
                Err(AliasProblem { message, help }) => {
                    findings.push(
                        Diagnostic::new(Code::AliasInvalid, &file, message)
                            .at(line, 1)
                            .help(help),
                    );
                    continue;
                }
            };
            if let Some(target) = site.by_path.get(&from) {
                let other = site
                    .common(*target)
                    .map(|c| c.source.clone())
                    .unwrap_or_default();
                findings.push(
                    Diagnostic::new(
                        Code::AliasCollision,
                        &file,
                        format!("the old address `/{from}` is the address of content/{other}"),
                    )
                    .at(line, 1)
                    .help("remove this alias, or move the other page"),
                );
                continue;
            }
            if let Some(first) = claimed.insert(from.clone(), common.source.clone()) {
                findings.push(
                    Diagnostic::new(
                        Code::AliasCollision,
                        &file,
                        format!("content/{first} already redirects `/{from}`"),
                    )
                    .at(line, 1)
                    .help("an old address can redirect to one page only"),
                );
                continue;
            }
            redirects.push(Redirect {
                from,
                to: common.path.clone(),
            });
        }
    }
    redirects.sort_by(|a, b| a.from.cmp(&b.from));
    (redirects, findings)
}

fn alias_line(common: &crate::site::Common, alias: &str) -> usize {
    common
        .alias_lines
        .iter()
        .find(|(a, _)| a == alias)
        .map_or(1, |(_, l)| *l)
}

/// Why an alias cannot be used, and what to write instead.
#[derive(Debug, PartialEq, Eq)]
struct AliasProblem {
    message: String,
    help: String,
}

/// `/old-faq/pain` -> `old-faq/pain/`. Refused: anything that could leave the site, split a
/// line of `_redirects` into other rules (spaces, line breaks), act as a rule there (`*`
/// wildcards, `:name` placeholders) or not exist as a file name on Windows (`C:`, `<>"|?*`,
/// a name ending in `.` or a space).
fn normalise_alias(alias: &str) -> Result<String, AliasProblem> {
    let shown = crate::diagnostics::visible(alias);
    let cleaned: String = alias
        .chars()
        .filter(|c| !(c.is_whitespace() || c.is_control() || "*:?#\"'<>|\\".contains(*c)))
        .collect();
    let cleaned = cleaned
        .split('/')
        .filter(|p| !p.is_empty() && *p != "." && *p != "..")
        .map(|p| p.trim_end_matches('.'))
        .collect::<Vec<_>>()
        .join("/");
    let (example, like) = if cleaned.is_empty() {
        (
            "write the old address as a path, like `/old-faq/pain/`".to_string(),
            "`/old-faq/pain/`".to_string(),
        )
    } else {
        (
            format!("write it as `/{cleaned}/`"),
            format!("`/{cleaned}/`"),
        )
    };
    let problem = |message: String, help: String| AliasProblem { message, help };
    let trimmed = alias.trim().trim_start_matches('/');
    if alias.contains("://") || alias.trim().starts_with("//") {
        return Err(problem(
            format!("`{shown}` is an address on another website, not an old address of this one"),
            "write the old address as a path on this site, like `/old-faq/pain/`".into(),
        ));
    }
    if let Some(c) = trimmed
        .chars()
        .find(|c| c.is_whitespace() || c.is_control())
    {
        let what = if c == ' ' {
            "a space"
        } else if c == '\n' {
            "a line break"
        } else {
            "a hidden character"
        };
        return Err(problem(
            format!("the old address `{shown}` has {what} in it"),
            example,
        ));
    }
    if trimmed.contains('*') || trimmed.split('/').any(|p| p.starts_with(':')) {
        return Err(problem(
            format!(
                "the old address `{shown}` has a `*` or `:name` part: hosts read those as patterns matching many addresses"
            ),
            format!("write one exact address, like {like}"),
        ));
    }
    if let Some(c) = trimmed.chars().find(|c| ":?#\"'<>|\\".contains(*c)) {
        return Err(problem(
            format!(
                "the old address `{shown}` has a `{c}` in it, which a file name cannot have on Windows or in a link"
            ),
            example,
        ));
    }
    let parts: Vec<&str> = trimmed.split('/').filter(|p| !p.is_empty()).collect();
    if parts.is_empty() {
        return Err(problem(
            format!("`{shown}` cannot be used as an old address"),
            "write the old address as a path, like `/old-faq/pain/`".into(),
        ));
    }
    if parts.iter().any(|p| *p == ".." || *p == ".") {
        return Err(problem(
            format!(
                "the old address `{shown}` has a `.` or `..` part, which could point outside the site"
            ),
            example,
        ));
    }
    if parts.iter().any(|p| p.ends_with('.')) {
        return Err(problem(
            format!(
                "a part of the old address `{shown}` ends with `.`, which a file name cannot on Windows"
            ),
            example,
        ));
    }
    let joined = parts.join("/");
    Ok(if joined.ends_with(".html") {
        joined
    } else {
        format!("{joined}/")
    })
}

/// The small page written at an old address.
pub fn redirect_page(redirect: &Redirect, config: &Config) -> String {
    let depth = redirect.from.trim_end_matches(".html").matches('/').count();
    let to_relative = format!(
        "{}{}",
        if depth == 0 {
            "./".into()
        } else {
            "../".repeat(depth)
        },
        redirect.to
    );
    let absolute = xml_escape(&format!("{}{}", config.base_url, redirect.to));
    let relative = xml_escape(&to_relative);
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>This page has moved</title>\n<link rel=\"canonical\" href=\"{absolute}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={relative}\">\n</head>\n<body>\n<p>This page has moved to <a href=\"{relative}\">{absolute}</a>.</p>\n</body>\n</html>\n",
        lang = xml_escape(&config.language)
    )
}

/// `_redirects` for Netlify and Cloudflare Pages: one permanent redirect a line.
pub fn redirects_file(redirects: &[Redirect], config: &Config) -> String {
    let base = config.base_path();
    redirects
        .iter()
        .map(|r| {
            format!(
                "{} {} 301\n",
                redirects_field(&format!("{base}{}", r.from)),
                redirects_field(&format!("{base}{}", r.to))
            )
        })
        .collect()
}

/// A path as one field of a `_redirects` line: spaces, line breaks and other characters
/// that would split the line are percent-encoded, as browsers send them.
fn redirects_field(path: &str) -> String {
    let mut field = String::with_capacity(path.len());
    for c in path.chars() {
        if c.is_whitespace() || c.is_control() {
            let mut bytes = [0; 4];
            for byte in c.encode_utf8(&mut bytes).bytes() {
                field.push_str(&format!("%{byte:02X}"));
            }
        } else {
            field.push(c);
        }
    }
    field
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_are_paths_inside_the_site() {
        assert_eq!(normalise_alias("/old/pain").unwrap(), "old/pain/");
        assert_eq!(normalise_alias("old.html").unwrap(), "old.html");
        for bad in [
            "/../x",
            "https://a.org/x",
            "//a.org/x",
            "/",
            "a\\b",
            "/a b/",
            "/a\n/b 301",
            "/a?b",
            "/*/",
            "/:splat/",
            "/faq/:slug/",
            "C:/x/",
            "/a:b/",
            "/a<b/",
            "/a|b/",
            "/a\"b/",
            "/old./",
            "/old /",
        ] {
            assert!(normalise_alias(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn alias_problems_say_what_to_write() {
        let problem = normalise_alias("/*/").unwrap_err();
        assert_eq!(
            problem.message,
            "the old address `/*/` has a `*` or `:name` part: hosts read those as patterns matching many addresses"
        );
        assert_eq!(
            problem.help,
            "write one exact address, like `/old-faq/pain/`"
        );
        assert_eq!(
            normalise_alias("/a:b/").unwrap_err().help,
            "write it as `/ab/`"
        );
        assert_eq!(
            normalise_alias("/old./").unwrap_err().help,
            "write it as `/old/`"
        );
    }

    #[test]
    fn redirects_fields_never_split_a_line() {
        assert_eq!(redirects_field("/a b/\n/c\u{a0}"), "/a%20b/%0A/c%C2%A0");
    }
}
