//! `clinicsite check`: one fixture per group of rules (`tests/fixtures/check_*`), each with what
//! must be found and what must not, the exact messages of the common cases, the three report
//! formats, severities set in `site.yaml`, `--external` against a local server, and the
//! clinic's own content passing with no errors (and only the stand-in facts' warnings).

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support::{Run, Site, assert_contains, assert_lacks};

const TODAY: &str = "2026-11-24";

/// Runs `check --today 2026-11-24 ARGS` on the site.
fn check(site: &Site, args: &[&str]) -> Run {
    let mut all = vec!["check", "--today", TODAY];
    all.extend_from_slice(args);
    site.run(&all)
}

/// The `rule` findings of a human report, as `file:line` (one per finding).
fn found(run: &Run, rule: &str) -> Vec<String> {
    let lines: Vec<&str> = run.stdout.lines().collect();
    let mut places = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if line.contains(&format!("[{rule}]:")) {
            let place = lines
                .get(i + 1)
                .and_then(|l| l.split("--> ").nth(1))
                .unwrap_or("?");
            places.push(
                place
                    .rsplit_once(':')
                    .map_or(place, |(head, _)| head)
                    .to_string(),
            );
        }
    }
    places
}

#[test]
fn a_clean_site_passes_and_prints_the_review_schedule() {
    let site = Site::fixture("check_clean");
    let run = check(&site, &[]);
    assert_eq!(run.status, 0, "{}", run.stdout);
    assert_eq!(run.stderr, "");
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn reading_level_names_the_hardest_sentences() {
    let site = Site::fixture("check_readability");
    let run = check(&site, &[]);
    assert_eq!(run.status, 1);
    assert_eq!(
        found(&run, "readability/too-hard"),
        ["content/hard.md:6", "content/no-reason.md:7"]
    );
    assert_eq!(
        found(&run, "readability/above-target"),
        ["content/medium.md:7"]
    );
    assert_eq!(
        found(&run, "check/missing-reason"),
        ["content/no-reason.md:4"]
    );
    assert_contains(
        &run.stdout,
        "error[readability/too-hard]: this page reads at grade 18.2, above the limit of grade 8\n --> content/hard.md:6:57\n",
    );
    assert_contains(
        &run.stdout,
        "help: split long sentences and use shorter words. Hardest first:",
    );
    assert_contains(
        &run.stdout,
        "line 6: \"Microneedling stimulates fibroblast activity through controlled microinjuries,…\" (grade 24.1, 15 words; long words: facilitating, Microneedling, activity, microinjuries, comprehensive)",
    );
    assert_contains(
        &run.stdout,
        "line 5: \"Collagen is responsible for supplying the skin's underlying structural support system,…\" (grade 19.8, 19 words;",
    );
    assert_contains(
        &run.stdout,
        "warning[readability/above-target]: this page reads at grade 7.2; the target is grade 6 or lower",
    );
    for quiet in ["content/raised.md", "content/short.md", "content/code.md"] {
        assert_lacks(&run.stdout, &format!("--> {quiet}"));
    }
}

#[test]
fn spanish_pages_use_the_inflesz_scale() {
    let site = Site::fixture("check_spanish");
    let run = check(&site, &[]);
    assert_eq!(run.status, 1);
    assert_eq!(
        found(&run, "readability/too-hard"),
        ["content/dificil.md:5"]
    );
    assert_contains(
        &run.stdout,
        "on the INFLESZ scale (very difficult), below the limit of 40",
    );
    assert_lacks(&run.stdout, "--> content/_index.md");
}

/// A claim on a Spanish page is answered with Spanish words to write instead.
#[test]
fn risky_claims_on_a_spanish_page_suggest_spanish_words() {
    let site = Site::fixture("check_spanish");
    site.write(
        "content/sin-dolor.md",
        "---\ntitle: Sin dolor\ndescription: Una sesión.\n---\nVea los testimonios de nuestras pacientes.\n",
    );
    let run = check(&site, &[]);
    assert_contains(
        &run.stdout,
        "error[claims/absolute]: `Sin dolor`: some people do feel discomfort, so promising none is not true for everyone\n --> content/sin-dolor.md:2:8\n",
    );
    assert_contains(
        &run.stdout,
        "help: write something like \"la mayoría de las personas siente solo una molestia leve\"; if the wording is right here, allow it in the front matter with `allow_claims` and the reason\n",
    );
    assert_contains(
        &run.stdout,
        "help: add a sentence near them, like \"Los resultados varían de una persona a otra.\"\n",
    );
    assert_lacks(&run.stdout, "most people");
    assert_lacks(&run.stdout, "Results vary");
}

#[test]
fn review_dates_are_checked_against_today() {
    let site = Site::fixture("check_review");
    let run = check(&site, &[]);
    assert_eq!(run.status, 1);
    assert_eq!(found(&run, "review/overdue"), ["content/faq/overdue.md:6"]);
    assert_eq!(found(&run, "review/due-soon"), ["content/faq/soon.md:6"]);
    assert_eq!(
        found(&run, "review/future-date"),
        ["content/faq/future.md:6"]
    );
    assert_eq!(
        found(&run, "review/missing"),
        ["content/faq/missing.md:1"],
        "no reviewer and no date: one finding"
    );
    assert_contains(
        &run.stdout,
        "error[review/overdue]: the medical review is overdue: last reviewed 2025-06-01, due 2026-06-01 (every 365 days)",
    );
    assert_contains(
        &run.stdout,
        "warning[review/due-soon]: the medical review is due on 2026-12-08, in 14 days",
    );
    assert_contains(
        &run.stdout,
        "  2026-06-01  overdue           2025-06-01     Dr. Rivera        content/faq/overdue.md\n",
    );
    assert_eq!(
        found(&run, "review/overdue").len() + found(&run, "review/due-soon").len(),
        2,
        "current.md is fine"
    );

    // A day later the due-soon entry is one day closer; a year later everything is overdue.
    let later = site.run(&["check", "--today", "2027-11-24"]);
    assert_eq!(found(&later, "review/overdue").len(), 3);
    assert_eq!(found(&later, "review/future-date"), Vec::<String>::new());
}

#[test]
fn the_review_interval_is_set_in_site_yaml() {
    let site = Site::fixture("check_review");
    site.write(
        "site.yaml",
        "title: Test Clinic\ntheme: mini\ncheck:\n  review: { interval_days: 30, warn_days: 7 }\n",
    );
    let run = check(&site, &[]);
    assert_eq!(
        found(&run, "review/overdue"),
        [
            "content/faq/current.md:6",
            "content/faq/overdue.md:6",
            "content/faq/soon.md:6"
        ]
    );
    assert_contains(&run.stdout, "(every 30 days)");
}

#[test]
fn risky_claims_are_found_in_titles_summaries_and_text() {
    let site = Site::fixture("check_claims");
    let run = check(&site, &[]);
    assert_eq!(run.status, 1);
    // "painless" inside a quoted question is still a promise; "pain" alone is not.
    assert_eq!(
        found(&run, "claims/absolute"),
        ["content/faq/painless.md:2"]
    );
    assert_contains(
        &run.stdout,
        "error[claims/absolute]: `painless`: some people do feel discomfort, so promising none is not true for everyone\n --> content/faq/painless.md:2:26\n  |\n2 | title: Is microneedling \"painless\"?\n  |                          ^^^^^^^^\n",
    );
    assert_contains(
        &run.stdout,
        "help: write something like \"most people feel only mild discomfort\"; if the wording is right here, allow it in the front matter with `allow_claims` and the reason",
    );
    // Allowed with a reason: quiet. Allowed without one: the missing reason is the finding.
    assert_eq!(found(&run, "claims/fda-approved"), Vec::<String>::new());
    assert_eq!(found(&run, "claims/superlative"), Vec::<String>::new());
    assert_eq!(
        found(&run, "check/missing-reason"),
        ["content/faq/no-reason.md:8"]
    );
    // site.yaml adds "miracle" and removes "safest".
    assert_eq!(found(&run, "claims/custom"), ["content/_index.md:5"]);
    assert_lacks(&run.stdout, "`safest`");
    assert_eq!(
        found(&run, "claims/results-disclaimer"),
        ["content/faq/results.md:8"]
    );
}

#[test]
fn content_rules() {
    let site = Site::fixture("check_content");
    let run = check(&site, &[]);
    assert_eq!(run.status, 1);
    let expected: &[(&str, &[&str])] = &[
        ("content/extra-h1", &["content/_index.md:5"]),
        ("content/link-text", &["content/_index.md:7"]),
        (
            "content/image-alt",
            &["content/_index.md:9", "content/_index.md:13"],
        ),
        ("content/heading-skip", &["content/_index.md:15"]),
        (
            "content/duplicate-title",
            &["content/about.md:2", "content/same.md:2"],
        ),
        ("content/description-length", &["content/about.md:3"]),
        ("content/missing-description", &["content/same.md:1"]),
        ("content/missing-summary", &["content/faq/no-summary.md:1"]),
        ("content/orphan", &["content/hidden/lost.md:1"]),
        ("location/hours-overlap", &["content/locations/doral.md:14"]),
        ("location/no-hours", &["content/locations/hialeah.md:4"]),
    ];
    for (rule, places) in expected {
        assert_eq!(found(&run, rule), *places, "{rule}");
    }
    assert_eq!(
        found(&run, "content/duplicate-description"),
        Vec::<String>::new()
    );
    assert_contains(
        &run.stdout,
        "warning[content/duplicate-title]: this page has the same title as content/same.md",
    );
    assert_contains(
        &run.stdout,
        "error[location/hours-overlap]: Wednesday is listed twice in the opening hours (from 09:00 and from 13:00)",
    );
    assert_contains(
        &run.stdout,
        "warning[content/orphan]: no link leads to this page: visitors cannot find it by clicking from the home page",
    );
}

#[test]
fn links_in_html_and_empty_links() {
    let site = Site::fixture("check_links");
    let run = check(&site, &[]);
    assert_eq!(run.status, 1);
    assert_eq!(found(&run, "link/empty"), ["content/_index.md:5"]);
    assert_eq!(
        found(&run, "link/html"),
        ["content/_index.md:7", "content/_index.md:9"]
    );
    assert_contains(
        &run.stdout,
        "error[link/html]: `nowhere/` leads to nothing on this site",
    );
    assert_contains(
        &run.stdout,
        "error[link/html]: `missing.png` leads to nothing on this site",
    );
}

#[test]
fn check_reports_what_build_reports() {
    let site = Site::fixture("check_links");
    site.write("content/about.md", "---\ntitle: About us\ndescription: Who we are and where to find us, with a link to our partner's website.\n---\nSee [the answers](answers.md).\n");
    let run = check(&site, &[]);
    assert_eq!(run.status, 1);
    assert_eq!(found(&run, "link/broken"), ["content/about.md:5"]);
}

#[test]
fn severities_are_set_in_site_yaml() {
    let site = Site::fixture("check_links");
    site.write("site.yaml", "title: Test Clinic\ntheme: mini\nmarkdown: { raw_html: true }\ncheck:\n  rules:\n    link/empty: warning\n    link/html: off\n");
    let run = check(&site, &[]);
    assert_eq!(run.status, 0, "only warnings are left:\n{}", run.stdout);
    assert_contains(&run.stdout, "warning[link/empty]: this link has no address");
    assert_eq!(found(&run, "link/html"), Vec::<String>::new());
    assert_contains(&run.stdout, "Checked 2 pages: no errors, 1 warning.");
}

#[test]
fn unknown_rule_ids_are_errors_with_a_suggestion() {
    let site = Site::fixture("check_links");
    site.write(
        "site.yaml",
        "title: Test Clinic\ntheme: mini\ncheck:\n  rules:\n    link/emtpy: off\n",
    );
    let run = check(&site, &[]);
    assert_eq!(run.status, 1);
    assert_contains(
        &run.stderr,
        "error[config/unknown-rule]: `check` has no rule `link/emtpy`\n --> site.yaml:5:1\n",
    );
    assert_contains(&run.stderr, "help: did you mean `link/empty`?");
}

#[test]
fn a_wrong_date_is_a_command_line_error() {
    let site = Site::fixture("check_clean");
    site.run(&["check", "--today", "2026-13-01"])
        .assert_usage_error();
    site.run(&["check", "--format", "pdf"]).assert_usage_error();
}

#[test]
fn json_report_follows_its_schema() {
    let site = Site::fixture("check_review");
    let run = check(&site, &["--format", "json"]);
    assert_eq!(run.status, 1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_eq!(json["schema"], "clinicsite-check/1");
    assert_eq!(json["today"], TODAY);
    assert_eq!(
        json["summary"],
        serde_json::json!({"pages": 7, "errors": 3, "warnings": 1})
    );
    let overdue = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "review/overdue")
        .unwrap();
    assert_eq!(
        *overdue,
        serde_json::json!({
            "rule": "review/overdue", "severity": "error", "file": "content/faq/overdue.md", "line": 6, "column": 1, "width": 25,
            "message": "the medical review is overdue: last reviewed 2025-06-01, due 2026-06-01 (every 365 days)",
            "help": "ask the medical reviewer to check this answer, then set `last_reviewed:` to the date of that review"
        })
    );
    let first = &json["review_schedule"][0];
    assert_eq!(first["file"], "content/faq/missing.md");
    assert_eq!(first["status"], "missing");
    let page = json["pages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["file"] == "content/faq/overdue.md")
        .unwrap();
    assert_eq!(page["review"], "overdue");
    assert_eq!(page["reading"]["formula"], "flesch-kincaid");
    assert_eq!(page["errors"], 1);
}

#[test]
fn html_report_has_a_chart_and_a_table_and_needs_no_network() {
    let site = Site::fixture("check_readability");
    let run = check(&site, &["--format", "html"]);
    assert_eq!(run.status, 1);
    let html = &run.stdout;
    assert!(html.starts_with("<!doctype html>"));
    assert_contains(html, "<svg xmlns=\"http://www.w3.org/2000/svg\"");
    assert_contains(html, "<title>content/hard.md: 18.2 (too hard)</title>");
    assert_contains(
        html,
        "<td>Hard<br><code>content/hard.md</code></td><td data-label=\"Language\">en</td><td data-label=\"Reading level\"><span class=\"error\">grade 18.2</span></td>",
    );
    // Each finding with its page's title, linked to the local preview, and its sentence.
    assert_contains(
        html,
        "<a class=\"page\" href=\"http://127.0.0.1:1111/hard/\">Hard</a><span class=\"file\">content/hard.md, line 6</span>",
    );
    assert_contains(
        html,
        "<blockquote><mark>Microneedling stimulates fibroblast",
    );
    assert_contains(html, "too short (4 words)");
    // What to do, written as sentences: a capital letter first, a full stop last.
    let helps: Vec<&str> = html
        .split("<span class=\"to-do\">What to do:</span> ")
        .skip(1)
        .map(|rest| rest.split("</p>").next().unwrap())
        .collect();
    assert!(!helps.is_empty());
    for help in helps {
        let first = help.chars().next().unwrap();
        assert!(first.is_uppercase() || first == '<', "{help}");
        assert!(help.ends_with(['.', '?', '!']), "{help}");
    }
    // Links to the local preview are followed only when clicked; nothing else leaves the page.
    let without_preview = html.replace("href=\"http://127.0.0.1:1111/", "");
    for outside in ["<script", "src=\"http", "href=\"http", "@import", "url("] {
        assert_lacks(&without_preview, outside);
    }
}

#[test]
fn drafts_are_checked_only_when_asked() {
    let site = Site::fixture("check_clean");
    site.write("content/faq/draft.md", "---\ntitle: A draft\ndraft: true\ndescription: A draft answer that is not finished yet and promises too much.\ncategory: Comfort\n---\nIt is painless.\n");
    assert_eq!(check(&site, &[]).status, 0);
    let run = check(&site, &["--drafts"]);
    assert_eq!(found(&run, "claims/absolute"), ["content/faq/draft.md:7"]);
}

// ---- --external against a local server ----------------------------------------------------

/// A tiny HTTP server on 127.0.0.1 that counts requests by method and path. It stops when
/// dropped, or after a minute at most.
struct Server {
    port: u16,
    requests: Arc<Mutex<HashMap<String, usize>>>,
    stop: Arc<AtomicBool>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a local port");
        listener.set_nonblocking(true).expect("non-blocking");
        let port = listener.local_addr().expect("address").port();
        let requests = Arc::new(Mutex::new(HashMap::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (counts, stopped) = (Arc::clone(&requests), Arc::clone(&stop));
        std::thread::spawn(move || {
            let started = Instant::now();
            while !stopped.load(Ordering::Relaxed) && started.elapsed() < Duration::from_secs(60) {
                match listener.accept() {
                    Ok((stream, _)) => answer(stream, &counts),
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Server {
            port,
            requests,
            stop,
        }
    }

    fn count(&self, request: &str) -> usize {
        self.requests
            .lock()
            .unwrap()
            .get(request)
            .copied()
            .unwrap_or(0)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

fn answer(stream: std::net::TcpStream, counts: &Mutex<HashMap<String, usize>>) {
    stream.set_nonblocking(false).ok();
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok();
    let mut reader = BufReader::new(&stream);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let mut header = String::new();
    while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
        header.clear();
    }
    let mut parts = request_line.split_whitespace();
    let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    *counts
        .lock()
        .unwrap()
        .entry(format!("{method} {path}"))
        .or_default() += 1;
    let status = match (method, path) {
        (_, "/ok") | ("GET", "/no-head") => "200 OK",
        ("HEAD", "/no-head") => "405 Method Not Allowed",
        (_, "/missing") => "404 Not Found",
        _ => "500 Internal Server Error",
    };
    let body = if method == "HEAD" { "" } else { "hello" };
    let response =
        format!("HTTP/1.1 {status}\r\nContent-Length: 5\r\nConnection: close\r\n\r\n{body}");
    let mut stream = &stream;
    stream.write_all(response.as_bytes()).ok();
}

#[test]
fn external_links_are_checked_only_when_asked_and_cached() {
    let server = Server::start();
    let site = Site::fixture("check_links");
    let base = format!("http://127.0.0.1:{}", server.port);
    site.write(
        "content/about.md",
        &format!(
            "---\ntitle: About us\ndescription: Who we are and where to find us, with a link to our partner's website.\n---\n[Partner]({base}/ok), [old page]({base}/missing), [fussy server]({base}/no-head#top) and [broken server]({base}/error).\n"
        ),
    );
    site.write("content/_index.md", "---\ntitle: Links\ndescription: Links in markdown and HTML, some of them broken, for testing check's link rules.\n---\nRead [about us](about.md).\n");

    let offline = check(&site, &[]);
    assert_eq!(offline.status, 0, "{}", offline.stdout);
    assert_eq!(
        server.requests.lock().unwrap().len(),
        0,
        "no network without --external"
    );

    let run = check(&site, &["--external"]);
    assert_eq!(run.status, 1, "{}", run.stdout);
    assert_eq!(found(&run, "link/external-broken"), ["content/about.md:5"]);
    assert_eq!(
        found(&run, "link/external-unreachable"),
        ["content/about.md:5"]
    );
    assert_contains(
        &run.stdout,
        &format!(
            "error[link/external-broken]: `{base}/missing` answers 404: the page is not there"
        ),
    );
    assert_contains(
        &run.stdout,
        &format!("warning[link/external-unreachable]: `{base}/error` answers 500"),
    );
    assert_contains(
        &run.stdout,
        "Outside links: 4 checked (4 asked, 0 from the cache).",
    );
    assert_eq!(
        (server.count("HEAD /no-head"), server.count("GET /no-head")),
        (1, 1),
        "HEAD refused, then GET"
    );
    assert!(site.exists(".clinicsite-cache/links.json"));
    assert_eq!(site.read(".clinicsite-cache/.gitignore"), "*\n");

    // The second run asks again only for the links that did not work.
    let again = check(&site, &["--external"]);
    assert_contains(
        &again.stdout,
        "Outside links: 4 checked (2 asked, 2 from the cache).",
    );
    assert_eq!(server.count("HEAD /ok"), 1);
    assert_eq!(server.count("HEAD /missing"), 2);
}

// ---- the clinic's own content ----------------------------------------------------------------

/// The one thing `check` says about the clinic's content: its three offices' addresses and
/// hours are still stand-ins, and published as such.
#[test]
fn the_clinic_content_passes_check_with_no_errors_and_only_the_placeholder_warnings() {
    let site = crate::real_site::real_site();
    // The address the deploy workflow passes; site.yaml keeps the example one.
    // The day the clinic's newest review was recorded (the harness's day for every command).
    let run = site.run(&[
        "check",
        "--today",
        crate::support::TODAY,
        "--base-url",
        "https://clinic.example/",
    ]);
    assert_eq!(run.status, 0, "{}", run.stdout);
    assert_contains(&run.stdout, "pages: no errors, 3 warnings.");
    let warnings: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("warning["))
        .collect();
    assert_eq!(
        warnings,
        [
            "warning[location/placeholder]: Coral Gables: the address and opening hours are marked as stand-ins (`placeholder:`)",
            "warning[location/placeholder]: Kendall: the address and opening hours are marked as stand-ins (`placeholder:`)",
            "warning[location/placeholder]: South Miami: the address and opening hours are marked as stand-ins (`placeholder:`)",
        ]
    );
}

/// `clinicsite check | head -1`: the reader stops reading; the report's writer ends quietly
/// (no panic message), with the status it would have had.
#[test]
fn printing_into_a_closed_pipe_ends_quietly() {
    use std::process::{Command, Stdio};
    let site = Site::fixture("check_claims");
    for format in ["human", "json", "html"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_clinicsite"))
            .args(["check", "--today", TODAY, "--format", format, "--root"])
            .arg(&site.root)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start clinicsite");
        // Closed before the report is written: every write meets a broken pipe.
        drop(child.stdout.take());
        let output = child.wait_with_output().expect("wait");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_lacks(&stderr, "panicked");
        assert_lacks(&stderr, "Broken pipe");
        assert_eq!(output.status.code(), Some(1), "{format}: {stderr}");
    }
}
