//! Images as staff really save them: the files the build refuses (each with its whole message
//! pinned), and the unusual ones it publishes (CMYK, 16-bit, grey, transparent, a colour
//! profile other than sRGB). Every file is made here.

use image::{ImageEncoder, Rgb, Rgba, RgbaImage};

use crate::images::{metadata_under, photo, png_chunk, png_with_metadata};
use crate::support::{Run, Site, assert_contains};

/// The memory a build may use (MiB) on a refused image, the 50,000 × 50,000 "bomb" included.
const MEMORY_LIMIT_MIB: u64 = 400;

/// Writes `name` (with `bytes`) beside a page that shows it as `link`, and builds within 20
/// seconds and `MEMORY_LIMIT_MIB`.
fn build_with_image(name: &str, link: &str, bytes: &[u8]) -> (Site, Run) {
    let site = Site::fixture("photos");
    std::fs::write(site.path(&format!("content/office/{name}")), bytes).expect("write");
    site.write(
        "content/office/index.md",
        &format!("---\ntitle: Our office\n---\n![A test photo]({link})\n"),
    );
    let run = site.run_bounded(
        &["build"],
        std::time::Duration::from_secs(20),
        MEMORY_LIMIT_MIB,
    );
    (site, run)
}

/// A PNG header claiming `width` × `height` pixels, with almost no pixel data behind it.
fn png_bomb(width: u32, height: u32) -> Vec<u8> {
    let mut header = width.to_be_bytes().to_vec();
    header.extend_from_slice(&height.to_be_bytes());
    header.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(png_chunk(b"IHDR", &header));
    png.extend(png_chunk(b"IDAT", &[0x78, 0x9c, 0x63, 0, 0, 0, 1, 0, 1]));
    png.extend(png_chunk(b"IEND", &[]));
    png
}

fn gif(frames: u32) -> Vec<u8> {
    let mut bytes = Vec::new();
    {
        let mut encoder = image::codecs::gif::GifEncoder::new(&mut bytes);
        for n in 0..frames {
            let frame = RgbaImage::from_pixel(40, 30, Rgba([(n * 90) as u8, 20, 30, 255]));
            encoder
                .encode_frame(image::Frame::new(frame))
                .expect("encode a GIF frame");
        }
    }
    bytes
}

/// A photo whose compressed data is replaced by noise after its headers: a file damaged on
/// the way (a bad card, a broken download).
fn corrupt_photo() -> Vec<u8> {
    let mut bytes = photo(400, 300, 1);
    let scan = bytes
        .windows(2)
        .position(|w| w == [0xFF, 0xDA])
        .expect("a start of scan");
    let mut state = 0x2545_F491u32;
    for byte in &mut bytes[scan + 20..] {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        *byte = (state >> 24) as u8;
    }
    bytes
}

#[test]
fn images_that_cannot_be_published_are_errors_that_say_what_to_do() {
    let mut heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic".to_vec();
    heic.extend_from_slice(&[0; 64]);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "photo.heic",
            heic.clone(),
            "error[image/unreadable]: `content/office/photo.heic` is a HEIC photo (the iPhone's own format), which most web browsers cannot show",
        ),
        (
            "renamed.jpg",
            heic,
            "`content/office/renamed.jpg` is a HEIC photo",
        ),
        (
            "empty.jpg",
            Vec::new(),
            "`content/office/empty.jpg` is empty (0 bytes)",
        ),
        (
            "cut.jpg",
            photo(400, 300, 1)[..600].to_vec(),
            "`content/office/cut.jpg` is cut short: the file ends before the picture does",
        ),
        // Cut inside the picture data: a decoder would fill the rest in grey.
        (
            "half.jpg",
            {
                let whole = photo(400, 300, 1);
                whole[..whole.len() * 3 / 4].to_vec()
            },
            "`content/office/half.jpg` is cut short: the file ends before the picture does",
        ),
        (
            "cut.png",
            {
                let whole = png_with_metadata(300, 200, false);
                whole[..whole.len() / 2].to_vec()
            },
            "`content/office/cut.png` is cut short: the file ends before the picture does",
        ),
        (
            "corrupt.jpg",
            corrupt_photo(),
            "error[image/unreadable]: `content/office/corrupt.jpg` is damaged: it cannot be read as a JPEG image",
        ),
        (
            "text.png",
            b"not a picture at all".to_vec(),
            "`content/office/text.png` is not a JPEG, PNG, GIF or WebP image",
        ),
        (
            "bomb.png",
            png_bomb(50_000, 50_000),
            "error[image/too-large]: `content/office/bomb.png` is 50000 × 50000 pixels, more than the 64-megapixel limit",
        ),
        (
            "moving.gif",
            gif(2),
            "error[image/animated]: `content/office/moving.gif` is an animated GIF; the build publishes still images only",
        ),
    ];
    for (name, bytes, expected) in cases {
        let (site, run) = build_with_image(name, name, &bytes);
        assert_eq!(run.status, 1, "{name}: {}", run.stderr);
        assert_contains(&run.stderr, expected);
        assert_contains(&run.stderr, &format!("--> content/office/{name}"));
        assert_contains(&run.stderr, "help: ");
        assert!(!run.stderr.contains("panicked"), "{name}: {}", run.stderr);
        assert!(
            !site.exists("public"),
            "{name}: a failed build writes nothing"
        );
        insta::assert_snapshot!(format!("bad_image_{}", name.replace('.', "_")), run.stderr);
        // `check` makes no copies but stops on the same file, from its header (damage inside
        // the picture data shows only when it is decoded, in `build`).
        if name == "corrupt.jpg" {
            continue;
        }
        let check = site.run_bounded(
            &["check"],
            std::time::Duration::from_secs(20),
            MEMORY_LIMIT_MIB,
        );
        assert_eq!(check.status, 1, "check, {name}: {}", check.stdout);
        assert_contains(&format!("{}{}", check.stdout, check.stderr), expected);
    }
}

