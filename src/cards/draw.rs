//! Drawing a card: its texts, colours and logo in, the PNG's bytes out.
//!
//! Plain pixel work: flat rectangles, text from the embedded font's outlines (`ab_glyph`), and
//! the logo scaled into its box. The coverage of antialiased edges is rounded to 1/32 steps:
//! invisible on a card, and it keeps a card without a logo to 65 colours, drawn straight
//! into palette indexes and written as an indexed PNG, a fraction of the size of an RGB one.

use ab_glyph::{Font, FontRef, GlyphId, PxScale, ScaleFont, point};

use super::encode::{Pixels, encode, palette};
use super::layout::{self, Fitted, Frame, Measure};
use super::{CardStyle, HEIGHT, Logo, WIDTH};

/// The font every card is set in: Open Sans Bold 1.10 (Apache-2.0, see `font/`).
pub const FONT: &[u8] = include_bytes!("font/OpenSans-Bold.ttf");

/// Left and right margin, and the top of the name line.
const MARGIN: f32 = 80.0;
/// The clinic's name (and logo) along the top.
const NAME_SIZE: f32 = 38.0;
const NAME_TOP: f32 = 64.0;
/// The logo's box: as tall as the name line, at most this wide.
const LOGO_HEIGHT: u32 = 64;
const LOGO_MAX_WIDTH: u32 = 320;
/// The title's box, below the name line and above the band.
const TITLE_TOP: f32 = 170.0;
const TITLE_BOTTOM: f32 = 560.0;
/// Title sizes, largest first: the largest that fits wins (see `layout`).
const TITLE_SIZES: &[f32] = &[96.0, 88.0, 80.0, 72.0, 64.0, 58.0, 52.0, 48.0, 44.0, 40.0];
const LINE_HEIGHT: f32 = 1.18;
/// The accent band along the bottom edge.
const BAND: u32 = 18;
/// A short accent rule between the name and the title.
const RULE: (f32, f32, f32, f32) = (MARGIN, 140.0, MARGIN + 96.0, 148.0);

/// What one card says.
pub struct Texts<'a> {
    pub title: &'a str,
    /// The clinic's name; empty leaves the name line to the logo alone.
    pub name: &'a str,
}

/// The card's PNG bytes, and how its title was laid out.
pub fn card(texts: &Texts, style: &CardStyle) -> (Vec<u8>, Fitted) {
    let font = font();
    let mut canvas = Canvas::new(WIDTH, HEIGHT, style);

    // The name line: the logo, then the name beside it.
    let logo = style.logo.as_ref().and_then(scaled_logo);
    let name_left = match &logo {
        Some(logo) => MARGIN + logo.width() as f32 + 24.0,
        None => MARGIN,
    };
    let name = fit_one_line(
        texts.name,
        WIDTH as f32 - MARGIN - name_left,
        NAME_SIZE,
        &font,
    );
    let name_baseline = NAME_TOP + LOGO_HEIGHT as f32 / 2.0 + cap_height(NAME_SIZE) / 2.0;
    canvas.line(
        Layer::Accent,
        &font,
        &name,
        NAME_SIZE,
        (name_left, name_baseline),
    );
    canvas.rect(Layer::Accent, RULE);

    // The title, centred in its box.
    let frame = Frame {
        width: WIDTH as f32 - 2.0 * MARGIN,
        height: TITLE_BOTTOM - TITLE_TOP,
        sizes: TITLE_SIZES,
        line_height: LINE_HEIGHT,
    };
    let fitted = layout::fit(texts.title, &frame, &Metrics(&font));
    let step = fitted.size * LINE_HEIGHT;
    let block = step * fitted.lines.len() as f32;
    let top = TITLE_TOP + ((frame.height - block) / 2.0).max(0.0);
    let cap = cap_height(fitted.size);
    for (i, line) in fitted.lines.iter().enumerate() {
        // Each line's capitals centred in its step.
        let baseline = top + step * i as f32 + (step + cap) / 2.0;
        canvas.line(Layer::Text, &font, line, fitted.size, (MARGIN, baseline));
    }

    let band = (0.0, (HEIGHT - BAND) as f32, WIDTH as f32, HEIGHT as f32);
    canvas.rect(Layer::Accent, band);
    let png = match logo {
        None => canvas.png(),
        Some(logo) => canvas.png_with_logo(&logo, (MARGIN as u32, NAME_TOP as u32)),
    };
    (png, fitted)
}

