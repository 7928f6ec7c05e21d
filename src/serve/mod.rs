//! The dev server: a site folder in, a live preview over HTTP out.
//!
//! `serve` is build + a static file server over the built files + a reload channel:
//!
//! ```text
//! content/, themes/, site.yaml ──watch──▶ Changes (classified, coalesced per burst)
//! Changes ──rebuild (pipeline in memory, cache)──▶ Snapshot, or findings
//! Snapshot ──http──▶ pages (live script added), 404.html, redirects to pretty URLs
//! rebuild outcome ──reload──▶ server-sent events: reload, swap stylesheets, show the error
//! connections ──listen (own host names only, header timeout, capped)──▶ http
//! ```
//!
//! Nothing is written to disk: the site is served from memory, so `serve` never fights with
//! `build` over `public/`. A failed rebuild keeps the last good site and shows the error, in
//! the terminal and over the page. The server's state lives in one `http::Shared` value.

/// `println!` that does not panic when standard output is a closed pipe
/// (`clinicsite serve | head -1`): the line is dropped, the preview goes on.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// `eprintln!` that does not panic when standard error is closed.
macro_rules! tell {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// `eprint!` that does not panic when standard error is closed.
macro_rules! tell_raw {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr(), $($arg)*);
    }};
}

mod cache;
pub mod http;
mod kept;
mod listen;
mod overlay;
mod quick;
pub mod rebuild;
pub mod reload;
pub mod snapshot;
pub mod watch;

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, mpsc};

use tokio::sync::watch as signal_watch;

use crate::diagnostics::{Colour, Diagnostic, display_path};
use http::Shared;
use rebuild::Builder;
use snapshot::Snapshot;
use watch::Changes;

/// What `serve` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    pub interface: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    pub drafts: bool,
    /// Open the preview in the browser once it is ready.
    pub open: bool,
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("the site cannot be read")]
    Findings(Vec<Diagnostic>),
    #[error("cannot listen on {address}: {source}")]
    Listen {
        address: SocketAddr,
        #[source]
        source: io::Error,
    },
    #[error("cannot watch {} for changes: {source}", display_path(.root))]
    Watch {
        root: PathBuf,
        #[source]
        source: notify::Error,
    },
    #[error("cannot start the server: {0}")]
    Runtime(#[from] io::Error),
}

/// Builds the site, serves it and rebuilds it on every change until Ctrl-C.
pub fn serve(options: &Options) -> Result<(), ServeError> {
    let root = options.root.clone();
    if !root.join(crate::config::FILE).is_file() {
        // The same finding `build` gives, instead of an empty preview of nothing.
        let findings =
            crate::pipeline::render_site(&root, None, options.drafts, &crate::incremental::Fresh)
                .err()
                .unwrap_or_default();
        return Err(ServeError::Findings(findings));
    }
    let address = SocketAddr::new(options.interface, options.port);
    let listener = std::net::TcpListener::bind(address)
        .map_err(|source| ServeError::Listen { address, source })?;
    let address = listener.local_addr()?;
    let url = preview_url(address);

    // Watch before the first build, so edits made while it runs are not missed.
    let (batches, incoming) = mpsc::channel();
    watch::start(&root, batches).map_err(|source| ServeError::Watch {
        root: root.clone(),
        source,
    })?;
    let (stop, stopped) = signal_watch::channel(false);
    let stopping = stopped.clone();
    let shared = Arc::new(Shared::new(root.clone(), stopped));
    let mut builder = Builder::new(root.clone(), url.clone(), options.drafts);
    let title = first_build(&mut builder, &shared);
    say!("Serving {title} at {url}");
    say!("Watching content/, themes/ and site.yaml for changes. Press Ctrl-C to stop.");

    let rebuilding = shared.clone();
    std::thread::Builder::new()
        .name("clinicsite-rebuild".into())
        .spawn(move || rebuild_loop(builder, &rebuilding, &incoming))?;
    if options.open {
        open_browser(&url);
    }

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        listener.set_nonblocking(true)?;
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let app = http::router(shared);
        tokio::spawn(async move {
            stop_signal().await;
            let _ = stop.send(true);
        });
        // Every connection is dropped once `stop` is sent: a client holding a request open
        // cannot keep the server running.
        listen::run(listener, app, stopping).await;
        Ok::<(), io::Error>(())
    })?;
    runtime.shutdown_timeout(std::time::Duration::from_millis(300));
    say!("Stopped.");
    Ok(())
}

