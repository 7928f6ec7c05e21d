//! The brand stage: `brand:` from site.yaml in; the theme's whole palette (every shade
//! derived from the two colours), its stylesheet of CSS custom properties, and a finding for
//! every colour pair that fails WCAG 2.2 AA out.
//!
//! The default theme draws every colour from custom properties (`--link`, `--deep`, …), so
//! a small stylesheet linked after the theme's restyles it without touching a template (the
//! site's security policy forbids inline styles, so it is a file like the theme's own). The
//! shades the clinic staff did not pick (header, hover, panels, notes) are solved for
//! contrast here; the two colours they picked are measured in every pair they are drawn in.

use std::path::Path;

use crate::config::{Brand, Rgb, brand::Position};
use crate::diagnostics::{Code, Diagnostic};
use crate::source::{AssetFile, Data};

pub mod contrast;
mod icons;

use contrast::{NON_TEXT, TEXT, darken_until, lighten_until, mix, ratio};

/// The name of the brand stylesheet among the theme's files (written with a content hash).
pub const STYLESHEET: &str = "brand.css";

/// Every colour the clinic theme's custom properties take, from the two brand colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    /// Body text (a neutral the brand does not change).
    pub ink: Rgb,
    pub muted: Rgb,
    pub bg: Rgb,
    /// Links, main buttons, list markers: the primary colour itself.
    pub link: Rgb,
    /// Headings, the header and footer, link hover, the focus ring on light parts.
    pub deep: Rgb,
    /// Menu text on the header and footer.
    pub on_deep: Rgb,
    /// The lightest panels (jump menu, tinted home blocks).
    pub surface: Rgb,
    /// The short-answer panel and the home page's top.
    pub answer_bg: Rgb,
    pub line: Rgb,
    /// Borders that show where a control is (the FAQ accordions, the search box).
    pub line_strong: Rgb,
    /// Call buttons, the focus ring on the header and footer: the accent colour itself.
    pub accent: Rgb,
    pub accent_hover: Rgb,
    /// The call-to-book band.
    pub band: Rgb,
    pub band_line: Rgb,
    /// Notes ("Good to know").
    pub note_bg: Rgb,
    /// Text in the accent's hue: note titles, category links.
    pub warm: Rgb,
}

/// The two settings a pair's colours come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    Primary,
    Accent,
}

impl Setting {
    fn key(self) -> &'static str {
        match self {
            Setting::Primary => "primary",
            Setting::Accent => "accent",
        }
    }
}

/// A text (or indicator) colour on a background, as the theme draws it.
#[derive(Debug, Clone, Copy)]
pub struct Pair {
    /// What staff would call it: `links on the page background`.
    pub name: &'static str,
    pub front: Rgb,
    pub back: Rgb,
    pub minimum: f64,
    /// The setting to change when the pair fails.
    pub owner: Setting,
}

/// Derives every shade the theme uses from the brand's two colours.
pub fn palette(primary: Rgb, accent: Rgb) -> Palette {
    let bg = Rgb::WHITE;
    let deep = darken_until(mix(primary, Rgb::BLACK, 0.6), Rgb::WHITE, 10.0);
    let surface = mix(primary, bg, 0.05);
    let note_bg = mix(accent, bg, 0.15);
    // A calm dark shade of the accent's hue, not a glaring one.
    let hue = contrast::to_hsl(accent);
    let warm_start = contrast::from_hsl(contrast::Hsl {
        s: hue.s.min(0.7),
        l: hue.l.min(0.45),
        ..hue
    });
    let warm = darken_until(darken_until(warm_start, note_bg, 5.0), Rgb::WHITE, 5.0);
    Palette {
        ink: Rgb::new(0x17, 0x26, 0x2f),
        muted: Rgb::new(0x46, 0x56, 0x5f),
        bg,
        link: primary,
        deep,
        on_deep: lighten_until(mix(primary, Rgb::WHITE, 0.22), deep, 7.0),
        surface,
        answer_bg: mix(primary, bg, 0.1),
        line: mix(primary, bg, 0.2),
        line_strong: darken_until(mix(primary, bg, 0.55), surface, NON_TEXT + 0.2),
        accent,
        accent_hover: mix(accent, Rgb::WHITE, 0.65),
        // Light enough for links on it whatever the accent (down to white).
        band: lighten_until(mix(accent, bg, 0.4), primary, TEXT + 0.1),
        band_line: mix(accent, bg, 0.7),
        note_bg,
        warm,
    }
}

