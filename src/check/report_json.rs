//! The JSON report: a `Report` in, a stable JSON document for CI out.
//!
//! The schema is named and versioned in the document itself (`"schema":
//! "clinicsite-check/1"`); fields are only ever added within a version. It is documented in
//! docs/staff.md, "Checking content".

use serde::Serialize;

use super::external::Summary;
use super::review::ReviewEntry;
use super::{PageReport, Report};
use crate::diagnostics::{Code, Diagnostic, Severity, display_path};

pub const SCHEMA: &str = "clinicsite-check/1";

#[derive(Serialize)]
struct Document<'r> {
    schema: &'static str,
    today: String,
    summary: Totals,
    findings: Vec<Finding<'r>>,
    pages: &'r [PageReport],
    review_schedule: &'r [ReviewEntry],
    review_interval_days: i64,
    external: Option<Summary>,
}

#[derive(Serialize)]
struct Totals {
    pages: usize,
    errors: usize,
    warnings: usize,
}

#[derive(Serialize)]
struct Finding<'r> {
    rule: Code,
    severity: Severity,
    file: String,
    /// 0 when the finding is about the whole file.
    line: usize,
    column: usize,
    width: usize,
    message: &'r str,
    help: Option<&'r str>,
}

impl<'r> From<&'r Diagnostic> for Finding<'r> {
    fn from(d: &'r Diagnostic) -> Self {
        Finding {
            rule: d.code,
            severity: d.severity,
            file: display_path(&d.file),
            line: d.line,
            column: d.column,
            width: d.width,
            message: &d.message,
            help: d.help.as_deref(),
        }
    }
}

/// The report as pretty-printed JSON, ending with a newline.
pub fn render(report: &Report) -> String {
    let document = Document {
        schema: SCHEMA,
        today: report.today.iso(),
        summary: Totals {
            pages: report.pages.len(),
            errors: report.errors(),
            warnings: report.warnings(),
        },
        findings: report.findings.iter().map(Finding::from).collect(),
        pages: &report.pages,
        review_schedule: &report.schedule,
        review_interval_days: report.review_interval_days,
        external: report.external,
    };
    let mut json = serde_json::to_string_pretty(&document).expect("the report serialises");
    json.push('\n');
    json
}
