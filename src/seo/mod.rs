//! What search engines, link previews and hosts read: the placed site in, `sitemap.xml`,
//! `robots.txt`, the web app manifest, redirects for old addresses and JSON-LD blocks out.
//!
//! JSON-LD is built from typed structs and escaped so no value can close its `<script>`
//! (`json_ld`); `crawler` writes the sitemap, robots.txt and the manifest; `redirects` turns
//! `aliases:` into redirect pages and the hosts' `_redirects` file.

mod crawler;
mod json_ld;
mod redirects;

pub use crawler::{SITEMAP, robots, sitemap, web_manifest};
pub use json_ld::{
    Answer, BreadcrumbList, FaqPage, GeoCoordinates, ListItem, MedicalClinic, MedicalOrganization,
    MedicalWebPage, OpeningHoursSpecification, Person, PostalAddress, Question, Thing, json_ld,
    to_script_json,
};
pub use redirects::{Redirect, redirect_page, redirects, redirects_file};

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}
