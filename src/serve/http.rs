//! The HTTP side of `serve`: requests in, files of the current snapshot out, with the live
//! script (and the error overlay while the site has errors) added to HTML responses, plus the
//! event stream pages listen on.
//!
//! Files come only from the in-memory snapshot of the last good build (see `snapshot`), so
//! there is no folder to escape from; copied files read from disk are checked to still be
//! inside the site.

use std::convert::Infallible;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::StreamExt as _;
use futures_util::stream::{self, Stream};
use tokio::sync::{broadcast, watch};

use super::reload::{self, Notice};
use super::snapshot::{self, Entry, Lookup, Snapshot};

/// What the server shows: the last good build and, while the latest rebuild failed, its
/// report. Replaced as a whole, never changed in place.
#[derive(Debug, Default)]
pub struct Published {
    pub snapshot: Arc<Snapshot>,
    /// Counts good builds; pages carry the one they were served with.
    pub generation: u64,
    pub problem: Option<Arc<str>>,
    /// What `build` would stop on in this (served) version: shown below every page, which
    /// shows the change all the same.
    pub findings: Option<Arc<str>>,
}

/// The server's state, shared by the request handlers and the rebuild loop.
#[derive(Debug)]
pub struct Shared {
    published: RwLock<Arc<Published>>,
    notices: broadcast::Sender<Notice>,
    shutdown: watch::Receiver<bool>,
    /// The site's folder: copied files must still be inside it when served.
    root: PathBuf,
}

impl Shared {
    pub fn new(root: PathBuf, shutdown: watch::Receiver<bool>) -> Shared {
        Shared {
            published: RwLock::new(Arc::new(Published::default())),
            notices: broadcast::channel(16).0,
            shutdown,
            root,
        }
    }

    pub fn current(&self) -> Arc<Published> {
        self.published
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Serves `snapshot` from now on, with `findings` (what `build` would stop on) below
    /// every page, and tells open pages to reload (or swap `styles`).
    pub fn publish(
        &self,
        snapshot: Snapshot,
        styles: Option<Vec<(String, String)>>,
        findings: Option<String>,
    ) {
        let generation = {
            let mut published = self.published.write().unwrap_or_else(|e| e.into_inner());
            let generation = published.generation + 1;
            *published = Arc::new(Published {
                snapshot: Arc::new(snapshot),
                generation,
                problem: None,
                findings: findings.map(Arc::from),
            });
            generation
        };
        // No open page is not an error.
        let _ = self.notices.send(Notice::Reload { generation, styles });
    }

    /// Keeps serving the last good build, with `text` over every page.
    pub fn report_problem(&self, text: String) {
        let text: Arc<str> = text.into();
        {
            let mut published = self.published.write().unwrap_or_else(|e| e.into_inner());
            *published = Arc::new(Published {
                snapshot: published.snapshot.clone(),
                generation: published.generation,
                problem: Some(text.clone()),
                findings: None,
            });
        }
        let _ = self.notices.send(Notice::Problem { text });
    }
}

/// The routes: the live script, the event stream, and every file of the site.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(reload::SCRIPT_PATH, get(script))
        .route(reload::EVENTS_PATH, get(events))
        .fallback(file)
        .with_state(shared)
}

async fn script() -> Response {
    let mut response = reload::SCRIPT.into_response();
    set_headers(&mut response, "text/javascript; charset=utf-8");
    response
}

async fn events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    // Subscribe before reading the state, so no rebuild falls between the two.
    let notices = shared.notices.subscribe();
    let current = shared.current();
    let hello = reload::hello(current.generation, current.problem.as_deref());
    let shutdown = shared.shutdown.clone();
    let rest = stream::unfold(
        (notices, shutdown),
        |(mut notices, mut shutdown)| async move {
            let notice = tokio::select! {
                received = notices.recv() => match received {
                    Ok(notice) => notice,
                    // Too slow to keep up: a reload brings the page up to date anyway.
                    Err(broadcast::error::RecvError::Lagged(_)) => {
                        Notice::Reload { generation: 0, styles: None }
                    }
                    Err(broadcast::error::RecvError::Closed) => return None,
                },
                _ = shutdown.wait_for(|stop| *stop) => return None,
            };
            Some((Ok(notice.event()), (notices, shutdown)))
        },
    );
    let all = stream::iter([Ok(hello)]).chain(rest);
    Sse::new(all).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

