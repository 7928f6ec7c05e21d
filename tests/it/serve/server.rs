//! The server under test: `clinicsite serve --port 0` in a fixture site, with a tiny HTTP
//! client over raw TCP and a reader for its event stream.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support::Site;

const BIN: &str = env!("CARGO_BIN_EXE_clinicsite");
/// Long enough for a debug build on a busy machine; tests stop waiting as soon as it is done.
pub const PATIENCE: Duration = Duration::from_secs(30);

/// `clinicsite serve --port 0` running in a fixture site; killed when dropped.
pub struct Server {
    pub child: Child,
    pub address: SocketAddr,
    pub url: String,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    pub fn start(site: &Site, args: &[&str]) -> Server {
        Server::start_in(&site.root, args)
    }

    /// `clinicsite serve --port 0 ARGS` in `dir`.
    pub fn start_in(dir: &std::path::Path, args: &[&str]) -> Server {
        let mut command = Command::new(BIN);
        command.args(["serve", "--port", "0"]).args(args);
        Server::spawn(dir, command)
    }

    /// `start`, with `env` added to the server's environment.
    pub fn start_with_env(site: &Site, env: &[(&str, &str)]) -> Server {
        let mut command = Command::new(BIN);
        command
            .args(["serve", "--port", "0"])
            .envs(env.iter().copied());
        Server::spawn(&site.root, command)
    }

    /// `start`, with the server allowed only `limit` open files (`ulimit -n`).
    pub fn start_with_open_files(site: &Site, limit: u32) -> Server {
        let mut command = Command::new("sh");
        command.args([
            "-c",
            &format!("ulimit -n {limit} && exec \"$0\" serve --port 0"),
            BIN,
        ]);
        Server::spawn(&site.root, command)
    }

    fn spawn(dir: &std::path::Path, mut command: Command) -> Server {
        let mut child = command
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start clinicsite serve");
        let stdout = collect(child.stdout.take().expect("stdout"));
        let stderr = collect(child.stderr.take().expect("stderr"));
        let url = poll(|| {
            let text = stdout.lock().unwrap();
            let start = text.find("http://")?;
            let end = start + text[start..].find(char::is_whitespace)?;
            Some(text[start..end].to_string())
        });
        let address = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .parse()
            .expect("the server prints its address");
        Server {
            child,
            address,
            url,
            stdout,
            stderr,
        }
    }

    pub fn get(&self, path: &str) -> Response {
        self.request(&format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.address
        ))
    }

    pub fn request(&self, raw: &str) -> Response {
        request(self.address, raw).expect("the server answers")
    }

    pub fn events(&self) -> Events {
        let mut stream = TcpStream::connect(self.address).expect("connect");
        write!(
            stream,
            "GET /__clinicsite/events HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n",
            self.address
        )
        .unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        loop {
            line.clear();
            reader
                .read_line(&mut line)
                .expect("read the event stream's head");
            if line == "\r\n" {
                break;
            }
        }
        Events {
            reader,
            pending: String::new(),
        }
    }

    /// Everything the server printed to standard output so far.
    pub fn output(&self) -> String {
        self.stdout.lock().unwrap().clone()
    }

    pub fn errors(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    pub fn wait_for_output(&self, text: &str) {
        poll(|| (self.output().contains(text) || self.errors().contains(text)).then_some(()));
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A server-sent event stream (chunked), read event by event.
pub struct Events {
    reader: BufReader<TcpStream>,
    pending: String,
}

#[derive(Debug)]
pub struct Event {
    pub name: String,
    pub data: String,
}

impl Events {
    pub fn next(&mut self) -> Event {
        loop {
            if let Some(end) = self.pending.find("\n\n") {
                let block: String = self.pending.drain(..end + 2).collect();
                let mut event = Event {
                    name: "message".into(),
                    data: String::new(),
                };
                for line in block.lines() {
                    if let Some(name) = line.strip_prefix("event: ") {
                        event.name = name.to_string();
                    } else if let Some(data) = line.strip_prefix("data: ") {
                        event.data.push_str(data);
                    }
                }
                if !event.data.is_empty() || event.name != "message" {
                    return event;
                }
                continue;
            }
            let mut size = String::new();
            self.reader.read_line(&mut size).expect("read a chunk size");
            let size = usize::from_str_radix(size.trim(), 16).expect("a chunk size");
            assert!(size > 0, "the event stream ended");
            let mut chunk = vec![0; size + 2];
            self.reader.read_exact(&mut chunk).expect("read a chunk");
            self.pending
                .push_str(&String::from_utf8_lossy(&chunk[..size]));
        }
    }

    /// Skips events until one named `name`.
    pub fn wait_for(&mut self, name: &str) -> Event {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(!left.is_zero(), "no `{name}` event came");
            self.reader.get_ref().set_read_timeout(Some(left)).unwrap();
            let event = self.next();
            if event.name == name {
                return event;
            }
        }
    }
}

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn request(address: SocketAddr, raw: &str) -> std::io::Result<Response> {
    let mut stream = TcpStream::connect(address)?;
    stream.set_read_timeout(Some(PATIENCE))?;
    stream.write_all(raw.as_bytes())?;
    // Read to the end, or to Content-Length where the server keeps the connection open.
    let mut bytes = Vec::new();
    let mut buffer = [0; 8192];
    loop {
        let read = stream.read(&mut buffer)?;
        bytes.extend_from_slice(&buffer[..read]);
        let text = String::from_utf8_lossy(&bytes);
        let complete = text.split_once("\r\n\r\n").is_some_and(|(head, body)| {
            head.lines()
                .filter_map(|l| l.split_once(':'))
                .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
                .and_then(|(_, v)| v.trim().parse::<usize>().ok())
                .is_some_and(|length| body.len() >= length)
        });
        if read == 0 || complete {
            break;
        }
    }
    let text = String::from_utf8_lossy(&bytes);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.to_string(), v.trim().to_string()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v == "chunked");
    let body = if chunked {
        dechunk(body)
    } else {
        body.to_string()
    };
    Ok(Response {
        status,
        headers,
        body,
    })
}

pub fn get_raw(address: SocketAddr, path: &str) -> std::io::Result<Response> {
    request(
        address,
        &format!("GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"),
    )
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if size == 0 || rest.len() < size {
            break;
        }
        out.push_str(&rest[..size]);
        body = rest[size..].trim_start_matches("\r\n");
    }
    out
}

fn collect(stream: impl Read + Send + 'static) -> Arc<Mutex<String>> {
    let text = Arc::new(Mutex::new(String::new()));
    let sink = text.clone();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
            sink.lock().unwrap().push_str(&line);
            line.clear();
        }
    });
    text
}

/// Calls `check` until it gives a value, for up to `PATIENCE`.
pub fn poll<T>(mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Some(value) = check() {
            return value;
        }
        assert!(Instant::now() < deadline, "gave up waiting");
        std::thread::sleep(Duration::from_millis(20));
    }
}
