//! Colour arithmetic for the brand: WCAG 2.2 contrast ratios, tints and shades, and the
//! nearest shade of a hue that reaches a ratio.

use crate::config::Rgb;

/// WCAG's minimum for text (AA).
pub const TEXT: f64 = 4.5;
/// WCAG's minimum for large text, focus indicators and the edges of controls (AA).
pub const NON_TEXT: f64 = 3.0;

/// The WCAG contrast ratio of two colours, from 1 to 21.
pub fn ratio(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (light, dark) = if la > lb { (la, lb) } else { (lb, la) };
    (light + 0.05) / (dark + 0.05)
}

/// A ratio as staff read it, never rounded up to a pass: 4.49 is `4.4:1`.
pub fn shown(ratio: f64) -> String {
    format!("{:.1}:1", (ratio * 10.0 + 1e-9).floor() / 10.0)
}

/// WCAG relative luminance.
fn luminance(colour: Rgb) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(colour.r) + 0.7152 * channel(colour.g) + 0.0722 * channel(colour.b)
}

/// `amount` of `colour` over `base` (0: `base`, 1: `colour`), as a painter mixes a tint.
pub fn mix(colour: Rgb, base: Rgb, amount: f64) -> Rgb {
    let channel = |c: u8, b: u8| {
        (f64::from(b) + (f64::from(c) - f64::from(b)) * amount)
            .round()
            .clamp(0.0, 255.0) as u8
    };
    Rgb::new(
        channel(colour.r, base.r),
        channel(colour.g, base.g),
        channel(colour.b, base.b),
    )
}

/// Hue (degrees), saturation and lightness (0 to 1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hsl {
    pub h: f64,
    pub s: f64,
    pub l: f64,
}

pub fn to_hsl(colour: Rgb) -> Hsl {
    let [r, g, b] = [colour.r, colour.g, colour.b].map(|c| f64::from(c) / 255.0);
    let max = r.max(g).max(b);
    let min = r.min(g).min(b);
    let l = (max + min) / 2.0;
    let d = max - min;
    if d == 0.0 {
        return Hsl { h: 0.0, s: 0.0, l };
    }
    let s = d / (1.0 - (2.0 * l - 1.0).abs());
    let h = if max == r {
        60.0 * ((g - b) / d).rem_euclid(6.0)
    } else if max == g {
        60.0 * ((b - r) / d + 2.0)
    } else {
        60.0 * ((r - g) / d + 4.0)
    };
    Hsl { h, s, l }
}

pub fn from_hsl(hsl: Hsl) -> Rgb {
    let Hsl { h, s, l } = hsl;
    let c = (1.0 - (2.0 * l - 1.0).abs()) * s.clamp(0.0, 1.0);
    let x = c * (1.0 - ((h / 60.0).rem_euclid(2.0) - 1.0).abs());
    let m = l - c / 2.0;
    let (r, g, b) = match (h.rem_euclid(360.0) / 60.0) as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let byte = |v: f64| ((v + m) * 255.0).round().clamp(0.0, 255.0) as u8;
    Rgb::new(byte(r), byte(g), byte(b))
}

/// `colour` with its lightness set to `l`, hue and saturation kept.
pub fn with_lightness(colour: Rgb, l: f64) -> Rgb {
    from_hsl(Hsl {
        l: l.clamp(0.0, 1.0),
        ..to_hsl(colour)
    })
}

/// The lightest shade of `colour`'s hue (no lighter than `colour`) with at least `minimum`
/// contrast against `against` (black at worst).
pub fn darken_until(colour: Rgb, against: Rgb, minimum: f64) -> Rgb {
    shades(colour, -1)
        .find(|&c| ratio(c, against) >= minimum)
        .unwrap_or(Rgb::BLACK)
}

/// The darkest tint of `colour`'s hue (no darker than `colour`) with at least `minimum`
/// contrast against `against` (white at worst).
pub fn lighten_until(colour: Rgb, against: Rgb, minimum: f64) -> Rgb {
    shades(colour, 1)
        .find(|&c| ratio(c, against) >= minimum)
        .unwrap_or(Rgb::WHITE)
}

/// `colour`, then shades of its hue stepping its lightness by half a percent in `direction`
/// (-1 darker, 1 lighter), to black or white.
pub fn shades(colour: Rgb, direction: i32) -> impl Iterator<Item = Rgb> {
    let hsl = to_hsl(colour);
    let step = 0.005 * f64::from(direction);
    let steps = if direction < 0 {
        (hsl.l / 0.005).ceil()
    } else {
        ((1.0 - hsl.l) / 0.005).ceil()
    } as usize;
    std::iter::once(colour)
        .chain((1..=steps).map(move |i| with_lightness(colour, hsl.l + step * i as f64)))
}

/// The shade of `colour`'s hue nearest to it (darker or lighter) for which `passes` holds.
pub fn nearest_passing(colour: Rgb, passes: &dyn Fn(Rgb) -> bool) -> Option<Rgb> {
    let mut darker = shades(colour, -1).skip(1);
    let mut lighter = shades(colour, 1).skip(1);
    loop {
        let (d, l) = (darker.next(), lighter.next());
        if d.is_none() && l.is_none() {
            return None;
        }
        if let Some(found) = [d, l].into_iter().flatten().find(|&c| passes(c)) {
            return Some(found);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wcag_ratios() {
        assert_eq!(shown(ratio(Rgb::WHITE, Rgb::BLACK)), "21.0:1");
        // The theme's own notes: --link #0b5e66 on white 7.48.
        let link = Rgb::new(0x0b, 0x5e, 0x66);
        assert!((ratio(link, Rgb::WHITE) - 7.48).abs() < 0.01);
        assert_eq!(shown(4.4999), "4.4:1");
        assert_eq!(shown(4.5), "4.5:1");
    }

    #[test]
    fn hsl_round_trips() {
        for colour in [
            Rgb::new(0x0b, 0x6e, 0x6e),
            Rgb::new(0xf3, 0xc7, 0x9a),
            Rgb::new(0x80, 0x80, 0x80),
            Rgb::new(0xff, 0x00, 0x00),
        ] {
            assert_eq!(from_hsl(to_hsl(colour)), colour);
        }
    }

    #[test]
    fn the_nearest_passing_shade_is_just_past_the_line() {
        let light = Rgb::new(0x4f, 0xb3, 0xbf);
        let found = nearest_passing(light, &|c| ratio(c, Rgb::WHITE) >= TEXT).unwrap();
        let r = ratio(found, Rgb::WHITE);
        assert!((4.5..4.7).contains(&r), "{found} {r}");
        let hue = |c| to_hsl(c).h;
        assert!((hue(found) - hue(light)).abs() < 3.0);
    }
}
