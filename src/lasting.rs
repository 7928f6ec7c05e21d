//! Which allocations outlast the page that makes them.
//!
//! The rendering pass makes and frees many small allocations for each page (its markdown's
//! events, its HTML, the template's context) and keeps a few until the pass or the build
//! ends (its findings, outline, links, staged file, build-cache entry). Made side by side,
//! each kept one pins the allocator's page it lies in, and at 100,000 pages the process held
//! about 130 MiB more than its heap. What a stage keeps is copied (or made) inside `make`:
//! the `clinicsite` binary's allocator (`main.rs`) serves every allocation made on a thread
//! inside `make` from a heap of its own, where kept things lie together. Elsewhere (tests,
//! `examples/heap_profile`, another allocator) `make` only runs its closure.
//!
//! In: a closure (what to keep, made or copied). Out: its value; `on` tells the allocator
//! whether the calling thread is inside `make`.

use std::cell::Cell;

thread_local! {
    /// Whether this thread is inside `make`. Constant-initialised with no destructor, so the
    /// allocator can read it at any time without allocating.
    static KEEPING: Cell<bool> = const { Cell::new(false) };
}

/// Whether what this thread allocates now is meant to be kept (see the module's comment).
#[inline]
pub fn on() -> bool {
    KEEPING.try_with(Cell::get).unwrap_or(false)
}

/// Runs `make`, with every allocation it makes on this thread marked as kept.
pub fn make<R>(make: impl FnOnce() -> R) -> R {
    /// Restores the thread's mark when `make` returns or unwinds.
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            KEEPING.with(|k| k.set(self.0));
        }
    }
    let _restore = Restore(KEEPING.with(|k| k.replace(true)));
    make()
}

/// A copy of `value` made as kept (a list copied holds no spare room); the original, made
/// among the page's short-lived allocations, can then be dropped.
pub fn copy<T: Clone>(value: &T) -> T {
    make(|| value.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_only_inside_make_and_restores_after_a_panic() {
        assert!(!on());
        assert!(make(on));
        assert!(make(|| make(on) && on()));
        assert!(!on());
        let unwound = std::panic::catch_unwind(|| make(|| panic!("inside")));
        assert!(unwound.is_err());
        assert!(!on());
    }

    #[test]
    fn copy_is_equal_without_spare_room() {
        let mut list = Vec::with_capacity(64);
        list.extend(["a".to_string(), "b".to_string()]);
        let kept = copy(&list);
        assert_eq!(kept, list);
        assert_eq!(kept.capacity(), 2);
    }
}
