//! From a staff laptop to the host: the staff guide's quick start, the deploy set-ups `init`
//! writes, `_headers`, `check --format github` and the warning for the example address.

use std::path::{Path, PathBuf};

use crate::serve::server::Server;
use crate::support::{Site, assert_contains, assert_lacks};

const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// The commands of the staff guide's quick start: the first `sh` block under "Quick start".
fn quick_start_commands() -> Vec<String> {
    let guide =
        std::fs::read_to_string(Path::new(REPO).join("docs/staff.md")).expect("the staff guide");
    let section = &guide[guide.find("## Quick start").expect("a Quick start section")..];
    let block = &section[section.find("```sh\n").expect("a sh block") + 6..];
    let block = &block[..block.find("```").expect("a closed block")];
    block
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(String::from)
        .collect()
}

#[test]
fn the_staff_guides_quick_start_works_as_written() {
    let commands = quick_start_commands();
    assert!(commands.len() >= 4, "too few commands: {commands:?}");
    let site = Site::empty();
    let mut dir: PathBuf = site.tmp().to_path_buf();
    let mut served = false;
    for command in &commands {
        let words: Vec<&str> = command.split_whitespace().collect();
        match words.as_slice() {
            ["cd", folder] => dir = dir.join(folder),
            ["clinicsite", "serve", rest @ ..] => {
                // The guide's port may be taken while tests run: any free one.
                let server = Server::start_in(&dir, rest);
                let home = server.get("/");
                assert_eq!(home.status, 200, "{command}");
                assert_contains(&home.body, "Welcome");
                assert!(home.header("content-security-policy").is_some());
                served = true;
            }
            ["clinicsite", args @ ..] => {
                let run = site.run_in(&dir, args);
                assert_eq!(
                    run.status, 0,
                    "`{command}` failed:\n{}{}",
                    run.stdout, run.stderr
                );
                assert_lacks(&run.stderr, "error");
            }
            _ => panic!("the quick start has a command this test does not know: {command}"),
        }
    }
    assert!(served, "the quick start previews with `clinicsite serve`");
    let index = std::fs::read_to_string(dir.join("public/index.html")).expect("a built site");
    assert_contains(&index, "https://www.yourclinic.com/");
}

