//! `clinicsite move OLD NEW` (fixture `move`): the page and its translations renamed, links
//! in every language rewritten with their anchors, the old addresses added to `aliases:` and
//! redirecting after a build, the refusals; and a broken link's suggestion staying in the
//! linking page's language.

use crate::support::{Site, assert_contains, assert_lacks};

#[test]
fn move_renames_a_page_and_its_translation_and_links_follow() {
    let site = Site::fixture("move");
    site.build(&[]);
    let run = site.run(&["move", "content/faq/pain.md", "content/faq/discomfort.md"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "Moved content/faq/pain.md to content/faq/discomfort.md.
Moved content/faq/pain.es.md to content/faq/discomfort.es.md.
Updated 1 link in content/_index.es.md.
Updated 2 links in content/_index.md.
Updated 1 link in content/about/visit.md.
Updated 1 link in content/faq/_index.es.md.
Updated 1 link in content/faq/_index.md.
Updated 1 link in content/faq/results/index.md.
Added /es/faq/pain/ to the aliases of content/faq/discomfort.es.md: visitors to the old address are sent to the new one.
Added /faq/pain/ to the aliases of content/faq/discomfort.md: visitors to the old address are sent to the new one.
"
    );
    assert!(!site.exists("content/faq/pain.md"));
    assert!(!site.exists("content/faq/pain.es.md"));
    // Links in both languages, relative and `@/`, with their anchors and reference links.
    assert_contains(
        &site.read("content/_index.md"),
        "[does it hurt](faq/discomfort.md#numbing) and [the results](@/faq/results/index.md).\n\n[pain]: @/faq/discomfort.md\n",
    );
    assert_contains(
        &site.read("content/_index.es.md"),
        "[¿duele?](faq/discomfort.es.md)",
    );
    assert_contains(
        &site.read("content/faq/_index.es.md"),
        "[¿duele?](discomfort.es.md#numbing)",
    );
    assert_contains(
        &site.read("content/about/visit.md"),
        "[if it hurts](@/faq/discomfort.md#numbing)",
    );
    assert_contains(
        &site.read("content/faq/results/index.md"),
        "[does it hurt](../discomfort.md)",
    );
    // The old address joins the aliases already there; the comment above stays.
    assert_eq!(
        site.read("content/faq/discomfort.md"),
        "---\ntitle: Does it hurt?\n# Old addresses that must still work.\naliases: [/old-pain/, /faq/pain/]\n---\n## Numbing\n\nWe use numbing cream. Read [the results](results/index.md) and [what to expect](../about/visit.md).\n"
    );
    assert_contains(
        &site.read("content/faq/discomfort.es.md"),
        "title: ¿Duele?\naliases: [/es/faq/pain/]\n---\n",
    );

    // The site builds with no broken link, and the old addresses redirect.
    site.build(&[]);
    assert!(site.exists("public/faq/discomfort/index.html"));
    assert_contains(
        &site.read("public/faq/pain/index.html"),
        "url=../../faq/discomfort/",
    );
    assert_contains(
        &site.read("public/es/faq/pain/index.html"),
        "es/faq/discomfort/",
    );
}

#[test]
fn move_takes_a_bundle_folder_with_its_files_and_fixes_its_own_links() {
    let site = Site::fixture("move");
    let run = site.run(&["move", "content/faq/results", "content/about/outcomes"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(site.exists("content/about/outcomes/index.md"));
    assert!(site.exists("content/about/outcomes/index.es.md"));
    assert!(site.exists("content/about/outcomes/photo.txt"));
    assert!(!site.exists("content/faq/results"));
    // Its link to a page that stayed now climbs one more folder.
    assert_contains(
        &site.read("content/about/outcomes/index.md"),
        "[does it hurt](../../faq/pain.md)",
    );
    assert_contains(
        &site.read("content/faq/pain.md"),
        "[the results](../about/outcomes/index.md)",
    );
    assert_contains(
        &site.read("content/about/outcomes/index.md"),
        "aliases: [/faq/results/]",
    );
    site.build(&[]);
    assert!(site.exists("public/faq/results/index.html"));
}

#[test]
fn move_refuses_a_missing_page_a_taken_name_and_a_translation() {
    let site = Site::fixture("move");
    let before = site.fingerprint("content");
    for (args, expected) in [
        (
            ["content/faq/nothing.md", "content/faq/x.md"],
            "error[move/not-found]: there is no page `content/faq/nothing.md`",
        ),
        (
            ["content/faq/pain.md", "content/about/visit.md"],
            "error[move/exists]: `content/about/visit.md` already exists",
        ),
        // A mistyped old name with an existing page as the new one is not a rename by hand.
        (
            ["content/faq/nothing.md", "content/about/visit.md"],
            "error[move/not-found]: there is no page `content/faq/nothing.md`",
        ),
        (
            ["content/faq/pain.es.md", "content/faq/x.md"],
            "error[move/translation]: `content/faq/pain.es.md` is a translation",
        ),
    ] {
        let run = site.run(&["move", args[0], args[1]]);
        assert_eq!(run.status, 1, "{args:?}");
        assert_contains(&run.stderr, expected);
        assert_contains(&run.stderr, "help: ");
    }
    // The command to run instead, each path pasted as one word.
    let run = site.run(&[
        "move",
        "content/faq/pain.es.md",
        "content/faq/does it hurt.es.md",
    ]);
    assert_contains(
        &run.stderr,
        "its translations move with it. Run `clinicsite move content/faq/pain.md \"content/faq/does it hurt.md\"`\n",
    );
    assert_eq!(site.fingerprint("content"), before, "nothing was changed");
}

#[test]
fn a_broken_link_suggests_a_page_in_its_own_language() {
    let site = Site::fixture("move");
    // `pain.es.md` is the nearest name, but an English page must not be sent to Spanish.
    site.write(
        "content/about/visit.md",
        "---\ntitle: Your visit\n---\nAsk us [if it hurts](@/faq/pain.e.md).\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.status, 1);
    assert_contains(&run.stderr, "help: did you mean `@/faq/pain.md`?");
    assert_lacks(&run.stderr, "pain.es.md");
}

#[test]
fn a_reviewed_page_whose_links_move_keeps_its_review() {
    let site = Site::fixture("move");
    let run = site.run(&[
        "review",
        "content/faq/results/index.md",
        "--by",
        "Dr. Ana Ruiz",
    ]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let reviewed = site.read("content/faq/results/index.md");
    let run = site.run(&["move", "content/faq/pain.md", "content/faq/discomfort.md"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_contains(
        &run.stdout,
        "Updated 1 link in content/faq/results/index.md.\nKept the medical review of content/faq/results/index.md: only where its links go changed.\n",
    );
    let moved = site.read("content/faq/results/index.md");
    assert_contains(&moved, "[does it hurt](../discomfort.md)");
    assert_ne!(
        reviewed
            .lines()
            .find(|l| l.starts_with("review_fingerprint:")),
        moved.lines().find(|l| l.starts_with("review_fingerprint:")),
        "the fingerprint follows the new link text"
    );
    let check = site.run(&["check"]);
    assert_lacks(&check.stdout, "review/changed");
    assert_lacks(&check.stderr, "review/changed");

    // A page edited after its review is not made to look reviewed by a move.
    let site = Site::fixture("move");
    site.run(&[
        "review",
        "content/faq/results/index.md",
        "--by",
        "Dr. Ana Ruiz",
    ]);
    let edited = site
        .read("content/faq/results/index.md")
        .replace("Results take weeks", "Results take some weeks");
    site.write("content/faq/results/index.md", &edited);
    let run = site.run(&["move", "content/faq/pain.md", "content/faq/discomfort.md"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_lacks(&run.stdout, "Kept the medical review");
    let check = site.run(&["check"]);
    assert_contains(&check.stdout, "review/changed");
}

#[test]
fn the_starter_answers_note_names_the_file_after_a_move() {
    let site = Site::empty();
    let run = site.run_in(site.tmp(), &["init", "site"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let run = site.run(&[
        "move",
        "content/faq/what-is-it.md",
        "content/faq/what-is-microneedling.md",
    ]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_contains(
        &run.stdout,
        "Wrote the new file name in the notes (`#` lines) of content/faq/what-is-microneedling.md.\n",
    );
    // Its words did not change: its review is not even touched.
    assert_lacks(&run.stdout, "Kept the medical review");
    let moved = site.read("content/faq/what-is-microneedling.md");
    assert_contains(
        &moved,
        "# Your medical reviewer checks each answer; record it with: clinicsite review content/faq/what-is-microneedling.md --by \"NAME\"\n",
    );
    assert_lacks(&moved, "what-is-it.md");
    assert_contains(&moved, "aliases: [/faq/what-is-it/]");
    // Notes are not words patients read: the review still holds, and the command in the note
    // works as written.
    site.build(&[]);
    let check = site.run(&["check"]);
    assert_contains(&check.stdout, "Checked 5 pages: no errors, 2 warnings.");
    assert_lacks(&check.stdout, "review/");
    let run = site.run(&[
        "review",
        "content/faq/what-is-microneedling.md",
        "--by",
        "Dr. Rivera",
    ]);
    assert_eq!(run.status, 0, "{}", run.stderr);

    // A translation's copy names its own file: the reviewer reviews the Spanish there.
    let settings = site.read("site.yaml");
    site.write(
        "site.yaml",
        &settings.replace("language: en\n", "language: en\nlanguages: [en, es]\n"),
    );
    let run = site.run(&[
        "translate",
        "content/faq/what-is-microneedling.md",
        "--lang",
        "es",
    ]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_contains(
        &site.read("content/faq/what-is-microneedling.es.md"),
        "record it with: clinicsite review content/faq/what-is-microneedling.es.md --by \"NAME\"\n",
    );

    // Renamed by hand instead, the original's note still names its old file; the copy's names
    // the copy all the same.
    site.write(
        "content/faq/what it is.md",
        &site.read("content/faq/what-is-microneedling.md"),
    );
    site.remove("content/faq/what-is-microneedling.md");
    site.remove("content/faq/what-is-microneedling.es.md");
    let run = site.run(&["translate", "content/faq/what it is.md", "--lang", "es"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let copy = site.read("content/faq/what it is.es.md");
    assert_contains(
        &copy,
        "record it with: clinicsite review \"content/faq/what it is.es.md\" --by \"NAME\"\n",
    );
    assert_lacks(&copy, "what-is-microneedling");
}

#[test]
fn a_page_renamed_by_hand_is_told_how_to_keep_its_old_address() {
    let site = Site::fixture("move");
    let first = site.build(&[]);
    assert_eq!(first.status, 0);
    let warnings = |stdout: &str| -> usize {
        let (before, _) = stdout
            .split_once(" warnings: run")
            .expect("a warning count");
        before.rsplit(' ').next().unwrap().parse().unwrap()
    };
    // Staff rename the file in their file manager and fix the links to it, but add no alias.
    site.write(
        "content/about/coming-in.md",
        &site.read("content/about/visit.md"),
    );
    site.remove("content/about/visit.md");
    for linking in ["content/faq/_index.md", "content/faq/pain.md"] {
        let text = site
            .read(linking)
            .replace("about/visit.md", "about/coming-in.md");
        site.write(linking, &text);
    }
    let renamed = site.build(&[]);
    assert_eq!(renamed.status, 0, "{}", renamed.stderr);
    assert_contains(
        &renamed.stderr,
        "warning[page/address-gone]: the page at /about/visit/ is no longer on the site: links to it from other sites, search results and bookmarks now lead nowhere; if this page took its place, it can keep the old address working
 --> content/about/coming-in.md:1:1",
    );
    assert_contains(
        &renamed.stderr,
        "help: add the line `aliases: [/about/visit/]` to this page's front matter",
    );
    // The build has published the site without the old page, so `move` no longer knows it:
    // the help must not send staff there for this page.
    assert_contains(
        &renamed.stderr,
        "so add the line by hand; next time, rename a page with `clinicsite move OLD NEW`",
    );
    let late = site.run(&[
        "move",
        "content/about/visit.md",
        "content/about/coming-in.md",
    ]);
    assert_eq!(late.status, 1, "{}", late.stderr);
    // The summary line counts what `check` shows, which cannot know the last build.
    assert_eq!(warnings(&renamed.stdout), warnings(&first.stdout));

    // The line it gives, pasted in, brings the old address back as a redirect.
    let page = site.read("content/about/coming-in.md");
    site.write(
        "content/about/coming-in.md",
        &page.replacen("---\n", "---\naliases: [/about/visit/]\n", 1),
    );
    let aliased = site.build(&[]);
    assert_eq!(aliased.status, 0, "{}", aliased.stderr);
    assert_lacks(&aliased.stderr, "address-gone");
    assert_contains(
        &site.read("public/about/visit/index.html"),
        "/about/coming-in/",
    );

    // Renamed by hand again: the page has an `aliases:` line already, so the help gives that
    // line with the new old address added (a second `aliases:` line would not build).
    site.write(
        "content/about/arriving.md",
        &site.read("content/about/coming-in.md"),
    );
    site.remove("content/about/coming-in.md");
    for linking in ["content/faq/_index.md", "content/faq/pain.md"] {
        let text = site
            .read(linking)
            .replace("about/coming-in.md", "about/arriving.md");
        site.write(linking, &text);
    }
    let again = site.build(&[]);
    assert_eq!(again.status, 0, "{}", again.stderr);
    assert_contains(
        &again.stderr,
        "help: change this page's line `aliases: [/about/visit/]` to `aliases: [/about/visit/, /about/coming-in/]`, so visitors to the old address come here (this build has published the site without it, so change the line by hand;",
    );
    let page = site.read("content/about/arriving.md");
    site.write(
        "content/about/arriving.md",
        &page.replace(
            "aliases: [/about/visit/]",
            "aliases: [/about/visit/, /about/coming-in/]",
        ),
    );
    let both = site.build(&[]);
    assert_eq!(both.status, 0, "{}", both.stderr);
    assert_lacks(&both.stderr, "address-gone");
    for old in ["visit", "coming-in"] {
        assert_contains(
            &site.read(&format!("public/about/{old}/index.html")),
            "/about/arriving/",
        );
    }

    // A page deleted with no page in its place is told too, without a page to blame.
    site.remove("content/faq/results/index.md");
    site.remove("content/faq/results/index.es.md");
    for linking in [
        "content/_index.md",
        "content/_index.es.md",
        "content/faq/pain.md",
    ] {
        let text = site.read(linking);
        let text = text.replace("@/faq/results/index.es.md", "@/faq/pain.es.md");
        let text = text.replace("@/faq/results/index.md", "@/faq/pain.md");
        site.write(linking, &text.replace("(results/index.md)", "(#numbing)"));
    }
    let deleted = site.build(&[]);
    assert_eq!(deleted.status, 0, "{}", deleted.stderr);
    assert_contains(
        &deleted.stderr,
        "warning[page/address-gone]: the page at /faq/results/ is no longer on the site",
    );
    assert_contains(
        &deleted.stderr,
        "if you removed the page on purpose, there is nothing to do",
    );
    // It names the folder the page was in.
    assert_contains(
        &deleted.stderr,
        "if you renamed its file, the new page can keep the old address working\n--> content/faq/\n",
    );

    // A page made a draft again was taken off on purpose: nothing to say.
    let visit = site.read("content/about/arriving.md");
    site.write(
        "content/about/arriving.md",
        &visit.replacen("---\n", "---\ndraft: true\n", 1),
    );
    for linking in ["content/faq/_index.md", "content/faq/pain.md"] {
        let text = site
            .read(linking)
            .replace("[what to expect](../about/arriving.md)", "what to expect");
        site.write(linking, &text);
    }
    let drafted = site.build(&[]);
    assert_eq!(drafted.status, 0, "{}", drafted.stderr);
    assert_lacks(&drafted.stderr, "address-gone");
}

/// A Spanish page deleted in the same build as an English page is added: the English page did
/// not take its place, so the warning names no page to add the alias to.
#[test]
fn a_page_gone_in_one_language_is_not_pinned_on_a_new_page_in_another() {
    let site = Site::fixture("move");
    site.write(
        "content/about/hola.es.md",
        "---\ntitle: Hola\n---\nUna página corta.\n",
    );
    let first = site.build(&[]);
    assert_eq!(first.status, 0, "{}", first.stderr);
    assert!(site.exists("public/es/about/hola/index.html"));
    site.remove("content/about/hola.es.md");
    site.write(
        "content/about/parking.md",
        "---\ntitle: Parking\n---\nPark behind the building.\n",
    );
    let next = site.build(&[]);
    assert_eq!(next.status, 0, "{}", next.stderr);
    assert_contains(
        &next.stderr,
        "warning[page/address-gone]: the page at /es/about/hola/ is no longer on the site",
    );
    assert_contains(
        &next.stderr,
        "if you renamed its file, the new page can keep the old address working\n--> content/about/\n",
    );
    assert_lacks(&next.stderr, "content/about/parking.md");
}

/// Staff rename a file in their file manager and leave the rest: the build's help names the
/// `move` that finishes the rename, and that `move` (old name gone, new one there) moves the
/// translation, mends the links and keeps the old address as a redirect.
#[test]
fn move_finishes_a_rename_done_by_hand() {
    let site = Site::fixture("move");
    site.build(&[]);
    site.write(
        "content/faq/discomfort.md",
        &site.read("content/faq/pain.md"),
    );
    site.remove("content/faq/pain.md");
    let broken = site.run(&["build"]);
    assert_eq!(broken.status, 1);
    assert_contains(
        &broken.stderr,
        "if you renamed content/faq/pain.md, `clinicsite move content/faq/pain.md content/faq/NEW-NAME.md` mends its links and keeps its old address working",
    );

    let run = site.run(&["move", "content/faq/pain.md", "content/faq/discomfort.md"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_contains(
        &run.stdout,
        "content/faq/pain.md was already renamed to content/faq/discomfort.md.\nMoved content/faq/pain.es.md to content/faq/discomfort.es.md.\n",
    );
    assert_contains(&run.stdout, "Updated 2 links in content/_index.md.\n");
    assert!(!site.exists("content/faq/pain.es.md"));
    assert_contains(
        &site.read("content/faq/discomfort.md"),
        "aliases: [/old-pain/, /faq/pain/]\n",
    );
    assert_contains(
        &site.read("content/about/visit.md"),
        "[if it hurts](@/faq/discomfort.md#numbing)",
    );

    let built = site.build(&[]);
    assert_eq!(built.status, 0, "{}", built.stderr);
    assert_contains(
        &site.read("public/faq/pain/index.html"),
        "url=../../faq/discomfort/",
    );
    assert_contains(
        &site.read("public/es/faq/pain/index.html"),
        "es/faq/discomfort/",
    );
}