/// Every pair the clinic theme draws from the brand's colours, with WCAG's minimum for it.
pub fn pairs(p: &Palette) -> Vec<Pair> {
    use Setting::{Accent, Primary};
    let pair = |name, front, back, minimum, owner| Pair {
        name,
        front,
        back,
        minimum,
        owner,
    };
    vec![
        pair("links on the page background", p.link, p.bg, TEXT, Primary),
        pair(
            "white text on the main buttons",
            Rgb::WHITE,
            p.link,
            TEXT,
            Primary,
        ),
        pair(
            "links on the light panels",
            p.link,
            p.surface,
            TEXT,
            Primary,
        ),
        pair(
            "links on the short-answer panels",
            p.link,
            p.answer_bg,
            TEXT,
            Primary,
        ),
        pair(
            "body text on the short-answer panels",
            p.ink,
            p.answer_bg,
            TEXT,
            Primary,
        ),
        pair(
            "grey text on the short-answer panels",
            p.muted,
            p.answer_bg,
            TEXT,
            Primary,
        ),
        pair(
            "headings on the page background",
            p.deep,
            p.bg,
            TEXT,
            Primary,
        ),
        pair(
            "white text on the header and footer",
            Rgb::WHITE,
            p.deep,
            TEXT,
            Primary,
        ),
        pair(
            "menu text on the header and footer",
            p.on_deep,
            p.deep,
            TEXT,
            Primary,
        ),
        pair(
            "the focus ring on the page background",
            p.deep,
            p.bg,
            NON_TEXT,
            Primary,
        ),
        pair(
            "the FAQ borders on the page background",
            p.line_strong,
            p.bg,
            NON_TEXT,
            Primary,
        ),
        pair("text on the call buttons", p.deep, p.accent, TEXT, Accent),
        pair(
            "text on the call buttons when pointed at",
            p.deep,
            p.accent_hover,
            TEXT,
            Accent,
        ),
        pair(
            "the focus ring on the header and footer",
            p.accent,
            p.deep,
            NON_TEXT,
            Accent,
        ),
        pair("body text on the booking band", p.ink, p.band, TEXT, Accent),
        pair("headings on the booking band", p.deep, p.band, TEXT, Accent),
        pair("links on the booking band", p.link, p.band, TEXT, Primary),
        pair(
            "the focus ring on the booking band",
            p.deep,
            p.band,
            NON_TEXT,
            Accent,
        ),
        pair("body text on the notes", p.ink, p.note_bg, TEXT, Accent),
        pair("note titles on the notes", p.warm, p.note_bg, TEXT, Accent),
        pair(
            "category links on the page background",
            p.warm,
            p.bg,
            TEXT,
            Accent,
        ),
    ]
}

/// The pairs that fall short of WCAG 2.2 AA, each with its ratio.
pub fn failing(primary: Rgb, accent: Rgb) -> Vec<(Pair, f64)> {
    pairs(&palette(primary, accent))
        .into_iter()
        .map(|pair| (pair, ratio(pair.front, pair.back)))
        .filter(|(pair, r)| *r < pair.minimum)
        .collect()
}

/// One error for each brand colour drawn in a pair that fails, at its line in site.yaml:
/// the worst pair, its ratio, and the nearest shade of the same hue with which every pair
/// of that colour passes.
pub fn check(brand: &Brand) -> Vec<Diagnostic> {
    check_settings(brand, &[Setting::Primary, Setting::Accent])
}

/// `check` for a site.yaml with errors: only the colours that could be read are measured
/// (an unreadable one is reported as such, and stands in as the theme's own here).
pub fn check_readable(readable: &crate::config::brand::Readable) -> Vec<Diagnostic> {
    let settings: Vec<Setting> = [
        (Setting::Primary, readable.primary_read),
        (Setting::Accent, readable.accent_read),
    ]
    .into_iter()
    .filter_map(|(setting, read)| read.then_some(setting))
    .collect();
    check_settings(&readable.brand, &settings)
}

