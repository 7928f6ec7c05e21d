//! A case's `consent:` block in, a checked `Consent` out; with site.yaml's
//! `revoked_consents:` and today's date, whether the case may be shown (`standing`).

use std::path::Path;

use crate::diagnostics::{Code, Diagnostic};
use crate::frontmatter::{Date, Parsed, RawConsent};

use super::lines::field_spot;

/// The patient's signed consent, as the case records it. The form itself stays in the
/// clinic's records, never in the site.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Consent {
    /// The form's number in the clinic's records, like `C-2026-014`.
    pub id: String,
    pub signed: Option<Date>,
    pub expires: Option<Date>,
    /// The file line of `consent:`.
    pub line: usize,
}

/// What decides whether a consent still holds: `revoked_consents:` and today's date.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Consents {
    /// The ids in site.yaml's `revoked_consents:`.
    pub revoked: Vec<String>,
    /// The day the build runs on; the machine's today when absent (see `today`).
    pub today: Option<Date>,
}

impl Consents {
    pub fn today(&self) -> Date {
        self.today.unwrap_or_else(crate::today::local)
    }
}

/// Why a case is withheld.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// Its id is in `revoked_consents:`.
    Revoked { id: String },
    /// Its `expires` date has come.
    Expired { id: String, on: Date },
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reason::Revoked { id } => write!(f, "consent {id} was revoked"),
            Reason::Expired { id, on } => write!(f, "consent {id} expired on {on}"),
        }
    }
}

/// A case's file left out of the build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Withheld {
    /// Its path in `content/`.
    pub source: String,
    /// A translation (withheld with its original).
    pub translation: bool,
    /// The address of the results section it was in: links to the case lead there.
    pub section_path: String,
    pub reason: Reason,
}

/// Why the case with this `consent:` (from its default language's file) may not be shown, or
/// `None` when it may. A consent that could never allow publishing (missing, malformed, not
/// for the website) is `None` too: `resolve` reports it as an error, which stops the build.
pub fn standing(raw: Option<&RawConsent>, consents: &Consents) -> Option<Reason> {
    let raw = raw?;
    let id = raw
        .id
        .as_deref()
        .map(str::trim)
        .filter(|id| !id.is_empty())?;
    let (signed, expires) = (raw.signed?, raw.expires?);
    let for_website = raw.scope.iter().flatten().any(|s| s.trim() == "website");
    if expires <= signed || !for_website {
        return None;
    }
    if consents.revoked.iter().any(|r| r.trim() == id) {
        return Some(Reason::Revoked { id: id.to_string() });
    }
    (expires <= consents.today()).then(|| Reason::Expired {
        id: id.to_string(),
        on: expires,
    })
}

/// Checks `consent:`: it is there, names the form and its dates, and covers the website.
/// `None` after an error.
pub fn resolve(parsed: &Parsed, file: &Path, errors: &mut Vec<Diagnostic>) -> Option<Consent> {
    let example =
        "`consent: { id: C-2026-014, signed: 2026-03-02, expires: 2028-03-02, scope: [website] }`";
    let Some(raw) = &parsed.meta.consent else {
        errors.push(
            Diagnostic::new(
                Code::ResultsNoConsent,
                file,
                "this case has no `consent:`: patient photos are published only with the patient's signed consent",
            )
            .at(1, 1)
            .width(3)
            .help(format!(
                "add the details of the signed form, like {example} (see docs/staff.md, \"Add a result\")"
            )),
        );
        return None;
    };
    let line = parsed.key_line("consent");
    let before = errors.len();
    let mut fault = |key: &str, message: String, help: String| {
        let (at, column) = field_spot(parsed, "consent", key);
        errors.push(
            Diagnostic::new(Code::ResultsConsent, file, message)
                .at(at, column)
                .width(key.len().max(1))
                .help(help),
        );
    };
    let id = raw.id.as_deref().map(str::trim).unwrap_or_default();
    if id.is_empty() {
        fault(
            "id",
            "the consent has no `id`".into(),
            "add the number of the signed form in the clinic's records, like `id: C-2026-014`"
                .into(),
        );
    }
    if raw.signed.is_none() {
        fault(
            "signed",
            "the consent has no `signed` date".into(),
            "add the day the patient signed the form, like `signed: 2026-03-02`".into(),
        );
    }
    if raw.expires.is_none() {
        fault(
            "expires",
            "the consent has no `expires` date".into(),
            "add the day the consent ends, as written on the form, like `expires: 2028-03-02`"
                .into(),
        );
    }
    if let (Some(signed), Some(expires)) = (raw.signed, raw.expires)
        && expires <= signed
    {
        fault(
            "expires",
            format!("the consent expires ({expires}) before it was signed ({signed})"),
            "copy both dates from the signed form: `signed:` is the day the patient signed, `expires:` the day the consent ends".into(),
        );
    }
    let scope = raw.scope.as_deref().unwrap_or_default();
    if !scope.iter().any(|s| s.trim() == "website") {
        let written = match scope {
            [] => "the consent has no `scope`".to_string(),
            some => format!(
                "the consent's scope ({}) does not include the website",
                some.join(", ")
            ),
        };
        fault(
            "scope",
            format!("{written}: the patient has not agreed to these photos being on the website"),
            "publish only cases whose signed form allows the website; when it does, write `scope: [website]`".into(),
        );
    }
    if errors.len() > before {
        return None;
    }
    Some(Consent {
        id: id.to_string(),
        signed: raw.signed,
        expires: raw.expires,
        line,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Option<Date> {
        Date::parse(text)
    }

    #[test]
    fn a_consent_holds_until_revoked_or_its_expiry_day() {
        let raw = RawConsent {
            id: Some("C-1".into()),
            signed: date("2026-03-02"),
            expires: date("2028-03-02"),
            scope: Some(vec!["website".into()]),
        };
        let on = |today: &str, revoked: &[&str]| {
            standing(
                Some(&raw),
                &Consents {
                    revoked: revoked.iter().map(|r| r.to_string()).collect(),
                    today: date(today),
                },
            )
        };
        assert_eq!(on("2028-03-01", &[]), None);
        assert_eq!(
            on("2028-03-02", &[]),
            Some(Reason::Expired {
                id: "C-1".into(),
                on: date("2028-03-02").unwrap()
            })
        );
        assert_eq!(
            on("2026-12-06", &["C-9", " C-1 "]),
            Some(Reason::Revoked { id: "C-1".into() })
        );
        // Never publishable: an error for `resolve`, not a withheld case.
        let print_only = RawConsent {
            scope: Some(vec!["print".into()]),
            ..raw.clone()
        };
        let revoked = Consents {
            revoked: vec!["C-1".into()],
            today: None,
        };
        assert_eq!(standing(Some(&print_only), &revoked), None);
    }
}
