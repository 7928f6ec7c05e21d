//! What a clean build writes: pages, sections of each kind, bundles, order and drafts.

use crate::support::{Site, assert_contains, assert_lacks};

#[test]
fn pages_and_nested_sections_get_their_addresses() {
    let site = Site::fixture("pages");
    site.build(&[]);
    assert_eq!(
        site.pages(),
        [
            "about/index.html",
            "guides/first-visit/index.html",
            "guides/index.html",
            "guides/skin/index.html",
            "guides/skin/sunscreen/index.html",
            "index.html",
        ]
    );
    let sunscreen = site.read("public/guides/skin/sunscreen/index.html");
    assert_contains(
        &sunscreen,
        r#"section: <a href="../../../guides/skin/">Skin care</a>"#,
    );
    let guides = site.read("public/guides/index.html");
    assert_contains(
        &guides,
        r#"<li><a href="../guides/first-visit/">Your first visit</a></li>"#,
    );
    assert_contains(
        &guides,
        r#"<li><a href="../guides/skin/">Skin care</a></li>"#,
    );
    insta::assert_snapshot!(site.output());
}

#[test]
fn faq_sections_group_entries_by_category() {
    let site = Site::fixture("faq");
    site.build(&[]);
    let section = site.read("public/faq/index.html");
    let about = section
        .find(r#"<h2 id="about-it">About it</h2>"#)
        .expect("the first category");
    let comfort = section
        .find(r#"<h2 id="comfort">Comfort</h2>"#)
        .expect("the second category");
    let more = section
        .find(r#"<h2 id="more-questions">More questions</h2>"#)
        .expect("entries without a category");
    assert!(
        about < comfort && comfort < more,
        "categories in the order the section lists them:\n{section}"
    );

    let entry = site.read("public/faq/what-is-it/index.html");
    assert_contains(&entry, "<p>summary: A skin treatment.</p>");
    assert_contains(
        &entry,
        r#"category: <a href="../../faq/#about-it">About it</a>"#,
    );
    assert_contains(
        &entry,
        r#"<li><a href="../../faq/who-is-it-for/">Who is it for?</a></li>"#,
    );
    assert_lacks(&entry, "Does it hurt?");
    let reviewed = site.read("public/faq/does-it-hurt/index.html");
    assert_contains(
        &reviewed,
        r#"reviewed by: Dr. Test on <time datetime="2026-01-15">January 15, 2026</time>"#,
    );
    insta::assert_snapshot!(site.output());
}

#[test]
fn location_pages_show_address_phone_and_hours() {
    let site = Site::fixture("locations");
    site.build(&[]);
    let north = site.read("public/locations/north/index.html");
    assert_contains(&north, r#"<a href="tel:+13055550101">305-555-0101</a>"#);
    assert_contains(&north, "<li>Monday–Friday: 9:00 AM to 5:30 PM</li>");
    assert_contains(&north, "<li>Saturday: 10:00 AM to 2:00 PM</li>");
    let south = site.read("public/locations/south/index.html");
    assert_contains(&south, "<li>Monday, Wednesday: 12:00 PM to 8:00 PM</li>");
    let list = site.read("public/locations/index.html");
    let (n, s) = (
        list.find("North").expect("north listed"),
        list.find("South").expect("south listed"),
    );
    assert!(n < s, "locations in weight order:\n{list}");
    insta::assert_snapshot!(site.output());
}

#[test]
fn bundle_files_are_copied_beside_their_page() {
    let site = Site::fixture("bundle");
    site.build(&[]);
    // A 1 × 1 PNG without metadata is published as it is, with a WebP copy beside it.
    let source = std::fs::read(site.path("content/treatments/results/photo.png"))
        .expect("the fixture photo");
    let copied = std::fs::read(site.path("public/treatments/results/photo.png"))
        .expect("the photo is copied beside the page");
    assert_eq!(source, copied);
    assert!(site.exists("public/treatments/results/photo-1.webp"));
    let page = site.read("public/treatments/results/index.html");
    assert_contains(
        &page,
        r#"<img src="../../treatments/results/photo.png" width="1" height="1" alt="Before and after" fetchpriority="high">"#,
    );
    assert_contains(
        &page,
        r#"<a href="../../treatments/results/photo.png">the full-size photo</a>"#,
    );
    insta::assert_snapshot!(site.output());
}

#[test]
fn pages_are_ordered_by_weight_then_title() {
    let site = Site::fixture("ordering");
    site.build(&[]);
    let list = site.read("public/list/index.html");
    let titles: Vec<&str> = list
        .lines()
        .filter_map(|line| {
            line.strip_prefix("<li><a href=\"")?
                .split_once("\">")?
                .1
                .strip_suffix("</a></li>")
        })
        .collect();
    // Lowest weight first, then title (ignoring case); pages without a weight come last.
    assert_eq!(
        titles,
        ["Omega", "alpha", "Zeta", "Beta", "Aardvark", "Delta"]
    );
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = Site::fixture("drafts");
    site.build(&[]);
    assert_eq!(site.pages(), ["index.html", "published/index.html"]);
    let home = site.read("public/index.html");
    assert_lacks(&home, "Unfinished page");
    assert_lacks(&home, "Upcoming section");

    site.build(&["--drafts"]);
    assert_eq!(
        site.pages(),
        [
            "index.html",
            "published/index.html",
            "unfinished/index.html",
            "upcoming/index.html",
            "upcoming/inside/index.html",
        ]
    );
    let home = site.read("public/index.html");
    assert_contains(
        &home,
        r#"<li><a href="./unfinished/">Unfinished page</a></li>"#,
    );
    assert_contains(
        &home,
        r#"<li><a href="./upcoming/">Upcoming section</a></li>"#,
    );

    // Back to a normal build: the drafts' files go again.
    site.build(&[]);
    assert!(
        !site.exists("public/unfinished") && !site.exists("public/upcoming"),
        "{:?}",
        site.files("public")
    );
}

#[test]
fn the_same_site_gives_the_same_bytes_whatever_the_thread_count() {
    let outputs: Vec<String> = ["1", "4"]
        .into_iter()
        .map(|threads| {
            let site = Site::fixture("faq");
            let run = site.run_with(&site.root, &[("RAYON_NUM_THREADS", threads)], &["build"]);
            assert_eq!(run.status, 0, "{}", run.stderr);
            // The manifest's `# checked` line keys the output folder's own path (path
            // lengths depend on it), which differs between the two copies.
            let manifest: String = site
                .record("public", "manifest")
                .lines()
                .filter(|line| !line.starts_with("# checked "))
                .map(|line| format!("{line}\n"))
                .collect();
            site.output() + &manifest
        })
        .collect();
    assert_eq!(outputs[0], outputs[1]);
}

/// Files are staged inside the output while the site renders; a build with an error found
/// only by rendering (a template error) must take the staging away again, and the output
/// folder with it when the build made it.
#[test]
fn a_build_that_fails_while_rendering_leaves_no_output_folder_behind() {
    let site = Site::fixture("pages");
    site.write(
        "themes/mini/templates/page.html",
        "{{ page.title | no_such_filter }}",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.status, 1, "stderr:\n{}", run.stderr);
    assert_contains(&run.stderr, "no_such_filter");
    assert!(
        !site.exists("public"),
        "the failed build left public/ behind"
    );
}

#[test]
fn a_successful_build_leaves_no_staging_folder() {
    let site = Site::fixture("pages");
    site.build(&[]);
    site.write(
        "content/about.md",
        "---\ntitle: About us, again\n---\nNew words.\n",
    );
    site.build(&[]);
    let staging = site
        .files("public")
        .into_iter()
        .filter(|f| f.starts_with(".clinicsite-staging"))
        .collect::<Vec<_>>();
    assert_eq!(staging, Vec::<String>::new());
    assert_contains(&site.read("public/about/index.html"), "New words.");
}
