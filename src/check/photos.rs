//! The site's original photos in, findings about what their EXIF blocks give away out. The
//! build removes all of it from the published copies; the originals in `content/` keep it.

use rayon::prelude::*;

use crate::assets;
use crate::check::rules;
use crate::diagnostics::{Diagnostic, display_path};
use crate::source::Content;

/// A finding for each original under `content/` that holds a GPS position.
pub fn gps(content: &Content) -> Vec<Diagnostic> {
    content
        .assets
        .par_iter()
        .filter(|file| assets::Format::from_name(&file.rel).is_some())
        .filter_map(|file| {
            let bytes = file.data.read().ok()?;
            if !assets::metadata::read(&bytes).gps {
                return None;
            }
            let path = std::path::Path::new("content").join(&file.rel);
            Some(
                rules::finding(
                    "content/photo-gps",
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
