//! `clinicsite check`: the site as `build` sees it (placed, rendered, with `build`'s own
//! findings) in, a `Report` out: every finding of the rules below, each page's reading level
//! and the medical review schedule. `pipeline::check` runs the stages before the rules
//! (`check` never calls the pipeline: the pipeline's gate is `PageRules`).
//!
//! ```text
//! pipeline::place ──▶ Site + front matter (+ build's findings so far)
//! pipeline::render, with PageRules reading the bodies ──▶ each file's links
//!   + build's other findings; for each page, from the events its markdown renders from:
//!     page::PageInput (document::Reader)
//!        ├─ reading       reading level (readability, syllables_en, syllables_es,
//!        │                syllables_kept)
//!        ├─ review        medical review dates
//!        ├─ claims        risky wording
//!        ├─ content_rules titles, descriptions, alt text, headings, link text, locations
//!        └─ untranslated  a published translation still in its original's words
//! whole site: links (HTML links, empty links, orphans), duplicates, translations, --external
//! ──▶ rules::apply_levels (site.yaml `check.rules`) ──▶ Report ──▶ report_human / _json / _html
//! ```
//!
//! `build` and `serve` run the page rules as their gate (`PageRules::gate`), taking each
//! unchanged page's findings from `findings_cache` (`.clinicsite-cache/findings`).
//!
//! Nothing here writes to the site, except the link cache of `--external`, the findings
//! cache and the kept syllable counts (`syllables_kept`).

pub mod cases;
pub mod claims;
pub mod content_rules;
pub mod document;
pub mod external;
pub mod findings_cache;
mod gate;
use gate::Gated;
pub mod links;
pub mod page;
pub mod photos;
pub mod readability;
pub mod reading;
pub mod report_github;
pub mod report_html;
pub mod report_human;
pub mod report_json;
pub mod review;
mod site_wide;
mod summary;
pub mod syllables_en;
pub mod syllables_es;
pub mod syllables_kept;
pub mod untranslated;

/// The rules and their default levels live with the diagnostics, `check:` in `site.yaml`
/// with the rest of the configuration; both keep their old names here.
pub use crate::config::check as settings;
pub use crate::diagnostics::rules;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use rayon::prelude::*;
use serde::Serialize;

use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::frontmatter::Date;
use crate::markdown::Rendered;
use crate::site::Target;
use document::Document;
pub use gate::GateParts;
use page::PageInput;
use reading::ReadingSummary;
use review::ReviewEntry;
use site_wide::{SiteContext, site_rules};
use summary::report;

/// What `check` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub root: PathBuf,
    /// `--today`; the clinic's today when absent (see `today`).
    pub today: Option<Date>,
    /// `--external`: also ask outside sites whether their links work.
    pub external: bool,
    /// `--drafts`: also check pages marked `draft: true`.
    pub drafts: bool,
    /// `--base-url`: the address the site will be published at, instead of site.yaml's.
    pub base_url: Option<String>,
}

/// Everything `check` found.
#[derive(Debug, Clone)]
pub struct Report {
    pub site_title: String,
    pub today: Date,
    /// Sorted by file, then position.
    pub findings: Vec<Diagnostic>,
    /// Every page and section, sorted by file.
    pub pages: Vec<PageReport>,
    /// FAQ entries, soonest due first.
    pub schedule: Vec<ReviewEntry>,
    pub review_interval_days: i64,
    /// The site's reading-level limits (pages may set their own).
    pub reading_limits: settings::ReadingLimits,
    /// With `--external`: how many outside links were checked.
    pub external: Option<external::Summary>,
}

