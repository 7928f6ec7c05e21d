//! Before-and-after results (fixture `results`): each case shown as a pair with its caption and
//! the typical-results note; a case without valid consent is an error, or, revoked or expired,
//! withheld with every trace of it; `check`'s warnings (expiry, EXIF hints); translations
//! hold only words. The photos are made here, with EXIF blocks written by hand.

use std::path::Path;

use image::{ImageEncoder, Rgb, RgbImage};

use crate::support::{Site, assert_contains, assert_lacks, files_under};

/// How a test photo was taken, as its EXIF block says.
#[derive(Clone, Copy)]
struct Taken {
    /// `YYYY:MM:DD HH:MM:SS`, as cameras write it.
    when: &'static str,
    flash: bool,
    focal_mm: u32,
}

const FAIR_BEFORE: Taken = Taken {
    when: "2026:03:02 10:00:00",
    flash: false,
    focal_mm: 26,
};
const FAIR_AFTER: Taken = Taken {
    when: "2026:09:01 10:00:00",
    flash: false,
    focal_mm: 26,
};

/// The camera serial number written into every test photo; it must never reach `public/`.
const SERIAL: &str = "SN-RESULTS-0077";

/// A JPEG photo with an EXIF block: when it was taken, the flash, the focal length and the
/// camera's serial number.
fn photo(seed: u8, taken: Taken) -> Vec<u8> {
    let (width, height) = (600, 800);
    let image = RgbImage::from_fn(width, height, |x, y| {
        Rgb([
            (x * 255 / width) as u8 ^ seed,
            (y * 255 / height) as u8,
            seed.wrapping_mul(3),
        ])
    });
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 85)
        .write_image(&image, width, height, image::ExtendedColorType::Rgb8)
        .expect("encode a JPEG");
    let tiff = exif_tiff(taken);
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((tiff.len() + 8) as u16).to_be_bytes());
    out.extend_from_slice(b"Exif\0\0");
    out.extend_from_slice(&tiff);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// A little-endian TIFF block: IFD0 pointing to an EXIF IFD with DateTimeOriginal, Flash,
/// FocalLength and BodySerialNumber.
fn exif_tiff(taken: Taken) -> Vec<u8> {
    const IFD0: u32 = 8;
    const EXIF_IFD: u32 = IFD0 + 2 + 12 + 4; // 26
    const DATA: u32 = EXIF_IFD + 2 + 4 * 12 + 4; // 80
    let when = format!("{}\0", taken.when);
    let serial = format!("{SERIAL}\0");
    let focal_at = DATA + when.len() as u32;
    let serial_at = focal_at + 8;
    let mut t = b"II*\0".to_vec();
    t.extend_from_slice(&IFD0.to_le_bytes());
    let entry = |t: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: [u8; 4]| {
        t.extend_from_slice(&tag.to_le_bytes());
        t.extend_from_slice(&kind.to_le_bytes());
        t.extend_from_slice(&count.to_le_bytes());
        t.extend_from_slice(&value);
    };
    t.extend_from_slice(&1u16.to_le_bytes());
    entry(&mut t, 0x8769, 4, 1, EXIF_IFD.to_le_bytes());
    t.extend_from_slice(&0u32.to_le_bytes());
    assert_eq!(t.len() as u32, EXIF_IFD);
    t.extend_from_slice(&4u16.to_le_bytes());
    entry(&mut t, 0x9003, 2, when.len() as u32, DATA.to_le_bytes());
    let flash = u16::from(taken.flash).to_le_bytes();
    entry(&mut t, 0x9209, 3, 1, [flash[0], flash[1], 0, 0]);
    entry(&mut t, 0x920A, 5, 1, focal_at.to_le_bytes());
    entry(
        &mut t,
        0xA431,
        2,
        serial.len() as u32,
        serial_at.to_le_bytes(),
    );
    t.extend_from_slice(&0u32.to_le_bytes());
    assert_eq!(t.len() as u32, DATA);
    t.extend_from_slice(when.as_bytes());
    t.extend_from_slice(&taken.focal_mm.to_le_bytes());
    t.extend_from_slice(&1u32.to_le_bytes());
    t.extend_from_slice(serial.as_bytes());
    t
}

