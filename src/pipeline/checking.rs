//! `clinicsite check`: the site read, placed and rendered as `build` does, with check's page
//! rules reading each body in the rendering pass (`check::PageRules`), then check's
//! site-wide rules and its report (`check::finish`). Nothing is written.

use super::{load_theme, place, read_site_files_at, render};
use crate::check::{self, AfterPass, Options, Report};
use crate::diagnostics::Diagnostic;

/// Checks the site at `options.root`. `Err` only when the site cannot be read at all (no or
/// a broken `site.yaml`); everything else is a finding in the report.
pub fn check(options: &Options) -> Result<Report, Vec<Diagnostic>> {
    let files = read_site_files_at(&options.root, options.base_url.as_deref())?;
    let theme = load_theme(&options.root, &files.config);
    let today = options
        .today
        .unwrap_or_else(|| crate::today::of(&files.config));
    let placed = place(&files, options.drafts, Some(today));
    let config = &files.config;
    // Each page's rules run inside the rendering pass, on the text its markdown was parsed
    // into for rendering (see `PageRules`).
    let base_path = config.base_path();
    let rules = check::PageRules::new(&placed, config, today, &options.root);
    let hooks = crate::render::Hooks {
        reuse: &crate::incremental::Fresh,
        reader: Some(&rules),
        keep: &|output| check::links::Published::new(output, &placed.site, &base_path),
    };
    let (outputs, render_findings) = render(&options.root, config, &placed.site, theme, hooks);
    let mut findings = placed.findings.clone();
    findings.extend(render_findings);
    Ok(check::finish(AfterPass {
        options,
        config,
        content: &files.content,
        placed: &placed,
        today,
        rules,
        outputs,
        findings,
        reminders: crate::config::reminders::of(
            config,
            &files.site_yaml,
            options.base_url.is_some(),
        ),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::page::PageInput;
    use crate::check::{PageResult, PageRules};
    use crate::frontmatter::Date;
    use crate::pipeline::read_site_files;
    use std::path::{Path, PathBuf};

    /// What each page's own rules found, and its reading score.
    fn per_page(
        pages: &[PageInput],
        results: &[PageResult],
    ) -> Vec<(PathBuf, Vec<Diagnostic>, String)> {
        pages
            .iter()
            .zip(results)
            .map(|(page, result)| {
                let score = format!("{:?}", result.reading.as_ref().map(|r| r.score));
                (page.file.clone(), result.findings.clone(), score)
            })
            .collect()
    }

    #[test]
    fn pages_the_rendering_pass_did_not_read_are_checked_on_their_own() {
        for fixture in [
            "check_claims",
            "check_readability",
            "check_content",
            "bilingual",
        ] {
            let root = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures")
                .join(fixture);
            let files = read_site_files(&root).expect("the fixture reads");
            let placed = place(&files, false, None);
            let today = Date(chrono::NaiveDate::from_ymd_opt(2026, 11, 24).expect("a date"));
            let keep = |_| ();

            let rendered = PageRules::new(&placed, &files.config, today, &root);
            let hooks = crate::render::Hooks {
                reuse: &crate::incremental::Fresh,
                reader: Some(&rendered),
                keep: &keep,
            };
            let theme = load_theme(&root, &files.config);
            let _ = render(&root, &files.config, &placed.site, theme, hooks);
            let (pages, results) = rendered.finish();
            // Nothing rendered: every page is read and checked by `finish` itself.
            let (alone, alone_results) =
                PageRules::new(&placed, &files.config, today, &root).finish();

            assert!(!pages.is_empty(), "{fixture}");
            assert!(
                results
                    .iter()
                    .any(|r| !r.findings.is_empty() || r.reading.is_some()),
                "{fixture}"
            );
            assert_eq!(
                per_page(&pages, &results),
                per_page(&alone, &alone_results),
                "{fixture}"
            );
        }
    }
}
