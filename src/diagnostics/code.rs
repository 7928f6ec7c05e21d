//! Every finding code: the text printed and written in reports (`link/broken`), the severity a
//! finding starts with, and, for the rules of `check`, what the rule looks for. Settings can
//! change the severity of a rule of `check` (`site.yaml`'s `check.rules`), never of the others.

use crate::diagnostics::Severity;

/// Declares `Code` from lines of `Variant = "stage/what", Severity[, rule "what it finds"];`.
macro_rules! codes {
    ($($variant:ident = $text:literal, $severity:ident $(, rule $finds:literal)?;)*) => {
        /// What a finding is about, by a stable name.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $(
                #[doc = concat!("`", $text, "`")]
                $variant,
            )*
        }

        impl Code {
            /// Every code, the rules of `check` first.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The code as printed, like `link/broken`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $text,)*
                }
            }

            /// The severity a finding starts with, before `site.yaml`'s `check.rules`.
            pub const fn default_severity(self) -> Severity {
                match self {
                    $(Code::$variant => Severity::$severity,)*
                }
            }

            /// For a rule of `check` (one `check.rules` can change), what it finds in a few
            /// words; `None` for the findings of `build`, which settings cannot change.
            pub const fn finds(self) -> Option<&'static str> {
                match self {
                    $(Code::$variant => codes!(@finds $($finds)?),)*
                }
            }
        }
    };
    (@finds $finds:literal) => { Some($finds) };
    (@finds) => { None };
}