#[test]
fn a_heic_photo_says_how_to_export_a_jpeg() {
    let mut heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic".to_vec();
    heic.extend_from_slice(&[0; 64]);
    let (_, run) = build_with_image("IMG_0042.HEIC", "IMG_0042.HEIC", &heic);
    assert_eq!(run.status, 1);
    assert_contains(
        &run.stderr,
        "help: export it as JPEG and link the .jpg file: on the iPhone, set Settings > Camera > Formats > Most Compatible",
    );
}

#[test]
fn a_link_in_the_wrong_case_gets_a_hint() {
    let (_, run) = build_with_image("Photo.JPG", "photo.jpg", &photo(200, 100, 1));
    assert_eq!(run.status, 1);
    assert_contains(
        &run.stderr,
        "the link goes to `photo.jpg`, which does not exist",
    );
    assert_contains(
        &run.stderr,
        "the file is named `Photo.JPG`: write the name with the same capital and small letters",
    );
    insta::assert_snapshot!(run.stderr);
}

/// A 16-bit RGB PNG of one colour.
fn png16(width: u32, height: u32, colour: [u16; 3]) -> Vec<u8> {
    let samples: Vec<u8> = (0..width * height)
        .flat_map(|_| colour)
        // The encoder takes 16-bit samples as native-endian bytes.
        .flat_map(u16::to_ne_bytes)
        .collect();
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(&samples, width, height, image::ExtendedColorType::Rgb16)
        .expect("encode");
    png
}

/// A CMYK JPEG (as print shops and some stock-photo sites send) of one colour.
fn cmyk_jpeg(width: u16, height: u16, cmyk: [u8; 4]) -> Vec<u8> {
    let samples: Vec<u8> = (0..u32::from(width) * u32::from(height))
        .flat_map(|_| cmyk)
        .collect();
    let mut jpeg = Vec::new();
    jpeg_encoder::Encoder::new(&mut jpeg, 95)
        .encode(&samples, width, height, jpeg_encoder::ColorType::Cmyk)
        .expect("encode a CMYK JPEG");
    jpeg
}

fn grey_jpeg(width: u32, height: u32) -> Vec<u8> {
    let grey =
        image::GrayImage::from_fn(width, height, |x, y| image::Luma([((x + y) % 256) as u8]));
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new(&mut jpeg)
        .write_image(grey.as_raw(), width, height, image::ExtendedColorType::L8)
        .expect("encode");
    jpeg
}

fn grey_png(width: u32, height: u32) -> Vec<u8> {
    let grey = image::GrayImage::from_fn(width, height, |x, _| image::Luma([(x % 256) as u8]));
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(grey.as_raw(), width, height, image::ExtendedColorType::L8)
        .expect("encode");
    png
}

/// The colour in the middle of a published image.
fn middle(site: &Site, file: &str) -> [u8; 3] {
    let image = image::open(site.path(&format!("public/office/{file}")))
        .unwrap_or_else(|e| panic!("{file}: {e}"))
        .to_rgb8();
    image.get_pixel(image.width() / 2, image.height() / 2).0
}

fn near(actual: [u8; 3], expected: [u8; 3], by: u8) -> bool {
    actual
        .iter()
        .zip(expected)
        .all(|(a, e)| a.abs_diff(e) <= by)
}