#[test]
fn init_writes_the_deploy_set_ups_of_this_repository() {
    let site = Site::empty();
    let run = site.run_in(site.tmp(), &["init", "site"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    for file in [
        ".github/workflows/deploy.yml",
        "netlify.toml",
        "deploy/nginx.conf",
        "deploy/cloudflare-pages.yml",
        "deploy/s3.yml",
    ] {
        let ours =
            std::fs::read_to_string(Path::new(REPO).join(file)).expect("the repository's own");
        assert_eq!(
            site.read(file),
            ours,
            "{file} differs from the repository's"
        );
    }
    assert_contains(&site.read(".gitignore"), "/public/\n/.clinicsite-cache/\n");
    assert_contains(&run.stdout, "clinicsite serve");
    assert_contains(
        &run.stdout,
        &format!(
            "No `clinicsite` command? Install it once with Rust (https://rustup.rs): cargo install --locked --git {} --tag v{}",
            env!("CARGO_PKG_REPOSITORY"),
            env!("CARGO_PKG_VERSION")
        ),
    );
}

/// The set-ups install the release named in Cargo.toml: bumping the version without them
/// (or moving the repository) fails here.
#[test]
fn the_deploy_set_ups_install_the_release_cargo_toml_names() {
    let tag = format!("v{}", env!("CARGO_PKG_VERSION"));
    let url = env!("CARGO_PKG_REPOSITORY");
    for file in [
        ".github/workflows/deploy.yml",
        "deploy/cloudflare-pages.yml",
        "deploy/s3.yml",
    ] {
        let text = std::fs::read_to_string(Path::new(REPO).join(file)).expect("a workflow");
        assert_contains(&text, &format!("CLINICSITE_GIT: {url}\n"));
        assert_contains(&text, &format!("CLINICSITE_TAG: {tag}\n"));
        assert_contains(&text, "clinicsite check --format github --base-url");
        assert_contains(&text, "-name '.clinicsite*'");
    }
    let netlify =
        std::fs::read_to_string(Path::new(REPO).join("netlify.toml")).expect("netlify.toml");
    assert_contains(&netlify, &format!("--git {url} --tag {tag}"));
    assert_contains(&netlify, "publish = \"public\"");
    let guide = std::fs::read_to_string(Path::new(REPO).join("docs/staff.md")).expect("the guide");
    assert_contains(
        &guide,
        &format!("cargo install --locked --git {url} --tag {tag}"),
    );
}

#[test]
fn headers_file_is_strict_and_within_cloudflares_limits() {
    let site = Site::fixture("third_party");
    site.build(&[]);
    let headers = site.read("public/_headers");
    let hashed = site
        .files("public")
        .into_iter()
        .find(|f| f.starts_with("style.") && f.ends_with(".css"))
        .expect("a hashed stylesheet");
    insta::assert_snapshot!(headers.replace(&hashed, "style.[HASH].css"), @r"
    # Written by clinicsite build: security headers for Netlify and Cloudflare Pages.
    /*
      Content-Security-Policy: default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'
      Strict-Transport-Security: max-age=63072000
      Referrer-Policy: same-origin
      Permissions-Policy: accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()
      X-Content-Type-Options: nosniff
      Cross-Origin-Opener-Policy: same-origin
    /style.[HASH].css
      Cache-Control: public, max-age=31536000, immutable
    ");
    assert!(headers.lines().filter(|l| l.starts_with('/')).count() <= 100);
    assert!(headers.lines().all(|l| l.chars().count() <= 2000));
}

#[test]
fn a_policy_over_cloudflares_line_limit_is_an_error() {
    let site = Site::fixture("third_party");
    let origins: String = (0..40)
        .map(|i| format!("  - {{ origin: \"https://service-number-{i:02}.example.org\", reason: Reviewed }}\n"))
        .collect();
    site.write(
        "site.yaml",
        &format!("{}third_party:\n{origins}", site.read("site.yaml")),
    );
    let run = site.run(&["build"]);
    assert_eq!(run.status, 1);
    assert_contains(
        &run.stderr,
        "error[config/third-party]: `third_party:` allows 40 origins: the security policy would be",
    );
    assert_contains(&run.stderr, "more than the 2000 hosts accept");
}

#[test]
fn check_prints_github_annotations() {
    let site = Site::fixture("third_party");
    site.write(
        "content/about.md",
        "---\ntitle: About us\ndescription: 100% guaranteed, with no pain at all, for everyone, always, everywhere.\n---\nWe are a clinic.\n",
    );
    let run = site.run(&["check", "--format", "github", "--today", "2026-11-01"]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert_contains(
        &run.stdout,
        "::error file=content/about.md,line=3,col=14,endColumn=18,title=claims/guarantee::",
    );
    assert!(
        run.stdout.lines().all(|l| l.starts_with("::error ")
            || l.starts_with("::warning ")
            || l.starts_with("clinicsite check: ")),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout
            .lines()
            .any(|l| l.starts_with("::") && l[2..].contains('\n'))
    );
    let run = site.run_in(
        site.tmp(),
        &["check", "--root", "site", "--format", "github"],
    );
    assert_contains(&run.stdout, "::error file=site/content/about.md,line=3,");
}

#[test]
fn the_example_address_is_warned_about_until_a_real_one_is_given() {
    let site = Site::fixture("third_party");
    site.write(
        "site.yaml",
        &site
            .read("site.yaml")
            .replace("https://clinic.example/", "https://www.example.com/"),
    );
    let warning = "warning[config/example-base-url]: `base_url` is still the example address https://www.example.com/: canonical links, the sitemap and link previews will point there\n --> site.yaml:3:1";
    let run = site.build(&[]);
    assert_contains(&run.stderr, warning);
    assert_contains(
        &run.stderr,
        "help: write the address the site will be published at, like `base_url: https://www.yourclinic.com/`, or build with `--base-url https://www.yourclinic.com/`",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.status, 0);
    assert_contains(&run.stdout, "config/example-base-url");

    let run = site.build(&["--base-url", "https://www.realclinic.com/"]);
    assert_lacks(&run.stderr, "example-base-url");
    assert_contains(
        &site.read("public/sitemap.xml"),
        "https://www.realclinic.com/",
    );
    let run = site.run(&["check", "--base-url", "https://www.realclinic.com/"]);
    assert_lacks(&run.stdout, "example-base-url");
}