codes! {
    // Rules of `check`: `site.yaml`'s `check.rules` can make them errors, warnings or off.
    LinkHtml = "link/html", Error, rule "a link or image written in HTML leads to nothing on the site";
    LinkEmpty = "link/empty", Error, rule "a link with no address, like `[text]()`";
    LinkOtherLanguage = "link/other-language", Warning, rule "a page links to another language's version of a page that exists in its own language";
    LinkExternalBroken = "link/external-broken", Error, rule "with --external: an outside link answers 404 or 410, or its host does not exist";
    LinkExternalUnreachable = "link/external-unreachable", Warning, rule "with --external: an outside link times out, refuses, or answers with another error";
    ReadabilityAboveTarget = "readability/above-target", Warning, rule "English above grade 6, or Spanish below INFLESZ 55";
    ReadabilityTooHard = "readability/too-hard", Error, rule "English above grade 8, or Spanish below INFLESZ 40";
    CheckMissingReason = "check/missing-reason", Error, rule "a page raises its reading level or allows a claim without saying why";
    ReviewMissing = "review/missing", Error, rule "an FAQ entry without `reviewed_by` or `last_reviewed`";
    ReviewOverdue = "review/overdue", Error, rule "an FAQ entry last reviewed longer ago than the review interval";
    ReviewDueSoon = "review/due-soon", Warning, rule "an FAQ entry whose review falls due within 30 days";
    ReviewChanged = "review/changed", Error, rule "a reviewed page whose text changed since its review (`clinicsite review` records it)";
    ReviewUnrecorded = "review/unrecorded", Warning, rule "a review written by hand, without the fingerprint `clinicsite review` records";
    ReviewFutureDate = "review/future-date", Error, rule "`last_reviewed` is more than a day after today";
    ClaimsGuarantee = "claims/guarantee", Error, rule "promises of results: guaranteed, 100%";
    ClaimsAbsolute = "claims/absolute", Error, rule "absolutes: painless, no pain, no risk, risk-free, no downtime, permanent, cure";
    ClaimsSuperlative = "claims/superlative", Warning, rule "best, safest";
    ClaimsFdaApproved = "claims/fda-approved", Error, rule "\"FDA approved\" (microneedling devices are FDA-cleared)";
    ClaimsResultsDisclaimer = "claims/results-disclaimer", Error, rule "before-and-after pictures or testimonials without a \"results vary\" note";
    ClaimsCustom = "claims/custom", Error, rule "a phrase the site added in `check.claims.add`";
    ContentDuplicateTitle = "content/duplicate-title", Warning, rule "two pages with the same title";
    ContentMissingDescription = "content/missing-description", Warning, rule "a page without `description`";
    ContentDuplicateDescription = "content/duplicate-description", Warning, rule "two pages with the same description";
    ContentDescriptionLength = "content/description-length", Warning, rule "a description shorter than 50 or longer than 160 characters";
    ContentImageAlt = "content/image-alt", Error, rule "an image without alt text";
    ContentPlaceholder = "content/placeholder", Error, rule "sample text `clinicsite new faq` wrote, like \"Write the full answer here\"";
    ContentPhotoGps = "content/photo-gps", Warning, rule "an original photo holds the GPS position where it was taken (removed from the published copy)";
    ContentHeadingSkip = "content/heading-skip", Warning, rule "a heading that skips a level (`##` then `####`)";
    ContentExtraH1 = "content/extra-h1", Warning, rule "a `#` heading in the text: the title is already the page's top heading";
    ContentLinkText = "content/link-text", Warning, rule "link text that says nothing, like \"click here\"";
    ContentMissingSummary = "content/missing-summary", Warning, rule "an FAQ entry without `summary`";
    ContentOrphan = "content/orphan", Warning, rule "a page no link leads to from the home page";
    LocationHoursOverlap = "location/hours-overlap", Error, rule "a day listed twice in a location's hours";
    LocationPlaceholder = "location/placeholder", Warning, rule "a location whose address or hours are marked as stand-ins (`placeholder:`)";
    LocationNoHours = "location/no-hours", Warning, rule "a location without opening hours";
    TranslationMissing = "translation/missing", Warning, rule "a page with no version in one of the site's other languages";
    TranslationStale = "translation/stale", Warning, rule "a translation whose original changed after it was translated";
    TranslationUntracked = "translation/untracked", Warning, rule "a translation without `translated_from:` saying what it was made from";
    TranslationUntranslated = "translation/untranslated", Error, rule "a published translation that still has its original's words (a copy `clinicsite translate` made, its `draft: true` removed too soon)";
    ResultsConsentExpiring = "results/consent-expiring", Warning, rule "a results case whose consent expires within 30 days";
    ResultsWithheld = "results/withheld", Warning, rule "a results case left out of the site: its consent was revoked or has expired";
    ResultsPhotoHints = "results/photo-hints", Warning, rule "before and after photos taken with different flash or zoom, or the \"after\" dated first";
    // Findings of `build` (and of the commands that edit files): settings cannot change them.
    AliasCollision = "alias/collision", Error;
    AliasInvalid = "alias/invalid", Error;
    CardCache = "card/cache", Error;
    ConfigBaseUrl = "config/base-url", Error;
    ConfigBrandColour = "config/brand-colour", Error;
    ConfigBrandContrast = "config/brand-contrast", Error;
    ConfigBrandFont = "config/brand-font", Error;
    ConfigBrandLogo = "config/brand-logo", Error;
    ConfigExampleBaseUrl = "config/example-base-url", Warning;
    ConfigInvalid = "config/invalid", Error;
    ConfigLanguage = "config/language", Error;
    ConfigMissing = "config/missing", Error;
    ConfigMissingTitle = "config/missing-title", Error;
    ConfigPhone = "config/phone", Error;
    ConfigThirdParty = "config/third-party", Error;
    ConfigTimezone = "config/timezone", Error;
    ConfigUntranslated = "config/untranslated", Warning;
    ConfigUnknownRule = "config/unknown-rule", Error;
    ContentImageMissing = "content/image-missing", Error;
    FaqUnknownCategory = "faq/unknown-category", Error;
    FaqUnknownLocation = "faq/unknown-location", Error;
    FrontmatterEmpty = "frontmatter/empty", Error;
    FrontmatterMisplacedKey = "frontmatter/misplaced-key", Error;
    FrontmatterMissing = "frontmatter/missing", Error;
    FrontmatterUnclosed = "frontmatter/unclosed", Error;
    I18nMissingKey = "i18n/missing-key", Error;
    I18nMissingLanguage = "i18n/missing-language", Error;
    ImageAnimated = "image/animated", Error;
    ImageCache = "image/cache", Error;
    ImageTooLarge = "image/too-large", Error;
    ImageUnreadable = "image/unreadable", Error;
    InitIo = "init/io", Error;
    InitNotEmpty = "init/not-empty", Error;
    LinkBroken = "link/broken", Error;
    LinkMissingAnchor = "link/missing-anchor", Error;
    LinkScript = "link/script", Error;
    LocationGeo = "location/geo", Error;
    LocationHours = "location/hours", Error;
    LocationMapUrl = "location/map-url", Error;
    LocationMissing = "location/missing", Error;
    LocationMissingFact = "location/missing-fact", Error;
    LocationNoOriginal = "location/no-original", Error;
    LocationPhone = "location/phone", Error;
    LocationTranslatedFacts = "location/translated-facts", Error;
    MarkdownRawHtml = "markdown/raw-html", Error;
    MarkdownTooDeep = "markdown/too-deep", Error;
    MoveExists = "move/exists", Error;
    MoveIo = "move/io", Error;
    MoveNotAPage = "move/not-a-page", Error;
    MoveNotFound = "move/not-found", Error;
    MoveOutside = "move/outside", Error;
    MoveSection = "move/section", Error;
    MoveTranslation = "move/translation", Error;
    NewBadQuestion = "new/bad-question", Error;
    NewExists = "new/exists", Error;
    NewIo = "new/io", Error;
    NewLanguage = "new/language", Error;
    NewNoFaqSection = "new/no-faq-section", Error;
    OutputCase = "output/case", Error;
    OutputDuplicate = "output/duplicate", Error;
    OutputFileAndFolder = "output/file-and-folder", Error;
    OutputFileInTheWay = "output/file-in-the-way", Error;
    OutputFolderInTheWay = "output/folder-in-the-way", Error;
    OutputForeignFile = "output/foreign-file", Error;
    OutputLink = "output/link", Error;
    OutputRefused = "output/refused", Error;
    OutputTooLong = "output/too-long", Error;
    PageAddressGone = "page/address-gone", Warning;
    PageBadSlug = "page/bad-slug", Error;
    PageMissingTitle = "page/missing-title", Error;
    PrivacyThirdParty = "privacy/third-party", Error;
    ResultsConsent = "results/consent", Error;
    ResultsMissingFact = "results/missing-fact", Error;
    ResultsMissingPhoto = "results/missing-photo", Error;
    ResultsNoConsent = "results/no-consent", Error;
    ResultsNoOriginal = "results/no-original", Error;
    ResultsNotAFolder = "results/not-a-folder", Error;
    ResultsPhotoAlt = "results/photo-alt", Error;
    ResultsTranslatedFacts = "results/translated-facts", Error;
    ResultsTypicalMissing = "results/typical-missing", Error;
    ReviewIo = "review/io", Error;
    ReviewNoFrontMatter = "review/no-front-matter", Error;
    ReviewNoReviewer = "review/no-reviewer", Error;
    ReviewNotAPage = "review/not-a-page", Error;
    ReviewNotContent = "review/not-content", Error;
    ReviewNotFound = "review/not-found", Error;
    SiteDuplicateOutput = "site/duplicate-output", Error;
    SiteDuplicateUrl = "site/duplicate-url", Error;
    SiteUnknownLanguage = "site/unknown-language", Error;
    SiteUntranslatedSection = "site/untranslated-section", Error;
    SourceDocument = "source/document", Error;
    SourceNotUtf8 = "source/not-utf8", Error;
    SourcePageExtension = "source/page-extension", Error;
    SourceSymlinkBroken = "source/symlink-broken", Error;
    SourceSymlinkFolder = "source/symlink-folder", Error;
    SourceSymlinkHidden = "source/symlink-hidden", Error;
    SourceSymlinkOutside = "source/symlink-outside", Error;
    SourceUnreadable = "source/unreadable", Error;
    TemplateCycle = "template/cycle", Error;
    TemplateError = "template/error", Error;
    TemplateMissing = "template/missing", Error;
    ThemeCycle = "theme/cycle", Error;
    ThemeMissing = "theme/missing", Error;
    ThemeUnreadable = "theme/unreadable", Error;
    TranslateIo = "translate/io", Error;
    TranslateLanguage = "translate/language", Error;
    TranslateNotFound = "translate/not-found", Error;
    YamlInvalid = "yaml/invalid", Error;
    YamlNotAMapping = "yaml/not-a-mapping", Error;
    YamlUnknownKey = "yaml/unknown-key", Error;
}

