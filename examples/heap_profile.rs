//! The `build` command with the system allocator, so heap profilers (heaptrack, massif) can
//! see its allocations: `heaptrack target/release/examples/heap_profile build --root SITE`.

use clap::Parser;

fn main() -> std::process::ExitCode {
    clinicsite::cli::run(clinicsite::cli::Cli::parse())
}
