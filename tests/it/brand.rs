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
