//! Decoded pixels in, the encoded files of one image out: resized to each width (never
//! wider than the original), turned upright, and written by encoders that add no metadata.

use image::imageops::FilterType;
use image::metadata::Orientation;
use image::{DynamicImage, ImageEncoder};

use super::decode::Decoded;
use super::{Format, JPEG_QUALITY, Job, WEBP_QUALITY, WIDTHS};

/// One encoded file.
#[derive(Debug, Clone)]
pub struct Encoded {
    pub width: u32,
    pub height: u32,
    pub format: Format,
    pub bytes: Vec<u8>,
}

/// The files of one image; see `ImageSet` for what each list holds.
#[derive(Debug, Clone)]
pub struct EncodedSet {
    pub main: Encoded,
    /// Smaller than `main`, in the fallback format; `main` is the largest when the formats
    /// agree, else the list holds its own largest.
    pub fallback: Vec<Encoded>,
    pub webp: Vec<Encoded>,
    /// Made for `Job::Responsive`.
    pub responsive: bool,
}

/// Encodes `decoded` for `job`; `format` is the format the file's name promises.
/// `stripped` is the source's own PNG stream without its metadata chunks, when it is a PNG:
/// published as it is when no pixel changes (not turned, not recoloured), so a small indexed
/// PNG stays small. Fails only
/// when an encoder does (the message says why).
pub fn encode(
    decoded: Decoded,
    format: Format,
    job: Job,
    stripped: Option<Vec<u8>>,
) -> Result<EncodedSet, String> {
    let Decoded {
        image,
        orientation,
        recoloured,
        _permit,
    } = decoded;
    let as_it_is = |image: &DynamicImage| match &stripped {
        Some(bytes)
            if orientation == Orientation::NoTransforms && format == Format::Png && !recoloured =>
        {
            Ok(Encoded {
                width: image.width(),
                height: image.height(),
                format,
                bytes: bytes.clone(),
            })
        }
        _ => encode_one(image, format),
    };
    if job == Job::Strip {
        let mut image = image;
        let main = if orientation == Orientation::NoTransforms {
            as_it_is(&image)?
        } else {
            image.apply_orientation(orientation);
            encode_one(&image, format)?
        };
        drop(_permit);
        return Ok(EncodedSet {
            main,
            fallback: Vec::new(),
            webp: Vec::new(),
            responsive: false,
        });
    }
    let swaps = matches!(
        orientation,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    );
    let (upright_width, upright_height) = if swaps {
        (image.height(), image.width())
    } else {
        (image.width(), image.height())
    };
    let widths = widths_for(upright_width);
    let largest_width = widths.last().copied().unwrap_or(upright_width);
    let size_of = |width: u32| {
        let height = (u64::from(upright_height) * u64::from(width) + u64::from(upright_width) / 2)
            / u64::from(upright_width.max(1));
        let height = (height as u32).max(1);
        // Resizing happens before turning upright, on the stored (unturned) pixels.
        if swaps {
            (height, width)
        } else {
            (width, height)
        }
    };
    let (w, h) = size_of(largest_width);
    let unresized = (w, h) == (image.width(), image.height());
    let largest = if unresized {
        image
    } else {
        // Area averaging: fast and sharp enough for the large steps down from a camera's
        // size; the smaller widths are made from this one with a finer filter.
        image.thumbnail_exact(w, h)
    };
    drop(_permit);
    let upright = |stored: DynamicImage| {
        let mut stored = stored;
        stored.apply_orientation(orientation);
        stored
    };
    let fallback_format = format.fallback();
    let mut fallback = Vec::new();
    let mut webp = Vec::new();
    for &width in &widths[..widths.len() - 1] {
        let (w, h) = size_of(width);
        let small = upright(largest.resize_exact(w, h, FilterType::CatmullRom));
        fallback.push(encode_one(&small, fallback_format)?);
        if fallback_format != Format::WebP {
            webp.push(encode_one(&small, Format::WebP)?);
        }
    }
    let main = if unresized && orientation == Orientation::NoTransforms {
        as_it_is(&largest)?
    } else {
        encode_one(&upright(largest.clone()), format)?
    };
    let largest = upright(largest);
    if fallback_format != format {
        fallback.push(encode_one(&largest, fallback_format)?);
    }
    if fallback_format != Format::WebP {
        webp.push(encode_one(&largest, Format::WebP)?);
    }
    Ok(EncodedSet {
        main,
        fallback,
        webp,
        responsive: true,
    })
}

/// The widths an image `width` pixels wide is published at: each fixed width below its own,
/// and its own (or the largest fixed width) last.
pub fn widths_for(width: u32) -> Vec<u32> {
    let largest = WIDTHS.last().copied().unwrap_or(width).min(width);
    let mut widths: Vec<u32> = WIDTHS.iter().copied().filter(|&w| w < largest).collect();
    widths.push(largest);
    widths
}

fn encode_one(image: &DynamicImage, format: Format) -> Result<Encoded, String> {
    let (width, height) = (image.width(), image.height());
    let mut bytes = Vec::new();
    let alpha = image.color().has_alpha();
    match format {
        Format::Jpeg => {
            let rgb = image.to_rgb8();
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY)
                .write_image(&rgb, width, height, image::ExtendedColorType::Rgb8)
                .map_err(|e| e.to_string())?;
        }
        Format::Png => {
            image::codecs::png::PngEncoder::new_with_quality(
                &mut bytes,
                image::codecs::png::CompressionType::Best,
                image::codecs::png::FilterType::Adaptive,
            )
            .write_image(image.as_bytes(), width, height, image.color().into())
            .map_err(|e| e.to_string())?;
        }
        Format::Gif => {
            let mut encoder = image::codecs::gif::GifEncoder::new(&mut bytes);
            encoder
                .encode_frame(image::Frame::new(image.to_rgba8()))
                .map_err(|e| e.to_string())?;
            drop(encoder);
        }
        Format::WebP => {
            let mut config = webp::WebPConfig::new()
                .map_err(|()| "libwebp has no default settings".to_string())?;
            config.quality = WEBP_QUALITY;
            config.method = 4;
            config.alpha_compression = 1;
            let memory = if alpha {
                let rgba = image.to_rgba8();
                webp::Encoder::from_rgba(&rgba, width, height).encode_advanced(&config)
            } else {
                let rgb = image.to_rgb8();
                webp::Encoder::from_rgb(&rgb, width, height).encode_advanced(&config)
            };
            bytes = memory
                .map_err(|e| format!("the WebP encoder failed ({e:?})"))?
                .to_vec();
        }
    }
    Ok(Encoded {
        width,
        height,
        format,
        bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_never_grow_an_image() {
        assert_eq!(widths_for(4000), vec![480, 800, 1200, 1600]);
        assert_eq!(widths_for(1000), vec![480, 800, 1000]);
        assert_eq!(widths_for(800), vec![480, 800]);
        assert_eq!(widths_for(300), vec![300]);
    }
}
