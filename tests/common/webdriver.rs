//! A tiny W3C WebDriver client for the browser tests: chromedriver speaks
//! HTTP + JSON, so `std::net` and `serde_json` are enough (no Node, no
//! async stack, nothing to download at test time). Only the commands the
//! tests use: open a page, find elements, click, type, run a script, take
//! a screenshot.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value as Json};

/// The key W3C WebDriver names element references with.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// Chromium and chromedriver, if installed (Debian: `chromium`,
/// `chromium-driver`).
pub fn browser_paths() -> Option<(PathBuf, PathBuf)> {
    let find = |names: &[&str]| {
        names.iter().find_map(|n| {
            let p = Path::new(n);
            if p.is_absolute() {
                return p.is_file().then(|| p.to_path_buf());
            }
            std::env::var_os("PATH")
                .and_then(|paths| std::env::split_paths(&paths).map(|d| d.join(n)).find(|p| p.is_file()))
        })
    };
    let chromium = find(&["/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"])?;
    let driver = find(&["/usr/bin/chromedriver", "chromedriver"])?;
    Some((chromium, driver))
}

/// A chromedriver process and one browser session, ended when dropped.
pub struct Browser {
    driver: Child,
    port: u16,
    session: String,
    profile: PathBuf,
    /// Chromium's process, ended too if chromedriver cannot end it.
    chromium_pid: Option<u64>,
}

impl Browser {
    /// Start chromedriver and a headless Chromium with a fresh profile
    /// and no network chatter of its own.
    pub fn start(chromium: &Path, chromedriver: &Path, profile: &Path, width: u32, height: u32) -> Browser {
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
            l.local_addr().unwrap().port()
        };
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if http(port, "GET", "/status", None).is_ok_and(|(_, j)| j["value"]["ready"] == true) {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        std::fs::create_dir_all(profile).unwrap();
        let args = [
            "--headless".to_string(),
            "--no-sandbox".to_string(),
            "--disable-gpu".to_string(),
            "--disable-quic".to_string(),
            "--no-first-run".to_string(),
            "--disable-background-networking".to_string(),
            "--disable-component-update".to_string(),
            "--disable-sync".to_string(),
            "--disable-dev-shm-usage".to_string(),
            format!("--user-data-dir={}", profile.display()),
            format!("--window-size={width},{height}"),
        ];
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": chromium, "args": args },
        } } });
        let mut b =
            Browser { driver, port, session: String::new(), profile: profile.to_path_buf(), chromium_pid: None };
        let created = b.call("POST", "/session", Some(caps));
        b.session = created["sessionId"].as_str().expect("a session").to_string();
        b.chromium_pid = created["capabilities"]["goog:processID"].as_u64();
        b
    }

    /// A WebDriver command; panics with the driver's message on an error.
    fn call(&self, method: &str, path: &str, body: Option<Json>) -> Json {
        let (status, json) = http(self.port, method, path, body.as_ref())
            .unwrap_or_else(|e| panic!("chromedriver did not answer {method} {path}: {e}"));
        assert!(status < 300, "WebDriver {method} {path}: {status} {json}");
        json["value"].clone()
    }

    fn session_call(&self, method: &str, path: &str, body: Option<Json>) -> Json {
        self.call(method, &format!("/session/{}{path}", self.session), body)
    }

    pub fn goto(&self, url: &str) {
        self.session_call("POST", "/url", Some(json!({ "url": url })));
    }

    /// The first element matching a CSS selector.
    pub fn find(&self, css: &str) -> String {
        let v = self.session_call("POST", "/element", Some(json!({ "using": "css selector", "value": css })));
        v[ELEMENT].as_str().unwrap_or_else(|| panic!("no element {css}")).to_string()
    }

    pub fn click(&self, css: &str) {
        let e = self.find(css);
        self.session_call("POST", &format!("/element/{e}/click"), Some(json!({})));
    }

    pub fn clear(&self, css: &str) {
        let e = self.find(css);
        self.session_call("POST", &format!("/element/{e}/clear"), Some(json!({})));
    }

    /// Type `text` into an element, key by key.
    pub fn type_text(&self, css: &str, text: &str) {
        let e = self.find(css);
        self.session_call("POST", &format!("/element/{e}/value"), Some(json!({ "text": text })));
    }

    /// Run a script (its `return` value comes back).
    pub fn script(&self, script: &str, args: Json) -> Json {
        self.session_call("POST", "/execute/sync", Some(json!({ "script": script, "args": args })))
    }

    /// Poll `script` until it returns something other than null/false.
    pub fn wait_for(&self, what: &str, script: &str, args: Json) -> Json {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let v = self.script(script, args.clone());
            if !(v.is_null() || v == false) {
                return v;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// A PNG of the window.
    pub fn screenshot(&self) -> Vec<u8> {
        let v = self.session_call("GET", "/screenshot", None);
        base64_decode(v.as_str().expect("base64 PNG"))
    }

    pub fn profile(&self) -> &Path {
        &self.profile
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let ended = !self.session.is_empty()
            && http(self.port, "DELETE", &format!("/session/{}", self.session), None).is_ok_and(|(s, _)| s < 300);
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        // A browser chromedriver could not end (a test that timed out)
        // would run on: end it by its own process id.
        #[cfg(unix)]
        if let (false, Some(pid)) = (ended, self.chromium_pid) {
            let _ = Command::new("kill").arg(pid.to_string()).stderr(Stdio::null()).status();
        }
    }
}

/// One HTTP request to chromedriver on `port`; the status and JSON body.
fn http(port: u16, method: &str, path: &str, body: Option<&Json>) -> std::io::Result<(u16, Json)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(180)))?;
    let body = body.map(Json::to_string).unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    // chromedriver may keep the connection open: read the head, then as
    // many bytes as it announces (or up to the last chunk).
    let mut bytes = Vec::new();
    let mut chunk = [0u8; 16384];
    let complete = |bytes: &[u8]| -> bool {
        let Some(end) = bytes.windows(4).position(|w| w == b"\r\n\r\n") else { return false };
        let head = String::from_utf8_lossy(&bytes[..end]).to_ascii_lowercase();
        let body = &bytes[end + 4..];
        if head.contains("transfer-encoding: chunked") {
            return body.ends_with(b"0\r\n\r\n");
        }
        match head.lines().find_map(|l| l.strip_prefix("content-length:")) {
            Some(n) => body.len() >= n.trim().parse::<usize>().unwrap_or(0),
            None => false,
        }
    };
    while !complete(&bytes) {
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            break;
        }
        bytes.extend_from_slice(&chunk[..n]);
    }
    let end = bytes.windows(4).position(|w| w == b"\r\n\r\n").ok_or(std::io::ErrorKind::InvalidData)?;
    let head = String::from_utf8_lossy(&bytes[..end]).into_owned();
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let mut payload = bytes[end + 4..].to_vec();
    if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        payload = dechunk(&payload);
    }
    Ok((status, serde_json::from_slice(&payload).unwrap_or(Json::Null)))
}

/// A chunked body's bytes.
fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(line_end) = data.windows(2).position(|w| w == b"\r\n") else { return out };
        let size = usize::from_str_radix(String::from_utf8_lossy(&data[..line_end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            return out;
        }
        let start = line_end + 2;
        out.extend_from_slice(&data[start..(start + size).min(data.len())]);
        data = data.get(start + size + 2..).unwrap_or_default();
    }
}

/// Standard base64 (screenshots).
pub fn base64_decode(s: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for v in s.bytes().filter_map(value) {
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}
