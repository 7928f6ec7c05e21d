//! Photos: published upright, stripped of metadata and at every width, with `<picture>`
//! markup; the cache; and the images the build refuses. The photos are made here, with GPS
//! and a camera serial number written into their EXIF blocks by hand (the `image` crate
//! writes no EXIF).

use std::path::Path;

use image::{ImageEncoder, Rgb, RgbImage, Rgba, RgbaImage};

use crate::support::{Site, assert_contains, files_under};

/// The camera serial number written into every test photo; it must never reach `public/`.
const SERIAL: &str = "SN-TEST-0042";

/// A JPEG photo of `width` × `height` pixels with an EXIF block (GPS position, camera serial
/// number, the given orientation).
pub fn photo(width: u32, height: u32, orientation: u16) -> Vec<u8> {
    let image = RgbImage::from_fn(width, height, |x, y| {
        Rgb([
            (x * 255 / width.max(1)) as u8,
            (y * 255 / height.max(1)) as u8,
            ((x ^ y) & 0xff) as u8,
        ])
    });
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
        .write_image(&image, width, height, image::ExtendedColorType::Rgb8)
        .expect("encode a JPEG");
    with_exif(jpeg, orientation)
}

/// `jpeg` with an APP1 EXIF segment right after its start marker.
pub fn with_exif(jpeg: Vec<u8>, orientation: u16) -> Vec<u8> {
    let tiff = exif_tiff(orientation);
    let mut segment = vec![0xFF, 0xE1];
    segment.extend_from_slice(&((tiff.len() + 8) as u16).to_be_bytes());
    segment.extend_from_slice(b"Exif\0\0");
    segment.extend_from_slice(&tiff);
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&segment);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// A little-endian TIFF block: IFD0 (orientation, pointers to the EXIF and GPS IFDs), the EXIF
/// IFD (a body serial number) and the GPS IFD (latitude and longitude of Miami).
fn exif_tiff(orientation: u16) -> Vec<u8> {
    // Offsets from the start of the TIFF header.
    const IFD0: u32 = 8;
    const EXIF_IFD: u32 = IFD0 + 2 + 3 * 12 + 4; // 50
    const GPS_IFD: u32 = EXIF_IFD + 2 + 12 + 4; // 68
    const DATA: u32 = GPS_IFD + 2 + 4 * 12 + 4; // 122
    let serial = format!("{SERIAL}\0");
    let lat_at = DATA + serial.len() as u32;
    let lng_at = lat_at + 24;
    let mut t = b"II*\0".to_vec();
    t.extend_from_slice(&IFD0.to_le_bytes());
    let entry = |t: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: [u8; 4]| {
        t.extend_from_slice(&tag.to_le_bytes());
        t.extend_from_slice(&kind.to_le_bytes());
        t.extend_from_slice(&count.to_le_bytes());
        t.extend_from_slice(&value);
    };
    let short = |v: u16| {
        let b = v.to_le_bytes();
        [b[0], b[1], 0, 0]
    };
    t.extend_from_slice(&3u16.to_le_bytes());
    entry(&mut t, 0x0112, 3, 1, short(orientation));
    entry(&mut t, 0x8769, 4, 1, EXIF_IFD.to_le_bytes());
    entry(&mut t, 0x8825, 4, 1, GPS_IFD.to_le_bytes());
    t.extend_from_slice(&0u32.to_le_bytes());
    assert_eq!(t.len() as u32, EXIF_IFD);
    t.extend_from_slice(&1u16.to_le_bytes());
    entry(&mut t, 0xA431, 2, serial.len() as u32, DATA.to_le_bytes());
    t.extend_from_slice(&0u32.to_le_bytes());
    assert_eq!(t.len() as u32, GPS_IFD);
    t.extend_from_slice(&4u16.to_le_bytes());
    entry(&mut t, 0x0001, 2, 2, *b"N\0\0\0");
    entry(&mut t, 0x0002, 5, 3, lat_at.to_le_bytes());
    entry(&mut t, 0x0003, 2, 2, *b"W\0\0\0");
    entry(&mut t, 0x0004, 5, 3, lng_at.to_le_bytes());
    t.extend_from_slice(&0u32.to_le_bytes());
    assert_eq!(t.len() as u32, DATA);
    t.extend_from_slice(serial.as_bytes());
    for (degrees, minutes) in [(25u32, 45u32), (80, 12)] {
        for (n, d) in [(degrees, 1u32), (minutes, 1), (0, 1)] {
            t.extend_from_slice(&n.to_le_bytes());
            t.extend_from_slice(&d.to_le_bytes());
        }
    }
    t
}

