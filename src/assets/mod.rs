//! Images: the raster files a build publishes (content files and the theme's static files) in,
//! stripped, upright and resized files plus the data their markup needs out.
//!
//! Nothing but pixels leaves the building: every JPEG, PNG, GIF and WebP is decoded, turned
//! upright by its EXIF orientation, and encoded again, so its metadata (GPS position, camera
//! serial number, capture time, XMP, IPTC, comments, ICC profiles) never reaches `public/`.
//! No setting turns this off. Colours are converted to sRGB from the file's ICC profile
//! (moxcms, the colour engine `image` itself uses), and no profile is written: browsers
//! show an image without one as sRGB. A content image is also published at a fixed set of widths
//! (never wider than the original) in its own format and in lossy WebP, for `<picture>`
//! markup (see `markup`).
//!
//! Processing is slow and its result depends only on the source bytes and the settings
//! below, so every result is kept in `ROOT/.clinicsite-cache/images/` (see `cache`): a
//! rebuild with nothing changed decodes nothing.

mod cache;
mod decode;
mod encode;
pub mod markup;
pub mod metadata;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::diagnostics::{Code, Diagnostic};
use crate::source::AssetFile;

/// The widths (in pixels) a content image is published at, when the original is wider.
pub const WIDTHS: &[u32] = &[480, 800, 1200, 1600];
/// JPEG quality (libjpeg scale) of the resized JPEGs.
pub const JPEG_QUALITY: u8 = 82;
/// libwebp's lossy quality (0-100): a 4000×3000 photo comes out at about 100-150 KB at
/// 1200 pixels wide.
pub const WEBP_QUALITY: f32 = 75.0;
/// Everything that changes the bytes of a processed image; part of every cache key.
const SETTINGS: &str = "clinicsite images 2: icc to srgb, widths 480 800 1200 1600, jpeg 82, webp 75, png default, gif first frame refused if animated";

/// The folder processed images are kept in, below the site root.
pub const CACHE_DIR: &str = ".clinicsite-cache/images";

/// An image file format the build reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Jpeg,
    Png,
    Gif,
    WebP,
}

impl Format {
    /// The format a file name says, for the raster formats the build publishes.
    pub fn from_name(name: &str) -> Option<Format> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "jpg" | "jpeg" => Some(Format::Jpeg),
            "png" => Some(Format::Png),
            "gif" => Some(Format::Gif),
            "webp" => Some(Format::WebP),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::Gif => "gif",
            Format::WebP => "webp",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::Gif => "image/gif",
            Format::WebP => "image/webp",
        }
    }

    /// The format of the resized copies in the `<img srcset>`: a GIF's are PNGs.
    fn fallback(self) -> Format {
        match self {
            Format::Gif => Format::Png,
            other => other,
        }
    }
}

/// One file the build publishes for an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// Path under the output folder, with `/` separators.
    pub path: String,
    pub width: u32,
    pub height: u32,
    pub format: Format,
    pub file: Processed,
}

/// A processed file in the cache, with the hash and size `write` would compute from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Processed {
    pub path: PathBuf,
    /// blake3 of the bytes, in hex.
    pub hash: String,
    pub size: u64,
}

/// Everything published for one source image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageSet {
    /// The file at the source's own name: upright, stripped, at most the largest width.
    pub main: Variant,
    /// Smallest first, in the fallback format; the last is `main` when the formats agree.
    pub fallback: Vec<Variant>,
    /// Smallest first, lossy WebP (empty for a theme file, which is only stripped).
    pub webp: Vec<Variant>,
}

impl ImageSet {
    /// Every file to publish, each once.
    pub fn files(&self) -> impl Iterator<Item = &Variant> {
        std::iter::once(&self.main)
            .chain(self.fallback.iter().filter(|v| v.path != self.main.path))
            .chain(self.webp.iter().filter(|v| v.path != self.main.path))
    }
}