/// The embedded font, parsed (cheap: parsing reads only the table directory).
pub fn font() -> FontRef<'static> {
    FontRef::try_from_slice(FONT).expect("the embedded font is a valid TrueType file")
}

/// Measures text in the embedded font, as `draw` sets it.
pub struct Metrics<'f>(pub &'f FontRef<'f>);

impl Measure for Metrics<'_> {
    fn width(&self, text: &str, size: f32) -> f32 {
        let scaled = self.0.as_scaled(scale(self.0, size));
        let mut width = 0.0;
        let mut previous: Option<GlyphId> = None;
        for id in glyphs(self.0, text) {
            if let Some(previous) = previous {
                width += scaled.kern(previous, id);
            }
            width += scaled.h_advance(id);
            previous = Some(id);
        }
        width
    }
}

/// The glyphs of `text`; characters the font lacks are left out (never drawn as boxes).
fn glyphs<'a>(font: &'a FontRef<'a>, text: &'a str) -> impl Iterator<Item = GlyphId> + 'a {
    text.chars()
        .map(|c| font.glyph_id(c))
        .filter(|id| id.0 != 0)
}

/// `size` pixels per em as ab_glyph's scale (which counts from ascent to descent).
fn scale(font: &FontRef, size: f32) -> PxScale {
    let units_per_em = font.units_per_em().unwrap_or(2048.0);
    PxScale::from(size * font.height_unscaled() / units_per_em)
}

/// How tall the capitals are at `size`: Open Sans's are 1462 of its 2048 units.
fn cap_height(size: f32) -> f32 {
    size * 1462.0 / 2048.0
}

/// `text` on one line of `width`, shortened with `…` after a whole word when it is longer.
fn fit_one_line(text: &str, width: f32, size: f32, font: &FontRef) -> String {
    let frame = Frame {
        width,
        height: size,
        sizes: &[size],
        line_height: 1.0,
    };
    layout::fit(text, &frame, &Metrics(font))
        .lines
        .into_iter()
        .next()
        .unwrap_or_default()
}

/// What a pixel of the card shows: the background (index 0), or the accent or text colour
/// over it at one of `LEVELS` coverages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layer {
    Accent,
    Text,
}

/// Coverage steps of antialiased edges: see the module's comment.
const LEVELS: u8 = 32;

impl Layer {
    /// The palette index of coverage level 1 minus one.
    fn offset(self) -> u8 {
        match self {
            Layer::Accent => 0,
            Layer::Text => LEVELS,
        }
    }

    fn of(index: u8) -> Option<Layer> {
        match index {
            0 => None,
            i if i <= LEVELS => Some(Layer::Accent),
            _ => Some(Layer::Text),
        }
    }
}

/// The card as palette indexes: the background, then the accent colour at each coverage
/// level over it, then the text colour at each.
struct Canvas {
    width: u32,
    height: u32,
    palette: Vec<[u8; 3]>,
    indexes: Vec<u8>,
}

impl Canvas {
    fn new(width: u32, height: u32, style: &CardStyle) -> Canvas {
        let mut palette = vec![style.background];
        for colour in [style.accent, style.text] {
            for level in 1..=LEVELS {
                palette.push(mix(style.background, colour, level as f32 / LEVELS as f32));
            }
        }
        Canvas {
            width,
            height,
            palette,
            indexes: vec![0; (width * height) as usize],
        }
    }

    /// Adds `cover` (0 to 1) of `layer`'s colour at (`x`, `y`): coverage of one layer adds
    /// up (where two letters touch); the other layer's is replaced.
    fn cover(&mut self, layer: Layer, x: i64, y: i64, cover: f32) {
        if x < 0 || y < 0 || x >= self.width as i64 || y >= self.height as i64 {
            return;
        }
        let level = (cover * LEVELS as f32).round() as u8;
        if level == 0 {
            return;
        }
        let cell = &mut self.indexes[(y as u32 * self.width + x as u32) as usize];
        let before = match Layer::of(*cell) {
            Some(l) if l == layer => *cell - layer.offset(),
            _ => 0,
        };
        *cell = layer.offset() + (before + level).min(LEVELS);
    }

