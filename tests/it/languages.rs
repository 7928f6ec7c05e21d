//! Two languages: Spanish pages under /es/, language links that find the nearest translated
//! page, hreflang pairs both ways, the theme's words per language, sitemap alternates, and
//! translations kept in step with their originals.

use crate::support::{Site, assert_contains, assert_lacks};

fn built() -> Site {
    let site = Site::fixture("bilingual");
    site.build(&[]);
    site
}

#[test]
fn translations_live_under_their_language() {
    let site = built();
    let pages = site.pages();
    for page in [
        "es/index.html",
        "es/faq/index.html",
        "es/faq/pain/index.html",
        "faq/pain/index.html",
    ] {
        assert!(
            pages.iter().any(|p| p == page),
            "{page} missing from {pages:?}"
        );
    }
    let spanish = site.read("public/es/faq/pain/index.html");
    assert_contains(&spanish, "<html lang=\"es\">");
    assert_contains(&spanish, "<title>¿Duele? | Clínica de Prueba</title>");
    assert_contains(&spanish, "<a href=\"../../../es/\">Inicio</a>");
    assert_contains(&spanish, "<p>Revisado el 15 de octubre de 2026</p>");
    let english = site.read("public/faq/pain/index.html");
    assert_contains(&english, "<p>Reviewed on October 15, 2026</p>");
}

#[test]
fn hreflang_links_pair_both_ways() {
    let site = built();
    for page in [
        "public/faq/pain/index.html",
        "public/es/faq/pain/index.html",
    ] {
        let html = site.read(page);
        assert_contains(
            &html,
            "<link rel=\"alternate\" hreflang=\"en\" href=\"https://www.example.org/faq/pain/\">",
        );
        assert_contains(
            &html,
            "<link rel=\"alternate\" hreflang=\"es\" href=\"https://www.example.org/es/faq/pain/\">",
        );
    }
    // A page with one version has no alternates but itself.
    let alone = site.read("public/faq/sessions/index.html");
    assert_lacks(&alone, "hreflang=\"es\" href=\"https://");
}

#[test]
fn the_language_switcher_falls_back_to_the_translated_section() {
    let site = built();
    let translated = site.read("public/faq/pain/index.html");
    assert_contains(
        &translated,
        "<a hreflang=\"es\" href=\"../../es/faq/pain/\" data-translated=\"true\">es</a>",
    );
    let untranslated = site.read("public/faq/sessions/index.html");
    assert_contains(
        &untranslated,
        "<a hreflang=\"es\" href=\"../../es/faq/\" data-translated=\"false\">es</a>",
    );
}

#[test]
fn the_sitemap_lists_alternates_with_x_default() {
    let site = built();
    let sitemap = site.read("public/sitemap.xml");
    roxmltree::Document::parse(&sitemap).expect("the sitemap is XML");
    assert_contains(
        &sitemap,
        "<loc>https://www.example.org/es/faq/pain/</loc>\n    <lastmod>2026-10-15</lastmod>\n    <xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://www.example.org/faq/pain/\"/>\n    <xhtml:link rel=\"alternate\" hreflang=\"es\" href=\"https://www.example.org/es/faq/pain/\"/>\n    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"https://www.example.org/faq/pain/\"/>\n",
    );
    assert!(site.exists("public/search-index.es.json"));
    assert!(site.exists("public/search-index.en.json"));
}

