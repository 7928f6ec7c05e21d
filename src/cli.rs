//! The command line: arguments in, an exit status out. Each command calls one library
//! function and prints its outcome.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::diagnostics::{self, Colour, Diagnostic, Severity, display_path};
use crate::pipeline::{self, BuildError, BuildOptions};
use crate::scaffold;

/// A static site generator for patient-education websites.
#[derive(Debug, Parser)]
#[command(name = "clinicsite", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into public/ (or --output-dir).
    Build {
        /// The site's folder (the one with site.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site; default ROOT/public.
        #[arg(long)]
        output_dir: Option<PathBuf>,
        /// The address the site will live at, overriding site.yaml's base_url.
        #[arg(long, value_parser = parse_base_url)]
        base_url: Option<String>,
        /// Also build pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Write into an output folder that holds files clinicsite did not write (they are
        /// left alone unless the build needs their place).
        #[arg(long)]
        force: bool,
    },
    /// Preview the site in a browser while you write: builds it, serves it at
    /// http://127.0.0.1:1111/ and updates open pages whenever a file changes.
    Serve {
        /// The site's folder (the one with site.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The network address to listen on; 0.0.0.0 lets other devices (a phone on the same
        /// network) see the preview.
        #[arg(long, default_value = "127.0.0.1")]
        interface: std::net::IpAddr,
        /// Also show pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Open the preview in the browser.
        #[arg(long)]
        open: bool,
    },
    /// Check what patients read: reading level, medical review dates, risky claims, titles,
    /// descriptions, alt text, headings and links. Exit status 1 when there is an error.
    Check {
        /// The site's folder (the one with site.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// `human` (grouped by file), `json` (for CI), `html` (a report to open in a browser)
        /// or `github` (annotations on the file and line, for a GitHub Actions workflow).
        #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
        format: CheckFormat,
        /// The address the site will be published at, overriding site.yaml's base_url.
        #[arg(long)]
        base_url: Option<String>,
        /// The date to check review dates against (YYYY-MM-DD); default: today.
        #[arg(long, value_parser = parse_date)]
        today: Option<crate::frontmatter::Date>,
        /// Also check links to other websites (uses the network; answers are cached in
        /// .clinicsite-cache/).
        #[arg(long)]
        external: bool,
        /// Also check pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Start a new site in DIR with the default theme and starter pages.
    Init {
        /// The folder to create (it must not exist or be empty).
        dir: PathBuf,
    },
    /// Create a new content file with every field laid out and explained.
    New {
        #[command(subcommand)]
        what: NewKind,
    },
    /// Start a translation of a page (a draft copy marked with what it was translated from),
    /// or mark an existing translation as up to date with its original.
    Translate {
        /// The page to translate, like content/faq/does-it-hurt.md.
        file: PathBuf,
        /// The language to translate into, like `es` (`--to es` works too).
        #[arg(long, alias = "to")]
        lang: String,
        /// The site's folder (the one with site.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Record a medical review of pages as they are now: who reviewed them, when, and a
    /// fingerprint of their text. If the text changes later, the page stops saying it was
    /// medically reviewed and `check` says what changed.
    Review {
        /// The pages reviewed, like content/faq/does-it-hurt.md.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The reviewer's name, as the page shows it: `--by "Medical Director"`.
        #[arg(long)]
        by: String,
        /// The day of the review (YYYY-MM-DD), when it was not today.
        #[arg(long, value_parser = parse_date)]
        date: Option<crate::frontmatter::Date>,
        /// The site's folder (the one with site.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Rename a page and its translations: links to it follow, and its old address
    /// redirects to the new one.
    Move {
        /// The page now, like content/faq/old-name.md (or a page's folder).
        old: PathBuf,
        /// Its new name, like content/faq/new-name.md.
        new: PathBuf,
        /// The site's folder (the one with site.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

/// How `check` prints its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFormat {
    Human,
    Json,
    Html,
    Github,
}

fn parse_date(text: &str) -> Result<crate::frontmatter::Date, String> {
    crate::frontmatter::Date::parse(text)
        .ok_or_else(|| format!("`{text}` is not a date; write it as YYYY-MM-DD, like 2026-10-15"))
}

fn parse_base_url(text: &str) -> Result<String, String> {
    crate::config::base_url::check(text).map_err(|problem| {
        let help = match problem.fixed {
            Some(fixed) => format!("write `--base-url {fixed}`"),
            None => "write the full address, like `--base-url https://www.example.com/`".into(),
        };
        format!("{}\n  help: {help}", problem.message)
    })
}

#[derive(Debug, Subcommand)]
pub enum NewKind {
    /// A new FAQ entry: `clinicsite new faq "Does it hurt?"`.
    Faq {
        /// The question, as patients would ask it.
        question: String,
        /// The site's folder (the one with site.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Write it in this language (`es` makes NAME.es.md under /es/).
        #[arg(long)]
        lang: Option<String>,
    },
}

/// Runs a parsed command line and returns the process exit status.
pub fn run(cli: Cli) -> ExitCode {
    let colour = Colour::detect_stderr();
    match cli.command {
        Command::Build { root, output_dir, base_url, drafts, force } => {
            let today = crate::today::pinned();
            // The process ends after the build: what it held is left for the exit to free.
            let options = BuildOptions { root, output: output_dir, base_url, drafts, force, today, exiting: true };
            build(&options, colour)
        }
        Command::Serve { root, port, interface, drafts, open } => {
            serve(&crate::serve::Options { root, interface, port, drafts, open }, colour)
        }
        Command::Check { root, format, today, external, drafts, base_url } => {
            let today = today.or_else(crate::today::pinned);
            check(&crate::check::Options { root, today, external, drafts, base_url }, format)
        }
        Command::Init { dir } => finish(scaffold::init(&dir, crate::today::local()).map(|()| {
            format!(
                "Created a new site in {dir}.\nNext: cd {folder} && clinicsite serve, then open http://127.0.0.1:1111/ to see it.\nSet `base_url:` in site.yaml to the site's address before you publish; {dir}/.github/workflows/deploy.yml publishes it on GitHub Pages.\nThe staff guide, {dir}/docs/staff.md, says how to write, check and publish pages.\nNo `clinicsite` command? Install it once with Rust (https://rustup.rs): cargo install --locked --git {url} --tag v{version}",
                url = scaffold::REPOSITORY,
                version = env!("CARGO_PKG_VERSION"),
                dir = display_path(&dir),
                folder = crate::diagnostics::shell_path(&dir)
            )
        }), &dir, colour),
        Command::Review { files, by, date, root } => {
            let today = crate::today::at_site(&root);
            let options = crate::review::Options { root, files, by, date, today };
            finish(crate::review::review(&options), &options.root, colour)
        }
        Command::Move { old, new, root } => {
            finish(crate::relocate::relocate(&root, &old, &new), &root, colour)
        }
        Command::Translate { file, lang, root } => finish(scaffold::translate(&root, &file, &lang), &root, colour),
        Command::New { what: NewKind::Faq { question, root, lang } } => {
            finish(scaffold::new_faq(&root, &question, lang.as_deref()).map(|path| format!(
                "Created {}. It is a draft: fill in the fields, then remove `draft: true` to publish it.",
                display_path(&path)
            )), &root, colour)
        }
    }
}

/// `1 page`, `38 pages`: the count in the build's summary line.
fn pages(count: usize) -> String {
    match count {
        1 => "1 page".into(),
        n => format!("{n} pages"),
    }
}

fn build(options: &BuildOptions, colour: Colour) -> ExitCode {
    match pipeline::build(options) {
        Ok(report) => {
            let reminders = &report.reminders;
            // Pages gone since the last build: printed, not counted, as `check` (whose count
            // the summary gives) cannot know the last build.
            let told = [reminders.as_slice(), &report.gone].concat();
            report_findings(&told, &options.root, colour);
            let w = report.write;
            // Counted as `check` counts it, though printed above.
            let warnings = match report.warnings + reminders.len() {
                0 => String::new(),
                1 => " 1 warning: run `clinicsite check`.".into(),
                n => format!(" {n} warnings: run `clinicsite check`."),
            };
            let withheld = crate::results::summary(&report.withheld);
            out(&format!(
                "Built {} ({} files) in {} ms into {}: {} written, {} unchanged, {} removed.{warnings}{withheld}\n",
                pages(report.pages),
                report.files,
                report.elapsed.as_millis(),
                display_path(&report.output),
                w.written,
                w.unchanged,
                w.removed
            ));
            ExitCode::SUCCESS
        }
        Err(BuildError::Findings(findings)) => {
            report_findings(&findings, &options.root, colour);
            err(&format!(
                "The build stopped: {}. Nothing in {} was changed.\n",
                count(&findings),
                display_path(&options.output_dir())
            ));
            ExitCode::from(1)
        }
        Err(BuildError::Io(error)) => {
            err(&format!("error: {error}\n"));
            ExitCode::from(1)
        }
    }
}

fn serve(options: &crate::serve::Options, colour: Colour) -> ExitCode {
    match crate::serve::serve(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(crate::serve::ServeError::Findings(findings)) => {
            report_findings(&findings, &options.root, colour);
            ExitCode::from(1)
        }
        Err(error) => {
            err(&format!("error: {error}\n"));
            ExitCode::from(1)
        }
    }
}

fn check(options: &crate::check::Options, format: CheckFormat) -> ExitCode {
    use crate::check::{report_github, report_html, report_human, report_json};
    let report = match crate::pipeline::check(options) {
        Ok(report) => report,
        Err(findings) => {
            if format == CheckFormat::Github {
                print!("{}", report_github::render(&findings, &options.root));
            }
            report_findings(&findings, &options.root, Colour::detect_stderr());
            return ExitCode::from(1);
        }
    };
    let read = |file: &Path| {
        std::fs::read(options.root.join(file))
            .ok()
            .map(|b| crate::source::normalise_newlines(String::from_utf8_lossy(&b).into_owned()))
    };
    let text = match format {
        CheckFormat::Human => report_human::render(&report, Colour::detect_stdout(), &read),
        CheckFormat::Json => report_json::render(&report),
        CheckFormat::Html => report_html::render(&report, &read),
        CheckFormat::Github => report_github::render(&report.findings, &options.root),
    };
    out(&text);
    if report.errors() > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn finish(result: Result<String, Vec<Diagnostic>>, root: &Path, colour: Colour) -> ExitCode {
    match result {
        Ok(message) => {
            out(&format!("{message}\n"));
            ExitCode::SUCCESS
        }
        Err(findings) => {
            report_findings(&findings, root, colour);
            ExitCode::from(1)
        }
    }
}

/// Prints findings to standard error, with source lines read from the site.
pub fn report_findings(findings: &[Diagnostic], root: &Path, colour: Colour) {
    let read = |file: &Path| {
        std::fs::read(root.join(file))
            .ok()
            .map(|b| crate::source::normalise_newlines(String::from_utf8_lossy(&b).into_owned()))
    };
    err(&diagnostics::render(findings, colour, &read));
}

/// Prints to standard output. A reader that stopped reading (`clinicsite check | head -1`)
/// is not an error: the rest is dropped quietly.
fn out(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
}

/// Prints to standard error, quietly dropping what a closed pipe cannot take.
fn err(text: &str) {
    use std::io::Write;
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

fn count(findings: &[Diagnostic]) -> String {
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    match errors {
        1 => "1 error".into(),
        n => format!("{n} errors"),
    }
}
