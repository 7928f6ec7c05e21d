//! Headless Chromium driven over the DevTools protocol, for the real-browser check.

use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::server::{PATIENCE, get_raw, poll};
use crate::support::Site;

/// The Chromium binary to use: `CLINICSITE_CHROMIUM`, or the first of the usual names that
/// runs; `None` when there is none.
pub fn chromium() -> Option<String> {
    let named = std::env::var("CLINICSITE_CHROMIUM").ok();
    let candidates = match &named {
        Some(name) => vec![name.as_str()],
        None => vec!["chromium", "chromium-browser", "google-chrome"],
    };
    candidates
        .into_iter()
        .find(|name| {
            Command::new(name)
                .arg("--version")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        })
        .map(str::to_string)
}

/// Headless Chromium driven over the DevTools protocol.
pub struct Browser {
    socket: Mutex<tungstenite::WebSocket<TcpStream>>,
    next_id: Mutex<u64>,
    /// Last, so it is dropped (the browser killed) after the connection is closed.
    _process: Process,
}

/// Chromium's main process, killed when dropped: also when the test fails while starting it.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Browser {
    pub fn open(binary: &str, site: &Site, url: &str) -> Browser {
        let profile = site.tmp().join("chromium-profile");
        let process = Process(
            Command::new(binary)
                .args([
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--no-first-run",
                    "--remote-debugging-port=0",
                ])
                .arg(format!("--user-data-dir={}", profile.display()))
                .arg(url)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start Chromium"),
        );
        let port_file = profile.join("DevToolsActivePort");
        let port = poll(|| {
            std::fs::read_to_string(&port_file)
                .ok()
                .and_then(|text| text.lines().next()?.trim().parse::<u16>().ok())
        });
        let address = SocketAddr::from(([127, 0, 0, 1], port));
        let page_socket = poll(|| {
            let list = get_raw(address, "/json/list").ok()?;
            let targets: serde_json::Value = serde_json::from_str(&list.body).ok()?;
            targets
                .as_array()?
                .iter()
                .find(|t| t["type"] == "page")
                .and_then(|t| t["webSocketDebuggerUrl"].as_str())
                .map(str::to_string)
        });
        let stream = TcpStream::connect(address).expect("connect to Chromium");
        let (socket, _) = tungstenite::client(page_socket.as_str(), stream)
            .expect("open the DevTools connection");
        Browser {
            socket: Mutex::new(socket),
            next_id: Mutex::new(0),
            _process: process,
        }
    }

    /// Evaluates `expression` in the page and returns its value.
    pub fn evaluate(&self, expression: &str) -> serde_json::Value {
        let id = {
            let mut next = self.next_id.lock().unwrap();
            *next += 1;
            *next
        };
        let message = serde_json::json!({
            "id": id,
            "method": "Runtime.evaluate",
            "params": { "expression": expression, "returnByValue": true },
        });
        let mut socket = self.socket.lock().unwrap();
        socket
            .send(tungstenite::Message::text(message.to_string()))
            .expect("send to Chromium");
        loop {
            let reply = socket.read().expect("read from Chromium");
            let Ok(text) = reply.to_text() else { continue };
            let Ok(reply) = serde_json::from_str::<serde_json::Value>(text) else {
                continue;
            };
            if reply["id"] == id {
                return reply["result"]["result"]["value"].clone();
            }
        }
    }

    pub fn wait_until(&self, condition: &str) {
        let deadline = Instant::now() + PATIENCE;
        while self.evaluate(condition) != serde_json::Value::Bool(true) {
            assert!(
                Instant::now() < deadline,
                "the page never satisfied: {condition}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}
