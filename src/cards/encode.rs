//! A card's pixels in, its PNG's bytes out: an indexed PNG when the card has at most 256
//! colours (a card without a logo has 65), an RGB one otherwise.

pub enum Pixels<'p> {
    Indexed(&'p [[u8; 3]], &'p [u8]),
    Rgb(&'p [[u8; 3]]),
}

/// A PNG of `pixels`. Flat colours in long rows compress well at the balanced level: the
/// high one made cards about 6 % smaller and the clean build of 1,000 cards 2.5 times slower.
pub fn encode(width: u32, height: u32, pixels: Pixels) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Balanced);
    let data = match pixels {
        Pixels::Indexed(palette, indexes) => {
            encoder.set_color(png::ColorType::Indexed);
            encoder.set_palette(palette.concat());
            encoder.set_filter(png::Filter::NoFilter);
            std::borrow::Cow::Borrowed(indexes)
        }
        Pixels::Rgb(pixels) => {
            encoder.set_color(png::ColorType::Rgb);
            encoder.set_filter(png::Filter::Adaptive);
            std::borrow::Cow::Owned(pixels.concat())
        }
    };
    let mut writer = encoder
        .write_header()
        .expect("writing to memory cannot fail");
    writer
        .write_image_data(&data)
        .expect("the data matches the header");
    writer.finish().expect("writing to memory cannot fail");
    bytes
}

/// The colours of `pixels` (in order of first appearance) and each pixel's index, when there
/// are at most 256.
pub fn palette(pixels: &[[u8; 3]]) -> Option<(Vec<[u8; 3]>, Vec<u8>)> {
    let mut colours: Vec<[u8; 3]> = Vec::new();
    let mut index_of = std::collections::HashMap::new();
    let mut indexes = Vec::with_capacity(pixels.len());
    let mut last: Option<([u8; 3], u8)> = None;
    for pixel in pixels {
        let index = match last {
            Some((colour, index)) if colour == *pixel => index,
            _ => {
                let next = colours.len();
                let index = *index_of.entry(*pixel).or_insert_with(|| {
                    colours.push(*pixel);
                    next
                });
                if index > 255 {
                    return None;
                }
                index as u8
            }
        };
        last = Some((*pixel, index));
        indexes.push(index);
    }
    Some((colours, indexes))
}
