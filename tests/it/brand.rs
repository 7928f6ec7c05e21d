//! `brand:` in site.yaml: the colours, logo and font read, checked for contrast, and turned
//! into the clinic theme's brand stylesheet, header logo, icon and web-app manifest.

use crate::failures::{built, fails};
use crate::support::{Site, assert_contains, assert_lacks};

/// The `breakable` fixture's site.yaml with `brand` lines added.
fn with_brand(site: &Site, brand: &str) {
    let yaml = site.read("site.yaml");
    site.write("site.yaml", &format!("{yaml}brand:\n{brand}"));
}

#[test]
fn a_colour_that_is_not_a_colour_is_an_error_at_its_line() {
    let (site, before) = built();
    with_brand(&site, "  primary: tealish\n  accent: f3c79a\n");
    let stderr = fails(&site, &before, &[]);
    let line = site.read("site.yaml").lines().count() - 1;
    assert_contains(
        &stderr,
        &format!(
            "error[config/brand-colour]: `primary` `tealish` is not a colour\n --> site.yaml:{line}:12\n"
        ),
    );
    assert_contains(
        &stderr,
        "help: write a colour as in CSS, in quotes: `primary: \"#0b6e6e\"`, `primary: \"rgb(11, 110, 110)\"` or `primary: teal`",
    );
    assert_contains(
        &stderr,
        &format!(
            "error[config/brand-colour]: `accent` `f3c79a` is not a colour\n --> site.yaml:{}:11\n",
            line + 1
        ),
    );
    assert_contains(
        &stderr,
        "help: write `accent: \"#f3c79a\"` (with `#` and quotes)",
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn a_logo_file_that_is_not_there_is_an_error() {
    let (site, before) = built();
    site.write(
        "images/clinic-logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    with_brand(&site, "  logo: images/clinic-logo.svgg\n");
    let stderr = fails(&site, &before, &[]);
    assert_contains(
        &stderr,
        "error[config/brand-logo]: the logo `images/clinic-logo.svgg` is not an SVG or PNG file\n",
    );
    let yaml = site
        .read("site.yaml")
        .replace("clinic-logo.svgg", "clinic_logo.svg");
    site.write("site.yaml", &yaml);
    let stderr = fails(&site, &before, &[]);
    assert_contains(
        &stderr,
        "error[config/brand-logo]: there is no logo file `images/clinic_logo.svg`\n",
    );
    assert_contains(
        &stderr,
        "help: did you mean `logo: images/clinic-logo.svg`?",
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn a_colour_too_light_to_read_is_an_error_with_the_nearest_shade_that_passes() {
    let (site, before) = built();
    with_brand(
        &site,
        "  primary: \"#4fb3bf\"\n  accent: \"rgb(138, 75, 18)\"\n",
    );
    let stderr = fails(&site, &before, &[]);
    assert_contains(
        &stderr,
        "error[config/brand-contrast]: `primary` #4fb3bf is hard to read in links on the short-answer panels: contrast 2.2:1 (#4fb3bf on #edf7f9), and text needs at least 4.5:1\n",
    );
    assert_contains(
        &stderr,
        "help: use #2e767f (4.5:1): write `primary: \"#2e767f\"`",
    );
    assert_contains(
        &stderr,
        "error[config/brand-contrast]: `accent` #8a4b12 is hard to read in text on the call buttons: contrast 1.4:1 (#1f484d on #8a4b12), and text needs at least 4.5:1\n --> site.yaml:5:11\n",
    );
    // `check` stops on the same colours.
    let check = site.run(&["check"]);
    assert_eq!(check.status, 1, "{}", check.stderr);
    assert_contains(&check.stdout, "config/brand-contrast");
    insta::assert_snapshot!(stderr);
    // The suggested colours pass.
    let yaml = site
        .read("site.yaml")
        .replace("#4fb3bf", "#2e767f")
        .replace("rgb(138, 75, 18)", "#e99d58");
    site.write("site.yaml", &yaml);
    site.build(&[]);
}

/// A colour that is not a colour does not hide the brand's other problems: the other colour's
/// contrast and the missing logo are reported in the same run, by `build` and by `check`.
#[test]
fn a_bad_colour_does_not_hide_the_other_brand_errors() {
    let (site, before) = built();
    with_brand(
        &site,
        "  primary: tealish\n  accent: \"#8a4b12\"\n  logo: images/logo.png\n",
    );
    let brand = site.read("site.yaml").lines().count() - 3;
    let stderr = fails(&site, &before, &[]);
    let expected = [
        format!(
            "error[config/brand-colour]: `primary` `tealish` is not a colour\n --> site.yaml:{}:12\n",
            brand + 1
        ),
        format!(
            "error[config/brand-contrast]: `accent` #8a4b12 is hard to read in text on the call buttons: contrast 1.8:1 (#07383d on #8a4b12), and text needs at least 4.5:1\n --> site.yaml:{}:11\n",
            brand + 2
        ),
        "help: use #e38129 (4.5:1): write `accent: \"#e38129\"`".to_string(),
        format!(
            "error[config/brand-logo]: there is no logo file `images/logo.png`\n --> site.yaml:{}:9\n",
            brand + 3
        ),
        "The build stopped: 3 errors.".to_string(),
    ];
    for text in &expected {
        assert_contains(&stderr, text);
    }
    let check = site.run(&["check"]);
    assert_eq!(check.status, 1, "{}", check.stderr);
    for text in &expected[..4] {
        assert_contains(&check.stderr, text);
    }
    insta::assert_snapshot!(stderr);
}

/// The path of the one published file named `STEM.HASH.EXT`.
fn hashed(site: &Site, stem: &str, ext: &str) -> String {
    let found: Vec<String> = site
        .files("public")
        .into_iter()
        .filter(|f| {
            f.starts_with(&format!("{stem}."))
                && f.ends_with(&format!(".{ext}"))
                && !f.contains('/')
        })
        .collect();
    assert_eq!(found.len(), 1, "one {stem}.HASH.{ext}: {found:?}");
    found[0].clone()
}

#[test]
fn the_brand_restyles_the_clinic_theme_through_its_own_stylesheet() {
    let site = Site::fixture("brand");
    site.build(&[]);
    let brand_css = hashed(&site, "brand", "css");
    let css = site.read(&format!("public/{brand_css}"));
    assert_contains(&css, "  --link: #6a3d9a;\n");
    assert_contains(&css, "  --apricot: #ffd8e4;\n");
    assert_contains(&css, "  --sans: ui-rounded,");
    insta::assert_snapshot!("brand_stylesheet", css);
    let home = site.read("public/index.html");
    let about = site.read("public/about/index.html");
    // Linked (never inline: the security policy forbids inline styles), after the theme's.
    let style = hashed(&site, "style", "css");
    let extra = hashed(&site, "extra", "css");
    assert_contains(
        &about,
        &format!(
            "<link rel=\"stylesheet\" href=\"../{style}\">\n<link rel=\"stylesheet\" href=\"../{extra}\">\n<link rel=\"stylesheet\" href=\"../{brand_css}\">\n"
        ),
    );
    assert_lacks(&home, "<style");
    assert_lacks(&home, "style=");
    // The logo replaces the clinic's name in the header, named by it.
    assert_contains(
        &home,
        "<img class=\"brand-logo\" src=\"./brand-logo.svg\" alt=\"Test Clinic\">",
    );
    assert_lacks(&home, "brand-name");
    assert_eq!(
        site.read("public/brand-logo.svg"),
        site.read("images/logo.svg")
    );
    assert_contains(&home, "<meta name=\"theme-color\" content=\"#40255c\">");
    // Long caching for the hashed brand stylesheet, like the theme's.
    assert_contains(
        &site.read("public/_headers"),
        &format!("/{brand_css}\n  Cache-Control: public, max-age=31536000, immutable\n"),
    );
}

#[test]
fn the_manifest_and_icons_follow_the_brand() {
    let site = Site::fixture("brand");
    site.build(&[]);
    let manifest: serde_json::Value =
        serde_json::from_str(&site.read("public/manifest.webmanifest")).unwrap();
    assert_eq!(manifest["theme_color"], "#40255c");
    assert_eq!(manifest["background_color"], "#ffffff");
    let favicon = site.read("public/favicon.svg");
    assert_contains(&favicon, "fill=\"#40255c\"");
    assert_contains(&favicon, "fill=\"#ffd8e4\"");
    assert_lacks(&favicon, "#0b3a45");
    let icon = std::fs::read(site.path("public/icon-192.png")).unwrap();
    let theme_icon = include_bytes!("../../themes/clinic/static/icon-192.png");
    assert_ne!(
        icon.as_slice(),
        theme_icon.as_slice(),
        "the icon is redrawn"
    );
    assert_eq!(&icon[..8], b"\x89PNG\r\n\x1a\n");
    // Without `brand:`, the theme's own icons and colours.
    site.write(
        "site.yaml",
        "title: Test Clinic\nphone: 305-555-0100\ntheme: my-clinic\n",
    );
    site.build(&[]);
    let manifest: serde_json::Value =
        serde_json::from_str(&site.read("public/manifest.webmanifest")).unwrap();
    assert_eq!(manifest["theme_color"], "#0c3b45");
    assert_contains(&site.read("public/favicon.svg"), "#0b3a45");
    assert!(
        !site.files("public").iter().any(|f| f.starts_with("brand")),
        "{:?}",
        site.files("public")
    );
    assert_contains(
        &site.read("public/index.html"),
        "<span class=\"brand-name\">Test Clinic</span>",
    );
}

#[test]
fn a_child_themes_extra_stylesheet_is_published_hashed_and_linked() {
    let site = Site::fixture("brand");
    site.write(
        "site.yaml",
        "title: Test Clinic\nphone: 305-555-0100\ntheme: my-clinic\n",
    );
    site.build(&[]);
    let extra = hashed(&site, "extra", "css");
    assert_eq!(
        site.read(&format!("public/{extra}")),
        site.read("themes/my-clinic/static/extra.css")
    );
    let style = hashed(&site, "style", "css");
    assert_contains(
        &site.read("public/index.html"),
        &format!(
            "<link rel=\"stylesheet\" href=\"./{style}\">\n<link rel=\"stylesheet\" href=\"./{extra}\">\n"
        ),
    );
    assert_lacks(&site.read("public/index.html"), "brand.");
    // A change to it gives it a new name, so browsers never keep the old one.
    site.write(
        "themes/my-clinic/static/extra.css",
        ".prose p { line-height: 1.8; }\n",
    );
    site.build(&[]);
    assert_ne!(hashed(&site, "extra", "css"), extra);
    // `minify: true` minifies it like the theme's own stylesheet and the brand's.
    site.write(
        "site.yaml",
        "title: Test Clinic\nphone: 305-555-0100\ntheme: my-clinic\nminify: true\nbrand:\n  primary: \"#6a3d9a\"\n",
    );
    site.build(&[]);
    let extra = hashed(&site, "extra", "css");
    assert_eq!(
        site.read(&format!("public/{extra}")),
        ".prose p{line-height:1.8}"
    );
    let brand_css = site.read(&format!("public/{}", hashed(&site, "brand", "css")));
    assert!(
        brand_css.starts_with(":root{--link:#6a3d9a;"),
        "{brand_css}"
    );
    let style = site.read(&format!("public/{}", hashed(&site, "style", "css")));
    assert!(!style.contains("\n\n") && !style.contains("/*"), "{style}");
}
