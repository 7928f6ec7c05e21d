//! JSON-LD: the placed site in, the schema.org blocks of each page out (the medical page,
//! breadcrumbs, FAQ, the clinic and its offices), escaped so no value can close its
//! `<script>`.

use serde::Serialize;

use crate::config::{Config, tel_href};
use crate::frontmatter::SectionKind;
use crate::location::Location;
use crate::site::{Role, Site, Target};

const CONTEXT: &str = "https://schema.org";

/// Every page's block (built for each page: its text is borrowed from the site).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MedicalWebPage<'a> {
    #[serde(rename = "@context")]
    pub context: &'static str,
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub name: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    pub description: &'a str,
    pub url: &'a str,
    pub in_language: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_reviewed: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reviewed_by: Option<Person<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub about: Option<Thing<'a>>,
    pub breadcrumb: BreadcrumbList<'a>,
}

#[derive(Debug, Serialize)]
pub struct Person<'a> {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub name: &'a str,
}

/// A named thing of a given type (`MedicalProcedure`).
#[derive(Debug, Serialize)]
pub struct Thing<'a> {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub name: &'a str,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BreadcrumbList<'a> {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub item_list_element: Vec<ListItem<'a>>,
}

#[derive(Debug, Serialize)]
pub struct ListItem<'a> {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub position: usize,
    pub name: &'a str,
    pub item: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FaqPage {
    #[serde(rename = "@context")]
    pub context: &'static str,
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub name: String,
    pub url: String,
    pub in_language: String,
    pub main_entity: Vec<Question>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Question {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub name: String,
    pub accepted_answer: Answer,
}

#[derive(Debug, Serialize)]
pub struct Answer {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub text: String,
    pub url: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MedicalClinic {
    #[serde(rename = "@context", skip_serializing_if = "Option::is_none")]
    pub context: Option<&'static str>,
    #[serde(rename = "@type")]
    pub kind: &'static str,
    /// A stable identifier of this location: its page address with `#clinic`.
    #[serde(rename = "@id")]
    pub id: String,
    pub name: String,
    pub url: String,
    pub telephone: String,
    pub address: PostalAddress,
    pub geo: GeoCoordinates,
    /// Left out while the hours are stand-ins (`placeholder: [hours]`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub opening_hours_specification: Vec<OpeningHoursSpecification>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PostalAddress {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    /// Left out while the street is a stand-in (`placeholder: true`): search engines must not
    /// be told an address patients cannot find.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub street_address: Option<String>,
    pub address_locality: String,
    pub address_region: String,
    pub postal_code: String,
    pub address_country: &'static str,
}

#[derive(Debug, Serialize)]
pub struct GeoCoordinates {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub latitude: f64,
    pub longitude: f64,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OpeningHoursSpecification {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub day_of_week: Vec<&'static str>,
    pub opens: String,
    pub closes: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MedicalOrganization {
    #[serde(rename = "@context")]
    pub context: &'static str,
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub name: String,
    pub url: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub telephone: String,
    pub department: Vec<MedicalClinic>,
}

/// Serialises a JSON-LD value for a `<script>` element: `<`, `>` and `&` are written as
/// `\u003c`, `\u003e` and `\u0026`, so `</script>` inside a value cannot end the element.
pub fn to_script_json<T: Serialize>(value: &T) -> String {
    // A page's block is most of a kilobyte: written into room for it at once.
    let mut bytes = Vec::with_capacity(1024);
    serde_json::to_writer(&mut bytes, value).expect("JSON-LD types always serialise");
    let json = String::from_utf8(bytes).expect("serde_json writes UTF-8");
    if !json.bytes().any(|b| matches!(b, b'<' | b'>' | b'&')) {
        return json;
    }
    let mut script = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => script.push_str("\\u003c"),
            '>' => script.push_str("\\u003e"),
            '&' => script.push_str("\\u0026"),
            c => script.push(c),
        }
    }
    script
}

/// The JSON-LD blocks of one page or section.
pub fn json_ld(site: &Site, target: Target, config: &Config) -> Vec<String> {
    let Some(common) = site.common(target) else {
        return Vec::new();
    };
    let url = format!("{}{}", config.base_url, common.path);
    // Only a review that still holds is told to search engines (see `reviewed_text`).
    let review = &common.review;
    let (last_reviewed, reviewed_by) =
        if crate::reviewed_text::standing_of(site, target).shows_as_reviewed() {
            (
                review.last_reviewed.map(|d| d.iso()),
                Some(Person {
                    kind: "Person",
                    name: &review.reviewed_by,
                }),
            )
        } else {
            (None, None)
        };
    let page = MedicalWebPage {
        context: CONTEXT,
        kind: "MedicalWebPage",
        name: &common.title,
        description: &common.description,
        url: &url,
        in_language: &common.lang,
        last_reviewed,
        reviewed_by,
        about: (!config.procedure.is_empty()).then_some(Thing {
            kind: "MedicalProcedure",
            name: &config.procedure,
        }),
        breadcrumb: breadcrumb(site, target, config),
    };
    let mut blocks = vec![to_script_json(&page)];
    match target {
        Target::Section(i) if site.sections[i].common.translation_key == "_index.md" => {
            blocks.push(to_script_json(&organization(site, config, &common.lang)))
        }
        Target::Section(i) if site.sections[i].kind == SectionKind::Faq => {
            blocks.push(to_script_json(&faq_page(site, i, config)))
        }
        Target::Page(i) => {
            if let Role::Location(location) = &site.pages[i].role {
                blocks.push(to_script_json(&clinic(location, &url, true)));
            }
        }
        _ => {}
    }
    blocks
}

fn breadcrumb<'a>(site: &'a Site, target: Target, config: &Config) -> BreadcrumbList<'a> {
    let mut chain = Vec::new();
    let mut section = match target {
        Target::Page(i) => {
            chain.push(&site.pages[i].common);
            Some(site.pages[i].section)
        }
        Target::Section(i) => Some(i),
        Target::Unavailable | Target::Draft => None,
    };
    // Up through the sections to the home page of the page's own language.
    while let Some(i) = section {
        chain.push(&site.sections[i].common);
        if site.sections[i].common.translation_key == "_index.md" {
            break;
        }
        let lang = &site.sections[i].common.lang;
        section = site.sections[i].parent.or(Some(site.home(lang)));
    }
    chain.reverse();
    chain.dedup_by(|a, b| a.path == b.path);
    BreadcrumbList {
        kind: "BreadcrumbList",
        item_list_element: chain
            .iter()
            .enumerate()
            .map(|(n, c)| ListItem {
                kind: "ListItem",
                position: n + 1,
                name: &c.title,
                item: format!("{}{}", config.base_url, c.path),
            })
            .collect(),
    }
}

