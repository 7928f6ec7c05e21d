//! `brand:` in `site.yaml`: the colours, logo and font as written in, a checked `Brand` out.
//!
//! Colours are read the way a browser reads CSS (`#0b6e6e`, `#0b6`, `rgb(…)`, `hsl(…)`,
//! `teal`), so staff can paste what a designer sent. Whether the colours are readable is
//! the `brand` stage's job (it knows which pairs the theme draws); whether the logo file
//! exists is the pipeline's (this stage reads no files).

use std::path::{Path, PathBuf};

use lightningcss::traits::Parse;
use lightningcss::values::color::{CssColor, RGBA};
use serde::Deserialize;

use crate::diagnostics::{Code, Diagnostic};

/// `brand:` as written: every field may be left out.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBrand {
    primary: Option<String>,
    accent: Option<String>,
    logo: Option<String>,
    font: Option<String>,
}

/// The clinic's look: its two colours, its logo and its font.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Brand {
    /// The main colour: links, main buttons, the header and footer are made from it.
    pub primary: Rgb,
    /// The second colour: call buttons, the focus ring on dark parts, the booking band.
    pub accent: Rgb,
    pub logo: Option<BrandLogo>,
    pub font: Option<&'static FontStack>,
    /// Where each setting is written in site.yaml, for messages.
    pub lines: BrandLines,
}

/// The colours of the default theme, for a site without `brand:`.
impl Default for Brand {
    fn default() -> Self {
        Brand {
            primary: Rgb::new(0x0b, 0x5e, 0x66),
            accent: Rgb::new(0xf3, 0xc7, 0x9a),
            logo: None,
            font: None,
            lines: BrandLines::default(),
        }
    }
}

/// The line (and the column and width of the value) of each `brand:` setting in site.yaml;
/// the line of `brand:` itself for a setting left out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BrandLines {
    pub primary: Position,
    pub accent: Position,
    pub logo: Position,
    pub font: Position,
}

/// Where a value is written: 1-based line and column, and its width in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
    pub width: usize,
}

impl Default for Position {
    fn default() -> Self {
        Position {
            line: 1,
            column: 1,
            width: 1,
        }
    }
}

/// An opaque sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb {
    pub r: u8,
    pub g: u8,
    pub b: u8,
}

impl Rgb {
    pub const WHITE: Rgb = Rgb::new(255, 255, 255);
    pub const BLACK: Rgb = Rgb::new(0, 0, 0);

    pub const fn new(r: u8, g: u8, b: u8) -> Rgb {
        Rgb { r, g, b }
    }

    /// `#0b6e6e`: lower case, six digits.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }
}

impl std::fmt::Display for Rgb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.hex())
    }
}

/// The logo file: where it is, relative to the site's root, and what kind of picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrandLogo {
    /// As written in site.yaml, relative to the site's root, with `/` separators.
    pub path: PathBuf,
    pub kind: LogoKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogoKind {
    Svg,
    Png,
}

impl LogoKind {
    pub fn extension(self) -> &'static str {
        match self {
            LogoKind::Svg => "svg",
            LogoKind::Png => "png",
        }
    }
}

/// A font stack made only of fonts already on visitors' devices (no downloads, no font
/// services): the first one the device has is used.
#[derive(Debug, PartialEq, Eq)]
pub struct FontStack {
    /// What staff write: `font: rounded`.
    pub name: &'static str,
    /// The CSS `font-family` list.
    pub css: &'static str,
}

/// The fonts `font:` can name (stacks from modernfontstacks.com, CC0), listed in the staff
/// guide.
pub const FONTS: &[FontStack] = &[
    FontStack {
        name: "system",
        css: "system-ui, -apple-system, \"Segoe UI\", Roboto, \"Helvetica Neue\", Arial, \"Noto Sans\", sans-serif",
    },
    FontStack {
        name: "humanist",
        css: "Seravek, \"Gill Sans Nova\", Ubuntu, Calibri, \"DejaVu Sans\", source-sans-pro, sans-serif",
    },
    FontStack {
        name: "geometric",
        css: "Avenir, Montserrat, Corbel, \"URW Gothic\", source-sans-pro, sans-serif",
    },
    FontStack {
        name: "rounded",
        css: "ui-rounded, \"Hiragino Maru Gothic ProN\", Quicksand, Comfortaa, Manjari, \"Arial Rounded MT\", \"Arial Rounded MT Bold\", Calibri, source-sans-pro, sans-serif",
    },
    FontStack {
        name: "classic",
        css: "Charter, \"Bitstream Charter\", \"Sitka Text\", Cambria, serif",
    },
    FontStack {
        name: "old-style",
        css: "\"Iowan Old Style\", \"Palatino Linotype\", \"URW Palladio L\", P052, serif",
    },
];