/// One page in the report.
#[derive(Debug, Clone, Serialize)]
pub struct PageReport {
    pub file: String,
    /// Its address, relative to the site's root (`faq/pain/`).
    pub path: String,
    pub title: String,
    pub language: String,
    pub reading: Option<ReadingSummary>,
    pub review: Option<review::Status>,
    pub errors: usize,
    pub warnings: usize,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count()
    }

    pub fn warnings(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Warning)
            .count()
    }

    /// The pages that got a reading-level score from `formula` (`flesch-kincaid`,
    /// `inflesz`), each with its score.
    pub fn scored(&self, formula: &str) -> impl Iterator<Item = (&PageReport, &ReadingSummary)> {
        self.pages.iter().filter_map(move |p| {
            p.reading
                .as_ref()
                .filter(|r| r.scored && r.formula == formula)
                .map(|r| (p, r))
        })
    }
}

/// What the rendering pass leaves for `check`'s site-wide rules and its report (see
/// `pipeline::check`, which reads, places and renders the site with `rules` reading it).
pub struct AfterPass<'a> {
    pub options: &'a Options,
    pub config: &'a Config,
    pub content: &'a crate::source::Content,
    pub placed: &'a crate::site::Placed<'a>,
    pub today: Date,
    pub rules: PageRules<'a>,
    /// The rendered files, when the theme could be loaded.
    pub outputs: Option<Vec<links::Published>>,
    /// What reading, placing and rendering found.
    pub findings: Vec<Diagnostic>,
    /// What site.yaml still has to be told (see `config::reminders`).
    pub reminders: Vec<Diagnostic>,
}

/// Runs the site-wide rules after the rendering pass and puts the report together.
pub fn finish(pass: AfterPass) -> Report {
    let AfterPass {
        options,
        config,
        content,
        placed,
        today,
        rules,
        outputs,
        mut findings,
        reminders,
    } = pass;
    let (pages, results) = rules.finish();
    if let Some(outputs) = &outputs {
        // The paths `build` would write, planned as it plans them (see `output_paths`).
        let paths: Vec<&str> = outputs.iter().map(|o| o.path.as_str()).collect();
        let public = options.root.join("public");
        findings.extend(crate::output_paths::check(&placed.site, &paths, &public));
    }
    findings.extend(reminders);
    let context = SiteContext {
        config,
        site: &placed.site,
        placed,
        outputs: outputs.as_deref(),
    };
    findings.extend(site_rules(&pages, &context));
    findings.extend(photos::gps(content));
    findings.extend(cases::check(placed, content, today));
    findings.extend(photos::unpublishable(content));
    let external = options.external.then(|| {
        let links: Vec<external::ExternalLink> = pages.iter().flat_map(external::collect).collect();
        let (mut found, summary) =
            external::check(&links, config.check.external, today, &options.root);
        findings.append(&mut found);
        summary
    });
    report(findings, &pages, results, config, today, external)
}

/// What one page's rules found.
pub struct PageResult {
    pub findings: Vec<Diagnostic>,
    /// Boxed: every page's result is kept until the site-wide rules have run, and `build`'s
    /// gate keeps neither.
    pub reading: Option<Box<ReadingSummary>>,
    pub review: Option<Box<ReviewEntry>>,
    /// The page's key in the findings cache, when its findings can be kept there.
    pub key: Option<findings_cache::Key>,
}

