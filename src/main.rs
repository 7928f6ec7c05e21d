use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    clinicsite::cli::run(clinicsite::cli::Cli::parse())
}