fn check_settings(brand: &Brand, settings: &[Setting]) -> Vec<Diagnostic> {
    let failing = failing(brand.primary, brand.accent);
    let mut findings = Vec::new();
    for &setting in settings {
        let Some((worst, worst_ratio)) = failing
            .iter()
            .filter(|(pair, _)| pair.owner == setting)
            .min_by(|a, b| (a.1 / a.0.minimum).total_cmp(&(b.1 / b.0.minimum)))
        else {
            continue;
        };
        let (written, at) = match setting {
            Setting::Primary => (brand.primary, brand.lines.primary),
            Setting::Accent => (brand.accent, brand.lines.accent),
        };
        let with = |candidate: Rgb| match setting {
            Setting::Primary => (candidate, brand.accent),
            Setting::Accent => (brand.primary, candidate),
        };
        let passes = |candidate: Rgb| {
            let (primary, accent) = with(candidate);
            failing_of(primary, accent, setting).is_empty()
        };
        let help = match contrast::nearest_passing(written, &passes) {
            Some(better) => {
                let (primary, accent) = with(better);
                let same = pairs(&palette(primary, accent))
                    .into_iter()
                    .find(|p| p.name == worst.name)
                    .map_or(0.0, |p| ratio(p.front, p.back));
                format!(
                    "use {better} ({}): write `{}: \"{better}\"`",
                    contrast::shown(same),
                    setting.key()
                )
            }
            None => format!("choose a darker or lighter `{}` colour", setting.key()),
        };
        findings.push(contrast_error(
            setting,
            written,
            worst,
            *worst_ratio,
            at,
            help,
        ));
    }
    findings
}

fn failing_of(primary: Rgb, accent: Rgb, setting: Setting) -> Vec<(Pair, f64)> {
    let mut found = failing(primary, accent);
    found.retain(|(pair, _)| pair.owner == setting);
    found
}

fn contrast_error(
    setting: Setting,
    written: Rgb,
    worst: &Pair,
    worst_ratio: f64,
    at: Position,
    help: String,
) -> Diagnostic {
    let (verb, needs) = if worst.minimum >= TEXT {
        ("read", "text needs")
    } else {
        ("see", "focus rings and borders need")
    };
    Diagnostic::new(
        Code::ConfigBrandContrast,
        Path::new(crate::config::FILE),
        format!(
            "`{}` {written} is hard to {verb} in {}: contrast {} ({} on {}), and {needs} at least {}",
            setting.key(),
            worst.name,
            contrast::shown(worst_ratio),
            worst.front,
            worst.back,
            contrast::shown(worst.minimum),
        ),
    )
    .at(at.line, at.column)
    .width(at.width)
    .help(help)
}

/// The brand stylesheet: the theme's custom properties set from the palette (and the font),
/// for a site with `brand:`.
pub fn stylesheet(brand: &Brand) -> String {
    let p = palette(brand.primary, brand.accent);
    let mut css = String::from(
        "/* The clinic's brand (brand: in site.yaml), written by clinicsite build. */\n:root {\n",
    );
    for (name, colour) in [
        ("link", p.link),
        ("link-hover", p.deep),
        ("deep", p.deep),
        ("on-deep", p.on_deep),
        ("surface", p.surface),
        ("answer-bg", p.answer_bg),
        ("line", p.line),
        ("line-strong", p.line_strong),
        ("focus", p.deep),
        ("apricot", p.accent),
        ("apricot-hover", p.accent_hover),
        ("band", p.band),
        ("band-line", p.band_line),
        ("note-bg", p.note_bg),
        ("warm", p.warm),
    ] {
        css.push_str(&format!("  --{name}: {colour};\n"));
    }
    if let Some(font) = brand.font {
        css.push_str(&format!(
            "  --sans: {};\n  --serif: {};\n",
            font.css, font.css
        ));
    }
    css.push_str("}\n");
    css
}

/// Where the logo is published, from the site's top folder (`brand-logo.svg`).
pub fn logo_path(logo: &crate::config::BrandLogo) -> String {
    format!("brand-logo.{}", logo.kind.extension())
}

