//! The default list of risky claims (what each rule looks for, why it is risky, and what to
//! write instead in English and in Spanish), and the words that show results or say they vary.

use super::Claim;
use crate::diagnostics::Code;

/// A claim of the default list: `instead` is `(English, Spanish)`.
pub(super) fn claim(rule: Code, phrases: &[&str], reason: &str, (en, es): (&str, &str)) -> Claim {
    Claim {
        rule,
        phrases: phrases.iter().map(|p| p.to_string()).collect(),
        reason: reason.into(),
        instead: en.into(),
        instead_es: Some(es.into()),
    }
}

/// The default list of risky claims, each with what to write instead in English and Spanish.
pub(super) fn defaults() -> Vec<Claim> {
    vec![
        claim(
            Code::ClaimsGuarantee,
            &[
                "guaranteed",
                "guarantee",
                "guarantees",
                "100%",
                "100 percent",
                "garantizado",
                "garantizada",
                "garantizados",
                "garantizadas",
            ],
            "results differ from person to person, so a promise of results can mislead patients and breaks medical advertising rules",
            (
                "\"most people see smoother skin after a few sessions\"",
                "\"la mayoría de las personas ve la piel más lisa después de unas sesiones\"",
            ),
        ),
        claim(
            Code::ClaimsAbsolute,
            &[
                "painless",
                "pain-free",
                "pain free",
                "no pain",
                "indoloro",
                "indolora",
                "sin dolor",
            ],
            "some people do feel discomfort, so promising none is not true for everyone",
            (
                "\"most people feel only mild discomfort\"",
                "\"la mayoría de las personas siente solo una molestia leve\"",
            ),
        ),
        claim(
            Code::ClaimsAbsolute,
            &[
                "no risk",
                "no risks",
                "risk-free",
                "risk free",
                "without risk",
                "sin riesgo",
                "sin riesgos",
            ],
            "every medical treatment has some risk",
            (
                "\"side effects are usually mild, like redness for a day or two\"",
                "\"los efectos secundarios suelen ser leves, como piel roja por uno o dos días\"",
            ),
        ),
        claim(
            Code::ClaimsAbsolute,
            &[
                "no downtime",
                "zero downtime",
                "no down time",
                "sin tiempo de recuperación",
            ],
            "most people have some redness or swelling for a day or more",
            (
                "\"most people go back to their usual activities within a day or two\"",
                "\"la mayoría de las personas vuelve a sus actividades en uno o dos días\"",
            ),
        ),
        claim(
            Code::ClaimsAbsolute,
            &["permanent", "permanently", "permanente", "permanentes"],
            "skin keeps aging, so results fade over time",
            (
                "\"results can last for months\"",
                "\"los resultados pueden durar meses\"",
            ),
        ),
        claim(
            Code::ClaimsAbsolute,
            &["cure", "cures", "cured"],
            "microneedling can improve how skin looks; it does not cure a condition",
            (
                "\"can improve the look of\"",
                "\"puede mejorar el aspecto de\"",
            ),
        ),
        claim(
            Code::ClaimsSuperlative,
            &[
                "best",
                "safest",
                "el mejor",
                "la mejor",
                "los mejores",
                "las mejores",
                "el más seguro",
            ],
            "a superlative cannot be proven and many medical advertising rules forbid it",
            (
                "\"our providers are trained in microneedling\"",
                "\"nuestro personal tiene formación en microneedling\"",
            ),
        ),
        claim(
            Code::ClaimsFdaApproved,
            &[
                "fda approved",
                "fda-approved",
                "approved by the fda",
                "aprobado por la fda",
            ],
            "microneedling devices are FDA-cleared, which is not the same as FDA-approved",
            (
                "\"FDA-cleared\" (only if the device really is)",
                "\"autorizado por la FDA\" (only if the device really is)",
            ),
        ),
    ]
}

/// Words that show before-and-after results or patients' own words.
pub(super) const SHOWS_RESULTS: &[&str] = &[
    "before and after",
    "before-and-after",
    "before/after",
    "before & after",
    "testimonial",
    "testimonials",
    "antes y después",
    "testimonio",
    "testimonios",
];
/// Words that tell patients results differ.
pub(super) const RESULTS_VARY: &[&str] = &[
    "results vary",
    "results may vary",
    "results can vary",
    "results will vary",
    "resultados varían",
    "resultados pueden variar",
];

/// A sentence that tells patients results differ, in `language` (it holds a phrase of
/// `RESULTS_VARY`, so writing it settles the finding).
pub(super) fn results_vary_in(language: &str) -> &'static str {
    match language {
        "es" => "Los resultados varían de una persona a otra.",
        _ => "Results vary from person to person.",
    }
}
