//! Measures `clinicsite serve`'s edit-to-reload latency: from writing a file to the reload
//! event reaching an open page, for a one-page text edit.
//!
//! ```sh
//! cargo build --release && cargo run --release --example serve_latency -- --root .
//! cargo run --release --example gen_corpus -- --pages 10000 --out /tmp/c10k
//! cargo run --release --example serve_latency -- --root /tmp/c10k --file content/treatment/q-000001.md
//! ```
//!
//! The site is copied to a temporary folder first (its `public/` left out), so the edits never
//! touch it. Prints the median, fastest and slowest of `--runs` edits.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use clap::Parser;

#[derive(Parser)]
struct Args {
    /// The site to serve (it is copied, never changed).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// The file to edit, relative to the site.
    #[arg(long, default_value = "content/faq/does-it-hurt.md")]
    file: PathBuf,
    /// How many edits to time.
    #[arg(long, default_value_t = 30)]
    runs: usize,
    /// The clinicsite binary.
    #[arg(long, default_value = "target/release/clinicsite")]
    bin: PathBuf,
}

fn main() {
    let args = Args::parse();
    let temp = tempfile::tempdir().expect("a temporary folder");
    let site = temp.path().join("site");
    copy_site(&args.root, &site);
    let mut server = Command::new(&args.bin)
        .args(["serve", "--port", "0", "--root"])
        .arg(&site)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start clinicsite serve (build it first: cargo build --release)");
    let mut lines = BufReader::new(server.stdout.take().expect("stdout")).lines();
    let url = loop {
        let line = lines
            .next()
            .expect("the server prints its address")
            .expect("read");
        if let Some(start) = line.find("http://") {
            break line[start..].trim().to_string();
        }
    };
    // Keep reading the server's output so it never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    let address = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let mut events = TcpStream::connect(&address).expect("connect");
    write!(
        events,
        "GET /__clinicsite/events HTTP/1.1\r\nHost: {address}\r\n\r\n"
    )
    .unwrap();
    events
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let mut events = BufReader::new(events);
    wait_for(&mut events, "event: hello");

    let file = site.join(&args.file);
    let original = std::fs::read_to_string(&file).expect("the file to edit exists");
    let mut times = Vec::new();
    for run in 0..=args.runs {
        let started = Instant::now();
        std::fs::write(&file, format!("{original}\nEdit number {run}.\n")).unwrap();
        wait_for(&mut events, "event: reload");
        // The first edit warms the cache; it is not counted.
        if run > 0 {
            times.push(started.elapsed());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = server.kill();
    let _ = server.wait();
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{}: edit-to-reload median {:.1} ms, fastest {:.1} ms, slowest {:.1} ms ({} edits of {})",
        args.root.display(),
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1]),
        times.len(),
        args.file.display()
    );
}

/// Reads the event stream until a line starting with `wanted`.
fn wait_for(events: &mut BufReader<TcpStream>, wanted: &str) {
    let mut line = String::new();
    loop {
        line.clear();
        if events.read_line(&mut line).expect("read the event stream") == 0 {
            panic!("the event stream ended");
        }
        if line.starts_with(wanted) {
            return;
        }
    }
}

/// Copies `site.yaml`, `content/` and `themes/`.
fn copy_site(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    std::fs::copy(from.join("site.yaml"), to.join("site.yaml")).expect("a site.yaml");
    for dir in ["content", "themes"] {
        let mut stack = vec![from.join(dir)];
        while let Some(current) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&current) else {
                continue;
            };
            for entry in entries {
                let path = entry.unwrap().path();
                let target = to.join(path.strip_prefix(from).unwrap());
                if path.is_dir() {
                    stack.push(path);
                } else {
                    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
                    let mut bytes = Vec::new();
                    std::fs::File::open(&path)
                        .unwrap()
                        .read_to_end(&mut bytes)
                        .unwrap();
                    std::fs::write(target, bytes).unwrap();
                }
            }
        }
    }
}