impl Code {
    /// Whether `site.yaml`'s `check.rules` can change this code's severity or turn it off.
    pub const fn is_rule(self) -> bool {
        self.finds().is_some()
    }

    /// The rules of `check`.
    pub fn rules() -> impl Iterator<Item = Code> {
        Code::ALL.iter().copied().filter(|code| code.is_rule())
    }

    /// The rule of `check` written as `text`, like `content/orphan`.
    pub fn rule(text: &str) -> Option<Code> {
        Code::rules().find(|code| code.as_str() == text)
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `stage/what`: lower-case words of letters and digits joined by `-`, one `/`.
    fn well_formed(text: &str) -> bool {
        let word = |part: &str| {
            !part.is_empty()
                && part.split('-').all(|w| {
                    !w.is_empty()
                        && w.chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
                })
        };
        matches!(text.split_once('/'), Some((stage, what)) if word(stage) && word(what))
    }

    #[test]
    fn every_code_is_unique_and_shaped_stage_slash_what() {
        let mut texts: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        for text in &texts {
            assert!(well_formed(text), "{text} is not `stage/what`");
        }
        texts.sort_unstable();
        let count = texts.len();
        texts.dedup();
        assert_eq!(texts.len(), count, "two codes print the same text");
        assert!(!well_formed("Link/broken") && !well_formed("link/") && !well_formed("a/b/c"));
    }

    #[test]
    fn every_rule_of_check_is_in_the_staff_guide() {
        let guide = include_str!("../../docs/staff.md");
        let missing: Vec<&str> = Code::rules()
            .map(Code::as_str)
            .filter(|text| !guide.contains(&format!("`{text}`")))
            .collect();
        assert!(
            missing.is_empty(),
            "docs/staff.md does not list {missing:?}"
        );
    }

    #[test]
    fn rules_are_found_by_their_text_and_build_codes_are_not() {
        assert_eq!(Code::rule("content/orphan"), Some(Code::ContentOrphan));
        assert_eq!(Code::rule("link/broken"), None);
        assert_eq!(Code::ContentOrphan.default_severity(), Severity::Warning);
        assert_eq!(Code::LinkBroken.default_severity(), Severity::Error);
    }
}
