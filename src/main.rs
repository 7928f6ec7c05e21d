use std::alloc::{GlobalAlloc, Layout};
use std::process::ExitCode;
use std::sync::atomic::{AtomicPtr, Ordering};

use mimalloc::MiMalloc;

use clap::Parser;

// Rendering allocates many small strings on every core at once; mimalloc's per-thread heaps
// handle that with less contention and less time in `malloc` than the system allocator.
#[global_allocator]
static ALLOCATOR: Allocator = Allocator;

/// mimalloc, with what a stage keeps (`clinicsite::lasting::make`) served from a heap of its
/// own, so that each page's few lasting allocations do not pin pages of memory otherwise
/// freed: at 100,000 pages, about N MiB of the peak.
struct Allocator;

/// The heap of lasting allocations (a mimalloc 3 heap, which every thread may allocate
/// from); null until `main` makes it, and then everything is served by mimalloc's default.
static LASTING: AtomicPtr<libmimalloc_sys::mi_heap_t> = AtomicPtr::new(std::ptr::null_mut());

impl Allocator {
    /// The lasting heap when the calling thread is inside `lasting::make`.
    #[inline]
    fn lasting() -> Option<*mut libmimalloc_sys::mi_heap_t> {
        if !clinicsite::lasting::on() {
            return None;
        }
        let heap = LASTING.load(Ordering::Relaxed);
        (!heap.is_null()).then_some(heap)
    }
}

// SAFETY: every block comes from mimalloc (its default heap or the lasting one) with the
// layout's size and alignment, and `mi_free` (`MiMalloc::dealloc`) frees a block of any heap
// from any thread.
unsafe impl GlobalAlloc for Allocator {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        match Self::lasting() {
            // SAFETY: a heap `mi_heap_new` made, never deleted.
            Some(heap) => unsafe {
                libmimalloc_sys::mi_heap_malloc_aligned(heap, layout.size(), layout.align()).cast()
            },
            // SAFETY: as the caller promised us.
            None => unsafe { MiMalloc.alloc(layout) },
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        match Self::lasting() {
            // SAFETY: as `alloc`.
            Some(heap) => unsafe {
                libmimalloc_sys::mi_heap_zalloc_aligned(heap, layout.size(), layout.align()).cast()
            },
            // SAFETY: as the caller promised us.
            None => unsafe { MiMalloc.alloc_zeroed(layout) },
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` is a mimalloc block, of whichever heap.
        unsafe { MiMalloc.dealloc(ptr, layout) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        match Self::lasting() {
            // SAFETY: `ptr` is a mimalloc block; a block that must move goes to `heap`.
            Some(heap) => unsafe {
                libmimalloc_sys::mi_heap_realloc_aligned(heap, ptr.cast(), new_size, layout.align())
                    .cast()
            },
            // SAFETY: as the caller promised us.
            None => unsafe { MiMalloc.realloc(ptr, layout, new_size) },
        }
    }
}

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
    // SAFETY: makes a heap, once, before any other thread is started; it is never deleted.
    LASTING.store(unsafe { libmimalloc_sys::mi_heap_new() }, Ordering::Relaxed);
    clinicsite::cli::run(clinicsite::cli::Cli::parse())
}
