//! The site's results cases in, warnings staff should act on out: a consent about to expire,
//! a case withheld (its consent revoked or expired), and photos that do not make a fair pair
//! (read from their EXIF blocks before the build removes them; see `results::hints`).

use rayon::prelude::*;

use crate::diagnostics::{Code, Diagnostic};
use crate::frontmatter::Date;
use crate::results::{Reason, hints};
use crate::site::Placed;
use crate::site::{Role, content_path};
use crate::source::Content;

/// How many days ahead `check` warns of a consent's expiry.
pub const EXPIRY_NOTICE_DAYS: i64 = 30;

/// Every warning about the site's cases, each on the default language's file.
pub fn check(placed: &Placed, content: &Content, today: Date) -> Vec<Diagnostic> {
    let site = &placed.site;
    let default = site.languages.first().map_or("en", String::as_str);
    let consent_line = |source: &str| {
        placed
            .front_matter
            .get(source)
            .map_or(1, |parsed| parsed.key_line("consent"))
    };
    let mut findings: Vec<Diagnostic> = site
        .withheld
        .iter()
        .filter(|w| !w.translation)
        .map(|w| {
            let file = content_path(&w.source);
            let folder = crate::diagnostics::display_path(file.parent().unwrap_or(&file));
            let help = match &w.reason {
                Reason::Revoked { .. } => format!("the patient withdrew consent: delete the folder {folder} (the build leaves it out until then)"),
                Reason::Expired { .. } => format!("if the patient signed a new form, write its `id`, `signed` and `expires` under `consent:`; if not, delete the folder {folder}"),
            };
            Diagnostic::new(
                Code::ResultsWithheld,
                &file,
                format!("this case is not published: {}", w.reason),
            )
            .at(consent_line(&w.source), 1)
            .width("consent".len())
            .help(help)
        })
        .collect();
    let cases: Vec<(&str, &crate::results::Case)> = site
        .pages
        .iter()
        .filter(|p| p.common.lang == default)
        .filter_map(|p| match &p.role {
            Role::Case(case) => Some((p.common.source.as_str(), &**case)),
            _ => None,
        })
        .collect();
    for (source, case) in &cases {
        let Some(expires) = case.consent.expires else {
            continue;
        };
        let days = (expires.0 - today.0).num_days();
        if (1..=EXPIRY_NOTICE_DAYS).contains(&days) {
            let when = if days == 1 {
                "tomorrow".to_string()
            } else {
                format!("in {days} days")
            };
            findings.push(
                Diagnostic::new(
                    Code::ResultsConsentExpiring,
                    content_path(source),
                    format!(
                        "consent {} expires on {expires}, {when}: the case comes down from the site that day",
                        case.consent.id
                    ),
                )
                .at(case.consent.line, 1)
                .width("consent".len())
                .help("if the patient signs a new form, write its `id`, `signed` and `expires` under `consent:`; if not, nothing to do: the next build after that day leaves the case out"),
            );
        }
    }
    findings.par_extend(cases.par_iter().flat_map_iter(|(source, case)| {
        let shot = |path: &str| {
            original(site, content, path)
                .map(|bytes| hints::shot(&bytes))
                .unwrap_or_default()
        };
        let file = content_path(source);
        hints::differences(&shot(&case.before.path), &shot(&case.after.path))
            .into_iter()
            .map(move |difference| {
                Diagnostic::new(Code::ResultsPhotoHints, &file, difference)
                    .at(case.after.line, 1)
                    .width("after".len())
                    .help("a fair comparison takes both photos the same way: same light, same distance and zoom, \"before\" first; retake the photo, or check that `before:` and `after:` name the right files")
            })
            .collect::<Vec<_>>()
    }));
    findings
}

/// The bytes of the original in `content/` of the photo published at `output`.
fn original(site: &crate::site::Site, content: &Content, output: &str) -> Option<Vec<u8>> {
    let rel = site
        .asset_paths
        .iter()
        .find(|(_, published)| published.as_str() == output)
        .map(|(rel, _)| rel)?;
    let file = content.assets.iter().find(|a| &a.rel == rel)?;
    file.data.read().ok().map(|bytes| bytes.into_owned())
}
