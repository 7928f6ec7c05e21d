//! The duplicates rule's findings (`content_rules::duplicates`) as the findings cache keeps
//! them: findings on any page's file in, bytes out, and back. The rule reads only where
//! pages are and their front matter, so its findings hold while the placed site's key
//! (`BuildCache::placed_key`) is the same; the file keeps them by that key.

use super::{Finding, Table};
use crate::diagnostics::{Code, Diagnostic, Severity};

/// `findings` in MessagePack, each with its file, naming codes by their places in `codes`;
/// `None` for a file not written in UTF-8 (they are then not kept).
pub(super) fn encode<'t>(findings: &'t [Diagnostic], codes: &mut Table<'t>) -> Option<Vec<u8>> {
    let rows = findings
        .iter()
        .map(|f| {
            let finding = Finding(
                codes.place(f.code.as_str()),
                f.severity == Severity::Warning,
                f.line,
                f.column,
                f.width,
                f.message.as_str(),
                f.help.as_deref(),
            );
            Some((f.file.to_str()?, finding))
        })
        .collect::<Option<Vec<_>>>()?;
    crate::cache_format::Blob::of(&rows).map(|blob| blob.0)
}

/// The findings `encode` wrote, with `codes` as the file names them; `None` unless every
/// one reads whole.
pub(super) fn decode(bytes: &[u8], codes: &[(String, Option<Code>)]) -> Option<Vec<Diagnostic>> {
    let rows: Vec<(&str, Finding<&str>)> = crate::cache_format::value_of(bytes)?;
    rows.into_iter()
        .map(|(file, finding)| finding.diagnostic(codes, file.into()))
        .collect()
}
