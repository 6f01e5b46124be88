//! Running `yoshiki serve` for a test: the real binary on a free loopback
//! port (`--listen 127.0.0.1:0`, the address read from its first line of
//! output), raw HTTP requests over `std::net`, and a snapshot of a folder
//! to prove nothing was written.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A running server, stopped when dropped.
pub struct Served {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub addr: String,
}

/// An answer: status, head (status line and headers) and body.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub head: String,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

impl Served {
    /// `yoshiki serve DIR --listen 127.0.0.1:0 [args…]`.
    pub fn start(dir: &Path, args: &[&str]) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_yoshiki"))
            .arg("serve")
            .arg(dir)
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start yoshiki serve");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("read the address");
        let addr = line.trim().trim_start_matches("http://").trim_end_matches('/').to_string();
        assert!(addr.starts_with("127.0.0.1:"), "yoshiki serve printed {line:?}");
        Served { child, addr }
    }

    /// Send `raw` as it is, close the sending side, and read the whole
    /// answer.
    pub fn raw(&self, raw: &[u8]) -> Reply {
        let mut stream = TcpStream::connect(&self.addr).expect("connect");
        stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        // The server may refuse before reading everything (413).
        let _ = stream.write_all(raw);
        // Nothing more will come: a request cut short is seen as such.
        let _ = stream.shutdown(std::net::Shutdown::Write);
        let mut bytes = Vec::new();
        let _ = stream.read_to_end(&mut bytes);
        let end = bytes.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or_else(|| {
            panic!("no answer to {:?}: {:?}", String::from_utf8_lossy(raw), String::from_utf8_lossy(&bytes))
        });
        let head = String::from_utf8_lossy(&bytes[..end]).into_owned();
        let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("status");
        Reply { status, head, body: bytes[end + 4..].to_vec() }
    }

    /// `GET target` with the right Host.
    pub fn get(&self, target: &str) -> Reply {
        self.raw(format!("GET {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", self.addr).as_bytes())
    }

    /// `POST target` with a JSON body and, if given, the token.
    pub fn post(&self, target: &str, token: Option<&str>, body: &str) -> Reply {
        let token = token.map(|t| format!("X-Yoshiki-Token: {t}\r\n")).unwrap_or_default();
        self.raw(
            format!(
                "POST {target} HTTP/1.1\r\nHost: {}\r\n{token}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                self.addr,
                body.len()
            )
            .as_bytes(),
        )
    }

    /// The boot data of an edit page (token, session, base, values).
    pub fn edit_page(&self, target: &str) -> serde_json::Value {
        let page = self.get(target);
        assert_eq!(page.status, 200, "{}", page.text());
        let html = page.text();
        let start = html.find("id=\"boot\">").expect("boot data") + "id=\"boot\">".len();
        let end = start + html[start..].find("</script>").expect("end of boot data");
        serde_json::from_str(&html[start..end]).expect("boot JSON")
    }

    pub fn alive(&self) -> bool {
        self.get("/").status == 200
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Every file under `dir` with its bytes, sorted: compare two snapshots
/// to prove nothing was written.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    fn walk(dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            let meta = std::fs::symlink_metadata(&path).expect("metadata");
            if meta.file_type().is_symlink() {
                out.push((path.clone(), std::fs::read_link(&path).unwrap().into_os_string().into_encoded_bytes()));
            } else if meta.is_dir() {
                walk(&path, out);
            } else {
                out.push((path.clone(), std::fs::read(&path).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out);
    out.sort();
    out
}
