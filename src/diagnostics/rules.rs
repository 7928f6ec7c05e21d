//! The levels `site.yaml`'s `check.rules` sets (error, warning or off) and `apply_levels`,
//! which applies them once every finding is in. Which codes are rules, and their default
//! severity, is in `Code`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, Severity};

/// How seriously a rule's findings are taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Off,
}

/// Applies the levels set in `site.yaml`: drops findings of rules turned off and sets the
/// severity of the others. Findings `build` makes are left as they are.
pub fn apply_levels(
    findings: Vec<Diagnostic>,
    levels: &BTreeMap<String, Level>,
) -> Vec<Diagnostic> {
    findings
        .into_iter()
        .filter_map(|mut finding| {
            finding.severity = level_of(&finding, levels)?;
            Some(finding)
        })
        .collect()
}

/// The severity `apply_levels` gives `finding`; `None` when its rule is turned off.
pub fn level_of(finding: &Diagnostic, levels: &BTreeMap<String, Level>) -> Option<Severity> {
    if !finding.code.is_rule() {
        return Some(finding.severity);
    }
    match levels.get(finding.code.as_str()) {
        Some(Level::Off) => None,
        Some(Level::Error) => Some(Severity::Error),
        Some(Level::Warning) => Some(Severity::Warning),
        None => Some(finding.code.default_severity()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Code;

    #[test]
    fn levels_from_site_yaml_win() {
        let findings = vec![
            Diagnostic::new(Code::ContentOrphan, "a.md", "x"),
            Diagnostic::new(Code::ReviewOverdue, "b.md", "y"),
            Diagnostic::new(Code::ClaimsSuperlative, "c.md", "z"),
            Diagnostic::new(Code::LinkBroken, "d.md", "w"),
        ];
        assert_eq!(findings[0].severity, Severity::Warning);
        let levels = BTreeMap::from([
            ("content/orphan".to_string(), Level::Off),
            ("claims/superlative".to_string(), Level::Error),
        ]);
        let kept = apply_levels(findings, &levels);
        let codes: Vec<(Code, Severity)> = kept.iter().map(|f| (f.code, f.severity)).collect();
        assert_eq!(
            codes,
            [
                (Code::ReviewOverdue, Severity::Error),
                (Code::ClaimsSuperlative, Severity::Error),
                (Code::LinkBroken, Severity::Error)
            ]
        );
    }
}
