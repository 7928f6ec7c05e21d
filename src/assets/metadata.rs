//! What an original photo tells about where and how it was taken, read from its EXIF block
//! before the build removes it: for `check`, which warns about it.

use std::io::Cursor;

/// What a photo's EXIF block holds that staff should know about.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found {
    /// A GPS position (where the photo was taken).
    pub gps: bool,
    /// The camera's serial number.
    pub serial: bool,
}

/// Reads the EXIF block of a JPEG, PNG or WebP file; nothing when it has none or the file
/// cannot be read.
pub fn read(bytes: &[u8]) -> Found {
    let Ok(exif) = exif::Reader::new().read_from_container(&mut Cursor::new(bytes)) else {
        return Found::default();
    };
    let mut found = Found::default();
    for field in exif.fields() {
        match field.tag {
            exif::Tag::GPSLatitude | exif::Tag::GPSLongitude => found.gps = true,
            exif::Tag::BodySerialNumber | exif::Tag::LensSerialNumber => found.serial = true,
            _ => {}
        }
    }
    found
}