/// Checks `brand:`; `text` is site.yaml, for the position of each setting.
pub(super) fn resolve(raw: RawBrand, text: &str, file: &Path) -> Result<Brand, Vec<Diagnostic>> {
    let (readable, errors) = read(raw, text, file);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(readable.brand)
}

/// `brand:` as far as it could be read from a site.yaml with errors, so the brand stage still
/// checks the colours that could be read and the logo file: one run reports every problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Readable {
    /// A colour, logo or font that could not be read is left as the theme's own here.
    pub brand: Brand,
    pub primary_read: bool,
    pub accent_read: bool,
}

/// `brand:` as far as it can be read, whatever its errors (see `Readable`).
pub(super) fn readable(raw: RawBrand, text: &str, file: &Path) -> Readable {
    read(raw, text, file).0
}

fn read(raw: RawBrand, text: &str, file: &Path) -> (Readable, Vec<Diagnostic>) {
    let RawBrand {
        primary,
        accent,
        logo,
        font,
    } = raw;
    let lines = BrandLines {
        primary: position(text, "primary"),
        accent: position(text, "accent"),
        logo: position(text, "logo"),
        font: position(text, "font"),
    };
    let defaults = Brand::default();
    let mut errors = Vec::new();
    let mut colour = |key: &str, written: Option<String>, at: Position, default: Rgb| {
        // `primary: #0b6e6e` unquoted is a comment to YAML: the colour is read from the line.
        let written = written.or_else(|| commented_out_value(text, at));
        let Some(written) = written else {
            return (default, true);
        };
        match parse_colour(&written) {
            Ok(colour) => (colour, true),
            Err(problem) => {
                errors.push(colour_error(key, &written, problem, at, file));
                (default, false)
            }
        }
    };
    let (primary, primary_read) = colour("primary", primary, lines.primary, defaults.primary);
    let (accent, accent_read) = colour("accent", accent, lines.accent, defaults.accent);
    let logo = logo.and_then(|written| {
        resolve_logo(&written, lines.logo, file)
            .map_err(|e| errors.push(e))
            .ok()
    });
    let font = font.and_then(|written| {
        resolve_font(&written, lines.font, file)
            .map_err(|e| errors.push(e))
            .ok()
    });
    let brand = Brand {
        primary,
        accent,
        logo,
        font,
        lines,
    };
    let readable = Readable {
        brand,
        primary_read,
        accent_read,
    };
    (readable, errors)
}

/// What is wrong with a written colour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColourProblem {
    NotAColour,
    /// See-through: the solid colour it is made from.
    SeeThrough(Rgb),
}

/// Reads a colour in any CSS form; it must be solid.
pub fn parse_colour(written: &str) -> Result<Rgb, ColourProblem> {
    let trimmed = written.trim();
    let color = CssColor::parse_string(trimmed).map_err(|_| ColourProblem::NotAColour)?;
    let rgba = RGBA::try_from(&color).map_err(|_| ColourProblem::NotAColour)?;
    let rgb = Rgb::new(rgba.red, rgba.green, rgba.blue);
    if rgba.alpha != 255 {
        return Err(ColourProblem::SeeThrough(rgb));
    }
    Ok(rgb)
}

fn colour_error(
    key: &str,
    written: &str,
    problem: ColourProblem,
    at: Position,
    file: &Path,
) -> Diagnostic {
    let shown = crate::diagnostics::visible(written);
    let (message, help) = match problem {
        ColourProblem::SeeThrough(solid) => (
            format!("`{key}` `{shown}` is see-through: brand colours must be solid"),
            format!("write `{key}: \"{solid}\"`"),
        ),
        ColourProblem::NotAColour => {
            let digits = written.trim().trim_start_matches('#');
            let help = if matches!(digits.len(), 3 | 6)
                && parse_colour(&format!("#{digits}")).is_ok()
            {
                format!("write `{key}: \"#{digits}\"` (with `#` and quotes)")
            } else {
                format!(
                    "write a colour as in CSS, in quotes: `{key}: \"#0b6e6e\"`, `{key}: \"rgb(11, 110, 110)\"` or `{key}: teal`"
                )
            };
            (format!("`{key}` `{shown}` is not a colour"), help)
        }
    };
    Diagnostic::new(Code::ConfigBrandColour, file, message)
        .at(at.line, at.column)
        .width(at.width)
        .help(help)
}

