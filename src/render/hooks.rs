//! What a caller hands the rendering pass besides the site: `Hooks`, with where earlier
//! results come from (`incremental::Reuse`), who else reads each body as it is parsed
//! (`ReadBodies`) and what stays of each finished file.

use super::Output;
use crate::diagnostics::Diagnostic;
use crate::incremental::{Fresh, Reuse};
use crate::markdown::{Rendered, Watch};
use crate::site::Target;

/// Reads each page's or section's markdown events as the rendering pass parses them, so a
/// second reader (check's rules, `check::PageRules`) never parses a body again.
pub trait ReadBodies: Sync {
    /// `render` parses `target`'s markdown, showing each event to the `Watch` it is given.
    /// Called only for the bodies the pass parses, not for those `Reuse` kept.
    fn read(
        &self,
        target: Target,
        render: &dyn Fn(Watch) -> (Rendered, Vec<Diagnostic>),
    ) -> (Rendered, Vec<Diagnostic>);
}

/// What the rendering pass is handed besides the site, the theme and the settings.
pub struct Hooks<'h, T> {
    /// Unchanged bodies and pages taken from earlier builds (`Fresh` takes none); the pages
    /// it keeps are left out of the pass's files.
    pub reuse: &'h dyn Reuse,
    /// Who else reads each body as it is parsed, if anyone.
    pub reader: Option<&'h dyn ReadBodies>,
    /// What stays in memory of each finished file, handed over as soon as it is made: the
    /// dev server keeps every file, `build` writes each one to its staging folder and keeps
    /// only its path and hash.
    pub keep: &'h (dyn Fn(Output) -> T + Sync),
}

impl Hooks<'static, Output> {
    /// Reuses nothing, no other reader, every file kept whole.
    pub fn fresh() -> Self {
        Hooks {
            reuse: &Fresh,
            reader: None,
            keep: &keep_whole,
        }
    }
}

fn keep_whole(output: Output) -> Output {
    output
}
