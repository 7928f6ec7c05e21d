//! The preview's front door: TCP connections in, requests for `http::router` out.
//!
//! - Only requests addressed to the preview itself are answered: the `Host` (and an `Origin`,
//!   when the browser sends one) must be the address it listens on or a `localhost` name,
//!   with its port. Anything else is refused with 403, so a web page elsewhere cannot read
//!   drafts or the error overlay through DNS rebinding (its own name pointed at 127.0.0.1).
//! - Request headers must arrive within `HEADER_TIMEOUT`, and at most `capacity()`
//!   connections stay open: to make room, the oldest connection with no request in progress
//!   is closed. A thousand slow or silent clients cannot starve a browser.
//! - When the server stops, every connection is dropped at once, whatever clients are doing.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, Response, StatusCode, header};
use axum::response::IntoResponse;
use hyper::body::Incoming;
use hyper::service::Service as _;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};

use super::reload;

/// How long a client may take to send a request's headers.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(5);

/// Serves `app` on `listener` until `stop` turns true.
pub async fn run(listener: TcpListener, app: Router, mut stop: watch::Receiver<bool>) {
    let Ok(local) = listener.local_addr() else {
        return;
    };
    let allowed = Allowed {
        ip: local.ip(),
        port: local.port(),
    };
    let slots = Arc::new(Slots::default());
    let capacity = capacity();
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of files or a connection reset before it was taken: try again shortly.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
            _ = stop.wait_for(|stopped| *stopped) => break,
        };
        let Some(slot) = slots.admit(capacity) else {
            continue;
        };
        let connection = Connection {
            app: TowerToHyperService::new(app.clone()),
            allowed,
            slot,
            slots: slots.clone(),
        };
        tokio::spawn(connection.serve(stream, stop.clone()));
    }
}

/// At most this many connections are open at once: half the files the process may open
/// (the rest are for the site's files and the watcher), between 16 and 512.
fn capacity() -> usize {
    #[cfg(unix)]
    {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit only writes the struct it is given.
        if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0 {
            let half = usize::try_from(limit.rlim_cur / 2).unwrap_or(usize::MAX);
            return half.clamp(16, 512);
        }
    }
    256
}

/// The host names and addresses requests may be addressed to.
#[derive(Debug, Clone, Copy)]
struct Allowed {
    ip: IpAddr,
    port: u16,
}

impl Allowed {
    /// `Host: localhost:1111`, `127.0.0.1:1111`, `app.localhost:1111`; when listening on every
    /// interface (`0.0.0.0`), any address written as numbers (a phone on the same network),
    /// since DNS rebinding needs a name.
    fn host(&self, host: &str) -> bool {
        let (name, port) = match host.rsplit_once(':') {
            Some((name, port)) if !port.contains(']') => (name, port.parse::<u16>().ok()),
            _ => (host, Some(80)),
        };
        if port != Some(self.port) {
            return false;
        }
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        if name == "localhost" || name.ends_with(".localhost") {
            return true;
        }
        match name
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
        {
            Ok(ip) => {
                ip == self.ip
                    || self.ip.is_unspecified()
                    || (self.ip.is_loopback() && ip.is_loopback())
            }
            Err(_) => false,
        }
    }

    /// Whether a request may be answered: its `Host` (and the host of an absolute address)
    /// allowed, and its `Origin`, if any, `http://` and an allowed host.
    fn request(&self, request: &Request<Incoming>) -> bool {
        let header_text = |name| {
            request
                .headers()
                .get(name)
                .map(|v| v.to_str().unwrap_or(""))
        };
        let host_ok = header_text(header::HOST).is_some_and(|host| self.host(host));
        let authority_ok = request
            .uri()
            .authority()
            .is_none_or(|authority| self.host(authority.as_str()));
        let origin_ok = header_text(header::ORIGIN).is_none_or(|origin| {
            origin
                .strip_prefix("http://")
                .is_some_and(|host| self.host(host))
        });
        host_ok && authority_ok && origin_ok
    }
}

/// One open connection, as the accept loop knows it.
#[derive(Debug, Default)]
struct Slot {
    id: u64,
    /// Requests being answered right now.
    busy: AtomicUsize,
    /// It holds the event stream: a page that is open, never closed to make room.
    streaming: AtomicBool,
    close: Notify,
}