/// `check`'s reader in the rendering pass: as each page's or section's markdown is parsed
/// for rendering, the same events are read into the page's `Document` and its own rules run
/// on it, so no body is parsed twice. Pages the pass did not parse (those kept from an
/// earlier build) are read and checked by `finish`. `build` runs it too, as its gate (see
/// `PageRules::gate`).
pub struct PageRules<'a> {
    placed: &'a crate::site::Placed<'a>,
    settings: &'a settings::CheckSettings,
    /// The risky phrases, with `check.claims` applied: made when the first page is checked,
    /// so a build that checks no page anew does not make them.
    claims: OnceLock<claims::Claims>,
    review: review::Context<'a>,
    /// Sections, then pages, each in index order: the page as the site-wide rules need it,
    /// and what its own rules found (or only their count, see `counting`).
    checked: Vec<OnceLock<Gated<'a>>>,
    /// One per thread of the pool (see `rayon::current_thread_index`), and one more for
    /// threads outside it (a pass on one thread runs on the caller's).
    caches: Vec<Mutex<readability::SyllableCache>>,
    /// The English syllable counts earlier builds kept, which the caches ask (`build` and
    /// `serve` only), written again by the gate with the words counted anew.
    kept_syllables: Option<Arc<syllables_kept::KeptSyllables>>,
    /// What the rules found on each page in earlier builds (`build` and `serve` only: `check`
    /// reports reading levels and the review schedule, which are not kept).
    remembered: Option<findings_cache::FindingsCache>,
    /// The build cache's key of the placed site (`BuildCache::placed_key`), when known: a
    /// page is then recalled by its quick key (see `findings_cache`).
    placed_key: Option<String>,
    /// The duplicates rule's findings as the findings cache kept them for this placed site.
    kept_duplicates: Option<Vec<Diagnostic>>,
    /// Whether the gate only counts the warnings of a page kept without errors or links
    /// (see `counting`).
    counting: bool,
    /// For maintainers' benchmarks only (see `WITHOUT_GATE`, read by `as_gate`): `build` and
    /// `serve` run without the rules, to measure what they cost. `check` always runs them.
    off: bool,
}

/// Set (to anything) in the environment, `build` and `serve` skip check's page and site
/// rules and the orphan rule, so benchmarks can measure the gate's cost
/// (docs/development.md). The rest of the build is as it is with them: broken links and
/// anchors still stop it, and each page's links are still read and recorded for the build
/// cache. `build` says so on stderr every time: it is never a way to publish what the rules
/// would stop.
pub const WITHOUT_GATE: &str = "CLINICSITE_BENCH_WITHOUT_GATE";

impl<'a> PageRules<'a> {
    pub fn new(
        placed: &'a crate::site::Placed<'a>,
        config: &'a Config,
        today: Date,
        root: &'a Path,
    ) -> Self {
        let site = &placed.site;
        PageRules {
            placed,
            settings: &config.check,
            claims: OnceLock::new(),
            review: review::Context {
                today,
                settings: config.check.review,
                root,
            },
            checked: (0..site.sections.len() + site.pages.len())
                .map(|_| OnceLock::new())
                .collect(),
            caches: (0..=rayon::current_num_threads())
                .map(|_| Mutex::default())
                .collect(),
            off: false,
            kept_syllables: None,
            remembered: None,
            placed_key: None,
            kept_duplicates: None,
            counting: false,
        }
    }

    /// The gate as `build` runs it, which shows errors and only counts warnings: a page kept
    /// without errors or links (see `findings_cache::Tally`) is counted from its row in the
    /// findings cache, its findings left unread, while the duplicates rule's findings are
    /// kept for this placed site (they need every page's title otherwise). `gate` hands back
    /// the count.
    pub fn counting(mut self) -> Self {
        self.counting = self.kept_duplicates.is_some();
        self
    }

    /// The rules as `build`'s and `serve`'s gate: each page's findings come from the findings
    /// cache in `root` when nothing its rules read has changed, and what is checked anew is
    /// kept there (see `findings_cache`); `placed_key` is the build cache's key of the
    /// placed site, when known, which spares hashing all of every page. With `WITHOUT_GATE`
    /// set, no rule runs.
    pub fn as_gate(mut self, placed_key: Option<String>) -> Self {
        self.off = std::env::var_os(WITHOUT_GATE).is_some();
        self.placed_key = placed_key;
        if self.off {
            return self;
        }
        let settings = self.settings;
        let today = self.review.today;
        let remembered = findings_cache::FindingsCache::open(self.review.root, settings, today);
        let placed_key = self.placed_key.as_deref();
        self.kept_duplicates = placed_key.and_then(|placed| remembered.duplicates(placed));
        self.remembered = Some(remembered);
        let kept = Arc::new(syllables_kept::KeptSyllables::new(self.review.root));
        for cache in &mut self.caches {
            *cache = Mutex::new(readability::SyllableCache::keeping(Arc::clone(&kept)));
        }
        self.kept_syllables = Some(kept);
        self
    }

