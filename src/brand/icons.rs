//! The clinic theme's icons (the SVG favicon and the PNG home-screen icons) redrawn in the
//! brand's colours: the tile in the header's colour, the mark in the accent. An icon drawn
//! in other colours (a child theme's own) is left as it is.

use crate::config::Rgb;

/// The clinic theme's icon colours: the tile and the drop on it.
const TILE: Rgb = Rgb::new(0x0b, 0x3a, 0x45);
const MARK: Rgb = Rgb::new(0xf3, 0xc8, 0x9b);

/// The SVG icon with the theme's two colours replaced.
pub fn recolour_svg(svg: &str, tile: Rgb, mark: Rgb) -> String {
    svg.replace(&TILE.hex(), &tile.hex())
        .replace(&MARK.hex(), &mark.hex())
}

/// A PNG icon in the theme's two colours (and the blends between them at the mark's edges)
/// redrawn with `tile` and `mark`; `None` when the picture is not such an icon or cannot be
/// read.
pub fn recolour_png(bytes: &[u8], tile: Rgb, mark: Rgb) -> Option<Vec<u8>> {
    let mut pixels = image::load_from_memory_with_format(bytes, image::ImageFormat::Png)
        .ok()?
        .to_rgba8();
    let from = [TILE.r, TILE.g, TILE.b].map(f64::from);
    let to = [MARK.r, MARK.g, MARK.b].map(f64::from);
    let axis: Vec<f64> = (0..3).map(|i| to[i] - from[i]).collect();
    let length = axis.iter().map(|a| a * a).sum::<f64>();
    let mut strays = 0usize;
    for pixel in pixels.pixels_mut() {
        let [r, g, b, a] = pixel.0;
        if a == 0 {
            continue;
        }
        let rgb = [r, g, b].map(f64::from);
        let t =
            ((0..3).map(|i| (rgb[i] - from[i]) * axis[i]).sum::<f64>() / length).clamp(0.0, 1.0);
        let distance = (0..3)
            .map(|i| (rgb[i] - (from[i] + axis[i] * t)).powi(2))
            .sum::<f64>()
            .sqrt();
        if distance > 40.0 {
            strays += 1;
        }
        let new = super::contrast::mix(mark, tile, t);
        pixel.0 = [new.r, new.g, new.b, a];
    }
    let (width, height) = pixels.dimensions();
    if strays * 100 > (width * height) as usize {
        return None;
    }
    let mut out = Vec::new();
    image::ImageEncoder::write_image(
        image::codecs::png::PngEncoder::new(&mut out),
        pixels.as_raw(),
        width,
        height,
        image::ExtendedColorType::Rgba8,
    )
    .ok()?;
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_theme_icons_take_the_brand_colours() {
        let icon = include_bytes!("../../themes/clinic/static/icon-192.png");
        let tile = Rgb::new(0x2a, 0x10, 0x4a);
        let mark = Rgb::new(0xff, 0xd8, 0xe4);
        let png = recolour_png(icon, tile, mark).expect("the theme's icon");
        let image = image::load_from_memory(&png).unwrap().to_rgba8();
        assert_eq!(image.dimensions(), (192, 192));
        let centre = image.get_pixel(96, 120).0;
        let corner_in = image.get_pixel(40, 20).0;
        assert_eq!(&centre[..3], &[0xff, 0xd8, 0xe4], "the drop");
        assert_eq!(&corner_in[..3], &[0x2a, 0x10, 0x4a], "the tile");
        assert_eq!(
            recolour_png(&png, tile, mark),
            None,
            "not the theme's colours any more"
        );
    }
}