/// The `results` fixture with its four photos made, both pairs taken the same way.
fn results_site() -> Site {
    let site = Site::fixture("results");
    for (n, name) in [
        "results/acne-scars/cheek-before.jpg",
        "results/acne-scars/cheek-after.jpg",
        "results/stretch-marks/belly-before.jpg",
        "results/stretch-marks/belly-after.jpg",
    ]
    .into_iter()
    .enumerate()
    {
        let taken = if name.contains("before") {
            FAIR_BEFORE
        } else {
            FAIR_AFTER
        };
        write_photo(&site, name, photo(n as u8 * 40, taken));
    }
    site
}

fn write_photo(site: &Site, rel: &str, bytes: Vec<u8>) {
    std::fs::write(site.path(&format!("content/{rel}")), bytes).expect("write a photo");
}

/// Every file under `public/` whose bytes (or path) contain `needle`.
fn traces_of(site: &Site, needle: &str) -> Vec<String> {
    files_under(&site.path("public"))
        .into_iter()
        .filter(|(rel, path)| {
            let bytes = std::fs::read(path).expect("read an output file");
            rel.contains(needle) || bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
        })
        .map(|(rel, _)| rel)
        .collect()
}

/// The case file with `line` (a whole line, as written) replaced by `with`.
fn acne_with(site: &Site, line: &str, with: &str) -> String {
    let text = site.read("content/results/acne-scars/index.md");
    assert!(text.contains(line), "the fixture has no line `{line}`");
    text.replace(line, with)
}

const ACNE: &str = "content/results/acne-scars/index.md";
const CONSENT: &str =
    "consent: { id: C-2026-014, signed: 2026-03-02, expires: 2028-03-02, scope: [website] }";

#[test]
fn each_case_is_a_pair_with_its_caption_and_the_typical_results_note() {
    let site = results_site();
    let run = site.build(&[]);
    assert_lacks(&run.stdout, "Withheld");
    let page = site.read("public/results/acne-scars/index.html");
    assert_contains(&page, "template: case_page.html");
    assert_contains(
        &page,
        "caption: Microneedling, Cheeks, 4 sessions, 3 months between the photos</p>",
    );
    assert_contains(
        &page,
        "alt=\"Cheek with raised acne scars before treatment\"",
    );
    assert_contains(
        &page,
        "alt=\"The same cheek three months after the fourth session\"",
    );
    assert_contains(&page, "cheek-before-480.webp 480w");
    assert_contains(
        &page,
        "typical results: Most patients see smoother skin after 3 to 4 sessions. Results vary from person to person.",
    );
    assert_lacks(&page, "retouched");
    // `retouched: true` shows the label.
    let retouched = site.read("public/results/stretch-marks/index.html");
    assert_contains(&retouched, "2 months between the photos, retouched</p>");
    // The Spanish case: its own words, the original's photos.
    let spanish = site.read("public/es/results/acne-scars/index.html");
    assert_contains(
        &spanish,
        "caption: Microagujado, Mejillas, 4 sessions, 3 meses entre las fotos</p>",
    );
    assert_contains(
        &spanish,
        "alt=\"Mejilla con cicatrices de acné antes del tratamiento\"",
    );
    assert_contains(
        &spanish,
        "src=\"../../../results/acne-scars/cheek-before.jpg\"",
    );
    assert_contains(
        &spanish,
        "typical results: La mayoría de los pacientes ven la piel más lisa",
    );
    let list = site.read("public/results/index.html");
    assert_contains(&list, "template: results_section.html");
    assert_contains(
        &list,
        "Microneedling, Abdomen, retouched; before results/stretch-marks/belly-before.jpg (600×800)",
    );
    // The consent's id stays in the clinic's records; no photo keeps its EXIF block.
    assert!(traces_of(&site, "C-2026-014").is_empty());
    assert!(traces_of(&site, SERIAL).is_empty());
    assert!(traces_of(&site, "2026:03:02").is_empty());
    insta::assert_snapshot!(site.output());
}