fn faq_page(site: &Site, index: usize, config: &Config) -> FaqPage {
    let section = &site.sections[index];
    FaqPage {
        context: CONTEXT,
        kind: "FAQPage",
        name: section.common.title.clone(),
        url: format!("{}{}", config.base_url, section.common.path),
        in_language: section.common.lang.clone(),
        main_entity: section
            .pages
            .iter()
            .filter_map(|&i| match &site.pages[i].role {
                Role::Faq(faq) if !faq.summary.is_empty() => Some(Question {
                    kind: "Question",
                    name: site.pages[i].common.title.clone(),
                    accepted_answer: Answer {
                        kind: "Answer",
                        text: faq.summary.clone(),
                        url: format!("{}{}", config.base_url, site.pages[i].common.path),
                    },
                }),
                _ => None,
            })
            .collect(),
    }
}

fn organization(site: &Site, config: &Config, lang: &str) -> MedicalOrganization {
    MedicalOrganization {
        context: CONTEXT,
        kind: "MedicalOrganization",
        name: config.title.clone(),
        url: config.base_url.clone(),
        description: config.description.clone(),
        telephone: phone_e164(&config.phone),
        department: site
            .locations(lang)
            .into_iter()
            .map(|(i, location)| {
                clinic(
                    location,
                    &format!("{}{}", config.base_url, site.pages[i].common.path),
                    false,
                )
            })
            .collect(),
    }
}

fn clinic(location: &Location, url: &str, top_level: bool) -> MedicalClinic {
    MedicalClinic {
        context: top_level.then_some(CONTEXT),
        kind: "MedicalClinic",
        id: format!("{url}#clinic"),
        name: location.name.clone(),
        url: url.to_string(),
        telephone: phone_e164(&location.phone),
        address: PostalAddress {
            kind: "PostalAddress",
            street_address: (!location.placeholder).then(|| location.street.clone()),
            address_locality: location.city.clone(),
            address_region: location.region.clone(),
            postal_code: location.postal_code.clone(),
            address_country: "US",
        },
        geo: GeoCoordinates {
            kind: "GeoCoordinates",
            latitude: location.lat,
            longitude: location.lng,
        },
        opening_hours_specification: location
            .hours
            .iter()
            .filter(|_| !location.placeholder_hours)
            .map(|h| OpeningHoursSpecification {
                kind: "OpeningHoursSpecification",
                day_of_week: h
                    .day_codes
                    .iter()
                    .map(|d| crate::location::day_name(*d))
                    .collect(),
                opens: h.opens_24.clone(),
                closes: h.closes_24.clone(),
            })
            .collect(),
    }
}

/// `305-555-0100` -> `+1-305-555-0100`, the form schema.org examples use.
fn phone_e164(phone: &str) -> String {
    tel_href(phone).trim_start_matches("tel:").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_the_script() {
        let thing = Thing {
            kind: "MedicalProcedure",
            name: "</script><script>alert(1)</script> & more",
        };
        let json = to_script_json(&thing);
        assert!(!json.contains('<') && !json.contains('>') && !json.contains('&'));
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back["name"], "</script><script>alert(1)</script> & more");
    }
}
