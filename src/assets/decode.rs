//! Source bytes in, pixels out: what the file really holds (whatever its name says), the
//! formats refused with the way to fix them, and decoding within limits of size and memory.

use std::io::Cursor;
use std::path::Path;
use std::sync::{Condvar, Mutex};

use image::{AnimationDecoder, DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

use crate::diagnostics::{Code, Diagnostic};

/// Bytes of decoded pixels held at once across every thread: the bound on a build's peak
/// memory, however many photos there are.
pub const MEMORY_BUDGET: u64 = 192 << 20;
/// The largest image decoded, in pixels (a 64-megapixel camera's full size).
pub const MAX_PIXELS: u64 = 64_000_000;

/// Decoded pixels in sRGB, not yet turned upright, and the memory they hold.
pub struct Decoded<'b> {
    pub image: DynamicImage,
    pub orientation: image::metadata::Orientation,
    /// Whether the colours were converted from the file's own ICC profile to sRGB (its
    /// pixels then differ from the file's own).
    pub recoloured: bool,
    pub _permit: Permit<'b>,
}

/// The help for a file that cannot be read as an image.
const RESAVE: &str = "open the file in a photo editor and save (export) it again as JPEG or PNG, or use another copy of the photo";
/// The help for a file that did not arrive whole.
const RECOPY: &str = "copy the photo into the folder again: this copy did not arrive whole";

/// A refused format: the message and help for a file whose name or bytes show it.
pub fn refused_by_name(name: &str) -> Option<(&'static str, &'static str)> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    refused(&ext)
}

fn refused(kind: &str) -> Option<(&'static str, &'static str)> {
    Some(match kind {
        "heic" | "heif" => (
            "is a HEIC photo (the iPhone's own format), which most web browsers cannot show",
            "export it as JPEG and link the .jpg file: on the iPhone, set Settings > Camera > Formats > Most Compatible, or share the photo to Mail or Files, which sends a JPEG; on a Mac, open it in Preview and choose File > Export > JPEG",
        ),
        "avif" => (
            "is an AVIF image, which clinicsite does not publish yet",
            "export it as JPEG (photos) or PNG (drawings and logos); the build makes the small, modern copies itself",
        ),
        "tif" | "tiff" | "bmp" => (
            "is a TIFF or BMP image, which web browsers do not show",
            "export it as JPEG (photos) or PNG (drawings and logos)",
        ),
        _ => return None,
    })
}

/// What `bytes` really are, or why they cannot be published.
pub fn sniff(bytes: &[u8], name: &str, display: &Path) -> Result<ImageFormat, Diagnostic> {
    let error = |message: String, help: &str| {
        Diagnostic::new(Code::ImageUnreadable, display, message).help(help)
    };
    let shown = crate::diagnostics::display_path(display);
    if let Some((message, help)) = refused_by_name(name) {
        return Err(error(format!("`{shown}` {message}"), help));
    }
    if bytes.is_empty() {
        return Err(error(format!("`{shown}` is empty (0 bytes)"), RECOPY));
    }
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        let brand = String::from_utf8_lossy(&bytes[8..12]).to_ascii_lowercase();
        let kind = match brand.as_str() {
            "heic" | "heix" | "hevc" | "hevx" | "heim" | "heis" | "mif1" | "msf1" => "heic",
            "avif" | "avis" => "avif",
            _ => "",
        };
        if let Some((message, help)) = refused(kind) {
            return Err(error(format!("`{shown}` {message}"), help));
        }
    }
    match image::guess_format(bytes) {
        Ok(
            format @ (ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::Gif | ImageFormat::WebP),
        ) => Ok(format),
        Ok(ImageFormat::Tiff | ImageFormat::Bmp) => {
            let (message, help) = refused("tiff").unwrap_or_default();
            Err(error(format!("`{shown}` {message}"), help))
        }
        _ => Err(error(
            format!("`{shown}` is not a JPEG, PNG, GIF or WebP image"),
            RESAVE,
        )),
    }
}

/// Decodes `bytes` (known to be `format`) to 8-bit RGB or RGBA in sRGB, refusing what
/// `open` refuses, and waiting for `budget` to hold the pixels.
pub fn decode<'b>(
    bytes: &[u8],
    format: ImageFormat,
    display: &Path,
    budget: &'b Budget,
) -> Result<Decoded<'b>, Diagnostic> {
    let mut decoder = open(bytes, format, display)?;
    // Room for the decoded pixels and one converted copy.
    let permit = budget.take(decoder.total_bytes().saturating_mul(2));
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let profile = decoder.icc_profile().ok().flatten();
    let image = DynamicImage::from_decoder(decoder).map_err(|e| unreadable(e, format, display))?;
    let mut image = match image {
        DynamicImage::ImageRgb8(_) | DynamicImage::ImageRgba8(_) => image,
        other if other.color().has_alpha() => DynamicImage::ImageRgba8(other.to_rgba8()),
        other => DynamicImage::ImageRgb8(other.to_rgb8()),
    };
    let recoloured = profile.is_some_and(|profile| to_srgb(&mut image, &profile));
    Ok(Decoded {
        image,
        orientation,
        recoloured,
        _permit: permit,
    })
}

