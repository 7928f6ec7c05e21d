//! One source of truth for each office: its facts are written once, in the default-language
//! file, and every language shows them (fixture `offices`, with the built-in clinic theme:
//! North has a Spanish translation holding only its parking note, South has none).

use crate::failures::fails;
use crate::support::{Site, assert_contains, assert_lacks};

const NORTH: &str = "content/locations/north.md";
const NORTH_ES: &str = "content/locations/north.es.md";

#[test]
fn changing_an_office_once_changes_every_language() {
    let site = Site::fixture("offices");
    site.build(&[]);
    let (en, es) = (
        "public/locations/north/index.html",
        "public/es/locations/north/index.html",
    );
    assert_contains(&site.read(en), "5:00 PM");
    assert_contains(&site.read(es), "5:00 p.\u{a0}m.");
    assert_contains(&site.read(es), "Estacione detrás del edificio.");

    let north = site.read(NORTH);
    site.write(
        NORTH,
        &north
            .replace("closes: \"17:00\"", "closes: \"18:30\"")
            .replace("305-555-0101", "305-555-0199"),
    );
    site.build(&[]);
    for (page, closes) in [(en, "6:30 PM"), (es, "6:30 p.\u{a0}m.")] {
        let html = site.read(page);
        assert_contains(&html, closes);
        assert_lacks(&html, "5:00");
        assert_contains(&html, "tel:+13055550199");
        assert_lacks(&html, "555-0101");
    }
    // The Spanish page keeps its own words.
    assert_contains(&site.read(es), "Estacione detrás del edificio.");
}

#[test]
fn an_office_without_a_translation_is_listed_in_every_language() {
    let site = Site::fixture("offices");
    let built = site.build(&[]);
    assert_contains(&built.stdout, " 1 warning: run `clinicsite check`.");
    assert!(!site.exists("public/es/locations/south/index.html"));
    for page in ["public/es/index.html", "public/es/locations/index.html"] {
        let html = site.read(page);
        // The office list and the footer name South, with its facts.
        assert_contains(&html, "/locations/south/\">South</a>");
        assert_contains(&html, "tel:+13055550102");
    }
    // So does the home page's structured data.
    assert_contains(
        &site.read("public/es/index.html"),
        "\"@id\":\"https://clinic.test/locations/south/#clinic\"",
    );
    assert_contains(
        &site.read("public/es/index.html"),
        "Consultorios en North y South",
    );
    assert_contains(
        &site.read("public/index.html"),
        "Offices in North and South",
    );

    let check = site.run(&["check"]);
    assert_eq!(check.status, 0, "{}", check.stdout);
    assert_contains(
        &check.stdout,
        "warning[translation/missing]: this page has no `es` translation\n--> content/locations/south.md\n",
    );
}