/// The files the brand adds to the theme's static files: the brand stylesheet, the theme's
/// icon in the brand's colours, and the logo (`logo`, read from the site's folder).
/// `statics` are the theme's (the child's winning), to find its icon.
pub fn files(
    brand: &Brand,
    statics: &[AssetFile],
    logo: Option<AssetFile>,
) -> std::io::Result<Vec<AssetFile>> {
    let made = |rel: &str, bytes: Vec<u8>| AssetFile {
        rel: rel.to_string(),
        data: Data::Made(bytes.into()),
    };
    let mut files = vec![made(STYLESHEET, stylesheet(brand).into_bytes())];
    let tile = palette(brand.primary, brand.accent).deep;
    for icon in statics.iter().filter(|f| ICONS.contains(&f.rel.as_str())) {
        let bytes = icon.data.read()?;
        let redrawn = if icon.rel.ends_with(".svg") {
            let svg = String::from_utf8_lossy(&bytes);
            Some(icons::recolour_svg(&svg, tile, brand.accent).into_bytes())
        } else {
            icons::recolour_png(&bytes, tile, brand.accent)
        };
        files.extend(redrawn.map(|bytes| made(&icon.rel, bytes)));
    }
    files.extend(logo);
    Ok(files)
}

/// The theme's icons (browser tab, home screen), redrawn in the brand's colours.
const ICONS: &[&str] = &["favicon.svg", "icon-192.png", "icon-512.png"];

/// The colour browsers paint their own bars in (`theme-color`): the header's.
pub fn theme_colour(brand: Option<&Brand>) -> Rgb {
    match brand {
        Some(brand) => palette(brand.primary, brand.accent).deep,
        None => DEFAULT_THEME_COLOUR,
    }
}

/// The clinic theme's header colour.
pub const DEFAULT_THEME_COLOUR: Rgb = Rgb::new(0x0c, 0x3b, 0x45);

#[cfg(test)]
mod tests {
    use super::*;

    fn brand(primary: &str, accent: &str) -> Brand {
        Brand {
            primary: crate::config::brand::parse_colour(primary).unwrap(),
            accent: crate::config::brand::parse_colour(accent).unwrap(),
            ..Brand::default()
        }
    }

    #[test]
    fn the_default_colours_and_the_second_brand_pass_everywhere() {
        let default = Brand::default();
        assert!(failing(default.primary, default.accent).is_empty());
        let lighter = brand("#6a3d9a", "#ffd8e4");
        assert_eq!(failing(lighter.primary, lighter.accent).len(), 0);
    }

    #[test]
    fn derived_shades_pass_whatever_the_colours() {
        // Only the two colours staff pick can fail: every shade made from them is solved.
        for (primary, accent) in [
            ("#000000", "#ffffff"),
            ("#0b5e66", "#ffff00"),
            ("#1a1aa6", "#ffc0cb"),
        ] {
            let failing = failing(
                crate::config::brand::parse_colour(primary).unwrap(),
                crate::config::brand::parse_colour(accent).unwrap(),
            );
            assert!(failing.is_empty(), "{primary} {accent}: {failing:?}");
        }
    }

    #[test]
    fn a_light_primary_is_an_error_with_the_nearest_shade_that_passes() {
        let mut light = brand("#4fb3bf", "#f3c79a");
        light.lines.primary = Position {
            line: 3,
            column: 12,
            width: 9,
        };
        let errors = check(&light);
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].message,
            "`primary` #4fb3bf is hard to read in links on the short-answer panels: contrast 2.2:1 (#4fb3bf on #edf7f9), and text needs at least 4.5:1"
        );
        assert_eq!(
            errors[0].help.as_deref(),
            Some("use #2e767f (4.5:1): write `primary: \"#2e767f\"`")
        );
        assert_eq!((errors[0].line, errors[0].column), (3, 12));
    }

    #[test]
    fn a_dark_accent_fails_on_its_call_buttons() {
        let errors = check(&brand("#0b5e66", "#8a4b12"));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].message.starts_with(
                "`accent` #8a4b12 is hard to read in text on the call buttons: contrast 1.8:1"
            ),
            "{}",
            errors[0].message
        );
    }

    #[test]
    fn the_stylesheet_sets_the_custom_properties() {
        let css = stylesheet(&brand("#0b6e6e", "#f3c79a"));
        assert!(css.contains("  --link: #0b6e6e;\n"), "{css}");
        assert!(css.contains("  --apricot: #f3c79a;\n"), "{css}");
        assert!(!css.contains("--sans"), "{css}");
    }
}