fn resolve_logo(written: &str, at: Position, file: &Path) -> Result<BrandLogo, Diagnostic> {
    let trimmed = written.trim();
    let error = |message: String, help: &str| {
        Diagnostic::new(Code::ConfigBrandLogo, file, message)
            .at(at.line, at.column)
            .width(at.width)
            .help(help.to_string())
    };
    let path = Path::new(trimmed);
    let outside = path.is_absolute()
        || trimmed.starts_with('/')
        || path
            .components()
            .any(|c| !matches!(c, std::path::Component::Normal(_)));
    if trimmed.is_empty() || outside {
        return Err(error(
            format!("the logo `{trimmed}` is not a file in the site's folder"),
            "write the file's path from the site's folder (where site.yaml is), like `logo: images/logo.svg`",
        ));
    }
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    let kind = match extension.as_deref() {
        Some("svg") => LogoKind::Svg,
        Some("png") => LogoKind::Png,
        _ => {
            return Err(error(
                format!("the logo `{trimmed}` is not an SVG or PNG file"),
                "save the logo as SVG (best: sharp at every size) or PNG, and write its path, like `logo: images/logo.svg`",
            ));
        }
    };
    Ok(BrandLogo {
        path: path.to_path_buf(),
        kind,
    })
}

fn resolve_font(
    written: &str,
    at: Position,
    file: &Path,
) -> Result<&'static FontStack, Diagnostic> {
    let wanted = written.trim().to_ascii_lowercase();
    if let Some(stack) = FONTS.iter().find(|f| f.name == wanted) {
        return Ok(stack);
    }
    let names = FONTS.iter().map(|f| f.name);
    let help = match crate::diagnostics::nearest(&wanted, names.clone()) {
        Some(near) => format!("did you mean `font: {near}`?"),
        None => format!(
            "choose one of: {} (fonts already on visitors' phones and computers; the staff guide shows them)",
            names
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Err(Diagnostic::new(
        Code::ConfigBrandFont,
        file,
        format!(
            "`{}` is not one of the fonts the site can use",
            crate::diagnostics::visible(written)
        ),
    )
    .at(at.line, at.column)
    .width(at.width)
    .help(help))
}

/// Where `key`'s value is written inside the `brand:` block (block or `{…}` style); the
/// `brand:` line when the key is not there.
fn position(text: &str, key: &str) -> Position {
    let Some(brand_line) = crate::yaml::key_line(text, "brand") else {
        return Position::default();
    };
    let lines: Vec<&str> = text.lines().collect();
    let mut candidates = vec![brand_line];
    candidates.extend((brand_line + 1..=lines.len()).take_while(|&n| {
        let line = lines[n - 1];
        line.starts_with([' ', '\t'])
            || line.trim().is_empty()
            || line.trim_start().starts_with('#')
    }));
    for number in candidates {
        let line = lines[number - 1];
        let Some(found) = find_key(line, key) else {
            continue;
        };
        let after = &line[found + key.len()..];
        let colon = after.find(':').map_or(0, |c| c + 1);
        let rest = &after[colon..];
        let start = found + key.len() + colon + (rest.len() - rest.trim_start().len());
        let flow = line[..found].contains('{');
        let value = if flow {
            line[start..].split([',', '}']).next().unwrap_or("")
        } else {
            line[start..].split(" #").next().unwrap_or("")
        }
        .trim_end();
        return Position {
            line: number,
            column: line[..start].chars().count() + 1,
            width: value.chars().count().max(1),
        };
    }
    let line = lines.get(brand_line - 1).copied().unwrap_or("");
    Position {
        line: brand_line,
        column: 1,
        width: line.trim_end().chars().count().max(1),
    }
}

/// The byte offset of `key:` in `line`, as a key (at the start or after `{`, `,` or spaces).
fn find_key(line: &str, key: &str) -> Option<usize> {
    line.match_indices(key).map(|(i, _)| i).find(|&i| {
        let before = line[..i].trim_end();
        let after = line[i + key.len()..].trim_start();
        (before.is_empty() || before.ends_with(['{', ',']) || before.ends_with("brand:"))
            && after.starts_with(':')
    })
}

/// The value a ` #` hid from YAML on a setting's line (`primary: #0b6e6e`): the text from
/// the `#` to the end of the line, when it is there.
fn commented_out_value(text: &str, at: Position) -> Option<String> {
    let line = text.lines().nth(at.line.checked_sub(1)?)?;
    let value: String = line.chars().skip(at.column - 1).collect();
    let value = value.split(" #").next().unwrap_or("").trim();
    (value.starts_with('#') && value.len() > 1).then(|| value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brand(yaml: &str) -> Result<Brand, Vec<Diagnostic>> {
        let raw: super::super::RawConfig = serde_yaml::from_str(yaml).unwrap();
        resolve(raw.brand.unwrap_or_default(), yaml, Path::new("site.yaml"))
    }

    #[test]
    fn every_css_form_staff_paste() {
        for written in [
            "#0b6e6e",
            "#0B6E6E",
            "rgb(11, 110, 110)",
            "rgb(11 110 110)",
            "hsl(180 81.8% 23.7%)",
        ] {
            assert_eq!(
                parse_colour(written).map(Rgb::hex),
                Ok("#0b6e6e".into()),
                "{written}"
            );
        }
        assert_eq!(parse_colour("#0b6").unwrap().hex(), "#00bb66");
        assert_eq!(parse_colour("teal").unwrap().hex(), "#008080");
        assert_eq!(parse_colour(" Teal ").unwrap().hex(), "#008080");
        assert_eq!(parse_colour("tealish"), Err(ColourProblem::NotAColour));
        assert_eq!(
            parse_colour("rgba(11, 110, 110, 0.5)"),
            Err(ColourProblem::SeeThrough(Rgb::new(11, 110, 110)))
        );
        assert_eq!(parse_colour("currentColor"), Err(ColourProblem::NotAColour));
    }

    #[test]
    fn an_unquoted_hex_colour_is_read_from_its_line() {
        let found = brand("title: T\nbrand:\n  primary: #0b6e6e\n  accent: \"#f3c79a\"\n").unwrap();
        assert_eq!(found.primary.hex(), "#0b6e6e");
        assert_eq!(
            found.lines.primary,
            Position {
                line: 3,
                column: 12,
                width: 7
            }
        );
        assert_eq!(found.lines.accent.line, 4);
    }

    #[test]
    fn flow_style_positions() {
        let found = brand("title: T\nbrand: {primary: teal, accent: \"#fff5e0\"}\n").unwrap();
        assert_eq!(found.accent.hex(), "#fff5e0");
        assert_eq!(
            (found.lines.accent.line, found.lines.accent.column),
            (2, 32)
        );
        assert_eq!(found.lines.font.line, 2);
    }

    #[test]
    fn a_bad_colour_says_what_to_write() {
        let errors = brand("title: T\nbrand:\n  primary: tealish\n  accent: 0b6e6e\n").unwrap_err();
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].message, "`primary` `tealish` is not a colour");
        assert_eq!(
            (errors[0].line, errors[0].column, errors[0].width),
            (3, 12, 7)
        );
        assert_eq!(
            errors[0].help.as_deref(),
            Some(
                "write a colour as in CSS, in quotes: `primary: \"#0b6e6e\"`, `primary: \"rgb(11, 110, 110)\"` or `primary: teal`"
            )
        );
        assert_eq!(
            errors[1].help.as_deref(),
            Some("write `accent: \"#0b6e6e\"` (with `#` and quotes)")
        );
    }

    #[test]
    fn logo_and_font() {
        let found = brand("title: T\nbrand:\n  logo: images/Logo.SVG\n  font: Rounded\n").unwrap();
        assert_eq!(found.logo.as_ref().map(|l| l.kind), Some(LogoKind::Svg));
        assert_eq!(found.font.map(|f| f.name), Some("rounded"));
        let errors = brand("title: T\nbrand:\n  logo: logo.jpg\n  font: roundd\n").unwrap_err();
        assert_eq!(
            errors[0].message,
            "the logo `logo.jpg` is not an SVG or PNG file"
        );
        assert_eq!(
            errors[1].help.as_deref(),
            Some("did you mean `font: rounded`?")
        );
        let errors = brand("title: T\nbrand:\n  logo: ../logo.svg\n").unwrap_err();
        assert_eq!(errors[0].code, Code::ConfigBrandLogo);
    }
}
