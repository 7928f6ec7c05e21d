use super::*;
use Weekday::*;

#[test]
fn hours_read_as_people_say_them() {
    assert_eq!(day_range(&[Mo, Tu, We, Th, Fr]), "Monday–Friday");
    assert_eq!(day_range(&[Sa]), "Saturday");
    assert_eq!(day_range(&[Mo, We]), "Monday, Wednesday");
    assert_eq!(twelve_hour(clock("09:00").unwrap()), "9:00 AM");
    assert_eq!(twelve_hour(clock("17:30").unwrap()), "5:30 PM");
    assert_eq!(twelve_hour(clock("12:00").unwrap()), "12:00 PM");
    assert_eq!(clock("9:00"), None);
    assert_eq!(clock("25:00"), None);
}

const KENDALL: &str = "---\ntitle: Kendall\nlocation:\n  name: Kendall\n  # a note\n  street: \"1 Main St\"\n  hours:\n    - { days: [Mo], opens: \"09:00\", closes: \"17:00\" }\n  parking: Behind the building.\n  geo: { lat: 25.6, lng: -80.3 }\nweight: 1\n---\nText.\n";

#[test]
fn a_copy_for_a_translation_keeps_only_the_parking_note() {
    assert_eq!(
        words_only(KENDALL),
        "---\ntitle: Kendall\nlocation:\n  parking: Behind the building.\nweight: 1\n---\nText.\n"
    );
    let without_parking = KENDALL.replace("  parking: Behind the building.\n", "");
    assert_eq!(
        words_only(&without_parking),
        "---\ntitle: Kendall\nweight: 1\n---\nText.\n"
    );
}

#[test]
fn a_copy_for_a_translation_keeps_only_the_photos_description() {
    let flow = "---\ntitle: K\nimage: { src: front.jpg, alt: \"The \\\"front\\\" door\" }\nweight: 1\n---\nText.\n";
    assert_eq!(
        photo_words_only(flow),
        "---\ntitle: K\nimage: { alt: \"The \\\"front\\\" door\" }\nweight: 1\n---\nText.\n"
    );
    let block =
        "---\ntitle: K\nimage:\n  src: front.jpg\n  alt: The front door\nweight: 1\n---\nText.\n";
    assert_eq!(
        photo_words_only(block),
        "---\ntitle: K\nimage: { alt: \"The front door\" }\nweight: 1\n---\nText.\n"
    );
    assert_eq!(photo_words_only(KENDALL), KENDALL);
}

#[test]
fn fact_lines_are_named_as_people_read_them() {
    let parsed = crate::frontmatter::parse(KENDALL, Path::new("k.es.md")).unwrap();
    assert_eq!(fact_lines(&parsed), [4, 5, 6, 7, 8, 10]);
    assert_eq!(line_list(&[4, 5, 6, 7, 8, 10]), "lines 4–8 and 10");
    assert_eq!(line_list(&[3]), "line 3");
    assert_eq!(line_list(&[3, 5, 7]), "lines 3, 5 and 7");
    assert_eq!(
        original_of(Path::new("content/locations/kendall.es.md")),
        "content/locations/kendall.md"
    );
}
