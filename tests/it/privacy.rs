//! No requests to other sites: `build` and `check` stop when a page would make the browser
//! contact another origin (content, raw HTML, theme templates and stylesheets), name known
//! trackers, and let through what `third_party:` in site.yaml allows.

use crate::support::{Site, assert_contains, assert_lacks};

/// A theme page template with one element of each kind that fetches, one a line (line 4 on).
const FETCHING_TEMPLATE: &str = r#"{% extends "base.html" %}
{% block title %}{{ page.title }}{% endblock title %}
{% block main %}
<script src="https://www.googletagmanager.com/gtag/js?id=G-1"></script>
<iframe src="https://player.video.example/1" title="v"></iframe>
<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Inter">
<link rel="preload" href="https://preload.example/font.woff2" as="font">
<link rel="icon" href="https://icons.example/favicon.ico">
<form action="https://forms.example/submit"><button>Send</button></form>
<video src="https://media.example/clip.mp4" poster="https://media.example/poster.jpg"></video>
<audio><source src="https://media.example/sound.mp3"></audio>
<object data="https://objects.example/o.swf"></object><embed src="https://embeds.example/e">
<img srcset="https://images.example/a.jpg 1x, /local.jpg 2x" alt="">
<style>@font-face { font-family: X; src: url(https://fonts.example/x.woff2); }</style>
<a href="https://www.openstreetmap.org/">A plain link is fine</a>
<link rel="canonical" href="https://elsewhere.example/">
{{ page.content | safe }}
{% endblock main %}
"#;

#[test]
fn every_kind_of_request_in_a_template_stops_the_build() {
    let site = Site::fixture("third_party");
    site.build(&[]);
    let before = site.fingerprint("public");
    site.write("themes/mini/templates/page.html", FETCHING_TEMPLATE);
    let run = site.run(&["build"]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    let file = "themes/mini/templates/page.html";
    for (line, element, origin) in [
        (
            4,
            "<script src>",
            "https://www.googletagmanager.com (Google Tag Manager, a tracker)",
        ),
        (5, "<iframe src>", "https://player.video.example"),
        (
            6,
            "<link href>",
            "https://fonts.googleapis.com (Google Fonts, a tracker)",
        ),
        (7, "<link href>", "https://preload.example"),
        (8, "<link href>", "https://icons.example"),
        (9, "<form action>", "https://forms.example"),
        (10, "<video src>", "https://media.example"),
        (11, "<source src>", "https://media.example"),
        (12, "<object data>", "https://objects.example"),
        (12, "<embed src>", "https://embeds.example"),
        (13, "<img srcset>", "https://images.example"),
        (14, "CSS url()", "https://fonts.example"),
    ] {
        assert_contains(
            &run.stderr,
            &format!(
                "error[privacy/third-party]: `{element}` makes every visitor's browser contact {origin}: pages may load only from this site"
            ),
        );
        assert_contains(&run.stderr, &format!("--> {file}:{line}:"));
    }
    assert_contains(&run.stderr, "<video poster>");
    assert_lacks(&run.stderr, "openstreetmap");
    assert_lacks(&run.stderr, "elsewhere.example");
    assert_eq!(
        site.fingerprint("public"),
        before,
        "a failed build changed public/"
    );
}

#[test]
fn a_tracking_pixel_in_a_page_is_named_with_the_reason() {
    let site = Site::fixture("third_party");
    site.write(
        "content/about.md",
        "---\ntitle: About us\n---\nWe are a clinic.\n\n<img src=\"https://www.facebook.com/tr?id=1&ev=PageView\" alt=\"\" width=\"1\">\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.status, 1);
    insta::assert_snapshot!(run.stderr, @r#"
    error[privacy/third-party]: `<img src>` makes every visitor's browser contact https://www.facebook.com (the Meta (Facebook) Pixel, a tracker): pages may load only from this site
     --> content/about.md:6:11
      |
    6 | <img src="https://www.facebook.com/tr?id=1&ev=PageView" alt="" width="1">
      |           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
      |
    help: remove it: the US health department (HHS) warns that trackers on health pages can tell other companies what a patient reads about their health, which can break HIPAA. If it was reviewed and the site needs it, allow it in site.yaml:
          third_party:
            - origin: "https://www.facebook.com"
              reason: "what it is for and who approved it"

    The build stopped: 1 error. Nothing in public was changed.
    "#);
    let check = site.run(&["check"]);
    assert_eq!(check.status, 1);
    assert_contains(&check.stdout, "privacy/third-party");
}

#[test]
fn markdown_images_and_stylesheets_from_other_sites_are_found() {
    let site = Site::fixture("third_party");
    site.write(
        "content/about.md",
        "---\ntitle: About us\n---\nOur chart:\n\n![A chart of results](https://cdn.example.org/chart.png)\n",
    );
    site.write(
        "themes/mini/static/style.css",
        "/* mini */\n@import \"https://css.example/more.css\";\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.status, 1);
    assert_contains(&run.stderr, "--> content/about.md:6:23");
    assert_contains(
        &run.stderr,
        "`CSS @import` makes every visitor's browser contact https://css.example",
    );
    assert_contains(&run.stderr, "--> themes/mini/static/style.css:2:10");
}

#[test]
fn third_party_lets_a_reviewed_origin_through_and_into_the_policy() {
    let site = Site::fixture("third_party");
    site.write(
        "content/about.md",
        "---\ntitle: About us\n---\n<img src=\"https://images.example/team.jpg\" alt=\"Our team\">\n",
    );
    site.write(
        "site.yaml",
        &format!(
            "{}third_party:\n  - origin: \"https://images.example\"\n    reason: \"Team photos host; approved by the privacy officer\"\n",
            site.read("site.yaml")
        ),
    );
    site.build(&[]);
    assert_contains(
        &site.read("public/_headers"),
        "img-src 'self' https://images.example;",
    );
}

#[test]
fn third_party_entries_need_an_origin_and_a_reason() {
    let site = Site::fixture("third_party");
    site.write(
        "site.yaml",
        &format!(
            "{}third_party:\n  - origin: \"https://ok.example\"\n    reason: \"\"\n  - origin: \"https://bad.example/path/script.js\"\n    reason: Booking\n",
            site.read("site.yaml")
        ),
    );
    let run = site.run(&["build"]);
    assert_eq!(run.status, 1);
    assert_contains(
        &run.stderr,
        "error[config/third-party]: `https://ok.example` has no reason\n --> site.yaml:7:1",
    );
    assert_contains(
        &run.stderr,
        "error[config/third-party]: `https://bad.example/path/script.js` is not an origin\n --> site.yaml:9:1",
    );
    assert_contains(
        &run.stderr,
        "help: write only `https://` and the site's name, without a path: `origin: \"https://bad.example\"`",
    );

    site.write(
        "site.yaml",
        "title: Test Clinic\ntheme: mini\nthird_party:\n  - origin: \"https://ok.example\"\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.status, 1);
    assert_contains(
        &run.stderr,
        "error[yaml/invalid]: `reason` is missing in `third_party`",
    );
    assert_contains(&run.stderr, "--> site.yaml:4:5");
}