    /// Sets a line of words with its baseline at `at.1`, starting at `at.0`, each word where
    /// `layout::line_width` counts it.
    fn line(&mut self, layer: Layer, font: &FontRef, line: &str, size: f32, at: (f32, f32)) {
        let metrics = Metrics(font);
        let space = metrics.width(" ", size);
        let mut x = at.0;
        for word in line.split(' ') {
            self.word(layer, font, word, size, (x, at.1));
            x += metrics.width(word, size) + space;
        }
    }

    /// Sets one word with its baseline at `at.1`, starting at `at.0`.
    fn word(&mut self, layer: Layer, font: &FontRef, text: &str, size: f32, at: (f32, f32)) {
        let scale = scale(font, size);
        let scaled = font.as_scaled(scale);
        let mut caret = at.0;
        let mut previous: Option<GlyphId> = None;
        for id in glyphs(font, text) {
            if let Some(previous) = previous {
                caret += scaled.kern(previous, id);
            }
            let glyph = id.with_scale_and_position(scale, point(caret, at.1));
            caret += scaled.h_advance(id);
            previous = Some(id);
            if let Some(outlined) = font.outline_glyph(glyph) {
                let bounds = outlined.px_bounds();
                let (left, top) = (bounds.min.x as i64, bounds.min.y as i64);
                outlined.draw(|x, y, cover| {
                    self.cover(layer, left + x as i64, top + y as i64, cover);
                });
            }
        }
    }

    /// A rectangle from (`x0`, `y0`) to (`x1`, `y1`), whole pixels.
    fn rect(&mut self, layer: Layer, (x0, y0, x1, y1): (f32, f32, f32, f32)) {
        for y in y0 as i64..y1 as i64 {
            for x in x0 as i64..x1 as i64 {
                self.cover(layer, x, y, 1.0);
            }
        }
    }

    /// The card as an indexed PNG.
    fn png(&self) -> Vec<u8> {
        encode(
            self.width,
            self.height,
            Pixels::Indexed(&self.palette, &self.indexes),
        )
    }

    /// The card with `logo` drawn over it, its top-left corner at `at`, as an indexed PNG: a
    /// logo of many colours (a photo) is reduced to those the palette has room for, which
    /// keeps every card small (an RGB card with a photo-like logo passes 60 KB).
    fn png_with_logo(&self, logo: &image::RgbaImage, at: (u32, u32)) -> Vec<u8> {
        let mut pixels: Vec<[u8; 3]> = self
            .indexes
            .iter()
            .map(|&i| self.palette[i as usize])
            .collect();
        let top = at.1 + (LOGO_HEIGHT - logo.height()) / 2;
        if let Some(plate) = plate_for(logo, self.palette[0]) {
            self.draw_plate(&mut pixels, plate, (at.0, top), logo.dimensions());
        }
        for (x, y, pixel) in logo.enumerate_pixels() {
            let (cx, cy) = (at.0 + x, top + y);
            if cx < self.width && cy < self.height {
                let target = &mut pixels[(cy * self.width + cx) as usize];
                let colour = [pixel[0], pixel[1], pixel[2]];
                *target = mix(*target, colour, pixel[3] as f32 / 255.0);
            }
        }
        if palette(&pixels).is_none() {
            let area: Vec<usize> = (top..top + logo.height())
                .flat_map(|y| {
                    (at.0..at.0 + logo.width()).map(move |x| (y * self.width + x) as usize)
                })
                .filter(|&i| i < pixels.len())
                .collect();
            let rgba: Vec<u8> = area
                .iter()
                .flat_map(|&i| [pixels[i][0], pixels[i][1], pixels[i][2], 255])
                .collect();
            let room = 256 - self.palette.len();
            let quantizer = color_quant::NeuQuant::new(10, room, &rgba);
            for &i in &area {
                let mut pixel = [pixels[i][0], pixels[i][1], pixels[i][2], 255];
                quantizer.map_pixel(&mut pixel);
                pixels[i] = [pixel[0], pixel[1], pixel[2]];
            }
        }
        match palette(&pixels) {
            Some((palette, indexes)) => {
                encode(self.width, self.height, Pixels::Indexed(&palette, &indexes))
            }
            None => encode(self.width, self.height, Pixels::Rgb(&pixels)),
        }
    }
}

