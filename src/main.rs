use std::process::ExitCode;

use clap::Parser;

// Rendering allocates many small strings on every core at once; mimalloc's per-thread heaps
// handle that with less contention and less time in `malloc` than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// How many milliseconds mimalloc waits before it hands memory freed in bulk back to the
/// system. Its own default, a second, keeps every large list let go of during a build (the
/// last build's records once decoded, each language's view once its pages are rendered)
/// counted in the process's memory through the next stage: a one-page edit at 100,000 pages
/// peaked about 60 MiB higher. `MIMALLOC_PURGE_DELAY` in the environment still decides.
const PURGE_DELAY_MS: std::ffi::c_long = 10;
/// `mi_option_purge_delay` in mimalloc.h's list of options (`libmimalloc-sys` names no
/// constant for it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> ExitCode {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: reads and sets one of mimalloc's options, a number it reads each time it
        // purges, before any other thread is started.
        unsafe {
            // The debug build (the one the tests run) checks the option is the one meant.
            debug_assert_eq!(libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY), 1000);
            libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS);
        }
    }
    clinicsite::cli::run(clinicsite::cli::Cli::parse())
}