/// The processed images of a build, by the output path of the source file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Images {
    pub sets: BTreeMap<String, ImageSet>,
    /// Whether the images were processed (`check` does not process them: markup then names
    /// the files as they are).
    pub processed: bool,
}

impl Images {
    /// The set published for the image at `path` (under the output folder).
    pub fn get(&self, path: &str) -> Option<&ImageSet> {
        self.sets.get(path)
    }

    /// A digest of every set's files, for caches of pages whose markup names them.
    pub fn digest(&self) -> String {
        let mut hasher = blake3::Hasher::new();
        for (path, set) in &self.sets {
            for file in std::iter::once(path).chain(set.files().map(|v| &v.file.hash)) {
                crate::cache_key::hash_field(&mut hasher, file);
            }
        }
        hasher.finalize().to_hex().to_string()
    }
}

/// What to do with one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    /// A content image: upright, stripped, and published at every width.
    Responsive,
    /// A theme file: upright and stripped, at its own size.
    Strip,
}

/// One source image to publish.
#[derive(Debug, Clone)]
pub struct Source<'a> {
    pub file: &'a AssetFile,
    /// Shown in messages: `content/faq/photo.jpg`, `themes/clinic/static/logo.png`.
    pub display: PathBuf,
    /// Path under the output folder.
    pub output: String,
    pub job: Job,
}

/// Whether the build re-encodes a file of this name (the raster formats it reads), or
/// refuses it (see `decode::refused_by_name`).
pub fn is_raster(name: &str) -> bool {
    Format::from_name(name).is_some() || decode::refused_by_name(name).is_some()
}

/// Why `file` cannot be published, found from its header alone (no pixels decoded): `check`,
/// which makes no published copies, stops on the same files as `build`.
pub fn inspect(file: &AssetFile, display: &Path) -> Option<Diagnostic> {
    let bytes = file.data.read().ok()?;
    decode::inspect(&bytes, &file.rel, display).err()
}

/// Processes every source, reusing the cache in `cache_dir`: the sets by output path, and a
/// finding for each file that cannot be published.
pub fn process(sources: &[Source], cache_dir: &Path) -> (Images, Vec<Diagnostic>) {
    let cache = cache::Cache::open(cache_dir);
    let budget = decode::Budget::new(decode::MEMORY_BUDGET);
    let results: Vec<Result<(String, ImageSet), Diagnostic>> = sources
        .par_iter()
        .map(|source| {
            let entry = cache.entry(source, &|bytes| {
                let actual = decode::sniff(bytes, &source.file.rel, &source.display)?;
                let decoded = decode::decode(bytes, actual, &source.display, &budget)?;
                // Written in the format its name promises, whatever it held.
                let format = Format::from_name(&source.output).unwrap_or(Format::Png);
                let stripped = (actual == image::ImageFormat::Png)
                    .then(|| decode::strip_png(bytes))
                    .flatten();
                encode::encode(decoded, format, source.job, stripped).map_err(|error| {
                    Diagnostic::new(
                        Code::ImageUnreadable,
                        &source.display,
                        format!("cannot encode `{}`: {error}", source.display.display()),
                    )
                })
            })?;
            Ok((source.output.clone(), entry.set(&source.output)))
        })
        .collect();
    let mut images = Images {
        sets: BTreeMap::new(),
        processed: true,
    };
    let mut findings = Vec::new();
    for result in results {
        match result {
            Ok((path, set)) => {
                images.sets.insert(path, set);
            }
            Err(finding) => findings.push(finding),
        }
    }
    if findings.is_empty() {
        cache.save();
    }
    (images, findings)
}

/// `faq/photo.jpg` at `width` in `format`: `faq/photo-800.webp`.
fn sized_name(output: &str, width: u32, format: Format) -> String {
    let stem = output.rsplit_once('.').map_or(output, |(stem, _)| stem);
    format!("{stem}-{width}.{}", format.extension())
}
