//! The module graph of `src/`: no two modules import each other, directly or through others.
//!
//! Every `crate::…` and `super::…` path in the code (in `use` lines and written inline) is an
//! edge from the file's module to the module the path names. An edge counts between the two
//! modules where the paths part: `site::place` → `render::views` is `site` → `render`, and
//! `render::pass` → `render::context` is itself. A module using its own parent or child is
//! not an edge (a folder's `mod.rs` holds what its files share).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// A module's path below the crate: `["render", "pass"]`.
type Module = Vec<String>;

/// Where an edge was first seen: file and line.
type Seen = (String, usize);

/// Cycles not yet taken apart, as the edge left out of the check. Each must still be a cycle
/// (the test says when one is gone, so the list only shrinks).
const KNOWN: &[(&str, &str, &str)] = &[];

#[test]
fn no_module_imports_another_that_imports_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &src, &mut files);
    let modules: BTreeSet<Module> = files.iter().map(|(module, _, _)| module.clone()).collect();
    let mut edges: BTreeMap<Module, BTreeMap<Module, Seen>> = BTreeMap::new();
    for (module, rel, text) in &files {
        for (line, path) in paths(text) {
            let Some(target) = resolve(module, &path, &modules) else {
                continue;
            };
            let Some((from, to)) = parting(module, &target) else {
                continue;
            };
            edges
                .entry(from)
                .or_default()
                .entry(to)
                .or_insert_with(|| (rel.clone(), line));
        }
    }
    for (from, to, _) in KNOWN {
        let removed = edges
            .get_mut(&module(from))
            .and_then(|e| e.remove(&module(to)));
        let back = reaches(&edges, &module(to), &module(from));
        assert!(
            removed.is_some() && back,
            "{from} → {to} is no longer part of a cycle: remove it from KNOWN"
        );
    }
    let cycles = cycles(&edges);
    assert!(
        cycles.is_empty(),
        "modules that import each other (move the shared type down to a module both use):\n{}",
        cycles.join("\n")
    );
}

/// Whether `to` can be reached from `from`.
fn reaches(edges: &BTreeMap<Module, BTreeMap<Module, Seen>>, from: &Module, to: &Module) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack = vec![from.clone()];
    while let Some(node) = stack.pop() {
        if &node == to {
            return true;
        }
        for next in edges.get(&node).into_iter().flat_map(|e| e.keys()) {
            if seen.insert(next.clone()) {
                stack.push(next.clone());
            }
        }
    }
    false
}

#[test]
fn a_cycle_is_found_and_named() {
    let edge = |from: &str, to: &str| (module(from), module(to));
    let mut edges: BTreeMap<Module, BTreeMap<Module, Seen>> = BTreeMap::new();
    for (from, to) in [
        edge("markdown", "html_policy"),
        edge("html_policy", "diagnostics"),
        edge("html_policy", "markdown"),
        edge("site", "diagnostics"),
    ] {
        edges
            .entry(from)
            .or_default()
            .insert(to, ("src/x.rs".into(), 1));
    }
    assert_eq!(
        cycles(&edges),
        ["html_policy → markdown (src/x.rs:1) → html_policy (src/x.rs:1)"]
    );
    edges
        .get_mut(&module("html_policy"))
        .unwrap()
        .remove(&module("markdown"));
    assert!(cycles(&edges).is_empty());
}

#[test]
fn paths_are_read_from_use_lines_and_code() {
    let text = "use crate::site::{Site, paths::{self, file_name}};\n\
                use super::views::SiteView;\n\
                // crate::not::this\n\
                fn f() { crate::seo::json_ld(); let s = \"crate::nor::this\"; }\n";
    let found: Vec<(usize, String)> = paths(text)
        .into_iter()
        .map(|(line, path)| (line, path.join("::")))
        .collect();
    assert_eq!(
        found,
        [
            (1, "crate::site::Site".to_string()),
            (1, "crate::site::paths".to_string()),
            (1, "crate::site::paths::file_name".to_string()),
            (2, "super::views::SiteView".to_string()),
            (4, "crate::seo::json_ld".to_string()),
        ]
    );
    let modules: BTreeSet<Module> = [module("site"), module("site::paths"), module("render")]
        .into_iter()
        .collect();
    let target = resolve(
        &module("render"),
        &["crate", "site", "paths", "file_name"].map(String::from),
        &modules,
    );
    assert_eq!(target, Some(module("site::paths")));
    assert_eq!(
        parting(&module("render::pass"), &module("site::paths")),
        Some((module("render"), module("site")))
    );
    assert_eq!(parting(&module("render::pass"), &module("render")), None);
}

fn module(path: &str) -> Module {
    path.split("::").map(String::from).collect()
}

/// Every `.rs` file under `dir` with its module path and text (`lib.rs` and `main.rs` are the
/// crate roots, left out).
fn rust_files(root: &Path, dir: &Path, files: &mut Vec<(Module, String, String)>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(root, &path, files);
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path.strip_prefix(root).unwrap().with_extension("");
        let mut module: Module = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if module.last().is_some_and(|last| last == "mod") {
            module.pop();
        }
        if module == ["lib"] || module == ["main"] {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        let shown = format!("src/{}", path.strip_prefix(root).unwrap().display());
        files.push((module, shown.replace('\\', "/"), text));
    }
}

/// Every `crate::…`/`super::…` path in `text` with its line, `use` groups expanded; comments
/// and string literals are skipped.
fn paths(text: &str) -> Vec<(usize, Vec<String>)> {
    let code = without_comments_and_strings(text);
    let mut found = Vec::new();
    let bytes = code.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let starts_path = (code[at..].starts_with("crate::") || code[at..].starts_with("super::"))
            && (at == 0
                || !is_ident(bytes[at - 1]) && bytes[at - 1] != b':' && bytes[at - 1] != b'$');
        if !starts_path {
            at += 1;
            continue;
        }
        let line = code[..at].matches('\n').count() + 1;
        let (tree, used) = use_tree(&code[at..]);
        for path in tree {
            found.push((line, path));
        }
        at += used.max(1);
    }
    found
}

