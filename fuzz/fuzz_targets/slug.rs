//! Slugs: any text becomes lower-case ASCII letters and digits joined by single hyphens (or
//! nothing), so it can never name a folder outside the output.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let slug = clinicsite::site::slugify(text);
    let clean = slug.split('-').all(|part| {
        !part.is_empty()
            && part
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    });
    assert!(slug.is_empty() || clean, "{text:?} -> {slug:?}");
});
