//! The site's original photos in, findings about what their EXIF blocks give away out (the
//! build removes all of it from the published copies; the originals in `content/` keep it),
//! and the errors `build` would stop on for files that cannot be published.

use rayon::prelude::*;

use crate::assets;
use crate::diagnostics::{Code, Diagnostic, display_path};
use crate::source::Content;

/// How far into a JPEG its EXIF block is read for: it is one segment of at most 64 KiB, near
/// the start, after at most a few other small segments.
const JPEG_EXIF_WITHIN: usize = 256 * 1024;

/// A finding for each original under `content/` that holds a GPS position.
pub fn gps(content: &Content) -> Vec<Diagnostic> {
    content
        .assets
        .par_iter()
        .filter_map(|file| Some((file, assets::Format::from_name(&file.rel)?)))
        .filter_map(|(file, format)| {
            // A JPEG's EXIF block (at most 64 KiB) comes before its picture: a phone photo's
            // megabytes need not be read on every build. Other formats may keep it last.
            let bytes = match format {
                assets::Format::Jpeg => file.data.read_start(JPEG_EXIF_WITHIN),
                _ => file.data.read(),
            }
            .ok()?;
            if !assets::metadata::read(&bytes).gps {
                return None;
            }
            let path = std::path::Path::new("content").join(&file.rel);
            Some(
                Diagnostic::new(
                    Code::ContentPhotoGps,
                    &path,
                    format!(
                        "`{}` holds the GPS position where the photo was taken; it is removed from the published copy",
                        display_path(&path)
                    ),
                )
                .help("nothing to do for the site; if this folder is shared (a public repository, say), remove the location with your photo app, or turn off location for the camera"),
            )
        })
        .collect()
}

/// An error for each image under `content/` that `build` would refuse (a HEIC photo, a file
/// cut short, too large, animated), found from its header.
pub fn unpublishable(content: &Content) -> Vec<Diagnostic> {
    content
        .assets
        .par_iter()
        .filter(|file| assets::is_raster(&file.rel))
        .filter_map(|file| assets::inspect(file, &std::path::Path::new("content").join(&file.rel)))
        .collect()
}