/// A path and the `{…}` groups after it, expanded: `a::{b, c::{d}}` is `a::b`, `a::c::d`.
/// Returns the paths and the bytes read.
fn use_tree(text: &str) -> (Vec<Vec<String>>, usize) {
    let bytes = text.as_bytes();
    let mut prefix = Vec::new();
    let mut at = 0;
    loop {
        let start = at;
        while at < bytes.len() && is_ident(bytes[at]) {
            at += 1;
        }
        if at > start {
            prefix.push(text[start..at].to_string());
        }
        if text[at..].starts_with("::{") {
            at += 3;
            let mut all = Vec::new();
            loop {
                while at < bytes.len() && bytes[at].is_ascii_whitespace() {
                    at += 1;
                }
                if at >= bytes.len() || bytes[at] == b'}' {
                    at += 1;
                    break;
                }
                let (inner, used) = use_tree(&text[at..]);
                for path in inner {
                    let mut full = prefix.clone();
                    full.extend(path.into_iter().filter(|part| part != "self"));
                    all.push(full);
                }
                at += used.max(1);
                while at < bytes.len() && matches!(bytes[at], b',' | b' ' | b'\n') {
                    at += 1;
                }
            }
            return (all, at);
        }
        if text[at..].starts_with("::")
            && text[at + 2..].starts_with(|c: char| c.is_alphanumeric() || c == '_')
        {
            at += 2;
            continue;
        }
        // `as name` and anything after the path end it.
        return (vec![prefix], at);
    }
}

fn is_ident(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// `text` with comments and the contents of string and char literals blanked (lines kept).
fn without_comments_and_strings(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                let mut prev = ' ';
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                    }
                    if prev == '*' && c == '/' {
                        break;
                    }
                    prev = c;
                }
            }
            'r' if matches!(chars.peek(), Some('#' | '"')) => {
                let mut hashes = 0;
                while chars.peek() == Some(&'#') {
                    chars.next();
                    hashes += 1;
                }
                if chars.peek() != Some(&'"') {
                    out.push('r');
                    continue;
                }
                chars.next();
                let closing = format!("\"{}", "#".repeat(hashes));
                let mut seen = String::new();
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                    }
                    seen.push(c);
                    if seen.ends_with(&closing) {
                        break;
                    }
                }
                out.push_str("\"\"");
            }
            '"' => {
                let mut escaped = false;
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                    }
                    if !escaped && c == '"' {
                        break;
                    }
                    escaped = !escaped && c == '\\';
                }
                out.push_str("\"\"");
            }
            '\'' => {
                // A char literal (`'a'`, `'\n'`) or a lifetime (`'a`): skip only the former.
                let rest: String = chars.clone().take(4).collect();
                let literal = rest.starts_with('\\') || rest.chars().nth(1) == Some('\'');
                if literal {
                    let mut escaped = false;
                    for c in chars.by_ref() {
                        if !escaped && c == '\'' {
                            break;
                        }
                        escaped = !escaped && c == '\\';
                    }
                    out.push_str("' '");
                } else {
                    out.push('\'');
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// The module a path names: the longest module its parts begin with. `None` for paths to
/// the crate root itself.
fn resolve(from: &Module, path: &[String], modules: &BTreeSet<Module>) -> Option<Module> {
    let mut base: Module = Vec::new();
    let mut rest = path;
    match path.first().map(String::as_str) {
        Some("crate") => rest = &path[1..],
        Some("super") => {
            base = from.clone();
            while rest.first().is_some_and(|part| part == "super") {
                base.pop();
                rest = &rest[1..];
            }
        }
        _ => return None,
    }
    let mut target = base.clone();
    for part in rest {
        target.push(part.clone());
        if !modules.contains(&target) {
            target.pop();
            break;
        }
    }
    (!target.is_empty()).then_some(target)
}

/// The two modules an edge joins, at the level where the paths part; `None` within one
/// module or between a module and one of its own parents or children.
fn parting(from: &Module, to: &Module) -> Option<(Module, Module)> {
    let shared = from.iter().zip(to).take_while(|(a, b)| a == b).count();
    if shared == from.len() || shared == to.len() {
        return None;
    }
    Some((from[..=shared].to_vec(), to[..=shared].to_vec()))
}

/// Each cycle once, as `a → b (file:line) → a (file:line)`, starting from its smallest module.
fn cycles(edges: &BTreeMap<Module, BTreeMap<Module, Seen>>) -> Vec<String> {
    let mut found = BTreeSet::new();
    for start in edges.keys() {
        let mut stack = vec![(start.clone(), Vec::<(Module, Seen)>::new())];
        let mut visited = BTreeSet::new();
        while let Some((node, trail)) = stack.pop() {
            for (next, seen) in edges.get(&node).into_iter().flatten() {
                let mut trail = trail.clone();
                trail.push((next.clone(), seen.clone()));
                if next == start {
                    if trail.iter().all(|(m, _)| m >= start) {
                        let steps: Vec<String> = trail
                            .iter()
                            .map(|(m, (file, line))| format!("{} ({file}:{line})", m.join("::")))
                            .collect();
                        found.insert(format!("{} → {}", start.join("::"), steps.join(" → ")));
                    }
                } else if visited.insert(next.clone()) {
                    stack.push((next.clone(), trail));
                }
            }
        }
    }
    found.into_iter().collect()
}