#[test]
fn revoking_a_consent_removes_every_trace_of_the_case() {
    let site = results_site();
    site.write(
        "content/faq-link.md",
        "---\ntitle: Our results\n---\nSee [a case](@/results/acne-scars/index.md).\n",
    );
    site.build(&[]);
    for needle in ["acne-scars", "cheek-before", "cheek-after", "Acne scars"] {
        assert!(
            !traces_of(&site, needle).is_empty(),
            "`{needle}` is published"
        );
    }
    let yaml = site.read("site.yaml");
    site.write(
        "site.yaml",
        &format!("{yaml}revoked_consents: [C-2026-014]\n"),
    );
    let run = site.build(&[]);
    assert_contains(
        &run.stdout,
        " Withheld 1 result: content/results/acne-scars/index.md (consent C-2026-014 was revoked).\n",
    );
    for needle in [
        "acne-scars",
        "Acne scars",
        "Cicatrices",
        "C-2026-014",
        "cheek-before",
        "cheek-after",
        "Cheek with raised acne scars",
        "Mejilla con cicatrices",
    ] {
        assert_eq!(
            traces_of(&site, needle),
            Vec::<String>::new(),
            "`{needle}` is still in public/"
        );
    }
    // The other case, and the page that linked to the withheld one (now to the list), stay.
    assert!(site.exists("public/results/stretch-marks/index.html"));
    assert_contains(
        &site.read("public/faq-link/index.html"),
        "<a href=\"../results/\">a case</a>",
    );
}