    /// The page's findings as an earlier build kept them (or their count, see `counting`);
    /// otherwise its key in the cache (`None` without one), to keep what the page's check
    /// finds.
    fn recall(&self, target: Target) -> Result<Gated<'a>, Option<findings_cache::Key>> {
        let Some(remembered) = &self.remembered else {
            return Err(None);
        };
        let site = &self.placed.site;
        let Some(common) = site.common(target) else {
            return Err(None);
        };
        let Some(kind) = page::Kind::of(site, target) else {
            return Err(None);
        };
        // Looked up only when needed: a page whose body was left on disk and whose quick key
        // is kept needs no front matter to be counted.
        let front_matter = || self.placed.front_matter.get(&common.source);
        let on_disk = matches!(common.body, crate::source::BodyText::OnDisk(_));
        let mut input = findings_cache::KeyInput {
            target,
            common,
            kind,
            front: if on_disk { None } else { front_matter() },
            original: untranslated::original_words(self.placed, target),
        };
        let key = match remembered.quick_key(&input, self.placed_key.as_deref()) {
            Ok(key) => key,
            Err(quick) => {
                input.front = input.front.or_else(front_matter);
                remembered.whole_key(&input, quick)
            }
        };
        if self.counting
            && let Some(tally) = remembered.tally(key).filter(|t| t.counts_alone())
        {
            return Ok(Gated::Counted(key, tally));
        }
        // The page is made only once its findings are known to be kept (on a first check,
        // none are).
        let file = crate::site::content_path(&common.source);
        let Some((findings, doc)) = remembered.recall(key, &file) else {
            return Err(Some(key));
        };
        let front = input.front.or_else(front_matter);
        let page = PageInput::with_document(site, target, front, doc).ok_or(None)?;
        let result = PageResult {
            findings,
            reading: None,
            review: None,
            key: Some(key),
        };
        Ok(Gated::read(Some((page, result))))
    }

    fn slot(&self, target: Target) -> Option<&OnceLock<Gated<'a>>> {
        let index = match target {
            Target::Section(i) => i,
            Target::Page(i) => self.placed.site.sections.len() + i,
            Target::Unavailable | Target::Draft => return None,
        };
        self.checked.get(index)
    }

    /// Runs the page's own rules on its text; the page keeps only what the site-wide rules
    /// read (links and HTML).
    fn check(
        &self,
        target: Target,
        (body, doc): (&str, Document),
        key: Option<findings_cache::Key>,
    ) -> Option<(PageInput<'a>, PageResult)> {
        let site = &self.placed.site;
        let front = self.placed.front_matter.get(&site.common(target)?.source);
        let mut page = PageInput::with_document(site, target, front, doc)?;
        page.lines.give(body);
        let thread = rayon::current_thread_index()
            .unwrap_or(self.caches.len() - 1)
            .min(self.caches.len() - 1);
        let mut own = readability::SyllableCache::default();
        let mut locked = self.caches.get(thread).and_then(|cache| cache.lock().ok());
        let cache = locked.as_deref_mut().unwrap_or(&mut own);
        // The gate keeps each page's findings only: reading levels and the review schedule
        // are `check`'s report.
        let full = self.remembered.is_none();
        let claims = self.claims.get_or_init(|| claims::list(self.settings));
        let mut result = check_page(&page, claims, self.settings, self.review, cache, full);
        result
            .findings
            .extend(untranslated::check(&page, self.placed));
        if page.common.draft {
            // A draft is still being written: it needs no review and may hold sample text
            // until `draft: true` goes, when `build` checks it like any page.
            result.findings.retain(|f| {
                !f.code.as_str().starts_with("review/") && f.code != Code::ContentPlaceholder
            });
            result.review = None;
        }
        if let Some(remembered) = &self.remembered {
            remembered.checked_anew();
            result.key =
                key.filter(|_| findings_cache::FindingsCache::keeps(&page, &result.findings));
            result.reading = None;
            result.review = None;
            // Kept until the site-wide rules have run, for every page of the site: of the
            // links, the gate reads only those without an address (`links::check`).
            result.findings.shrink_to_fit();
            page.doc.links.retain(links::has_no_address);
            page.doc.links.shrink_to_fit();
        }
        page.doc.keep_links_only();
        page.lines.forget();
        Some((page, result))
    }

    /// Every page and section with what its rules found, in site order. A page the
    /// rendering pass did not show is read and checked here.
    pub fn finish(self) -> (Vec<PageInput<'a>>, Vec<PageResult>) {
        let Finished { pages, results, .. } = self.finish_remembering();
        (pages, results)
    }

    /// `finish`, handing back the findings cache, which it reads, to be saved, and the pages
    /// only counted.
    fn finish_remembering(mut self) -> Finished<'a> {
        let site = &self.placed.site;
        let targets: Vec<Target> = (0..site.sections.len())
            .map(Target::Section)
            .chain((0..site.pages.len()).map(Target::Page))
            .collect();
        let checked = std::mem::take(&mut self.checked);
        let gated: Vec<Gated<'a>> = checked
            .into_par_iter()
            .zip(targets)
            .map(|(slot, target)| match slot.into_inner() {
                Some(done) => done,
                None => match self.recall(target) {
                    Ok(recalled) => recalled,
                    Err(key) => Gated::read(self.check_unrendered(target, key)),
                },
            })
            .collect();
        let mut finished = Finished {
            pages: Vec::with_capacity(gated.len()),
            results: Vec::with_capacity(gated.len()),
            remembered: self.remembered.take(),
            counted: Vec::new(),
        };
        for gated in gated {
            match gated {
                Gated::Read(Some(read)) => {
                    if let Some((page, result)) = read.open(site) {
                        finished.pages.push(page);
                        finished.results.push(result);
                    }
                }
                Gated::Read(None) => {}
                Gated::Counted(key, tally) => finished.counted.push((key, tally)),
            }
        }
        finished
    }
}

