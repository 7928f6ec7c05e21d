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
        #[arg(long)]
        base_url: Option<String>,
        /// Also build pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Write into an output folder that holds files clinicsite did not write (they are
        /// left alone unless the build needs their place).
        #[arg(long)]
        force: bool,
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
    },
}

/// Runs a parsed command line and returns the process exit status.
pub fn run(cli: Cli) -> ExitCode {
    let colour = Colour::detect_stderr();
    match cli.command {
        Command::Build { root, output_dir, base_url, drafts, force } => {
            let options = BuildOptions { root, output: output_dir, base_url, drafts, force };
            build(&options, colour)
        }
        Command::Init { dir } => finish(scaffold::init(&dir).map(|()| {
            format!(
                "Created a new site in {dir}.\nNext: cd {dir} && clinicsite build, then open public/index.html.",
                dir = display_path(&dir)
            )
        }), &dir, colour),
        Command::New { what: NewKind::Faq { question, root } } => {
            finish(scaffold::new_faq(&root, &question).map(|path| format!(
                "Created {}. It is a draft: fill in the fields, then remove `draft: true` to publish it.",
                display_path(&path)
            )), &root, colour)
        }
    }
}

fn build(options: &BuildOptions, colour: Colour) -> ExitCode {
    match pipeline::build(options) {
        Ok(report) => {
            let w = report.write;
            println!(
                "Built {} pages ({} files) in {} ms into {}: {} written, {} unchanged, {} removed.",
                report.pages,
                report.files,
                report.elapsed.as_millis(),
                display_path(&report.output),
                w.written,
                w.unchanged,
                w.removed
            );
            ExitCode::SUCCESS
        }
        Err(BuildError::Findings(findings)) => {
            report_findings(&findings, &options.root, colour);
            eprintln!(
                "The build stopped: {}. Nothing in {} was changed.",
                count(&findings),
                display_path(&options.output_dir())
            );
            ExitCode::from(1)
        }
        Err(BuildError::Io(error)) => {
            eprintln!("error: {error}");
            ExitCode::from(1)
        }
    }
}

fn finish(result: Result<String, Vec<Diagnostic>>, root: &Path, colour: Colour) -> ExitCode {
    match result {
        Ok(message) => {
            println!("{message}");
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
    eprint!("{}", diagnostics::render(findings, colour, &read));
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
