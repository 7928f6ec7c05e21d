//! `base_url` (from `site.yaml` or `--base-url`): the text as written in, the address every
//! page, the sitemap, `robots.txt` and `_redirects` are written with out, or what is wrong.
//!
//! The address is copied into files where a line break starts a new rule (`_redirects`,
//! `robots.txt`) and into HTML and XML attributes, so only a plain absolute http(s) address
//! is taken: no spaces, line breaks, control characters or quotes, a host, no `?` or `#`.

/// What is wrong with a `base_url`, and what to write instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub message: String,
    /// The help for `site.yaml`.
    pub help: String,
    /// The address meant, when it can be told (for the help of `--base-url`).
    pub fixed: Option<String>,
}

/// The address, normalised (lower-case scheme and host, ending in `/`), or what is wrong.
pub fn check(written: &str) -> Result<String, Problem> {
    normalise(written).map_err(|message| {
        let fixed = suggestion(written);
        Problem {
            help: match &fixed {
                Some(fixed) => format!("write `base_url: {fixed}`"),
                None => "write the full address the site will live at, like `base_url: https://www.example.com/`".into(),
            },
            fixed,
            message,
        }
    })
}

/// The address normalised, or the message saying what is wrong with it.
fn normalise(written: &str) -> Result<String, String> {
    let shown = crate::diagnostics::visible(written);
    if let Some(c) = written
        .chars()
        .find(|c| c.is_whitespace() || c.is_control())
    {
        let what = match c {
            ' ' => "a space",
            '\n' | '\r' => "a line break",
            '\t' => "a tab",
            _ => "a hidden character",
        };
        return Err(format!("`base_url` `{shown}` has {what} in it"));
    }
    if let Some(c) = written.chars().find(|c| FORBIDDEN.contains(*c)) {
        return Err(format!("`base_url` `{shown}` has a `{c}` in it"));
    }
    let parsed = url::Url::parse(written).ok().filter(|url| {
        matches!(url.scheme(), "http" | "https")
            && url.host_str().is_some_and(|h| !h.is_empty())
            && written.contains("://")
    });
    let Some(url) = parsed else {
        return Err(format!(
            "`{shown}` is not a full web address (`https://` and a host name)"
        ));
    };
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "`base_url` `{shown}` has a user name or password in it"
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!("`base_url` `{shown}` has a `?` or `#` part"));
    }
    let mut normal = url.to_string();
    if !normal.ends_with('/') {
        normal.push('/');
    }
    Ok(normal)
}

/// Characters that would end an attribute, a field of `_redirects` or the address itself.
const FORBIDDEN: &str = "\"'<>\\`^{}|";

/// The written value made into an address, when that is a simple repair: what follows a space
/// or line break or quote left out, `https://` added.
fn suggestion(written: &str) -> Option<String> {
    let first = written
        .trim()
        .split(|c: char| c.is_whitespace() || c.is_control() || FORBIDDEN.contains(c))
        .find(|part| !part.is_empty())
        .unwrap_or("");
    let kept = first.trim_start_matches('/');
    let with_scheme = if kept.contains("://") {
        kept.to_string()
    } else {
        format!("https://{kept}")
    };
    normalise(&with_scheme)
        .ok()
        .filter(|_| !kept.is_empty() && with_scheme.contains('.'))
}

/// `https://host[:port]` (lower case) for an address on the web, `None` for a relative
/// address or another kind (`data:`, `mailto:`, `tel:`). An address starting with `//` takes
/// the page's scheme: counted as `https`.
pub fn origin_of(url: &str) -> Option<String> {
    // Browsers drop tabs and line breaks anywhere in an address and read `\` as `/`.
    let url: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .map(|c| if c == '\\' { '/' } else { c })
        .collect();
    let lower = url.to_ascii_lowercase();
    let (scheme, rest) = if let Some(rest) = lower.strip_prefix("//") {
        ("https", rest)
    } else if let Some(rest) = lower.strip_prefix("https:") {
        ("https", rest.trim_start_matches('/'))
    } else if let Some(rest) = lower.strip_prefix("http:") {
        ("http", rest.trim_start_matches('/'))
    } else {
        return None;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit('@').next().unwrap_or("");
    (!host.is_empty()).then(|| format!("{scheme}://{host}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_addresses_are_normalised() {
        assert_eq!(
            check("https://example.org").unwrap(),
            "https://example.org/"
        );
        assert_eq!(
            check("HTTPS://Example.ORG/clinic").unwrap(),
            "https://example.org/clinic/"
        );
        assert_eq!(
            check("http://127.0.0.1:1111/").unwrap(),
            "http://127.0.0.1:1111/"
        );
    }

    #[test]
    fn anything_that_could_add_a_rule_or_leave_an_attribute_is_refused() {
        for (bad, says) in [
            (
                "https://www.example.com/\n/*  https://evil.example/:splat  200!\n/",
                "a line break",
            ),
            ("https://example.com/\nDisallow: /\n", "a line break"),
            ("https://exa mple.com/", "a space"),
            ("https://example.com/\"onload=\"x", "`\"`"),
            ("https://example.com/\u{0}", "hidden character"),
            ("", "not a full web address"),
            ("//example.com/", "not a full web address"),
            ("example.com", "not a full web address"),
            ("ftp://example.com/", "not a full web address"),
            ("/clinic/", "not a full web address"),
            ("https://user:pw@example.com/", "user name"),
            ("https://example.com/?a=b", "`?`"),
        ] {
            let problem = check(bad).unwrap_err();
            assert!(problem.message.contains(says), "{bad:?}: {problem:?}");
        }
    }

    #[test]
    fn the_help_gives_the_address_to_write() {
        assert_eq!(
            check("www.example.com").unwrap_err().help,
            "write `base_url: https://www.example.com/`"
        );
        assert_eq!(
            check("//example.com/clinic/").unwrap_err().help,
            "write `base_url: https://example.com/clinic/`"
        );
        assert_eq!(
            check("https://example.com/ ").unwrap_err().help,
            "write `base_url: https://example.com/`"
        );
        assert_eq!(
            check("https://example.com/\nDisallow: /\n")
                .unwrap_err()
                .fixed
                .as_deref(),
            Some("https://example.com/")
        );
        assert!(
            check("\n")
                .unwrap_err()
                .help
                .contains("https://www.example.com/")
        );
    }
}