/// Why a file cannot be published, found without decoding its pixels: for `check`, which
/// does not make the published copies but must stop on the same files as `build`.
pub fn inspect(bytes: &[u8], name: &str, display: &Path) -> Result<(), Diagnostic> {
    let format = sniff(bytes, name, display)?;
    open(bytes, format, display).map(drop)
}

/// A decoder over `bytes` (known to be `format`) that has read the header, refusing files
/// cut short, images too large to decode and animated GIFs.
fn open<'a>(
    bytes: &'a [u8],
    format: ImageFormat,
    display: &Path,
) -> Result<impl ImageDecoder + 'a, Diagnostic> {
    let shown = crate::diagnostics::display_path(display);
    if is_cut_short(bytes, format) {
        return Err(Diagnostic::new(
            Code::ImageUnreadable,
            display,
            format!("`{shown}` is cut short: the file ends before the picture does"),
        )
        .help(RECOPY));
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits());
    let decoder = reader
        .into_decoder()
        .map_err(|e| unreadable(e, format, display))?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(Diagnostic::new(
            Code::ImageTooLarge,
            display,
            format!("`{shown}` {}", too_large_message(Some((width, height)))),
        )
        .help(
            "save it smaller in a photo editor: 4000 pixels wide is more than any screen needs",
        ));
    }
    if format == ImageFormat::Gif && is_animated(bytes) {
        return Err(Diagnostic::new(
            Code::ImageAnimated,
            display,
            format!("`{shown}` is an animated GIF; the build publishes still images only"),
        )
        .help("save one frame as PNG or JPEG and link that file instead"));
    }
    Ok(decoder)
}

fn unreadable(error: image::ImageError, format: ImageFormat, display: &Path) -> Diagnostic {
    let what = match &error {
        image::ImageError::IoError(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            "is cut short: the file ends before the picture does".to_string()
        }
        image::ImageError::Limits(_) => too_large_message(None),
        // The decoder's own words name parts of the file format: of no use to staff.
        _ => format!(
            "is damaged: it cannot be read as a {} image",
            kind_name(format)
        ),
    };
    let shown = crate::diagnostics::display_path(display);
    Diagnostic::new(Code::ImageUnreadable, display, format!("`{shown}` {what}")).help(RESAVE)
}

/// Converts 8-bit RGB or RGBA pixels described by the ICC `profile` to sRGB, in place, a
/// band of rows at a time (no second copy of the image). The published files carry no
/// profile, and browsers show a file without one as sRGB: a phone's Display P3 or a camera's
/// Adobe RGB photo would otherwise look dull. Returns false, leaving the pixels as they are,
/// for a profile that is not an RGB profile (a grey or CMYK file's: the decoder has already
/// turned those into RGB) or that cannot be read.
fn to_srgb(image: &mut DynamicImage, profile: &[u8]) -> bool {
    let Ok(source) = moxcms::ColorProfile::new_from_slice(profile) else {
        return false;
    };
    if source.color_space != moxcms::DataColorSpace::Rgb {
        return false;
    }
    let width = image.width() as usize;
    let (layout, pixels) = match image {
        DynamicImage::ImageRgb8(buffer) => (moxcms::Layout::Rgb, &mut **buffer),
        DynamicImage::ImageRgba8(buffer) => (moxcms::Layout::Rgba, &mut **buffer),
        _ => return false,
    };
    let srgb = moxcms::ColorProfile::new_srgb();
    let Ok(transform) =
        source.create_transform_8bit(layout, &srgb, layout, moxcms::TransformOptions::default())
    else {
        return false;
    };
    let band = (width * layout.channels() * 64).max(1);
    let mut converted = vec![0u8; band];
    for rows in pixels.chunks_mut(band) {
        let out = &mut converted[..rows.len()];
        if transform.transform(rows, out).is_err() {
            return false;
        }
        rows.copy_from_slice(out);
    }
    true
}

