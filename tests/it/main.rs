//! Integration tests: tiny fixture sites (`tests/fixtures/NAME/`, each owning one concern and
//! using the small test theme in `tests/fixtures/_theme/`) built by the real binary, with the
//! output compared against insta snapshots in `tests/it/snapshots/`. See tests/README.md.

mod bad_input;
mod build_output;
mod check;
mod command_line;
mod crash;
mod determinism;
mod escaping;
mod failures;
mod images;
mod incremental;
mod languages;
mod links;
mod output_safety;
mod properties;
mod publish;
mod real_site;
mod scaffold;
mod serve;
mod support;
mod themes;
