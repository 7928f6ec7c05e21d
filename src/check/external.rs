//! Outside links, only with `--external`: the site's `http(s)://` links in, a finding for each
//! that is broken or cannot be reached out.
//!
//! What Zola's checker is blamed for, avoided: answers are cached in
//! `.clinicsite-cache/links.json` (a link that worked is not asked again for
//! `cache_days`), each request has a timeout, at most `per_host` requests go to one host at a
//! time, requests carry a browser's user agent (many sites refuse unknown clients), and
//! `HEAD` is retried as `GET` for servers that do not answer `HEAD`.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::content_rules::{attribute, tags};
use super::page::PageInput;
use super::settings::ExternalSettings;
use crate::diagnostics::{Code, Diagnostic};
use crate::frontmatter::Date;

/// Where the cache lives, under the site's folder.
pub const CACHE_DIR: &str = ".clinicsite-cache";
const CACHE_FILE: &str = "links.json";
const USER_AGENT: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
/// Requests in flight at once, over all hosts.
const WORKERS: usize = 8;

/// An outside link and where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalLink {
    pub url: String,
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    pub width: usize,
}

/// What asking for a link gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum Outcome {
    Ok { status: u16 },
    Broken { reason: String },
    Unreachable { reason: String },
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Cache {
    links: BTreeMap<String, Cached>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Cached {
    checked: Date,
    #[serde(flatten)]
    outcome: Outcome,
}

/// How many links were asked and how many answers came from the cache.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub links: usize,
    pub asked: usize,
    pub from_cache: usize,
}

/// The page's `http://` and `https://` links and images, in markdown or HTML.
pub fn collect(page: &PageInput) -> Vec<ExternalLink> {
    let mut links = Vec::new();
    let mut add = |url: &str, range: std::ops::Range<usize>| {
        if url.starts_with("http://") || url.starts_with("https://") {
            let spot = page.body_spot(range);
            links.push(ExternalLink {
                url: url.to_string(),
                file: page.file.clone(),
                line: spot.line,
                column: spot.column,
                width: spot.width,
            });
        }
    };
    for link in &page.doc.links {
        add(link.dest.trim(), link.source.clone());
    }
    for html in &page.doc.html {
        for (tag, attr) in [("a", "href"), ("img", "src")] {
            for (at, text) in tags(&html.text, tag) {
                if let Some(url) = attribute(text, attr) {
                    add(
                        &url,
                        html.source.start + at..html.source.start + at + text.len(),
                    );
                }
            }
        }
    }
    links
}

/// Checks every link (each address once), using and updating the cache in `root`.
pub fn check(
    links: &[ExternalLink],
    settings: ExternalSettings,
    today: Date,
    root: &Path,
) -> (Vec<Diagnostic>, Summary) {
    let cache_path = root.join(CACHE_DIR).join(CACHE_FILE);
    let mut cache: Cache = std::fs::read(&cache_path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    let mut urls: Vec<&str> = links.iter().map(|l| without_fragment(&l.url)).collect();
    urls.sort_unstable();
    urls.dedup();
    let fresh = |url: &str| {
        cache.links.get(url).filter(|c| {
            matches!(c.outcome, Outcome::Ok { .. })
                && (today.0 - c.checked.0).num_days() < settings.cache_days
        })
    };
    let to_ask: Vec<&str> = urls
        .iter()
        .copied()
        .filter(|u| fresh(u).is_none())
        .collect();
    let summary = Summary {
        links: urls.len(),
        asked: to_ask.len(),
        from_cache: urls.len() - to_ask.len(),
    };
    for (url, outcome) in ask_all(&to_ask, settings) {
        cache.links.insert(
            url,
            Cached {
                checked: today,
                outcome,
            },
        );
    }
    save(&cache, &cache_path);
    let findings = links
        .iter()
        .filter_map(|link| finding(link, &cache.links.get(without_fragment(&link.url))?.outcome))
        .collect();
    (findings, summary)
}

fn without_fragment(url: &str) -> &str {
    url.split('#').next().unwrap_or(url)
}

/// Writes the cache, with a `.gitignore` so the folder never ends up in the site's history.
/// A cache that cannot be written only costs time next run.
fn save(cache: &Cache, path: &Path) {
    let Some(dir) = path.parent() else { return };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let _ = std::fs::write(dir.join(".gitignore"), "*\n");
    if let Ok(json) = serde_json::to_vec_pretty(cache) {
        let _ = crate::atomic_file::replace(path, &json);
    }
}

fn finding(link: &ExternalLink, outcome: &Outcome) -> Option<Diagnostic> {
    let (rule, reason, help) = match outcome {
        Outcome::Ok { .. } => return None,
        Outcome::Broken { reason } => (
            Code::LinkExternalBroken,
            reason,
            "find the page's new address, or remove the link",
        ),
        Outcome::Unreachable { reason } => (
            Code::LinkExternalUnreachable,
            reason,
            "open the link in a browser: if it works there, the site may refuse link checkers; if not, find its new address",
        ),
    };
    Some(
        Diagnostic::new(rule, &link.file, format!("`{}` {reason}", link.url))
            .at(link.line, link.column)
            .width(link.width)
            .help(help),
    )
}

/// Asks for every address, at most `per_host` at a time per host and `WORKERS` in all.
fn ask_all(urls: &[&str], settings: ExternalSettings) -> Vec<(String, Outcome)> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(settings.timeout_seconds)))
        .user_agent(USER_AGENT)
        .http_status_as_error(false)
        .max_redirects(10)
        .build()
        .into();
    let queue = Mutex::new(lanes(urls, settings.per_host));
    let results = Mutex::new(Vec::new());
    let workers = WORKERS.min(queue.lock().map_or(0, |q| q.len()));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                while let Some(lane) = queue.lock().ok().and_then(|mut q| q.pop()) {
                    for url in lane {
                        let outcome = ask(&agent, url);
                        if let Ok(mut results) = results.lock() {
                            results.push((url.to_string(), outcome));
                        }
                    }
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_default();
    results.sort_by(|a, b| a.0.cmp(&b.0));
    results
}