async fn file(State(shared): State<Arc<Shared>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut response = (StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n").into_response();
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let published = shared.current();
    let path = uri.path();
    let response = match published.snapshot.lookup(path) {
        Lookup::Found(name, entry) => {
            respond(&shared, &published, name, entry, StatusCode::OK).await
        }
        Lookup::Redirect(to) => {
            let to = match uri.query() {
                Some(query) => format!("{to}?{query}"),
                None => to,
            };
            let mut response = StatusCode::FOUND.into_response();
            if let Ok(value) = HeaderValue::from_str(&to) {
                response.headers_mut().insert(header::LOCATION, value);
            }
            set_headers(&mut response, "text/plain; charset=utf-8");
            response
        }
        Lookup::Missing => match published.snapshot.not_found_page(path) {
            Some((name, entry)) => {
                respond(&shared, &published, name, entry, StatusCode::NOT_FOUND).await
            }
            None => not_found(&published),
        },
        Lookup::Refused => {
            let mut response = (
                StatusCode::BAD_REQUEST,
                "This address is not part of the site.\n",
            )
                .into_response();
            set_headers(&mut response, "text/plain; charset=utf-8");
            response
        }
    };
    if method == Method::HEAD {
        let (parts, _) = response.into_parts();
        return Response::from_parts(parts, Body::empty());
    }
    response
}

async fn respond(
    shared: &Shared,
    published: &Published,
    name: &str,
    entry: &Entry,
    status: StatusCode,
) -> Response {
    let bytes = match entry {
        Entry::Bytes(bytes) => bytes.clone(),
        Entry::File { path, .. } => {
            let readable = snapshot::inside(&shared.root, path);
            match readable {
                true => match tokio::fs::read(path).await {
                    Ok(bytes) => bytes.into(),
                    Err(_) => return not_found(published),
                },
                false => return not_found(published),
            }
        }
    };
    let content_type = content_type(name);
    let body = if content_type.starts_with("text/html") {
        let html = String::from_utf8_lossy(&bytes);
        Body::from(reload::inject(
            &html,
            published.generation,
            published.problem.as_deref(),
            published.findings.as_deref(),
        ))
    } else {
        Body::from(bytes)
    };
    let mut response = (status, body).into_response();
    set_headers(&mut response, &content_type);
    published.snapshot.add_site_headers(response.headers_mut());
    response
}

/// A missing page on a site without a `404.html`.
fn not_found(published: &Published) -> Response {
    let html = reload::inject(
        "<!doctype html><title>Not found</title><h1>Not found</h1><p>There is no page at this address.</p>",
        published.generation,
        published.problem.as_deref(),
        published.findings.as_deref(),
    );
    let mut response = (StatusCode::NOT_FOUND, html).into_response();
    set_headers(&mut response, "text/html; charset=utf-8");
    response
}

/// The content type for an output path, by its extension.
pub fn content_type(path: &str) -> String {
    let guess = mime_guess::from_path(path).first_or_octet_stream();
    let essence = guess.essence_str();
    let textual = guess.type_() == mime_guess::mime::TEXT
        || matches!(
            essence,
            "application/javascript" | "application/json" | "application/manifest+json"
        )
        || essence.ends_with("+xml")
        || essence == "application/xml";
    if path.ends_with("/_redirects") || path == "_redirects" {
        return "text/plain; charset=utf-8".into();
    }
    if textual {
        format!("{essence}; charset=utf-8")
    } else {
        essence.to_string()
    }
}

/// Nothing is cached: the next request after an edit must see it.
fn set_headers(response: &mut Response, content_type: &str) {
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_follow_the_extension() {
        assert_eq!(content_type("faq/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.1a2b.css"), "text/css; charset=utf-8");
        assert_eq!(
            content_type("search.1a2b.js"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type("sitemap.xml"), "text/xml; charset=utf-8");
        assert_eq!(content_type("icon-192.png"), "image/png");
        assert_eq!(content_type("favicon.svg"), "image/svg+xml; charset=utf-8");
        assert_eq!(
            content_type("manifest.webmanifest"),
            "application/manifest+json; charset=utf-8"
        );
        assert_eq!(content_type("_redirects"), "text/plain; charset=utf-8");
        assert_eq!(content_type("data.bin"), "application/octet-stream");
    }
}
