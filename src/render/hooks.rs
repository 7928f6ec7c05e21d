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
    /// `render` parses `target`'s markdown (`body`, the text it parses), showing each event
    /// to the `Watch` it is given. Called only for the bodies the pass parses, not for those
    /// `Reuse` kept.
    fn read(
        &self,
        target: Target,
        body: &str,
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

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;
    use crate::incremental::Markdown;
    use crate::site::Site;
    use crate::source::{Content, Data};

    /// Counts the bodies it is shown and the events in them.
    #[derive(Default)]
    struct Counting {
        bodies: AtomicUsize,
        events: AtomicUsize,
    }

    impl ReadBodies for Counting {
        fn read(
            &self,
            _target: Target,
            _body: &str,
            render: &dyn Fn(Watch) -> (Rendered, Vec<Diagnostic>),
        ) -> (Rendered, Vec<Diagnostic>) {
            self.bodies.fetch_add(1, Ordering::Relaxed);
            render(&mut |_, _| {
                self.events.fetch_add(1, Ordering::Relaxed);
            })
        }
    }

    /// Keeps every body from an "earlier build": renders none.
    struct KeepsAll;

    impl Reuse for KeepsAll {
        fn body(
            &self,
            _site: &Site,
            _target: Target,
            _render: &dyn Fn() -> (Rendered, Vec<Diagnostic>),
        ) -> Markdown {
            Markdown::Kept(Vec::new())
        }
    }

    #[test]
    fn the_reader_sees_each_body_the_pass_parses_and_none_it_reuses() {
        let content = Content::in_memory(
            [
                ("_index.md", "---\ntitle: Home\n---\nWelcome.\n"),
                ("a.md", "---\ntitle: A\n---\nSome *text*.\n"),
            ]
            .map(|(rel, text)| (rel.to_string(), text.to_string())),
            Vec::<(String, Data)>::new(),
        );
        let placed = crate::site::place_for_test(&content);
        let targets = placed.site.sections.len() + placed.site.pages.len();

        let reader = Counting::default();
        crate::render::render_bodies(&placed.site, &Fresh, Some(&reader));
        assert_eq!(reader.bodies.load(Ordering::Relaxed), targets);
        assert!(reader.events.load(Ordering::Relaxed) > targets);

        let reader = Counting::default();
        crate::render::render_bodies(&placed.site, &KeepsAll, Some(&reader));
        assert_eq!(reader.bodies.load(Ordering::Relaxed), 0);
    }
}