#[test]
fn a_translation_that_repeats_the_facts_is_an_error_naming_the_lines_to_delete() {
    let site = Site::fixture("offices");
    site.build(&[]);
    let before = site.fingerprint("public");
    let spanish = site.read(NORTH_ES).replace(
        "location:\n  parking: Estacione detrás del edificio.\n",
        "location:\n  name: North\n  street: \"100 North Road\"\n  parking: Estacione detrás del edificio.\n  hours:\n    - { days: [Mo], opens: \"09:00\", closes: \"12:00\" }\n",
    );
    site.write(NORTH_ES, &spanish);
    let stderr = fails(&site, &before, &[]);
    assert_contains(
        &stderr,
        "error[location/translated-facts]: a translation holds only words: the office's address, phone, hours and map are written once, in content/locations/north.md\n --> content/locations/north.es.md:5:3\n",
    );
    assert_contains(
        &stderr,
        "help: delete lines 5–6 and 8–9 under `location:` (keep `parking:`, the translated parking note); every language shows the facts of content/locations/north.md\n",
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn stand_in_hours_say_call_to_confirm_in_every_language() {
    let site = Site::fixture("offices");
    let north = site.read(NORTH);
    site.write(
        NORTH,
        &north.replace("  geo:", "  placeholder: [hours]\n  geo:"),
    );
    site.build(&[]);
    let en = site.read("public/locations/north/index.html");
    let es = site.read("public/es/locations/north/index.html");
    assert_contains(&en, "Call to confirm our hours.");
    assert_contains(&es, "Llame para confirmar nuestro horario.");
    for html in [&en, &es] {
        assert_lacks(html, "5:00");
        // Search engines are not told hours that may be wrong; the address is real.
        assert_lacks(html, "openingHoursSpecification");
        assert_contains(html, "\"streetAddress\":\"100 North Road\"");
    }
    // South's hours are real: shown and in the structured data.
    let south = site.read("public/locations/south/index.html");
    assert_contains(&south, "openingHoursSpecification");
    assert_lacks(&south, "Call to confirm our hours.");

    let check = site.run(&["check"]);
    assert_contains(
        &check.stdout,
        "warning[location/placeholder]: North: the opening hours are marked as stand-ins (`placeholder:`)",
    );
}

#[test]
fn translate_writes_only_the_words_of_an_office() {
    let site = Site::fixture("offices");
    let run = site.run(&["translate", "content/locations/south.md", "--lang", "es"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let spanish = site.read("content/locations/south.es.md");
    assert_contains(&spanish, "\ntitle: South\n");
    assert_contains(&spanish, "\ndraft: true");
    for fact in ["location:", "street:", "phone:", "hours:", "geo:", "name:"] {
        assert_lacks(&spanish, fact);
    }
    // With a parking note, `location:` keeps only that.
    let run = site.run(&["translate", NORTH, "--lang", "es"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    site.remove(NORTH_ES);
    let run = site.run(&["translate", NORTH, "--lang", "es"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let spanish = site.read(NORTH_ES);
    assert_contains(
        &spanish,
        "\nlocation:\n  parking: Park behind the building.\n",
    );
    for fact in ["street:", "phone:", "hours:", "geo:", "name:"] {
        assert_lacks(&spanish, fact);
    }
}

#[test]
fn an_offices_photo_is_shown_in_every_language_with_its_description_translated() {
    let site = Site::fixture("offices");
    std::fs::write(
        site.path("content/locations/north-door.jpg"),
        crate::images::photo(64, 48, 1),
    )
    .expect("write the photo");
    let north = site.read(NORTH);
    site.write(
        NORTH,
        &north.replace(
            "weight: 1\n",
            "weight: 1\nimage: { src: north-door.jpg, alt: \"The front door of our North office\" }\n",
        ),
    );
    site.build(&[]);
    let (en, es) = (
        "public/locations/north/index.html",
        "public/es/locations/north/index.html",
    );
    // Without `image:`, the translation shows its original's photo and description.
    for page in [en, es] {
        let html = site.read(page);
        assert_contains(&html, "<div class=\"lead-image\">");
        assert_contains(&html, "north-door");
        assert_contains(&html, "alt=\"The front door of our North office\"");
    }

    // `image: { alt: "…" }`: the same photo, described in Spanish.
    let north_es = site.read(NORTH_ES);
    site.write(
        NORTH_ES,
        &north_es.replace(
            "location:\n",
            "image: { alt: \"La puerta de nuestro consultorio Norte\" }\nlocation:\n",
        ),
    );
    site.build(&[]);
    let spanish = site.read(es);
    assert_contains(&spanish, "north-door");
    assert_contains(&spanish, "alt=\"La puerta de nuestro consultorio Norte\"");
    assert_lacks(&spanish, "The front door");
    assert_contains(&site.read(en), "alt=\"The front door of our North office\"");
    let (en_html, es_html) = (site.read(en), site.read(es));
    let picture = |html: &str, climbs: usize| {
        let start = html
            .find("<div class=\"lead-image\">")
            .expect("a lead image");
        let end = start + html[start..].find("</div>").expect("its end");
        html[start..end]
            .replace(&"../".repeat(climbs), "/")
            .replace("The front door of our North office", "ALT")
    };
    assert_eq!(
        picture(&en_html, 2),
        // The Spanish page is one folder deeper: its links climb one `../` more.
        picture(&es_html, 3).replace("La puerta de nuestro consultorio Norte", "ALT")
    );

    // A photo of its own drifts from the original's: an error naming the line.
    let before = site.fingerprint("public");
    site.write(
        NORTH_ES,
        &north_es.replace(
            "location:\n",
            "image: { src: north-door.jpg, alt: \"La puerta\" }\nlocation:\n",
        ),
    );
    let stderr = fails(&site, &before, &[]);
    assert_contains(
        &stderr,
        "error[location/translated-facts]: a translation holds only words: the office's photo is written once, in content/locations/north.md\n --> content/locations/north.es.md:4:1\n",
    );
    assert_contains(
        &stderr,
        "help: delete `src:` from `image:` on line 4 (keep `alt:`, the photo's description in this language, like `image: { alt: \"…\" }`); every language shows the photo of content/locations/north.md\n",
    );

    // `translate` copies only the description.
    site.remove(NORTH_ES);
    let run = site.run(&["translate", NORTH, "--lang", "es"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_contains(
        &site.read(NORTH_ES),
        "\nimage: { alt: \"The front door of our North office\" }\n",
    );
}

#[test]
fn an_image_without_src_is_an_error_in_the_original_and_without_one_to_share() {
    let site = Site::fixture("offices");
    site.build(&[]);
    let before = site.fingerprint("public");
    let north = site.read(NORTH);
    site.write(
        NORTH,
        &north.replace(
            "weight: 1\n",
            "weight: 1\nimage: { alt: \"The front door\" }\n",
        ),
    );
    let north_es = site.read(NORTH_ES);
    site.write(
        NORTH_ES,
        &north_es.replace("location:\n", "image: { alt: \"La puerta\" }\nlocation:\n"),
    );
    let stderr = fails(&site, &before, &[]);
    assert_contains(
        &stderr,
        "error[content/image-missing]: `image:` has no `src:`, the photo's file name\n --> content/locations/north.md:5:1\n",
    );
    assert_contains(
        &stderr,
        "help: write the file name of the photo beside this page, like `image: { src: front-desk.jpg, alt: \"The front door\" }`\n",
    );
    assert_contains(
        &stderr,
        "error[content/image-missing]: `image:` gives only `alt:`, and content/locations/north.md has no photo to show with it\n --> content/locations/north.es.md:4:1\n",
    );
}

#[test]
fn a_mistake_in_the_original_is_reported_on_the_original_alone() {
    let site = Site::fixture("offices");
    site.build(&[]);
    let before = site.fingerprint("public");
    let north = site.read(NORTH);
    // A wrong value outside `location:`: the file cannot be read.
    site.write(NORTH, &north.replace("weight: 1", "weight: first"));
    let north_es = site.read(NORTH_ES);
    site.write(
        NORTH_ES,
        &north_es.replace("location:\n", "image: { alt: \"La puerta\" }\nlocation:\n"),
    );
    let stderr = fails(&site, &before, &[]);
    assert_contains(&stderr, "--> content/locations/north.md:4:9\n");
    assert_contains(&stderr, "The build stopped: 1 error.");
    assert_lacks(&stderr, "north.es.md");
}

/// A wrong kind of value in an office (`days: Monday`, a list where text is wanted) does not
/// hide the office's other mistakes.
#[test]
fn every_mistake_in_an_office_is_reported_at_once() {
    let site = Site::fixture("offices");
    site.build(&[]);
    let before = site.fingerprint("public");
    let north = site.read(NORTH)
        .replace("days: [Mo, Tu, We, Th, Fr]", "days: Monday")
        .replace("  street: \"100 North Road\"\n", "")
        .replace("phone: \"305-555-0101\"", "phone: [305-555-0101]")
        .replace("geo: { lat: 25.8, lng: -80.2 }", "geo: { lat: north, lng: -80.2 }\n  map_url: www.example.com")
        .replace("  parking:", "  placeholder: yes\n    - { days: [Sa], opens: \"9am\", closes: \"12:00\" }\n  parking:");
    let north = north
        .replace(
            "  placeholder: yes\n    - { days: [Sa]",
            "    - { days: [Sa]",
        )
        .replace("  parking:", "  placeholder: yes\n  parking:");
    site.write(NORTH, &north);
    let stderr = fails(&site, &before, &[]);
    for expected in [
        "error[location/missing-fact]: the office's `street` is missing\n --> content/locations/north.md:5:1\n",
        "error[yaml/invalid]: wrong kind of value in `location.phone`: expected text, found a list\n  --> content/locations/north.md:10:10\n",
        "help: write it without brackets: `phone: \"305-555-0101\"`\n",
        "error[yaml/invalid]: wrong kind of value in `location.geo.lat`: expected a number, found string \"north\"\n",
        "error[location/map-url]: `www.example.com` is not a web address\n",
        "error[yaml/invalid]: `Monday` is not written as a list of days in `location.hours`\n",
        "help: write `days: [Mo]` (two letters a day: Mo, Tu, We, Th, Fr, Sa, Su)\n",
        "error[location/hours]: `9am` is not a time written as 24-hour HH:MM\n",
        "error[yaml/invalid]: `yes` does not say which facts are stand-ins in `location.placeholder`\n",
        "help: list them, like `placeholder: [address, hours]`, or delete the line once every fact is real\n",
        "The build stopped: 7 errors.",
    ] {
        assert_contains(&stderr, expected);
    }
    // A fact written wrong is not also reported as missing.
    assert_lacks(&stderr, "`phone` is missing");
    assert_lacks(&stderr, "`geo` (its map position) is missing");
    insta::assert_snapshot!(stderr);
}