impl Canvas {
    /// A rounded plate of `colour` behind the logo at `at` (its top-left corner), `PLATE`
    /// pixels wider on every side.
    fn draw_plate(
        &self,
        pixels: &mut [[u8; 3]],
        colour: [u8; 3],
        at: (u32, u32),
        (width, height): (u32, u32),
    ) {
        let (x0, y0) = (at.0 as f32 - PLATE, at.1 as f32 - PLATE);
        let (x1, y1) = (
            (at.0 + width) as f32 + PLATE,
            (at.1 + height) as f32 + PLATE,
        );
        let radius = PLATE + 2.0;
        for y in y0.max(0.0) as u32..(y1.ceil() as u32).min(self.height) {
            for x in x0.max(0.0) as u32..(x1.ceil() as u32).min(self.width) {
                // The distance outside the rounded corner, for an antialiased edge.
                let (px, py) = (x as f32 + 0.5, y as f32 + 0.5);
                let dx = (x0 + radius - px).max(px - (x1 - radius)).max(0.0);
                let dy = (y0 + radius - py).max(py - (y1 - radius)).max(0.0);
                let outside = (dx * dx + dy * dy).sqrt() - radius;
                let cover = (0.5 - outside).clamp(0.0, 1.0);
                // Coverage in the same steps as text, so a card keeps few colours.
                let cover = (cover * LEVELS as f32).round() / LEVELS as f32;
                let target = &mut pixels[(y * self.width + x) as usize];
                *target = mix(*target, colour, cover);
            }
        }
    }
}

/// How far the logo's plate reaches beyond the logo, in pixels.
const PLATE: f32 = 6.0;

/// The plate a logo needs to be seen: white, when more of the logo stands out (3:1, WCAG's
/// minimum for graphics) on white than on the card's `background`, as for a dark logo made
/// for a white page on a dark card; `None` when the logo shows as it is.
fn plate_for(logo: &image::RgbaImage, background: [u8; 3]) -> Option<[u8; 3]> {
    use crate::brand::contrast::ratio;
    use crate::config::Rgb;
    let seen_on = |back: [u8; 3]| -> f64 {
        let back = Rgb::new(back[0], back[1], back[2]);
        logo.pixels()
            .filter(|p| ratio(Rgb::new(p[0], p[1], p[2]), back) >= 3.0)
            .map(|p| f64::from(p[3]))
            .sum()
    };
    let white = [255, 255, 255];
    (seen_on(white) > seen_on(background)).then_some(white)
}

/// `amount` (0 to 1) of `top` over `bottom`, channel by channel in sRGB.
fn mix(bottom: [u8; 3], top: [u8; 3], amount: f32) -> [u8; 3] {
    let mut out = bottom;
    for (channel, target) in out.iter_mut().zip(top) {
        *channel = (*channel as f32 * (1.0 - amount) + target as f32 * amount).round() as u8;
    }
    out
}

