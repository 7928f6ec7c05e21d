//! GitHub annotations: findings in, one workflow command a line out
//! (`::error file=…,line=…,col=…,title=…::message`), which GitHub shows on the file and line
//! of a pull request or commit, plus a plain summary line.
//!
//! Escaping follows GitHub's toolkit (`@actions/core`, command.ts): in the message `%`, `\r`
//! and `\n`; in properties also `:` and `,`.

use std::path::Path;

use crate::diagnostics::{Diagnostic, Severity, display_path};

/// The findings as annotations. `root` is the site's folder as given on the command line,
/// so paths are relative to where the workflow runs (the repository's top).
pub fn render(findings: &[Diagnostic], root: &Path) -> String {
    let mut out = String::new();
    for finding in findings {
        out.push_str(&annotation(finding, root));
        out.push('\n');
    }
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    out.push_str(&format!(
        "clinicsite check: {errors} error(s), {} warning(s)\n",
        findings.len() - errors
    ));
    out
}

fn annotation(finding: &Diagnostic, root: &Path) -> String {
    let command = match finding.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let file = if root == Path::new(".") || root.is_absolute() {
        display_path(&finding.file)
    } else {
        display_path(&root.join(&finding.file))
    };
    let mut properties = vec![format!("file={}", property(&file))];
    if finding.line > 0 {
        properties.push(format!("line={}", finding.line));
        if finding.column > 0 {
            properties.push(format!("col={}", finding.column));
            if finding.width > 1 {
                properties.push(format!("endColumn={}", finding.column + finding.width));
            }
        }
    }
    properties.push(format!("title={}", property(finding.code.as_str())));
    let mut message = finding.message.clone();
    if let Some(help) = &finding.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    format!("::{command} {}::{}", properties.join(","), data(&message))
}

fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Code;

    #[test]
    fn messages_and_properties_are_escaped() {
        let finding = Diagnostic::new(
            Code::ReviewOverdue,
            "content/faq/a,b:c.md",
            "50% done\r\nnext",
        )
        .at(3, 7)
        .help("write: x, y");
        assert_eq!(
            annotation(&finding, Path::new(".")),
            "::error file=content/faq/a%2Cb%3Ac.md,line=3,col=7,title=review/overdue::50%25 done%0D%0Anext%0Ahelp: write: x, y"
        );
    }

    #[test]
    fn a_whole_file_finding_has_no_line_and_a_warning_is_a_warning() {
        let finding = Diagnostic::new(Code::ContentOrphan, "content/a.md", "alone");
        assert_eq!(
            annotation(&finding, Path::new("site")),
            "::warning file=site/content/a.md,title=content/orphan::alone"
        );
    }
}
