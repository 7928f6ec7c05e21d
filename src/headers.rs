//! The security and caching headers: the site's settings and the names of its hashed files in,
//! `_headers` out (the format Netlify and Cloudflare Pages read), plus the same headers as
//! name/value pairs for the dev server and the nginx sample.
//!
//! The policy allows only the site itself (and the origins `third_party:` in site.yaml lets
//! through) to provide scripts, styles, pictures, fonts and data, so a page cannot be made to
//! load anything from elsewhere, even by HTML pasted into a page.

use crate::config::Config;
use crate::diagnostics::Code;

/// The file hosts read the headers from.
pub const FILE: &str = "_headers";

/// Cloudflare Pages reads at most this many rules from `_headers`.
pub const MAX_RULES: usize = 100;
/// Cloudflare Pages ignores a line of `_headers` longer than this.
pub const MAX_LINE: usize = 2_000;

/// Sent with hashed files (`style.HASH.css`): their name changes whenever their bytes do.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The headers every response of the site gets.
pub fn site_headers(config: &Config) -> Vec<(&'static str, String)> {
    vec![
        ("Content-Security-Policy", content_security_policy(config)),
        (
            "Strict-Transport-Security",
            "max-age=63072000".to_string(),
        ),
        ("Referrer-Policy", "same-origin".to_string()),
        (
            "Permissions-Policy",
            "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
                .to_string(),
        ),
        ("X-Content-Type-Options", "nosniff".to_string()),
        ("Cross-Origin-Opener-Policy", "same-origin".to_string()),
    ]
}

/// The Content-Security-Policy: nothing by default, the site itself for what its pages load,
/// plus each origin `third_party:` allows.
pub fn content_security_policy(config: &Config) -> String {
    let allowed: String = config
        .third_party
        .iter()
        .map(|entry| format!(" {}", entry.origin))
        .collect();
    let mut directives = vec!["default-src 'none'".to_string()];
    for fetch in [
        "script-src",
        "style-src",
        "img-src",
        "font-src",
        "connect-src",
    ] {
        directives.push(format!("{fetch} 'self'{allowed}"));
    }
    directives.push("manifest-src 'self'".into());
    if !allowed.is_empty() {
        // Allowed origins may also be a video, a sound or a frame (a booking widget).
        directives.push(format!("media-src{allowed}"));
        directives.push(format!("frame-src{allowed}"));
    }
    directives.push("base-uri 'none'".into());
    directives.push(format!("form-action 'self'{allowed}"));
    directives.push("frame-ancestors 'none'".into());
    directives.join("; ")
}

/// `_headers`: the site-wide headers for every address, and long caching for each hashed
/// file (`hashed`, output paths). Only as many hashed files as Cloudflare's rule limit allows
/// get a rule of their own; the rest are cached as hosts do by default.
pub fn file(config: &Config, hashed: &[String]) -> String {
    let mut text = String::from(
        "# Written by clinicsite build: security headers for Netlify and Cloudflare Pages.\n/*\n",
    );
    for (name, value) in site_headers(config) {
        text.push_str(&format!("  {name}: {value}\n"));
    }
    let mut hashed: Vec<&String> = hashed.iter().collect();
    hashed.sort();
    for path in hashed.into_iter().take(MAX_RULES - 1) {
        text.push_str(&format!("/{path}\n  Cache-Control: {IMMUTABLE}\n"));
    }
    text
}

/// The headers a `_headers` text gives every address (its `/*` rule), as (name, value).
pub fn for_every_address(text: &str) -> Vec<(String, String)> {
    let mut in_rule = false;
    let mut headers = Vec::new();
    for line in text.lines() {
        if line.trim_start().starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if !line.starts_with([' ', '\t']) {
            in_rule = line.trim() == "/*";
        } else if in_rule && let Some((name, value)) = line.trim().split_once(':') {
            headers.push((name.trim().to_string(), value.trim().to_string()));
        }
    }
    headers
}

/// Whether an output path is a file named after its content (`style.0123456789.css`), which
/// never changes and may be cached for a year.
pub fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let mut parts = name.rsplitn(3, '.');
    let (Some(ext), Some(hash), Some(_stem)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    matches!(ext, "css" | "js")
        && hash.len() == 10
        && hash
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// An error when the policy line would pass Cloudflare's limit, which makes it drop the
/// line silently: too many `third_party:` origins.
pub fn too_long(config: &Config) -> Option<crate::diagnostics::Diagnostic> {
    let longest = site_headers(config)
        .iter()
        .map(|(name, value)| name.len() + value.len() + 4)
        .max()
        .unwrap_or(0);
    (longest > MAX_LINE).then(|| {
        crate::diagnostics::Diagnostic::new(
            Code::ConfigThirdParty,
            crate::config::FILE,
            format!(
                "`third_party:` allows {} origins: the security policy would be {longest} characters long, more than the {MAX_LINE} hosts accept",
                config.third_party.len()
            ),
        )
        .help("remove the origins pages no longer need")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(yaml: &str) -> Config {
        crate::config::parse(&format!("title: T\n{yaml}"), None).expect("valid site.yaml")
    }

    #[test]
    fn the_default_policy_allows_only_the_site_itself() {
        assert_eq!(
            content_security_policy(&config("")),
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        );
    }

    #[test]
    fn an_allowed_origin_joins_every_fetch_directive() {
        let policy = content_security_policy(&config(
            "third_party:\n  - { origin: \"https://book.example.org\", reason: Booking }\n",
        ));
        for directive in [
            "script-src",
            "img-src",
            "frame-src",
            "media-src",
            "form-action",
        ] {
            assert!(
                policy.contains(&format!("{directive} 'self' https://book.example.org"))
                    || policy.contains(&format!("{directive} https://book.example.org")),
                "{directive}: {policy}"
            );
        }
    }

    #[test]
    fn the_file_reads_back_as_the_site_headers() {
        let config = config("");
        let text = file(&config, &["style.0123456789.css".to_string()]);
        let expected: Vec<(String, String)> = site_headers(&config)
            .into_iter()
            .map(|(name, value)| (name.to_string(), value))
            .collect();
        assert_eq!(for_every_address(&text), expected);
    }

    #[test]
    fn hashed_names_are_recognised() {
        assert!(is_hashed("style.0123456789.css"));
        assert!(is_hashed("js/search.abcdef0123.js"));
        assert!(!is_hashed("style.css"));
        assert!(!is_hashed("photo.0123456789.jpg"));
        assert!(!is_hashed("style.ABCDEF0123.css"));
    }

    #[test]
    fn hashed_files_get_a_rule_each_within_the_limit() {
        let many: Vec<String> = (0..150).map(|i| format!("f{i:03}.abc.css")).collect();
        let text = file(&config(""), &many);
        let rules = text.lines().filter(|l| l.starts_with('/')).count();
        assert_eq!(rules, MAX_RULES);
        assert!(text.lines().all(|l| l.len() <= MAX_LINE));
    }
}