fn too_large_message(size: Option<(u32, u32)>) -> String {
    let limit = MAX_PIXELS / 1_000_000;
    match size {
        Some((width, height)) => {
            format!("is {width} × {height} pixels, more than the {limit}-megapixel limit")
        }
        None => format!("is larger than the {limit}-megapixel limit"),
    }
}

fn limits() -> Limits {
    // The sides are checked against `MAX_PIXELS` with the sizes in the message; the
    // decoders still refuse to allocate more than one such image.
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_PIXELS * 4 + (16 << 20));
    limits
}

fn kind_name(format: ImageFormat) -> &'static str {
    match format {
        ImageFormat::Png => "PNG",
        ImageFormat::Gif => "GIF",
        ImageFormat::WebP => "WebP",
        _ => "JPEG",
    }
}

/// Whether a JPEG, PNG or WebP file stops before its format's end mark: a copy or download
/// that did not finish. Decoders may fill in what is missing (a JPEG's lower part turns grey)
/// rather than fail, so this is checked first. (A cut GIF fails in its decoder.)
fn is_cut_short(bytes: &[u8], format: ImageFormat) -> bool {
    match format {
        // The end-of-image marker after the first scan: inside compressed data a 0xFF byte is
        // always followed by 0x00 or a restart marker, and the segments before the scan
        // (where an EXIF thumbnail keeps its own end marker) are skipped by their lengths.
        ImageFormat::Jpeg => {
            let mut at = 2;
            loop {
                let Some(&[0xFF, marker, high, low]) = bytes.get(at..at + 4) else {
                    return true;
                };
                if marker == 0xDA {
                    break;
                }
                if marker == 0xFF {
                    // Fill bytes before a marker.
                    at += 1;
                    continue;
                }
                at += 2 + usize::from(u16::from_be_bytes([high, low]));
            }
            !bytes[at..].windows(2).any(|w| w == [0xFF, 0xD9])
        }
        ImageFormat::Png => strip_png(bytes).is_none(),
        // RIFF's own length, after the 8 bytes that give it.
        ImageFormat::WebP => bytes
            .get(4..8)
            .and_then(|len| len.try_into().ok())
            .is_none_or(|len| u32::from_le_bytes(len) as usize > bytes.len().saturating_sub(8)),
        _ => false,
    }
}

/// A PNG stream with only the chunks that draw its pixels: no text, EXIF, time, ICC
/// profile or animation chunks. `None` when the stream is not well formed.
pub fn strip_png(bytes: &[u8]) -> Option<Vec<u8>> {
    const KEEP: &[&[u8; 4]] = &[
        b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND", b"gAMA", b"cHRM", b"sRGB", b"sBIT", b"pHYs",
    ];
    let mut out = bytes.get(..8)?.to_vec();
    let mut at = 8;
    while at < bytes.len() {
        let len = u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?) as usize;
        let end = at.checked_add(12)?.checked_add(len)?;
        let chunk = bytes.get(at..end)?;
        if KEEP.iter().any(|kind| &chunk[4..8] == *kind) {
            out.extend_from_slice(chunk);
        }
        if &chunk[4..8] == b"IEND" {
            return Some(out);
        }
        at = end;
    }
    None
}

/// Whether a GIF has more than one frame.
fn is_animated(bytes: &[u8]) -> bool {
    let Ok(mut decoder) = image::codecs::gif::GifDecoder::new(Cursor::new(bytes)) else {
        return false;
    };
    if decoder.set_limits(limits()).is_err() {
        return false;
    }
    decoder.into_frames().take(2).count() > 1
}

/// Bytes of pixel memory shared by the decoding threads.
pub struct Budget {
    total: u64,
    free: Mutex<u64>,
    returned: Condvar,
}

/// A share of the budget, given back when dropped.
pub struct Permit<'b> {
    budget: &'b Budget,
    bytes: u64,
}

impl Budget {
    pub fn new(total: u64) -> Budget {
        Budget {
            total,
            free: Mutex::new(total),
            returned: Condvar::new(),
        }
    }

    /// Waits until `bytes` are free (an image larger than the whole budget waits for all of
    /// it) and takes them.
    pub fn take(&self, bytes: u64) -> Permit<'_> {
        let bytes = bytes.min(self.total);
        let mut free = self.free.lock().unwrap_or_else(|e| e.into_inner());
        while *free < bytes {
            free = self.returned.wait(free).unwrap_or_else(|e| e.into_inner());
        }
        *free -= bytes;
        Permit {
            budget: self,
            bytes,
        }
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        let mut free = self.budget.free.lock().unwrap_or_else(|e| e.into_inner());
        *free += self.bytes;
        self.budget.returned.notify_all();
    }
}