/// The logo scaled to fit its box (never up from a tiny file by more than the box needs).
fn scaled_logo(logo: &Logo) -> Option<image::RgbaImage> {
    let (width, height) = logo.image.dimensions();
    if width == 0 || height == 0 {
        return None;
    }
    let ratio = (LOGO_HEIGHT as f32 / height as f32).min(LOGO_MAX_WIDTH as f32 / width as f32);
    let w = ((width as f32 * ratio).round() as u32).clamp(1, LOGO_MAX_WIDTH);
    let h = ((height as f32 * ratio).round() as u32).clamp(1, LOGO_HEIGHT);
    Some(image::imageops::resize(
        &logo.image,
        w,
        h,
        image::imageops::FilterType::Lanczos3,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dark_logo_on_a_dark_card_gets_a_white_plate() {
        let deep = [0x3f, 0x24, 0x59];
        let purple = image::RgbaImage::from_pixel(40, 20, image::Rgba([106, 61, 154, 255]));
        assert_eq!(plate_for(&purple, deep), Some([255, 255, 255]));
        let white = image::RgbaImage::from_pixel(40, 20, image::Rgba([255, 255, 255, 255]));
        assert_eq!(plate_for(&white, deep), None);
        let style = CardStyle {
            background: deep,
            logo: Some(Logo { image: purple }),
            ..CardStyle::default()
        };
        let texts = Texts {
            title: "Does it hurt?",
            name: "Test Clinic",
        };
        let card = image::load_from_memory(&card(&texts, &style).0)
            .unwrap()
            .to_rgb8();
        // Beside the logo, inside the plate's margin: white; outside it: the card.
        let (x, y) = (MARGIN as u32 - 3, NAME_TOP as u32 + 32);
        assert_eq!(card.get_pixel(x, y).0, [255, 255, 255]);
        assert_eq!(card.get_pixel(x - 6, y).0, deep);
    }

    #[test]
    fn a_long_spanish_title_wraps_between_whole_words_in_the_card_font() {
        let font = font();
        let title = "¿Cuántas sesiones de microneedling necesitaré antes de ver una piel más suave, y cada cuánto tiempo debo hacerlas?";
        let frame = Frame {
            width: WIDTH as f32 - 2.0 * MARGIN,
            height: TITLE_BOTTOM - TITLE_TOP,
            sizes: TITLE_SIZES,
            line_height: LINE_HEIGHT,
        };
        let fitted = layout::fit(title, &frame, &Metrics(&font));
        assert!(!fitted.shortened);
        assert!(
            fitted.size < TITLE_SIZES[0],
            "a long title steps down a size"
        );
        assert!(fitted.lines.len() > 2);
        assert_eq!(
            fitted.lines.join(" "),
            title,
            "every word whole and in order"
        );
        for line in &fitted.lines {
            let words: Vec<&str> = line.split(' ').collect();
            let width = layout::line_width(&words, fitted.size, &Metrics(&font));
            assert!(width <= frame.width, "{line:?} is {width} px wide");
        }
    }

    #[test]
    fn the_font_has_every_spanish_letter() {
        let font = font();
        for c in "áéíóúüñÁÉÍÓÚÜÑ¿¡«»—–…“”‘’".chars() {
            assert_ne!(font.glyph_id(c).0, 0, "{c} is missing");
        }
    }

    #[test]
    fn a_card_without_a_logo_is_an_indexed_png() {
        let texts = Texts {
            title: "¿Duele?",
            name: "Clínica",
        };
        let (bytes, _) = card(&texts, &CardStyle::default());
        let decoder = png::Decoder::new(std::io::Cursor::new(&bytes));
        let reader = decoder.read_info().unwrap();
        let info = reader.info();
        assert_eq!((info.width, info.height), (WIDTH, HEIGHT));
        assert_eq!(info.color_type, png::ColorType::Indexed);
    }

    #[test]
    fn a_logo_is_drawn_beside_the_name() {
        let texts = Texts {
            title: "Does it hurt?",
            name: "Test Clinic",
        };
        let plain = card(&texts, &CardStyle::default()).0;
        let logo = Logo {
            image: image::RgbaImage::from_pixel(40, 20, image::Rgba([255, 0, 0, 255])),
        };
        let style = CardStyle {
            logo: Some(logo),
            ..CardStyle::default()
        };
        let with_logo = image::load_from_memory(&card(&texts, &style).0)
            .unwrap()
            .to_rgb8();
        // Scaled to the box's height (64 px), at the name line's left edge.
        assert_eq!(with_logo.get_pixel(80, 64).0, [255, 0, 0]);
        assert_eq!(with_logo.get_pixel(80 + 127, 64 + 63).0, [255, 0, 0]);
        assert_ne!(with_logo.get_pixel(80 + 129, 64 + 32).0, [255, 0, 0]);
        assert_ne!(
            image::load_from_memory(&plain).unwrap().to_rgb8(),
            with_logo,
            "the logo moves the name"
        );
    }

    #[test]
    fn a_logo_of_many_colours_still_makes_a_small_indexed_card() {
        // Every pixel a different colour: the worst case for the palette and for deflate.
        let noise = image::RgbaImage::from_fn(400, 200, |x, y| {
            image::Rgba([
                (x * 7 % 256) as u8,
                (y * 13 % 256) as u8,
                (x * y % 256) as u8,
                255,
            ])
        });
        let style = CardStyle {
            logo: Some(Logo { image: noise }),
            ..CardStyle::default()
        };
        let texts = Texts {
            title: "How many microneedling sessions will I need before I see smoother skin, and how far apart should they be?",
            name: "Glow Skin Clinic",
        };
        let (bytes, _) = card(&texts, &style);
        assert!(bytes.len() <= 60 * 1024, "{} bytes", bytes.len());
        let reader = png::Decoder::new(std::io::Cursor::new(&bytes))
            .read_info()
            .unwrap();
        assert_eq!(reader.info().color_type, png::ColorType::Indexed);
        assert_eq!(card(&texts, &style).0, bytes, "the same bytes every time");
    }
}
