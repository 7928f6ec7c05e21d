//! `relocate`'s link rewriting and header notes, without files.

use super::*;

#[test]
fn relative_links_between_folders() {
    assert_eq!(relative_link("faq/", "faq/b.md"), "b.md");
    assert_eq!(relative_link("faq/", "about/b.md"), "../about/b.md");
    assert_eq!(relative_link("", "faq/b.md"), "faq/b.md");
    assert_eq!(relative_link("faq/deep/", "faq/b.md"), "../b.md");
}

#[test]
fn links_to_a_moved_page_follow_it() {
    let moved = HashMap::from([("faq/a.md", "faq/b.md"), ("faq/a.es.md", "faq/b.es.md")]);
    let text = "---\ntitle: C\n---\nSee [A](a.md#after) and [A](@/faq/a.md), ![x](a.md).\n\n[ref]: a.md\n[other]: c.md\n";
    let (out, count) = rewrite_links("faq/c.md", "faq/c.md", text, &moved);
    assert_eq!(
        out,
        "---\ntitle: C\n---\nSee [A](b.md#after) and [A](@/faq/b.md), ![x](b.md).\n\n[ref]: b.md\n[other]: c.md\n"
    );
    assert_eq!(count, 4);
}

#[test]
fn a_note_naming_the_moved_file_follows_it() {
    let text = "---\ntitle: A\n# Record the review: clinicsite review content/faq/a.md --by \"NAME\"\nweight: 1 # faq/a.md\n---\nfaq/a.md\n# faq/a.md\n";
    assert_eq!(
        rename_in_notes(text, "faq/a.md", "faq/b.md"),
        (
            "---\ntitle: A\n# Record the review: clinicsite review content/faq/b.md --by \"NAME\"\nweight: 1 # faq/a.md\n---\nfaq/a.md\n# faq/a.md\n".to_string(),
            true
        )
    );
    assert!(!rename_in_notes("---\ntitle: A\n---\n", "faq/a.md", "faq/b.md").1);
    // A name the shell would split is quoted in the command, and unquoted again later.
    let spaced = rename_in_notes(text, "faq/a.md", "faq/what is it.md").0;
    assert!(
        spaced.contains("clinicsite review \"content/faq/what is it.md\" --by"),
        "{spaced}"
    );
    let back = rename_in_notes(&spaced, "faq/what is it.md", "faq/a.md").0;
    assert!(
        back.contains("clinicsite review content/faq/a.md --by"),
        "{back}"
    );
}

#[test]
fn a_review_note_names_the_copy_whatever_file_it_named() {
    let stale = "---\ntitle: A\n# Record it: clinicsite review content/faq/gone.md --by \"NAME\"\n---\nclinicsite review content/faq/gone.md\n";
    let (out, pointed) = point_review_notes(stale, "faq/what is it.es.md");
    assert!(pointed);
    assert_eq!(
        out,
        "---\ntitle: A\n# Record it: clinicsite review \"content/faq/what is it.es.md\" --by \"NAME\"\n---\nclinicsite review content/faq/gone.md\n"
    );
    // A quoted name is replaced whole.
    let (again, _) = point_review_notes(&out, "faq/a.es.md");
    assert!(
        again.contains("# Record it: clinicsite review content/faq/a.es.md --by \"NAME\"\n"),
        "{again}"
    );
    assert!(!point_review_notes("---\ntitle: A\n---\n", "faq/a.md").1);
}

#[test]
fn a_page_that_changes_folder_keeps_its_links_working() {
    let moved = HashMap::from([("faq/a.md", "about/a.md")]);
    let text = "---\ntitle: A\n---\nSee [C](c.md) and [D](@/faq/d.md).\n";
    let (out, _) = rewrite_links("faq/a.md", "about/a.md", text, &moved);
    assert_eq!(
        out,
        "---\ntitle: A\n---\nSee [C](../faq/c.md) and [D](@/faq/d.md).\n"
    );
}
