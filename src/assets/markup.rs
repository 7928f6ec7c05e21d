//! An image's published files in, its HTML out: `<picture>` with a WebP `<source>` and a
//! JPEG or PNG `<img>`, each with `srcset` and `sizes`, the intrinsic `width` and `height`
//! (so nothing moves as it loads), and lazy loading for every image but a page's first.

use pulldown_cmark_escape::{FmtWriter, escape_href, escape_html};

use super::{ImageSet, Variant};

/// The alt text that marks an image as decoration only (it is then published with `alt=""`,
/// which screen readers skip).
pub const DECORATIVE: &str = "decorative";

/// What to write for an image without alt text.
pub const ALT_HELP: &str = "describe the picture for people who cannot see it, like `![Skin two weeks after a session](photo.jpg)`; if it only decorates the page, write `![decorative](photo.jpg)`";

/// How wide an image in a page's text is shown: the text column (46.5rem) on wide screens,
/// the whole screen on phones.
pub const SIZES: &str = "(min-width: 50rem) 46.5rem, 100vw";

/// What an image's alt text says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alt<'a> {
    /// None written: an error.
    Missing,
    /// The `DECORATIVE` marker.
    Decorative,
    Text(&'a str),
}

impl<'a> Alt<'a> {
    pub fn of(written: &'a str) -> Alt<'a> {
        match written.trim() {
            "" => Alt::Missing,
            DECORATIVE => Alt::Decorative,
            text => Alt::Text(text),
        }
    }

    /// The `alt` attribute's value.
    pub fn text(self) -> &'a str {
        match self {
            Alt::Text(text) => text,
            Alt::Missing | Alt::Decorative => "",
        }
    }
}

/// How one image is shown.
#[derive(Debug, Clone, Copy)]
pub struct Shown<'a> {
    /// `../../` from the page to the site's root: every file's address starts with it.
    pub root: &'a str,
    pub alt: Alt<'a>,
    pub title: &'a str,
    pub sizes: &'a str,
    /// The page's first image: loaded at once and first (it is likely in view).
    pub first: bool,
}

/// `<picture>` markup for a processed image.
pub fn picture(set: &ImageSet, shown: Shown) -> String {
    let mut html = String::from("<picture>");
    if !set.webp.is_empty() {
        html.push_str("<source type=\"image/webp\" srcset=\"");
        push_srcset(&mut html, shown.root, &set.webp);
        html.push_str("\" sizes=\"");
        push_text(&mut html, shown.sizes);
        html.push_str("\">");
    }
    html.push_str("<img src=\"");
    push_href(&mut html, &format!("{}{}", shown.root, set.main.path));
    html.push('"');
    if set.fallback.len() > 1 {
        html.push_str(" srcset=\"");
        push_srcset(&mut html, shown.root, &set.fallback);
        html.push_str("\" sizes=\"");
        push_text(&mut html, shown.sizes);
        html.push('"');
    }
    html.push_str(&format!(
        " width=\"{}\" height=\"{}\"",
        set.main.width, set.main.height
    ));
    push_rest(&mut html, shown);
    html.push_str("</picture>");
    html
}

/// `<img>` markup for an image the build does not process (an SVG, or one on another site).
pub fn plain(src: &str, shown: Shown) -> String {
    let mut html = String::from("<img src=\"");
    push_href(&mut html, src);
    html.push('"');
    push_rest(&mut html, shown);
    html
}

/// `html` with its first image (see `Shown::first`) loading lazily like the others.
pub fn not_first(html: String) -> String {
    html.replacen(FIRST, LAZY, 1)
}

const FIRST: &str = " fetchpriority=\"high\">";
const LAZY: &str = " loading=\"lazy\" decoding=\"async\">";

fn push_rest(html: &mut String, shown: Shown) {
    html.push_str(" alt=\"");
    push_text(html, shown.alt.text());
    html.push('"');
    if !shown.title.is_empty() {
        html.push_str(" title=\"");
        push_text(html, shown.title);
        html.push('"');
    }
    html.push_str(if shown.first { FIRST } else { LAZY });
}

fn push_srcset(html: &mut String, root: &str, variants: &[Variant]) {
    for (n, variant) in variants.iter().enumerate() {
        if n > 0 {
            html.push_str(", ");
        }
        push_href(html, &format!("{root}{}", variant.path));
        html.push_str(&format!(" {}w", variant.width));
    }
}

fn push_text(html: &mut String, text: &str) {
    let _ = escape_html(FmtWriter(&mut *html), text);
}

fn push_href(html: &mut String, href: &str) {
    // A comma or space would end a `srcset` entry early.
    let href = href.replace(',', "%2C").replace(' ', "%20");
    let _ = escape_href(FmtWriter(&mut *html), &href);
}

/// Registers `image(path=…, alt=…, sizes=…)` for themes: the `<picture>` markup of a
/// published image (`path` is its address from the site's root, like `office/desk.jpg`;
/// `alt` is required, `decorative` for `alt=""`; `sizes` defaults to the whole screen).
/// `first=true` loads it at once, for an image at the top of the page.
pub fn register_template_function(tera: &mut tera::Tera, images: super::Images) {
    tera.register_function(
        "image",
        move |kwargs: tera::Kwargs, state: &tera::State| -> tera::TeraResult<String> {
            let path = kwargs.must_get::<&str>("path")?.trim_start_matches('/');
            let alt = Alt::of(kwargs.must_get::<&str>("alt")?);
            if alt == Alt::Missing {
                return Err(tera::Error::message(format!(
                    "image(): `{path}` needs alt text (or alt=\"{DECORATIVE}\")"
                )));
            }
            let sizes = kwargs.get::<&str>("sizes")?.unwrap_or("100vw");
            let first = kwargs.get::<bool>("first")?.unwrap_or(false);
            let root: String = state.get::<String>("root")?.unwrap_or_default();
            let shown = Shown {
                root: &root,
                alt,
                title: "",
                sizes,
                first,
            };
            if !images.processed {
                return Ok(plain(&format!("{root}{path}"), shown));
            }
            let Some(set) = images.get(path) else {
                return Err(tera::Error::message(format!(
                    "image(): the site publishes no image `{path}`"
                )));
            };
            Ok(picture(set, shown))
        },
    );
}
