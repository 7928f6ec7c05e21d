//! clinicsite: a static site generator for patient-education websites.
pub mod cli;
pub mod config;
pub mod diagnostics;
pub mod frontmatter;
pub mod location;
pub mod markdown;
pub mod pipeline;
pub mod render;
pub mod scaffold;
pub mod site;
pub mod source;
pub mod theme;
pub mod write;
pub mod yaml;