#[test]
fn an_expired_consent_withholds_the_case_from_that_day() {
    let site = results_site();
    let day_before = site.run_with(
        &site.path(""),
        &[("CLINICSITE_TODAY", "2026-12-19")],
        &["build"],
    );
    assert_eq!(day_before.status, 0, "{}", day_before.stderr);
    assert!(site.exists("public/results/stretch-marks/index.html"));
    let run = site.run_with(
        &site.path(""),
        &[("CLINICSITE_TODAY", "2026-12-20")],
        &["build"],
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_contains(
        &run.stdout,
        " Withheld 1 result: content/results/stretch-marks/index.md (consent C-2026-020 expired on 2026-12-20).\n",
    );
    assert!(traces_of(&site, "stretch-marks").is_empty());
    assert!(traces_of(&site, "belly-").is_empty());
    assert!(site.exists("public/results/acne-scars/index.html"));
}

/// A case that could never be published: the build stops and says where and what to write.
#[test]
fn a_case_without_valid_consent_or_photos_is_an_error_that_says_what_to_write() {
    let cases: &[(&str, &str, &[&str])] = &[
        (
            CONSENT,
            "",
            &[
                "error[results/no-consent]: this case has no `consent:`: patient photos are published only with the patient's signed consent",
                "--> content/results/acne-scars/index.md:1:1",
                "help: add the details of the signed form, like `consent: { id: C-2026-014, signed: 2026-03-02, expires: 2028-03-02, scope: [website] }` (see docs/staff.md, \"Add a result\")",
            ],
        ),
        (
            CONSENT,
            "consent: { id: C-2026-014, signed: 2026-03-02, expires: 2028-03-02, scope: [print] }",
            &[
                "error[results/consent]: the consent's scope (print) does not include the website: the patient has not agreed to these photos being on the website",
                "--> content/results/acne-scars/index.md:12:69",
                "help: publish only cases whose signed form allows the website; when it does, write `scope: [website]`",
            ],
        ),
        (
            CONSENT,
            "consent: { signed: 2026-03-02, expires: 2028-03-02, scope: [website] }",
            &[
                "error[results/consent]: the consent has no `id`",
                "--> content/results/acne-scars/index.md:12:1",
                "help: add the number of the signed form in the clinic's records, like `id: C-2026-014`",
            ],
        ),
        (
            CONSENT,
            "consent: { id: C-2026-014, signed: 2026-03-02, expires: 2025-03-02, scope: [website] }",
            &[
                "error[results/consent]: the consent expires (2025-03-02) before it was signed (2026-03-02)",
                "--> content/results/acne-scars/index.md:12:48",
            ],
        ),
        (
            CONSENT,
            "consent: { id: C-2026-014, signed: 2026-03-02, scope: [website] }",
            &[
                "error[results/consent]: the consent has no `expires` date",
                "help: add the day the consent ends, as written on the form, like `expires: 2028-03-02`",
            ],
        ),
        (
            CONSENT,
            "consent: { id: C-2026-014, signed: 03/02/2026, expires: 2028-03-02, scope: [website] }",
            &[
                "`03/02/2026` is not written as YYYY-MM-DD",
                "content/results/acne-scars/index.md:12",
            ],
        ),
        (
            "after: { src: cheek-after.jpg, alt: \"The same cheek three months after the fourth session\" }",
            "after: { src: cheek-after.jpg }",
            &[
                "error[results/photo-alt]: the `after:` photo has no alt text",
                "--> content/results/acne-scars/index.md:10:1",
                "help: describe what the photo shows for people who cannot see it, like `after: { src: after.jpg, alt: \"The same cheek three months after the fourth session\" }`",
            ],
        ),
        (
            "before: { src: cheek-before.jpg, alt: \"Cheek with raised acne scars before treatment\" }",
            "before: { src: cheek-befor.jpg, alt: \"Cheek with raised acne scars before treatment\" }",
            &[
                "error[results/missing-photo]: `before:` names `cheek-befor.jpg`, which is not in the case's folder",
                "--> content/results/acne-scars/index.md:9:1",
                "help: put the photo in the case's folder, content/results/acne-scars/, beside index.md, and write its file name, like `src: before.jpg`",
            ],
        ),
        (
            "retouched: false",
            "",
            &[
                "error[results/missing-fact]: this case does not say whether its photos were retouched",
                "help: add `retouched: false` when the photos are as the camera took them, or `retouched: true` to show a \"retouched\" label on them",
            ],
        ),
    ];
    for (line, with, expected) in cases {
        let site = results_site();
        site.write(ACNE, &acne_with(&site, line, with));
        let run = site.run(&["build"]);
        assert_eq!(run.status, 1, "`{with}` built:\n{}", run.stdout);
        for text in *expected {
            assert_contains(&run.stderr, text);
        }
        assert!(!site.exists("public"), "a failed build wrote public/");
    }
}

#[test]
fn a_results_section_must_say_what_results_are_typical_in_every_language() {
    let site = results_site();
    let spanish = site.read("content/results/_index.es.md");
    site.write(
        "content/results/_index.es.md",
        &spanish
            .lines()
            .filter(|l| !l.starts_with("typical_results:"))
            .map(|l| format!("{l}\n"))
            .collect::<String>(),
    );
    let run = site.run(&["build"]);
    assert_eq!(run.status, 1);
    assert_contains(
        &run.stderr,
        "error[results/typical-missing]: a results section must say what results are typical, in `typical_results:`",
    );
    assert_contains(&run.stderr, "--> content/results/_index.es.md:4:1");
    assert_contains(
        &run.stderr,
        "help: add a line in this file's language, like `typical_results: \"Most patients see smoother skin after 3 to 4 sessions. Results vary.\"`; the site shows it beside every case",
    );
}

/// A draft case (with its translation) and a draft page bundle publish none of their photos
/// in a normal build: no path, no page naming them, and none of the bytes a `--drafts`
/// preview published for them.
#[test]
fn drafts_publish_none_of_their_photos() {
    let site = results_site();
    site.write(
        ACNE,
        &acne_with(&site, "weight: 1", "weight: 1\ndraft: true"),
    );
    site.write(
        "content/new-office/index.md",
        "---\ntitle: Our new office\ndraft: true\n---\n![The waiting room of the new office](waiting-room.jpg)\n",
    );
    write_photo(
        &site,
        "new-office/waiting-room.jpg",
        photo(200, FAIR_BEFORE),
    );
    site.build(&["--drafts"]);
    let drafts_files: Vec<(String, Vec<u8>)> = files_under(&site.path("public"))
        .into_iter()
        .filter(|(rel, _)| rel.contains("cheek-") || rel.contains("waiting-room"))
        .map(|(rel, path)| (rel, std::fs::read(path).expect("read a photo")))
        .collect();
    assert!(
        drafts_files.len() >= 6,
        "the preview publishes the drafts' photos: {:?}",
        drafts_files.iter().map(|(rel, _)| rel).collect::<Vec<_>>()
    );
    let leaks = |site: &Site| {
        let mut found: Vec<String> = ["acne-scars", "cheek-", "new-office", "waiting-room"]
            .iter()
            .flat_map(|needle| traces_of(site, needle))
            .collect();
        for (rel, path) in files_under(&site.path("public")) {
            let bytes = std::fs::read(path).expect("read an output file");
            if drafts_files.iter().any(|(_, draft)| *draft == bytes) {
                found.push(format!("{rel} (a draft's photo)"));
            }
        }
        found
    };
    // The preview's files are removed by the next build, and a clean build never makes them.
    site.build(&[]);
    assert_eq!(leaks(&site), Vec::<String>::new());
    std::fs::remove_dir_all(site.path("public")).expect("remove public/");
    site.build(&[]);
    assert_eq!(leaks(&site), Vec::<String>::new());
    assert!(site.exists("public/results/stretch-marks/belly-before.jpg"));
}

/// Every problem of a case is reported in one run: the alt text left out of one photo and the
/// other photo's file name written with the wrong capital letters.
#[test]
fn every_problem_of_a_case_is_reported_in_one_run() {
    let site = results_site();
    std::fs::rename(
        site.path("content/results/acne-scars/cheek-before.jpg"),
        site.path("content/results/acne-scars/Cheek-Before.JPG"),
    )
    .expect("rename a photo");
    site.write(
        ACNE,
        &acne_with(
            &site,
            "after: { src: cheek-after.jpg, alt: \"The same cheek three months after the fourth session\" }",
            "after: { src: cheek-after.jpg }",
        ),
    );
    for command in ["build", "check"] {
        let run = site.run(&[command]);
        assert_eq!(run.status, 1, "{command}: {}", run.stdout);
        // `check` reports on stdout, `build` on stderr.
        let said = format!("{}{}", run.stdout, run.stderr);
        for text in [
            "error[results/missing-photo]: `before:` names `cheek-before.jpg`, which is not in the case's folder",
            "--> content/results/acne-scars/index.md:9:1",
            "help: the file is named `Cheek-Before.JPG`: write the name with the same capital and small letters (web hosts treat them as two different files)",
            "error[results/photo-alt]: the `after:` photo has no alt text",
            "--> content/results/acne-scars/index.md:10:1",
        ] {
            assert_contains(&said, text);
        }
    }
    let run = site.run(&["build"]);
    assert_contains(&run.stderr, "The build stopped: 2 errors.");
    assert!(!site.exists("public"), "a failed build wrote public/");
}

/// A results section without `typical_results:` is still a results section: its cases' own
/// problems are reported with it, and their keys are not called out of place.
#[test]
fn a_section_error_does_not_hide_its_cases_errors() {
    let site = results_site();
    let section = site.read("content/results/_index.md");
    site.write(
        "content/results/_index.md",
        &section
            .lines()
            .filter(|l| !l.starts_with("typical_results:"))
            .map(|l| format!("{l}\n"))
            .collect::<String>(),
    );
    site.write(ACNE, &acne_with(&site, "retouched: false", ""));
    let run = site.run(&["build"]);
    assert_eq!(run.status, 1);
    assert_contains(
        &run.stderr,
        "error[results/typical-missing]: a results section must say what results are typical, in `typical_results:`",
    );
    assert_contains(&run.stderr, "--> content/results/_index.md:4:1");
    assert_contains(
        &run.stderr,
        "error[results/missing-fact]: this case does not say whether its photos were retouched",
    );
    assert_contains(&run.stderr, "The build stopped: 2 errors.");
    assert_lacks(&run.stderr, "does not belong on this page");
}

#[test]
fn a_translation_holds_only_words() {
    let site = results_site();
    let spanish = site.read("content/results/acne-scars/index.es.md");
    site.write(
        "content/results/acne-scars/index.es.md",
        &spanish
            .replace(
                "before: { alt:",
                "sessions: 4\nconsent:\n  id: C-2026-014\n  scope: [website]\nbefore: { src: cheek-before.jpg, alt:",
            ),
    );
    let run = site.run(&["build"]);
    assert_eq!(run.status, 1);
    assert_contains(
        &run.stderr,
        "error[results/translated-facts]: a translation holds only words: the case's photos, sessions, retouched label and consent are written once, in content/results/acne-scars/index.md",
    );
    assert_contains(
        &run.stderr,
        "--> content/results/acne-scars/index.es.md:7:1",
    );
    assert_contains(
        &run.stderr,
        "help: delete lines 7–10, and remove `src:` from `before:` on line 11 (keep its `alt:`, the translated description); every language shows the photos and consent of content/results/acne-scars/index.md",
    );
    // A translation without its original.
    let site = results_site();
    site.write(
        "content/results/peel/index.es.md",
        "---\ntitle: Peeling\ntreatment: Peeling\n---\nTexto.\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.status, 1);
    assert_contains(
        &run.stderr,
        "error[results/no-original]: this translation has no original, content/results/peel/index.md, to take the case's photos and consent from",
    );
}

#[test]
fn case_fields_belong_only_in_a_results_section() {
    let site = results_site();
    site.write(
        "content/about.md",
        "---\ntitle: About\nconsent: { id: C-1 }\n---\nText.\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.status, 1);
    assert_contains(
        &run.stderr,
        "error[frontmatter/misplaced-key]: `consent` does not belong on this page",
    );
    assert_contains(
        &run.stderr,
        "help: `consent` is only for a results case (a page in a section with `kind: results`); remove the line or move the file",
    );
}

#[test]
fn check_warns_of_a_consent_about_to_expire_and_of_an_unfair_pair() {
    let site = results_site();
    // The "after" photo: with flash, zoomed in, and dated before the "before" one.
    write_photo(
        &site,
        "results/acne-scars/cheek-after.jpg",
        photo(
            9,
            Taken {
                when: "2026:01:15 09:30:00",
                flash: true,
                focal_mm: 52,
            },
        ),
    );
    let run = site.run(&["check", "--today", "2026-12-06"]);
    for text in [
        "warning[results/consent-expiring]: consent C-2026-020 expires on 2026-12-20, in 14 days: the case comes down from the site that day",
        "content/results/stretch-marks/index.md:16:1",
        "warning[results/photo-hints]: the \"before\" photo was taken without flash and the \"after\" photo with flash: light changes how skin looks",
        "warning[results/photo-hints]: the \"before\" photo was taken at a focal length of 26 mm and the \"after\" photo at 52 mm: a different zoom changes how skin looks",
        "warning[results/photo-hints]: the \"after\" photo is dated 2026-01-15 and the \"before\" photo 2026-03-02: the \"after\" photo was taken first",
        "content/results/acne-scars/index.md:10:1",
    ] {
        assert_contains(&run.stdout, text);
    }
    assert_eq!(run.status, 0, "{}", run.stdout);
    // More than 30 days ahead: nothing to say; a fair pair: no hints.
    let site = results_site();
    let run = site.run(&["check", "--today", "2026-11-19"]);
    assert_lacks(&run.stdout, "results/consent-expiring");
    assert_lacks(&run.stdout, "results/photo-hints");
    // Withheld: check says so, and what to do.
    let run = site.run(&["check", "--today", "2026-12-21"]);
    assert_contains(
        &run.stdout,
        "warning[results/withheld]: this case is not published: consent C-2026-020 expired on 2026-12-20",
    );
}

#[test]
fn build_counts_every_warning_check_shows_results_included() {
    let site = results_site();
    write_photo(
        &site,
        "results/acne-scars/cheek-after.jpg",
        photo(
            9,
            Taken {
                when: "2026:01:15 09:30:00",
                flash: true,
                focal_mm: 52,
            },
        ),
    );
    let root = site.path("");
    let today = [("CLINICSITE_TODAY", "2026-12-06")];
    let check = site.run_with(&root, &today, &["check"]);
    assert_contains(&check.stdout, "warning[results/consent-expiring]: ");
    assert_contains(&check.stdout, "warning[results/photo-hints]: ");
    let counted = |text: &str, before: &str| -> usize {
        let end = text
            .find(before)
            .unwrap_or_else(|| panic!("no `{before}` in:\n{text}"));
        let start = text[..end].rfind(' ').map_or(0, |s| s + 1);
        text[start..end].parse().expect("a count")
    };
    let warnings = counted(&check.stdout, " warnings.");
    assert!(warnings >= 4, "{}", check.stdout);
    let build = site.run_with(&root, &today, &["build"]);
    assert_eq!(build.status, 0, "{}", build.stderr);
    assert_eq!(
        counted(&build.stdout, " warnings: run `clinicsite check`."),
        warnings,
        "{}",
        build.stdout
    );
}

#[test]
fn the_photos_of_every_case_are_published_without_metadata() {
    let site = results_site();
    site.build(&[]);
    let images: Vec<(String, std::path::PathBuf)> = files_under(&site.path("public"))
        .into_iter()
        .filter(|(rel, _)| rel.ends_with(".jpg") || rel.ends_with(".webp"))
        .collect();
    assert!(images.len() >= 8, "{images:?}");
    for (rel, path) in images {
        let found =
            crate::images::metadata_in(&rel, &std::fs::read(Path::new(&path)).expect("read"));
        assert!(found.is_empty(), "{rel}: {found:?}");
    }
}