/// A PNG (RGBA when `alpha`) with an `eXIf` chunk (the same EXIF block) and a `tEXt` comment.
pub fn png_with_metadata(width: u32, height: u32, alpha: bool) -> Vec<u8> {
    let image = RgbaImage::from_fn(width, height, |x, y| {
        Rgba([
            (x * 7) as u8,
            (y * 5) as u8,
            90,
            if alpha { (x * 3) as u8 } else { 255 },
        ])
    });
    let mut png = Vec::new();
    let (bytes, color) = if alpha {
        (image.into_raw(), image::ExtendedColorType::Rgba8)
    } else {
        let rgb = image::DynamicImage::ImageRgba8(image).to_rgb8();
        (rgb.into_raw(), image::ExtendedColorType::Rgb8)
    };
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(&bytes, width, height, color)
        .expect("encode a PNG");
    let end = png.len() - 12;
    let mut out = png[..end].to_vec();
    out.extend(png_chunk(b"eXIf", &exif_tiff(1)));
    out.extend(png_chunk(
        b"tEXt",
        format!("Comment\0camera {SERIAL}").as_bytes(),
    ));
    out.extend_from_slice(&png[end..]);
    out
}

pub fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut chunk = (data.len() as u32).to_be_bytes().to_vec();
    chunk.extend_from_slice(kind);
    chunk.extend_from_slice(data);
    let crc = crc32(&chunk[4..]);
    chunk.extend_from_slice(&crc.to_be_bytes());
    chunk
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// The metadata a published image still holds, as `path: what` lines.
pub fn metadata_in(path: &str, bytes: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".jpg") || lower.ends_with(".jpeg") {
        let mut at = 2;
        while at + 4 <= bytes.len() && bytes[at] == 0xFF {
            let marker = bytes[at + 1];
            if marker == 0xDA {
                break;
            }
            let len = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
            let what = match marker {
                0xE1 => Some("APP1 (EXIF or XMP)"),
                0xED => Some("APP13 (IPTC)"),
                0xFE => Some("COM (comment)"),
                0xE2 => Some("APP2 (ICC profile)"),
                _ => None,
            };
            if let Some(what) = what {
                found.push(format!("{path}: {what}"));
            }
            at += 2 + len;
        }
    } else if lower.ends_with(".png") {
        let mut at = 8;
        while at + 8 <= bytes.len() {
            let len = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap_or_default()) as usize;
            let kind = String::from_utf8_lossy(&bytes[at + 4..at + 8]).into_owned();
            if ["eXIf", "tEXt", "iTXt", "zTXt", "iCCP", "tIME"].contains(&kind.as_str()) {
                found.push(format!("{path}: {kind}"));
            }
            at += 12 + len;
        }
    } else if lower.ends_with(".webp") {
        let mut at = 12;
        while at + 8 <= bytes.len() {
            let kind = String::from_utf8_lossy(&bytes[at..at + 4]).into_owned();
            let len =
                u32::from_le_bytes(bytes[at + 4..at + 8].try_into().unwrap_or_default()) as usize;
            if ["EXIF", "XMP ", "ICCP"].contains(&kind.as_str()) {
                found.push(format!("{path}: {kind}"));
            }
            at += 8 + len + (len & 1);
        }
    } else if lower.ends_with(".gif") {
        // Application extensions that carry XMP or an ICC profile (a comment extension,
        // 0x21 0xFE, cannot be told from pixel data without a full parse: the serial number
        // check below stands in for it).
        for (id, what) in [
            (&b"XMP DataXMP"[..], "XMP"),
            (b"ICCRGBG1012", "ICC profile"),
        ] {
            if bytes.windows(id.len()).any(|w| w == id) {
                found.push(format!("{path}: {what}"));
            }
        }
    }
    if bytes.windows(SERIAL.len()).any(|w| w == SERIAL.as_bytes()) {
        found.push(format!("{path}: the camera serial number"));
    }
    found
}

/// Every metadata finding in the raster images under `dir`.
pub fn metadata_under(dir: &Path) -> Vec<String> {
    images_under(dir)
        .into_iter()
        .flat_map(|(rel, path)| metadata_in(&rel, &std::fs::read(path).expect("read an image")))
        .collect()
}

/// The raster images under `dir`, by path below it.
fn images_under(dir: &Path) -> Vec<(String, std::path::PathBuf)> {
    files_under(dir)
        .into_iter()
        .filter(|(rel, _)| {
            let rel = rel.to_ascii_lowercase();
            [".jpg", ".jpeg", ".png", ".webp", ".gif"]
                .iter()
                .any(|e| rel.ends_with(e))
        })
        .collect()
}