#[derive(Debug, Default)]
struct Slots {
    /// By id: the oldest first.
    open: Mutex<BTreeMap<u64, Arc<Slot>>>,
    next: AtomicU64,
}

impl Slots {
    /// A slot for a new connection. At `capacity`, the oldest connection with no request in
    /// progress is closed to make room; `None` when every one is busy.
    fn admit(&self, capacity: usize) -> Option<Arc<Slot>> {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        if open.len() >= capacity {
            let idle = open
                .values()
                .find(|slot| {
                    slot.busy.load(Ordering::Relaxed) == 0
                        && !slot.streaming.load(Ordering::Relaxed)
                })?
                .clone();
            open.remove(&idle.id);
            idle.close.notify_one();
        }
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let slot = Arc::new(Slot {
            id,
            ..Slot::default()
        });
        open.insert(id, slot.clone());
        Some(slot)
    }

    fn remove(&self, id: u64) {
        self.open
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&id);
    }
}

struct Connection {
    app: TowerToHyperService<Router>,
    allowed: Allowed,
    slot: Arc<Slot>,
    slots: Arc<Slots>,
}

impl Connection {
    async fn serve(self, stream: tokio::net::TcpStream, mut stop: watch::Receiver<bool>) {
        let Connection {
            app,
            allowed,
            slot,
            slots,
        } = self;
        let app = Arc::new(app);
        let tracked = slot.clone();
        let service = hyper::service::service_fn(move |request: Request<Incoming>| {
            let app = app.clone();
            let slot = tracked.clone();
            async move {
                if !allowed.request(&request) {
                    return Ok::<_, Infallible>(forbidden());
                }
                if request.uri().path() == reload::EVENTS_PATH {
                    slot.streaming.store(true, Ordering::Relaxed);
                }
                slot.busy.fetch_add(1, Ordering::Relaxed);
                let response = app.call(request).await;
                slot.busy.fetch_sub(1, Ordering::Relaxed);
                Ok(response.unwrap_or_else(|never| match never {}))
            }
        });
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(HEADER_TIMEOUT)
            .serve_connection(TokioIo::new(stream), service);
        tokio::select! {
            _ = connection => {}
            _ = slot.close.notified() => {}
            _ = stop.wait_for(|stopped| *stopped) => {}
        }
        slots.remove(slot.id);
    }
}

fn forbidden() -> Response<Body> {
    (
        StatusCode::FORBIDDEN,
        "This preview answers only at its own address (localhost or the address it printed).\n",
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_the_preview_answers_to() {
        let local = Allowed {
            ip: "127.0.0.1".parse().unwrap(),
            port: 1111,
        };
        for host in [
            "127.0.0.1:1111",
            "localhost:1111",
            "LOCALHOST:1111",
            "app.localhost:1111",
            "[::1]:1111",
        ] {
            assert!(local.host(host), "{host}");
        }
        for host in [
            "evil.example:1111",
            "localhost.evil.example:1111",
            "127.0.0.1:2222",
            "localhost",
            "x",
            "192.168.1.9:1111",
            "",
        ] {
            assert!(!local.host(host), "{host}");
        }
        let everywhere = Allowed {
            ip: "0.0.0.0".parse().unwrap(),
            port: 80,
        };
        assert!(everywhere.host("192.168.1.9"));
        assert!(everywhere.host("192.168.1.9:80"));
        assert!(!everywhere.host("rebind.evil.example"));
    }

    #[test]
    fn at_capacity_the_oldest_idle_connection_makes_room() {
        let slots = Slots::default();
        let first = slots.admit(2).unwrap();
        let second = slots.admit(2).unwrap();
        first.busy.store(1, Ordering::Relaxed);
        let third = slots.admit(2).unwrap();
        let open: Vec<u64> = slots.open.lock().unwrap().keys().copied().collect();
        assert_eq!(open, [first.id, third.id]);
        assert_ne!(second.id, third.id);
        third.streaming.store(true, Ordering::Relaxed);
        assert!(slots.admit(2).is_none(), "every connection is busy");
    }
}
