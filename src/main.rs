use std::process::ExitCode;

use clap::Parser;

// Rendering allocates many small strings on every core at once; mimalloc's per-thread heaps
// handle that with less contention and less time in `malloc` than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    clinicsite::cli::run(clinicsite::cli::Cli::parse())
}