/// The `photos` fixture with its photos made: `desk.jpg` (1300 × 975, stored turned on its
/// side, EXIF orientation 6), `room.png` (900 × 600, transparent) and `line.png` (300 × 4).
fn photos_site() -> Site {
    let site = Site::fixture("photos");
    std::fs::write(site.path("content/office/desk.jpg"), photo(1300, 975, 6)).expect("write");
    std::fs::write(
        site.path("content/office/room.png"),
        png_with_metadata(900, 600, true),
    )
    .expect("write");
    std::fs::write(
        site.path("content/office/line.png"),
        png_with_metadata(300, 4, false),
    )
    .expect("write");
    site
}

fn pictures(html: &str) -> String {
    html.match_indices("<picture>")
        .map(|(at, _)| {
            let end = html[at..]
                .find("</picture>")
                .map_or(html.len(), |e| at + e + 10);
            format!("{}\n", &html[at..end])
        })
        .collect()
}

#[test]
fn photos_are_published_upright_at_every_width_without_metadata() {
    let site = photos_site();
    site.build(&[]);
    // Stored on its side with orientation 6: published upright, 975 wide.
    for (file, size) in [
        ("office/desk.jpg", (975, 1300)),
        ("office/desk-480.jpg", (480, 640)),
        ("office/desk-800.jpg", (800, 1067)),
        ("office/desk-480.webp", (480, 640)),
        ("office/desk-800.webp", (800, 1067)),
        ("office/desk-975.webp", (975, 1300)),
        ("office/room.png", (900, 600)),
        ("office/room-480.png", (480, 320)),
        ("office/room-900.webp", (900, 600)),
        ("office/line.png", (300, 4)),
        ("office/line-300.webp", (300, 4)),
    ] {
        let path = site.path(&format!("public/{file}"));
        assert_eq!(
            image::image_dimensions(&path).unwrap_or_else(|e| panic!("{file}: {e}")),
            size,
            "{file}"
        );
    }
    // The top of the upright photo is what the stored photo had at its left edge: dark red.
    let desk = image::open(site.path("public/office/desk.jpg"))
        .expect("open")
        .to_rgb8();
    let top_left = desk.get_pixel(2, 2);
    assert!(
        top_left[1] > 200 && top_left[0] < 60,
        "turned the wrong way: {top_left:?}"
    );
    assert!(
        !site.exists("public/office/desk-1200.jpg"),
        "never wider than the original"
    );
    assert_eq!(metadata_under(&site.path("public")), Vec::<String>::new());
    // The originals did carry it: the scan can fail.
    assert!(!metadata_under(&site.path("content")).is_empty());
}