#[test]
fn unusual_but_valid_images_are_published() {
    for (name, bytes, webp) in [
        (
            "deep.png",
            png16(600, 400, [65535, 32768, 0]),
            "deep-480.webp",
        ),
        (
            "cmyk.jpg",
            cmyk_jpeg(600, 400, [0, 255, 255, 0]),
            "cmyk-480.webp",
        ),
        ("grey.jpg", grey_jpeg(640, 480), "grey-480.webp"),
        ("grey.png", grey_png(640, 480), "grey-480.webp"),
        ("still.gif", gif(1), "still-40.webp"),
    ] {
        let (site, run) = build_with_image(name, name, &bytes);
        assert_eq!(run.status, 0, "{name}: {}", run.stderr);
        assert!(site.exists(&format!("public/office/{webp}")), "{name}");
        assert!(site.exists(&format!("public/office/{name}")), "{name}");
        assert_eq!(metadata_under(&site.path("public")), Vec::<String>::new());
        match name {
            // 16 bits a sample down to 8: orange stays orange.
            "deep.png" => assert!(near(middle(&site, name), [255, 128, 0], 1)),
            // Cyan-free, full magenta and yellow ink is red on screen, in every copy.
            "cmyk.jpg" => {
                for file in [name, "cmyk-480.jpg", "cmyk-480.webp"] {
                    let colour = middle(&site, file);
                    assert!(near(colour, [255, 0, 0], 40), "{file}: {colour:?}");
                }
            }
            // A still GIF's resized copies are PNGs.
            "still.gif" => assert!(site.exists("public/office/still-40.png")),
            _ => {}
        }
    }
}

#[test]
fn a_transparent_png_keeps_its_transparency_in_webp_and_png() {
    let (site, run) =
        build_with_image("clear.png", "clear.png", &png_with_metadata(500, 300, true));
    assert_eq!(run.status, 0, "{}", run.stderr);
    // The WebP copy has an alpha channel (its extended header says so).
    let webp = std::fs::read(site.path("public/office/clear-480.webp")).expect("read");
    assert_eq!(&webp[12..16], b"VP8X");
    assert_ne!(webp[20] & 0x10, 0, "the WebP has no alpha");
    // The fallback is PNG, never JPEG (which has no transparency).
    let small = image::open(site.path("public/office/clear-480.png")).expect("open");
    assert!(small.color().has_alpha());
    assert!(!site.exists("public/office/clear-480.jpg"));
    assert_contains(
        &site.read("public/office/index.html"),
        r#"<img src="../office/clear.png" srcset="../office/clear-480.png 480w, ../office/clear.png 500w""#,
    );
    assert_eq!(metadata_under(&site.path("public")), Vec::<String>::new());
}

/// A JPEG of one colour, tagged with the ICC profile `profile`.
fn tagged_jpeg(colour: [u8; 3], profile: &moxcms::ColorProfile) -> Vec<u8> {
    let image = image::RgbImage::from_pixel(640, 480, Rgb(colour));
    let mut jpeg = Vec::new();
    let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 95);
    encoder
        .set_icc_profile(profile.encode().expect("an ICC profile"))
        .expect("JPEG takes an ICC profile");
    encoder
        .write_image(&image, 640, 480, image::ExtendedColorType::Rgb8)
        .expect("encode");
    jpeg
}

#[test]
fn colours_are_converted_to_srgb_and_no_profile_is_published() {
    // A phone photo in Display P3: the same numbers are a more saturated colour than in sRGB.
    let p3 = [40, 160, 60];
    let jpeg = tagged_jpeg(p3, &moxcms::ColorProfile::new_display_p3());
    let mut expected = [0u8; 3];
    moxcms::ColorProfile::new_display_p3()
        .create_transform_8bit(
            moxcms::Layout::Rgb,
            &moxcms::ColorProfile::new_srgb(),
            moxcms::Layout::Rgb,
            moxcms::TransformOptions::default(),
        )
        .expect("a transform")
        .transform(&p3, &mut expected)
        .expect("convert");
    assert!(!near(p3, expected, 10), "the test colour must change");
    let (site, run) = build_with_image("p3.jpg", "p3.jpg", &jpeg);
    assert_eq!(run.status, 0, "{}", run.stderr);
    for file in ["p3.jpg", "p3-480.jpg", "p3-480.webp"] {
        let colour = middle(&site, file);
        assert!(
            near(colour, expected, 4),
            "{file}: {colour:?}, not {expected:?}"
        );
    }
    // The profile itself is not published (the scan counts an APP2 segment as metadata).
    assert_eq!(metadata_under(&site.path("public")), Vec::<String>::new());
    // An sRGB profile changes nothing.
    let jpeg = tagged_jpeg(p3, &moxcms::ColorProfile::new_srgb());
    let (site, run) = build_with_image("srgb.jpg", "srgb.jpg", &jpeg);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(near(middle(&site, "srgb.jpg"), p3, 4));
}
