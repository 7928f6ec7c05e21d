//! The files that are not pages: `404.html`, the sitemap, robots.txt, the web app manifest
//! and the redirects for old addresses; and minifying a finished page.

use super::{Body, Output};
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::incremental::{Reuse, SiteWide};
use crate::seo;
use crate::site::Site;
use crate::theme::{Theme, template_error};

/// `404.html`, when the theme has one. Hosts serve it at any address, so its links start
/// from the site's absolute base path instead of a relative `root`.
pub(super) fn render_not_found(
    theme: &Theme,
    config: &Config,
    lang: &str,
    site_value: &tera::Value,
) -> Result<Option<Output>, Diagnostic> {
    if !theme.template_files.contains_key("404.html") {
        return Ok(None);
    }
    let mut context = tera::Context::new();
    let root = config.base_path();
    if theme.template_files.contains_key(super::footer::TEMPLATE) {
        let footer = super::footer::render(theme, site_value, lang, &root)?;
        context.insert("site_footer", &footer);
    }
    context.insert("root", &root);
    context.insert("json_ld", &Vec::<String>::new());
    context.insert("lang", lang);
    if let Some(words) = theme.words.get(lang) {
        context.insert_value("i18n", words.clone());
    }
    context.insert_value("site", site_value.clone());
    let html = theme
        .tera
        .render("404.html", &context)
        .map_err(|error| template_error(&error, &theme.template_files))?;
    Ok(Some(Output {
        path: format!("{}404.html", config.language_prefix(lang)),
        body: Body::Text(html),
    }))
}

/// The sitemap (unless `reuse` keeps the previous build's), robots.txt, the web app manifest
/// and the redirects for old addresses.
pub(super) fn publishing_files(
    site: &Site,
    config: &Config,
    reuse: &dyn Reuse,
    outputs: &mut Vec<Output>,
) -> Vec<Diagnostic> {
    let text = |path: &str, body: String| Output {
        path: path.into(),
        body: Body::Text(body),
    };
    let sitemap = || text(seo::SITEMAP, seo::sitemap(site, config));
    outputs.extend(reuse.site_file(seo::SITEMAP, SiteWide::Placed, &sitemap));
    outputs.push(text("robots.txt", seo::robots(config)));
    outputs.push(text("manifest.webmanifest", seo::web_manifest(config)));
    let (redirects, findings) = seo::redirects(site);
    for redirect in &redirects {
        let path = if redirect.from.ends_with(".html") {
            redirect.from.clone()
        } else {
            format!("{}index.html", redirect.from)
        };
        outputs.push(text(&path, seo::redirect_page(redirect, config)));
    }
    if !redirects.is_empty() {
        outputs.push(text("_redirects", seo::redirects_file(&redirects, config)));
    }
    findings
}

/// `minify` when `minify: true` is set in site.yaml, else the file as it is.
pub(super) fn minify_if(config: &Config) -> impl Fn(Output) -> Output + Sync + '_ {
    move |output| {
        if config.minify {
            minify(output)
        } else {
            output
        }
    }
}

/// Minifies an HTML page or a stylesheet (`minify: true` in site.yaml); other files pass
/// through, and so does a stylesheet that cannot be read as CSS.
fn minify(mut output: Output) -> Output {
    if output.path.ends_with(".css")
        && let Body::Copy(data) = &output.body
        && let Some(css) = data
            .read()
            .ok()
            .and_then(|bytes| minify_css(&String::from_utf8_lossy(&bytes)))
    {
        output.body = Body::Text(css);
        return output;
    }
    if let Body::Text(html) = &mut output.body
        && output.path.ends_with(".html")
    {
        let mut cfg = minify_html::Cfg::new();
        cfg.keep_closing_tags = true;
        cfg.keep_html_and_head_opening_tags = true;
        cfg.minify_css = true;
        let bytes = minify_html::minify(html.as_bytes(), &cfg);
        *html = String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    }
    output
}

/// A stylesheet without its comments and spaces, as lightningcss prints it minified.
fn minify_css(css: &str) -> Option<String> {
    use lightningcss::stylesheet::{MinifyOptions, ParserOptions, PrinterOptions, StyleSheet};
    let mut sheet = StyleSheet::parse(css, ParserOptions::default()).ok()?;
    sheet.minify(MinifyOptions::default()).ok()?;
    let printed = sheet
        .to_css(PrinterOptions {
            minify: true,
            ..PrinterOptions::default()
        })
        .ok()?;
    Some(printed.code)
}
