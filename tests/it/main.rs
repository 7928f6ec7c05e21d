//! Integration tests: tiny fixture sites (`tests/fixtures/NAME/`, each owning one concern and
//! using the small test theme in `tests/fixtures/_theme/`) built by the real binary, with the
//! output compared against insta snapshots in `tests/it/snapshots/`. See tests/README.md.

#[macro_use]
mod bad_input;
mod body_edits;
mod brand;
mod build_output;
mod cards;
mod check;
mod command_line;
mod concurrent;
mod crash;
mod deploy;
mod determinism;
mod drafts;
mod escaping;
mod failures;
mod gate;
mod image_input;
mod images;
mod incremental;
mod kept_syllables;
mod languages;
mod links;
mod module_graph;
mod offices;
mod output_paths;
mod output_safety;
mod pasted_text;
mod privacy;
mod properties;
mod publish;
mod real_site;
mod records;
mod relocate;
mod results;
mod review;
mod scaffold;
mod serve;
mod support;
mod themes;
mod yaml_words;