/// The address pages are served at, also used as the site's `base_url` in the preview.
fn preview_url(address: SocketAddr) -> String {
    match address.ip() {
        ip if ip.is_unspecified() => format!("http://localhost:{}/", address.port()),
        IpAddr::V6(ip) => format!("http://[{ip}]:{}/", address.port()),
        IpAddr::V4(ip) => format!("http://{ip}:{}/", address.port()),
    }
}

/// Builds the site for the first time and publishes it; returns the site's title for the
/// greeting. A site with errors is still served (an error page) and fixed while watching.
fn first_build(builder: &mut Builder, shared: &Shared) -> String {
    match builder.rebuild(&Changes::everything(), &Snapshot::default()) {
        Ok(built) => {
            say!(
                "Built {} page{} ({} files) in {} ms.",
                built.pages,
                if built.pages == 1 { "" } else { "s" },
                built.snapshot.len(),
                built.elapsed.as_millis()
            );
            let title = site_title(&builder.root);
            let findings = findings_text(builder, &built.findings);
            shared.publish(built.snapshot, None, findings);
            title
        }
        Err(findings) => {
            report(builder, shared, &findings);
            site_title(&builder.root)
        }
    }
}

fn site_title(root: &std::path::Path) -> String {
    std::fs::read_to_string(root.join(crate::config::FILE))
        .ok()
        .and_then(|text| crate::config::parse(&text, None).ok())
        .map_or_else(|| display_path(root), |config| config.title)
}

/// Waits for batches of changes and rebuilds; batches that arrive during a rebuild are
/// merged into the next one, so a burst costs one or two rebuilds.
fn rebuild_loop(mut builder: Builder, shared: &Shared, incoming: &mpsc::Receiver<Changes>) {
    while let Ok(mut changes) = incoming.recv() {
        while let Ok(more) = incoming.try_recv() {
            changes.merge(more);
        }
        let current = shared.current();
        let was_broken = current.problem.is_some();
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            builder.rebuild(&changes, &current.snapshot)
        }));
        let Ok(outcome) = outcome else {
            // A bug, not the user's files: start afresh next time and keep serving.
            builder = Builder::new(
                builder.root.clone(),
                builder.base_url.clone(),
                builder.drafts,
            );
            tell!("error: clinicsite failed while rebuilding; save a file to try again.");
            continue;
        };
        match outcome {
            Ok(built) if built.changed == 0 && !was_broken => {
                say!("{}: the site is unchanged.", changes.describe());
            }
            Ok(built) => {
                say!(
                    "{}: rebuilt in {} ms ({} of {} pages rendered), {} {} updated{}.",
                    changes.describe(),
                    built.elapsed.as_millis(),
                    built.rendered,
                    built.pages,
                    built.changed,
                    if built.changed == 1 { "file" } else { "files" },
                    if was_broken {
                        "; the errors are fixed"
                    } else {
                        ""
                    }
                );
                let findings = findings_text(&builder, &built.findings);
                shared.publish(built.snapshot, built.styles, findings);
            }
            Err(findings) => report(&builder, shared, &findings),
        }
    }
}

/// Prints what `build` would stop on in a version served all the same, and returns the text
/// for the panel below the pages (`None` when there is nothing).
fn findings_text(builder: &Builder, findings: &[Diagnostic]) -> Option<String> {
    if findings.is_empty() {
        return None;
    }
    eprint!(
        "{}",
        overlay::findings_text(findings, &builder.root, Colour::detect_stderr())
    );
    Some(overlay::findings_text(
        findings,
        &builder.root,
        Colour::Never,
    ))
}

/// Prints the findings as `build` does and shows the same text over the pages.
fn report(builder: &Builder, shared: &Shared, findings: &[Diagnostic]) {
    tell_raw!(
        "{}",
        overlay::text(findings, &builder.root, Colour::detect_stderr())
    );
    shared.report_problem(overlay::text(findings, &builder.root, Colour::Never));
}

fn open_browser(url: &str) {
    let url = url.to_string();
    // Best effort: a machine without a browser still has a working preview.
    std::thread::spawn(move || {
        if let Err(error) = opener::open_browser(&url) {
            tell!("note: could not open a browser ({error}); open {url} yourself.");
        }
    });
}

/// Ctrl-C, or a polite request to stop from the system.
async fn stop_signal() {
    #[cfg(unix)]
    {
        let mut terminate =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                .expect("listen for the stop signal");
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