/// Addresses split into lanes, each asked one after another: a host's addresses are spread
/// over at most `per_host` lanes, so no host gets more requests at once.
fn lanes<'u>(urls: &[&'u str], per_host: usize) -> Vec<Vec<&'u str>> {
    let mut by_host: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for url in urls {
        by_host.entry(host(url)).or_default().push(url);
    }
    let mut lanes = Vec::new();
    for urls in by_host.into_values() {
        let count = per_host.max(1).min(urls.len());
        let mut host_lanes = vec![Vec::new(); count];
        for (i, url) in urls.into_iter().enumerate() {
            host_lanes[i % count].push(url);
        }
        lanes.extend(host_lanes);
    }
    lanes
}

/// `https://www.example.org:8080/a` -> `www.example.org:8080`.
fn host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.split(['/', '?', '#']).next().unwrap_or(rest)
}

/// One address: `HEAD` first, then `GET` when `HEAD` did not give a clear yes.
fn ask(agent: &ureq::Agent, url: &str) -> Outcome {
    match agent
        .head(url)
        .header("Accept", "text/html,*/*;q=0.8")
        .call()
    {
        Ok(response) if response.status().is_success() => Outcome::Ok {
            status: response.status().as_u16(),
        },
        Err(ureq::Error::HostNotFound) => classify_error(&ureq::Error::HostNotFound),
        _ => match agent
            .get(url)
            .header("Accept", "text/html,*/*;q=0.8")
            .call()
        {
            Ok(response) => classify_status(response.status().as_u16()),
            Err(error) => classify_error(&error),
        },
    }
}

fn classify_status(status: u16) -> Outcome {
    match status {
        200..=299 => Outcome::Ok { status },
        404 | 410 => Outcome::Broken {
            reason: format!("answers {status}: the page is not there"),
        },
        _ => Outcome::Unreachable {
            reason: format!("answers {status}"),
        },
    }
}

fn classify_error(error: &ureq::Error) -> Outcome {
    match error {
        ureq::Error::HostNotFound => Outcome::Broken {
            reason: "is on a host that does not exist".into(),
        },
        ureq::Error::TooManyRedirects | ureq::Error::RedirectFailed => Outcome::Broken {
            reason: "redirects in a loop".into(),
        },
        ureq::Error::Timeout(_) => Outcome::Unreachable {
            reason: "did not answer in time".into(),
        },
        ureq::Error::ConnectionFailed => Outcome::Unreachable {
            reason: "refused the connection".into(),
        },
        other => Outcome::Unreachable {
            reason: format!("could not be reached ({other})"),
        },
    }
}

/// The cache's answers by address, for tests and reports.
pub fn cached(root: &Path) -> HashMap<String, Outcome> {
    std::fs::read(root.join(CACHE_DIR).join(CACHE_FILE))
        .ok()
        .and_then(|b| serde_json::from_slice::<Cache>(&b).ok())
        .map(|c| {
            c.links
                .into_iter()
                .map(|(url, cached)| (url, cached.outcome))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lanes_spread_each_host_over_at_most_per_host() {
        let urls = [
            "https://a.org/1",
            "https://a.org/2",
            "https://a.org/3",
            "https://b.org/1",
        ];
        let lanes = lanes(&urls, 2);
        assert_eq!(
            lanes,
            vec![
                vec!["https://a.org/1", "https://a.org/3"],
                vec!["https://a.org/2"],
                vec!["https://b.org/1"]
            ]
        );
    }

    #[test]
    fn hosts_and_fragments() {
        assert_eq!(
            host("https://www.example.org:8080/a?b"),
            "www.example.org:8080"
        );
        assert_eq!(without_fragment("https://a.org/x#top"), "https://a.org/x");
    }

    #[test]
    fn statuses() {
        assert_eq!(classify_status(200), Outcome::Ok { status: 200 });
        assert!(matches!(classify_status(404), Outcome::Broken { .. }));
        assert!(matches!(classify_status(503), Outcome::Unreachable { .. }));
        assert!(matches!(classify_status(403), Outcome::Unreachable { .. }));
    }
}