impl crate::render::ReadBodies for PageRules<'_> {
    fn read(
        &self,
        target: Target,
        body: &str,
        render: &dyn Fn(crate::markdown::Watch) -> (Rendered, Vec<Diagnostic>),
    ) -> (Rendered, Vec<Diagnostic>) {
        let (Some(slot), Some(_), false) =
            (self.slot(target), self.placed.site.common(target), self.off)
        else {
            return render(&mut crate::markdown::unwatched);
        };
        // A page whose findings are kept is only rendered.
        let key = match self.recall(target) {
            Ok(recalled) => {
                let _ = slot.set(recalled);
                return render(&mut crate::markdown::unwatched);
            }
            Err(key) => key,
        };
        let mut reader = document::Reader::new(body);
        let rendered = render(&mut |event, range| reader.event(event, range));
        let _ = slot.set(Gated::read(self.check(
            target,
            (body, reader.finish()),
            key,
        )));
        rendered
    }
}

/// Every page and section read, with what its rules found, in site order; the findings
/// cache; and the pages only counted.
struct Finished<'a> {
    pages: Vec<PageInput<'a>>,
    results: Vec<PageResult>,
    remembered: Option<findings_cache::FindingsCache>,
    counted: Vec<(findings_cache::Key, findings_cache::Tally)>,
}

fn check_page(
    page: &PageInput,
    claims: &claims::Claims,
    settings: &settings::CheckSettings,
    review: review::Context,
    cache: &mut readability::SyllableCache,
    full: bool,
) -> PageResult {
    let mut findings = claims::check(page, claims);
    findings.extend(content_rules::check(page));
    let reading =
        reading::check(page, settings.reading, cache, full).map(|(summary, mut found)| {
            findings.append(&mut found);
            Box::new(summary)
        });
    let review = review::check(page, review).map(|(entry, mut found)| {
        findings.append(&mut found);
        Box::new(entry)
    });
    PageResult {
        findings,
        reading,
        review,
        key: None,
    }
}