#[test]
fn markdown_photos_become_picture_markup() {
    let site = photos_site();
    site.build(&[]);
    let html = site.read("public/office/index.html");
    let pictures = pictures(&html);
    assert_contains(
        &pictures,
        r#"<source type="image/webp" srcset="../office/desk-480.webp 480w, ../office/desk-800.webp 800w, ../office/desk-975.webp 975w""#,
    );
    assert_contains(
        &pictures,
        r#"width="975" height="1300" alt="The front desk of the office" title="Front desk" fetchpriority="high">"#,
    );
    assert_contains(
        &pictures,
        r#"alt="A waiting room with two chairs" loading="lazy" decoding="async">"#,
    );
    // The decorative marker: an empty alt, which screen readers skip.
    assert_contains(&pictures, r#"alt="" loading="lazy""#);
    assert_eq!(pictures.matches("fetchpriority").count(), 1);
    insta::assert_snapshot!(pictures);
}

#[test]
fn an_image_without_alt_text_stops_the_build() {
    let site = photos_site();
    site.write(
        "content/office/index.md",
        "---\ntitle: Our office\n---\nText.\n\nSee ![](desk.jpg) here.\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.status, 1);
    assert_contains(
        &run.stderr,
        "error[content/image-alt]: the image `desk.jpg` has no alt text",
    );
    assert_contains(&run.stderr, "content/office/index.md:6:5");
    assert_contains(&run.stderr, "write `![decorative](photo.jpg)`");
    assert!(!site.exists("public"), "a failed build writes nothing");
}

#[test]
fn a_rebuild_reuses_the_cache_and_a_deleted_cache_makes_the_same_bytes() {
    let site = photos_site();
    site.build(&[]);
    let cache = site.path(".clinicsite-cache/images");
    assert!(cache.join("index.json").is_file());
    let first: Vec<(String, Vec<u8>)> = files_under(&site.path("public"))
        .into_iter()
        .filter(|(rel, _)| !rel.starts_with(".clinicsite"))
        .map(|(rel, path)| (rel, std::fs::read(path).expect("read")))
        .collect();
    // Nothing changed: every file is left as it was.
    let again = site.build(&[]);
    assert_contains(&again.stdout, " 0 written");
    std::fs::remove_dir_all(site.path(".clinicsite-cache")).expect("delete the cache");
    std::fs::remove_dir_all(site.path("public")).expect("delete the output");
    site.build(&[]);
    let second: Vec<(String, Vec<u8>)> = files_under(&site.path("public"))
        .into_iter()
        .filter(|(rel, _)| !rel.starts_with(".clinicsite"))
        .map(|(rel, path)| (rel, std::fs::read(path).expect("read")))
        .collect();
    assert_eq!(first.len(), second.len());
    for ((a, a_bytes), (b, b_bytes)) in first.iter().zip(&second) {
        assert_eq!(a, b);
        assert!(
            a_bytes == b_bytes,
            "{a} differs after the cache was deleted"
        );
    }
    // A changed photo is processed again.
    std::fs::write(site.path("content/office/desk.jpg"), photo(700, 500, 1)).expect("write");
    site.build(&[]);
    assert_eq!(
        image::image_dimensions(site.path("public/office/desk.jpg")).expect("open"),
        (700, 500)
    );
    assert!(
        !site.exists("public/office/desk-800.jpg"),
        "stale widths are removed"
    );
    assert_contains(
        &site.read("public/office/index.html"),
        r#"width="700" height="500""#,
    );
}

/// One photo saved in several places is processed once (one cache entry, however many
/// threads meet it at once) and published at each place.
#[test]
fn the_same_photo_in_several_places_is_made_once() {
    let site = photos_site();
    let desk = std::fs::read(site.path("content/office/desk.jpg")).expect("read");
    for n in 1..=6 {
        std::fs::write(site.path(&format!("content/office/desk-{n}.jpg")), &desk).expect("write");
    }
    site.build(&[]);
    let published = std::fs::read(site.path("public/office/desk.jpg")).expect("read");
    for n in 1..=6 {
        assert!(
            published
                == std::fs::read(site.path(&format!("public/office/desk-{n}.jpg"))).expect("read")
        );
    }
    let entries = std::fs::read_dir(site.path(".clinicsite-cache/images"))
        .expect("the cache")
        .filter(|e| e.as_ref().is_ok_and(|e| e.path().is_dir()))
        .count();
    assert_eq!(entries, 3, "desk.jpg (and its copies), room.png, line.png");
}

#[test]
fn check_says_which_originals_carry_a_gps_position() {
    let site = photos_site();
    let run = site.run(&["check"]);
    assert_contains(
        &run.stdout,
        "`content/office/desk.jpg` holds the GPS position where the photo was taken",
    );
    assert_contains(&run.stdout, "removed from the published copy");
}

#[test]
fn themes_show_photos_with_the_image_function() {
    let site = photos_site();
    site.write(
        "themes/mini/templates/page.html",
        r#"{% extends "base.html" %}{% block main %}{{ image(path="office/desk.jpg", alt="Desk", first=true) | safe }}{% endblock main %}"#,
    );
    site.build(&[]);
    let html = site.read("public/office/index.html");
    assert_contains(
        &html,
        r#"<img src="../office/desk.jpg" srcset="../office/desk-480.jpg 480w, ../office/desk-800.jpg 800w, ../office/desk.jpg 975w" sizes="100vw" width="975" height="1300" alt="Desk" fetchpriority="high">"#,
    );
    site.write(
        "themes/mini/templates/page.html",
        r#"{% extends "base.html" %}{% block main %}{{ image(path="office/missing.jpg", alt="Desk") | safe }}{% endblock main %}"#,
    );
    let run = site.run(&["build"]);
    assert_eq!(run.status, 1);
    assert_contains(
        &run.stderr,
        "image(): the site publishes no image `office/missing.jpg`",
    );
}

#[test]
fn a_page_s_image_is_shown_first_and_shared() {
    let site = photos_site();
    site.write(
        "content/office/index.md",
        "---\ntitle: Our office\nimage: { src: desk.jpg, alt: \"The front desk\" }\n---\n![A waiting room with two chairs](room.png)\n",
    );
    site.write(
        "themes/mini/templates/page.html",
        r#"{% extends "base.html" %}{% block main %}[{{ page.image.html | safe }}] [{{ page.image.permalink }}] [{{ page.image.width }}x{{ page.image.height }}] {{ page.content | safe }}{% endblock main %}"#,
    );
    site.build(&["--base-url", "https://clinic.example/"]);
    let html = site.read("public/office/index.html");
    assert_contains(
        &html,
        r#"width="975" height="1300" alt="The front desk" fetchpriority="high">"#,
    );
    assert_contains(&html, "[https://clinic.example/office/desk.jpg] [975x1300]");
    // The text's own first photo waits its turn.
    assert_contains(
        &html,
        r#"alt="A waiting room with two chairs" loading="lazy" decoding="async">"#,
    );
    assert_eq!(html.matches("fetchpriority").count(), 1);

    site.write(
        "content/office/index.md",
        "---\ntitle: Our office\nimage: { src: desk.jpg, alt: \"\" }\n---\nText.\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.status, 1);
    assert_contains(
        &run.stderr,
        "error[content/image-alt]: the page's `image:` has no alt text",
    );
    assert_contains(&run.stderr, "content/office/index.md:3:1");
    site.write(
        "content/office/index.md",
        "---\ntitle: Our office\nimage: { src: Desk.jpg, alt: \"The desk\" }\n---\nText.\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.status, 1);
    assert_contains(
        &run.stderr,
        "error[content/image-missing]: `image:` names `Desk.jpg`, which is not in the site",
    );
    assert_contains(&run.stderr, "content/office/index.md:3:1");
    assert_contains(&run.stderr, "the file is named `desk.jpg`");
}

#[test]
fn theme_images_are_only_stripped_and_turned_upright() {
    let site = photos_site();
    std::fs::create_dir_all(site.path("themes/mini/static")).expect("create");
    std::fs::write(
        site.path("themes/mini/static/logo.png"),
        png_with_metadata(64, 32, true),
    )
    .expect("write");
    // Orientation 8: stored turned the other way.
    std::fs::write(
        site.path("themes/mini/static/banner.jpg"),
        photo(300, 200, 8),
    )
    .expect("write");
    site.build(&[]);
    assert_eq!(
        image::image_dimensions(site.path("public/logo.png")).expect("open"),
        (64, 32)
    );
    assert_eq!(
        image::image_dimensions(site.path("public/banner.jpg")).expect("open"),
        (200, 300)
    );
    assert!(
        !site.exists("public/logo-64.webp"),
        "a theme's files are only stripped"
    );
    assert_eq!(metadata_under(&site.path("public")), Vec::<String>::new());
}

/// The privacy floor across the whole product: every fixture (and the photos fixture with
/// its photos made, and the clinic's real site) is built, and every JPEG, PNG, GIF and WebP
/// in its `public/` is scanned for EXIF, XMP, IPTC, comments, ICC profiles and the camera
/// serial number of the test photos.
#[test]
fn no_image_in_any_fixture_s_output_holds_metadata() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut names: Vec<String> = std::fs::read_dir(&fixtures)
        .expect("list the fixtures")
        .filter_map(Result::ok)
        .filter(|entry| entry.path().join("site.yaml").is_file())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut sites: Vec<(String, Site)> = names
        .into_iter()
        .map(|name| {
            let site = Site::fixture(&name);
            (name, site)
        })
        .collect();
    sites.push(("photos, with its photos".to_string(), photos_site()));
    sites.push((
        "the clinic's site".to_string(),
        crate::real_site::real_site(),
    ));
    let mut found = Vec::new();
    let mut scanned = Vec::new();
    for (name, site) in &sites {
        // A fixture made to fail writes nothing; one that builds is scanned.
        site.run(&["build"]);
        let public = site.path("public");
        if !public.is_dir() {
            continue;
        }
        let images = images_under(&public);
        if !images.is_empty() {
            scanned.push(format!("{name}: {}", images.len()));
        }
        found.extend(
            metadata_under(&public)
                .into_iter()
                .map(|f| format!("{name}: {f}")),
        );
    }
    assert_eq!(found, Vec::<String>::new());
    // The scan saw the images it must see: the committed ones (a bundle's photo, the theme's
    // icons) and the made ones (a photo with GPS and a serial number, a transparent PNG).
    for name in ["bundle", "photos, with its photos", "the clinic's site"] {
        assert!(
            scanned.iter().any(|s| s.starts_with(&format!("{name}: "))),
            "no image of {name} was scanned; scanned: {scanned:?}"
        );
    }
}