#[test]
fn a_theme_word_missing_in_one_language_is_an_error() {
    let site = built();
    site.write("themes/bi/i18n/es.yaml", "home: Inicio\n");
    let run = site.run(&["build"]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert_contains(
        &run.stderr,
        "error[i18n/missing-key]: `reviewed` has no `es` translation\n--> themes/bi/i18n/es.yaml\n",
    );
    assert_contains(
        &run.stderr,
        "help: add a line `reviewed: ...` with the es text (en.yaml has it)",
    );
}

#[test]
fn a_file_in_an_undeclared_language_is_an_error() {
    let site = built();
    site.write("content/faq/pain.fr.md", "---\ntitle: Ça fait mal ?\n---\n");
    let run = site.run(&["build"]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert_contains(
        &run.stderr,
        "error[site/unknown-language]: `fr` is not one of the site's languages\n--> content/faq/pain.fr.md\n",
    );
}

#[test]
fn a_translated_page_needs_its_section_translated() {
    let site = built();
    site.remove("content/faq/_index.es.md");
    let run = site.run(&["build"]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert_contains(
        &run.stderr,
        "error[site/untranslated-section]: this page is in `es`, but its section has no `es` version: content/faq/_index.es.md",
    );
    // The help's command starts the section's translation; the page then waits for it.
    assert_contains(
        &run.stderr,
        "help: translate the section first: `clinicsite translate content/faq/_index.md --lang es` makes its `es` copy",
    );
    let run = site.run(&["translate", "content/faq/_index.md", "--lang", "es"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let run = site.run(&["build"]);
    assert_lacks(&run.stderr, "untranslated-section");
}

#[test]
fn a_translation_waiting_for_its_draft_section_is_told_so() {
    let site = built();
    // The Spanish FAQ section goes back to being a draft: its translated page is held back.
    site.write(
        "content/faq/_index.es.md",
        "---\ntitle: Preguntas\ndraft: true\nkind: faq\ncategories: [Comodidad]\n---\n",
    );
    let check = site.run(&["check"]);
    assert_contains(
        &check.stdout,
        "warning[translation/missing]: this page has no `es` translation\n--> content/faq/pain.md\n",
    );
    assert_contains(
        &check.stdout,
        "help: content/faq/_index.es.md is still a draft, so no page in content/faq/ is published in Spanish: translate it, then remove `draft: true`\n",
    );
    assert_lacks(&check.stdout, "content/faq/pain.es.md is still a draft");

    // A draft Spanish home page: the site's stand-in home is no translation and has no file
    // of its own to fault.
    site.write(
        "content/_index.es.md",
        "---\ntitle: Inicio\ndraft: true\n---\nBienvenidos.\n",
    );
    let check = site.run(&["check"]);
    assert_contains(
        &check.stdout,
        "warning[translation/missing]: this page has no `es` translation\n--> content/_index.md\n",
    );
    assert_lacks(&check.stdout, "── content/_index.es.md");
}

#[test]
fn translate_starts_a_translation_and_marks_it_up_to_date() {
    let site = built();
    let run = site.run(&[
        "translate",
        "content/faq/sessions.md",
        "--lang",
        "es",
        "--root",
        ".",
    ]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_contains(
        &run.stdout,
        "Created content/faq/sessions.es.md, a draft copy of content/faq/sessions.md.",
    );
    let draft = site.read("content/faq/sessions.es.md");
    assert_contains(&draft, "draft: true");
    let fingerprint = draft
        .lines()
        .find_map(|l| l.strip_prefix("translated_from: "))
        .expect("translated_from is filled in")
        .trim_matches('"')
        .to_string();
    assert_eq!(fingerprint.len(), 12);
    // Until the draft is published, `check` points at it rather than at `translate` again.
    let check = site.run(&["check"]);
    assert_contains(
        &check.stdout,
        "warning[translation/missing]: this page has no `es` translation\n--> content/faq/sessions.md\n",
    );
    assert_contains(
        &check.stdout,
        "help: content/faq/sessions.es.md is still a draft: translate it, then remove `draft: true`\n",
    );

    // The original changes: translating again records the new fingerprint.
    site.write(
        "content/faq/sessions.md",
        &site
            .read("content/faq/sessions.md")
            .replace("four to six", "four to six, a few weeks apart"),
    );
    let run = site.run(&[
        "translate",
        "content/faq/sessions.md",
        "--lang",
        "es",
        "--root",
        ".",
    ]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_contains(
        &run.stdout,
        "Marked content/faq/sessions.es.md as up to date with content/faq/sessions.md.",
    );
    let updated = site.read("content/faq/sessions.es.md");
    assert_lacks(&updated, &fingerprint);
    assert_eq!(updated.matches("translated_from:").count(), 1);
}

#[test]
fn new_faq_in_spanish_goes_in_the_spanish_section() {
    let site = built();
    let run = site.run(&[
        "new",
        "faq",
        "¿Puedo maquillarme después?",
        "--lang",
        "es",
        "--root",
        ".",
    ]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_contains(
        &site.read("content/faq/puedo-maquillarme-despues.es.md"),
        "category: \"Comodidad\"",
    );
    let run = site.run(&["new", "faq", "Question?", "--lang", "fr", "--root", "."]);
    assert_eq!(run.status, 1);
    assert_contains(&run.stderr, "`fr` is not one of the site's other languages");

    // Without a Spanish FAQ section, the help gives the command that makes one.
    site.remove("content/faq/_index.es.md");
    let run = site.run(&["new", "faq", "¿Duele?", "--lang", "es", "--root", "."]);
    assert_eq!(run.status, 1);
    assert_contains(
        &run.stderr,
        "error[new/no-faq-section]: the FAQ section has no `es` version yet",
    );
    assert_contains(
        &run.stderr,
        "help: translate the section first: `clinicsite translate content/faq/_index.md --lang es`, then run this command again",
    );
    let run = site.run(&["translate", "content/faq/_index.md", "--lang", "es"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let run = site.run(&["new", "faq", "¿Duele?", "--lang", "es", "--root", "."]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(site.exists("content/faq/duele.es.md"));
}

#[test]
fn check_follows_each_translation_from_untracked_to_up_to_date_to_stale() {
    let site = built();
    let check = |site: &Site| {
        let run = site.run(&["check", "--root", ".", "--today", "2026-11-24"]);
        format!("{}{}", run.stdout, run.stderr)
    };
    let report = check(&site);
    assert_contains(
        &report,
        "warning[translation/missing]: this page has no `es` translation\n--> content/faq/sessions.md",
    );
    assert_contains(
        &report,
        "warning[translation/untracked]: this translation does not say which version of content/faq/pain.md it was made from",
    );

    let run = site.run(&[
        "translate",
        "content/faq/pain.md",
        "--lang",
        "es",
        "--root",
        ".",
    ]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let report = check(&site);
    assert_lacks(&report, "which version of content/faq/pain.md");
    assert_lacks(&report, "translation/stale");

    site.write(
        "content/faq/pain.md",
        &site
            .read("content/faq/pain.md")
            .replace("## Numbing cream", "## Numbing cream first"),
    );
    let report = check(&site);
    assert_contains(
        &report,
        "warning[translation/stale]: content/faq/pain.md changed after this translation was made\n --> content/faq/pain.es.md:",
    );
    assert_contains(
        &report,
        "run `clinicsite translate content/faq/pain.md --lang es` to mark it up to date",
    );
}

/// The Spanish search finds a page by the words patients type: its title, summary and
/// headings, its `tags`, and the other words of a `synonyms:` group the page uses (so
/// "microagujado" finds a page titled "microneedling"). Pages that use none get no key terms.
#[test]
fn the_search_index_holds_each_pages_key_terms() {
    let site = Site::fixture("search_terms");
    site.build(&[]);
    let index: serde_json::Value =
        serde_json::from_str(&site.read("public/search-index.es.json")).expect("JSON");
    let entries = index.as_array().expect("a list of pages");
    let pain = entries
        .iter()
        .find(|e| e["u"] == "es/faq/pain/")
        .expect("the page is indexed");
    assert_eq!(pain["t"], "¿Duele el microneedling?");
    assert_eq!(pain["h"], "Crema anestésica");
    assert_eq!(pain["k"], "anestesia microagujado micropunción");
    let price = entries
        .iter()
        .find(|e| e["u"] == "es/faq/price/")
        .expect("the page is indexed");
    assert_eq!(price.get("k"), None, "{price}");
    assert_contains(
        &site.read("public/search-index.en.json"),
        "\"k\":\"microagujado micropunción\"",
    );
}

#[test]
fn translate_points_links_at_pages_already_translated() {
    let site = built();
    site.write(
        "content/faq/sessions.md",
        &format!(
            "{}\nSee [does it hurt](pain.md#numbing), [all questions](@/faq/_index.md) and [home](../_index.md).\n",
            site.read("content/faq/sessions.md")
        ),
    );
    let run = site.run(&["translate", "content/faq/sessions.md", "--lang", "es"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let draft = site.read("content/faq/sessions.es.md");
    assert_contains(
        &draft,
        "See [does it hurt](pain.es.md#numbing), [all questions](@/faq/_index.es.md) and [home](../_index.es.md).",
    );
}

#[test]
fn a_spanish_page_linking_to_an_english_page_with_a_spanish_version_is_warned() {
    let site = built();
    site.write(
        "content/faq/pain.es.md",
        &format!(
            "{}\nLea [¿Duele? (inglés)](pain.md) o [el resumen](_index.md).\n",
            site.read("content/faq/pain.es.md")
        ),
    );
    let run = site.run(&["check"]);
    // Its own English version is a deliberate link; the section's is not.
    assert_lacks(&run.stdout, "`pain.md`, the `en` version");
    assert_contains(
        &run.stdout,
        "warning[link/other-language]: this page is in `es`, but the link goes to `_index.md`, the `en` version\n  --> content/faq/pain.es.md:10:35\n",
    );
    assert_contains(
        &run.stdout,
        "help: link to the page in the reader's language: `_index.es.md`",
    );
}

/// `translate` starts a translation as a draft copy in English: removing `draft: true` before
/// translating it stops the build, naming the lines still in English and the line to put
/// back; a translation with one English line left is named by that line.
#[test]
fn a_translation_published_before_it_is_translated_stops_the_build() {
    let site = Site::fixture("untranslated");
    site.build(&[]);
    let run = site.run(&["translate", "content/_index.md", "--lang", "es"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    // A draft copy is fine: it is not published.
    site.build(&[]);
    let before = site.fingerprint("public");
    let copy = site.read("content/_index.es.md");
    let published: String = copy
        .lines()
        .filter(|l| !l.starts_with("draft:"))
        .map(|l| format!("{l}\n"))
        .collect();
    site.write("content/_index.es.md", &published);
    let stderr = crate::failures::fails(&site, &before, &[]);
    assert_contains(
        &stderr,
        "error[translation/untranslated]: this page is not translated yet: its title, its description and lines 6 and 8 still have the English words of content/_index.md\n --> content/_index.es.md:6:1\n",
    );
    assert_contains(
        &stderr,
        "help: write them in Spanish, or put the line `draft: true` back under `title:` to keep this page off the site until it is translated\n",
    );
    insta::assert_snapshot!(stderr);
    let check = site.run(&["check"]);
    assert_eq!(check.status, 1);
    assert_contains(&check.stdout, "error[translation/untranslated]");

    // Translated but for one line.
    let partly = published
        .replace("Welcome to our clinic", "Bienvenidos a nuestra clínica")
        .replace(
            "Plain answers about microneedling, written for patients.",
            "Respuestas claras sobre el microneedling, escritas para pacientes.",
        )
        .replace(
            "We answer your questions about microneedling.",
            "Respondemos sus preguntas sobre el microneedling.",
        );
    site.write("content/_index.es.md", &partly);
    let stderr = crate::failures::fails(&site, &before, &[]);
    assert_contains(
        &stderr,
        "error[translation/untranslated]: this page is not translated yet: line 8 still has the English words of content/_index.md\n --> content/_index.es.md:8:1\n",
    );

    // Kept findings know the original's words: once the English line changes, the Spanish
    // one no longer copies it.
    let original = site.read("content/_index.md");
    site.write(
        "content/_index.md",
        &original.replace("help you feel at ease", "help you feel calm"),
    );
    site.build(&[]);
    site.write("content/_index.md", &original);

    let done = partly.replace(
        "Our team is here to help you feel at ease.",
        "Nuestro equipo está aquí para que se sienta tranquilo.",
    );
    site.write("content/_index.es.md", &done);
    site.build(&[]);
    assert_contains(
        &site.read("public/es/index.html"),
        "Nuestro equipo está aquí",
    );

    // Only the title left in English: the error points at the title.
    let before = site.fingerprint("public");
    site.write(
        "content/_index.es.md",
        &done.replace("Bienvenidos a nuestra clínica", "Welcome to our clinic"),
    );
    let stderr = crate::failures::fails(&site, &before, &[]);
    assert_contains(
        &stderr,
        "error[translation/untranslated]: this page is not translated yet: its title still has the English words of content/_index.md\n --> content/_index.es.md:2:8\n",
    );
    insta::assert_snapshot!("untranslated_title_only", stderr);
}

#[test]
fn a_draft_home_page_is_stood_in_for_like_a_missing_one() {
    // `translate` makes the Spanish home a draft; the answer and its section are translated.
    let site = Site::fixture("home_draft");
    let run = site.build(&[]);
    assert_contains(&run.stdout, "Built 6 pages");
    let pages = site.pages();
    for page in [
        "es/index.html",
        "es/faq/index.html",
        "es/faq/pain/index.html",
    ] {
        assert!(
            pages.iter().any(|p| p == page),
            "{page} missing from {pages:?}"
        );
    }
    let home = site.read("public/es/index.html");
    assert_contains(&home, "<h1>Test Clinic</h1>");
    assert_lacks(&home, "Welcome.");
    let check = site.run(&["check"]);
    assert_eq!(check.status, 0, "{}", check.stdout);
    assert_contains(
        &check.stdout,
        "warning[translation/missing]: this page has no `es` translation\n--> content/_index.md\n |\nhelp: content/_index.es.md is still a draft: translate it, then remove `draft: true`\n",
    );
    assert_eq!(check.stdout.matches("translation/missing").count(), 1);

    // Without the file, the same pages go out.
    site.remove("content/_index.es.md");
    site.build(&[]);
    assert_eq!(site.pages(), pages);
}

#[test]
fn a_translation_with_errors_of_its_own_is_not_called_missing() {
    let site = Site::fixture("home_draft");
    site.write(
        "content/faq/pain.es.md",
        "---\ntitle: ¿Duele?\ncategory: [Comodidad\n---\nUn poco.\n",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.status, 1);
    assert_contains(&run.stdout, "--> content/faq/pain.es.md:3:");
    assert_lacks(
        &run.stdout,
        "this page has no `es` translation\n--> content/faq/pain.md\n",
    );
}

/// The site's tagline and description with no words in another language are a warning that
/// `build` prints and counts and `check` reports, with the lines to write. Written, it goes.
#[test]
fn site_words_missing_in_a_language_are_a_reminder_with_the_lines_to_write() {
    let site = built();
    let warnings = |stdout: &str| -> usize {
        let (before, _) = stdout.split_once(" warning").unwrap_or(("0", ""));
        before
            .rsplit(' ')
            .next()
            .unwrap_or("0")
            .parse()
            .unwrap_or(0)
    };
    let yaml = "title: Test Clinic\ntheme: bi\nbase_url: https://www.example.org/\ntagline: Plain answers\ndescription: Answers about our care.\nlanguage: en\nlanguages: [en, es]\ntranslations:\n  es:\n    title: Clínica de Prueba\n";
    let translated = yaml.replace(
        "    title: Clínica de Prueba\n",
        "    title: Clínica de Prueba\n    tagline: Respuestas claras\n    description: Respuestas sobre nuestra atención.\n",
    );
    site.write("site.yaml", &translated);
    let run = site.build(&[]);
    assert_lacks(&run.stderr, "config/untranslated");
    let others = warnings(&run.stdout);
    assert!(others > 0, "{}", run.stdout);

    site.write("site.yaml", yaml);
    let warning = "warning[config/untranslated]: the `es` pages show the site's `tagline` and `description` in `en`: `translations:` has no `es` words for them\n --> site.yaml:8:1\n";
    let help = "help: write them in `es` under `translations:`, like `translations: { es: { tagline: \"Plain answers\", description: \"Answers about our care.\" } }` with the words translated\n";
    let run = site.build(&[]);
    assert_contains(&run.stderr, warning);
    assert_contains(&run.stderr, help);
    assert_eq!(warnings(&run.stdout), others + 1, "{}", run.stdout);
    let checked = site.run(&["check"]);
    assert_contains(&checked.stdout, warning);

    site.write(
        "site.yaml",
        &yaml.replace(
            "    title: Clínica de Prueba\n",
            "    title: Clínica de Prueba\n    tagline: Respuestas claras\n",
        ),
    );
    let run = site.build(&[]);
    assert_contains(
        &run.stderr,
        "the `es` pages show the site's `description` in `en`: `translations:` has no `es` words for it\n",
    );
}
