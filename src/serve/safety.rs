//! What keeps a local form server from becoming a hole: who may talk to it
//! ([`Guard`]: the `Host` header, the per-run token, the origin of a
//! request) and which files it may touch ([`Project`]: under the project
//! folder only, no `..`, no hidden files, no symlink leading out).
//!
//! The threats: a web page in the same browser posting to
//! `http://127.0.0.1:8470` (no token: refused; its own origin: refused),
//! a DNS name rebound to 127.0.0.1 to read answers (wrong `Host`:
//! refused), a crafted path reaching `../../.ssh` (refused before any file
//! is opened), and, when listening beyond this computer, anyone on the
//! network (the token is then needed for every request).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use super::http::{Request, Response};

/// Checks every request before it is routed.
pub struct Guard {
    /// `Host` values accepted (`127.0.0.1:8470`, `localhost:8470` …).
    hosts: Vec<String>,
    /// Listening on every address (0.0.0.0): any `Host` with the token.
    any_host: bool,
    token: String,
    /// Reads need no token: only this computer can connect.
    loopback: bool,
}

impl Guard {
    /// The guard of a server listening on `addr`; `token` is required
    /// beyond loopback (and used instead of a random one if given).
    pub fn new(addr: SocketAddr, token: Option<String>) -> Result<Guard, String> {
        let loopback = addr.ip().is_loopback();
        let token = match token {
            Some(t) if t.chars().count() < 12 || !t.chars().all(|c| c.is_ascii_graphic()) => {
                return Err("--token: use at least 12 letters, digits or signs (no spaces)".to_string());
            }
            Some(t) => t,
            None if loopback => random_token(),
            None => {
                return Err(format!(
                    "listening on {addr} lets other computers connect: give --token SECRET \
                     (they then open the address with ?token=SECRET)"
                ))
            }
        };
        let port = addr.port();
        let hosts = if loopback {
            vec![format!("127.0.0.1:{port}"), format!("localhost:{port}"), format!("[::1]:{port}")]
        } else {
            vec![addr.to_string()]
        };
        Ok(Guard { hosts, any_host: addr.ip().is_unspecified(), token, loopback })
    }

    /// The token pages send back with state-changing requests.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// Does the request come through an address this server answers to,
    /// with the token where one is needed? The refusal otherwise.
    pub fn check(&self, req: &Request) -> Result<(), Response> {
        let host = req.header("host").unwrap_or("").to_ascii_lowercase();
        let port_ok = host.rsplit_once(':').is_some_and(|(_, p)| self.hosts[0].ends_with(&format!(":{p}")));
        if !(self.hosts.contains(&host) || self.any_host && port_ok) {
            return Err(Response::text(421, "this server answers only to the address it printed (Host refused)"));
        }
        // A browser says where a request comes from; a page of another
        // site must never be able to drive this one.
        if let Some(origin) = req.header("origin") {
            let own = origin.strip_prefix("http://").is_some_and(|o| o.eq_ignore_ascii_case(&host));
            if !own {
                return Err(Response::text(403, "requests from other sites are refused"));
            }
        }
        if req.header("sec-fetch-site").is_some_and(|s| s == "cross-site") {
            return Err(Response::text(403, "requests from other sites are refused"));
        }
        let header_token = req.header("x-yoshiki-token").is_some_and(|t| same(t, &self.token));
        if req.method == "POST" && !header_token {
            return Err(Response::text(403, "missing or wrong token: reload the page"));
        }
        if !self.loopback {
            let given = header_token
                || req.cookie("yoshiki_token").is_some_and(|t| same(t, &self.token))
                || req.param("token").is_some_and(|t| same(t, &self.token));
            if !given {
                return Err(Response::text(403, "open the address yoshiki serve printed, with its ?token="));
            }
        }
        Ok(())
    }

    /// Beyond loopback, a page opened with `?token=` sets a cookie so that
    /// its images and links need not carry it.
    pub fn cookie(&self, req: &Request) -> Option<String> {
        let fresh = !self.loopback && req.param("token").is_some_and(|t| same(t, &self.token));
        fresh.then(|| format!("yoshiki_token={}; Path=/; HttpOnly; SameSite=Strict", self.token))
    }
}

/// Compare in time independent of where the texts differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// 128 random bits as 32 hex digits: from the OS (`/dev/urandom`), or
/// from std's randomly keyed hasher where there is none.
pub fn random_token() -> String {
    let mut bytes = [0u8; 16];
    let from_os = std::fs::File::open("/dev/urandom").and_then(|mut f| std::io::Read::read_exact(&mut f, &mut bytes));
    if from_os.is_err() {
        use std::hash::{BuildHasher, Hasher};
        for (i, chunk) in bytes.chunks_mut(8).enumerate() {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_usize(i);
            h.write_u128(
                std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos(),
            );
            chunk.copy_from_slice(&h.finish().to_le_bytes());
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Why a path was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not a plain relative path (`..`, absolute, hidden, odd characters).
    BadPath,
    NotFound,
    /// It leads out of the project (a symlink), or is not a file.
    Outside,
}

impl Refusal {
    pub fn response(self, what: &str) -> Response {
        match self {
            Refusal::BadPath => Response::text(400, format!("`{what}` is not a path inside the project")),
            Refusal::NotFound => Response::text(404, format!("`{what}` does not exist")),
            Refusal::Outside => Response::text(403, format!("`{what}` leads out of the project")),
        }
    }
}

/// The project folder: every file served or written is under it.
pub struct Project {
    /// Canonical (symlinks resolved).
    root: PathBuf,
}

impl Project {
    pub fn new(dir: &Path) -> std::io::Result<Project> {
        Ok(Project { root: std::fs::canonicalize(dir)? })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The parts of a relative path as pages send it (`data/x/y.yaml`).
    fn parts(rel: &str) -> Result<Vec<&str>, Refusal> {
        if rel.is_empty() || rel.len() > 512 {
            return Err(Refusal::BadPath);
        }
        let parts: Vec<&str> = rel.split('/').collect();
        let ok = |p: &&str| {
            !p.is_empty()
                && !p.starts_with('.')
                && !p.chars().any(|c| c.is_control() || matches!(c, '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|'))
        };
        if parts.iter().all(ok) {
            Ok(parts)
        } else {
            Err(Refusal::BadPath)
        }
    }

    /// An existing file at `rel`, refused if any part of the way leads
    /// out of the project.
    pub fn existing(&self, rel: &str) -> Result<PathBuf, Refusal> {
        let parts = Project::parts(rel)?;
        let path = parts.iter().fold(self.root.clone(), |p, part| p.join(part));
        if std::fs::symlink_metadata(&path).is_err() {
            return Err(Refusal::NotFound);
        }
        let real = std::fs::canonicalize(&path).map_err(|_| Refusal::NotFound)?;
        if !real.starts_with(&self.root) || !real.is_file() {
            return Err(Refusal::Outside);
        }
        Ok(path)
    }

    /// Where a new or existing file at `rel` may be written: its folder
    /// inside the project (made, with `create`, if missing), the file
    /// itself not a symlink.
    pub fn writable(&self, rel: &str, create: bool) -> Result<PathBuf, Refusal> {
        let parts = Project::parts(rel)?;
        let path = parts.iter().fold(self.root.clone(), |p, part| p.join(part));
        let dir = path.parent().ok_or(Refusal::BadPath)?;
        // The deepest folder that exists must be inside.
        let existing = dir.ancestors().find(|a| a.exists()).ok_or(Refusal::Outside)?;
        let real = std::fs::canonicalize(existing).map_err(|_| Refusal::Outside)?;
        if !real.starts_with(&self.root) || !real.is_dir() {
            return Err(Refusal::Outside);
        }
        if create {
            std::fs::create_dir_all(dir).map_err(|_| Refusal::Outside)?;
            let real_dir = std::fs::canonicalize(dir).map_err(|_| Refusal::Outside)?;
            if !real_dir.starts_with(&self.root) {
                return Err(Refusal::Outside);
            }
        }
        if let Ok(meta) = std::fs::symlink_metadata(&path) {
            if meta.file_type().is_symlink() || !meta.is_file() {
                return Err(Refusal::Outside);
            }
        }
        Ok(path)
    }

    /// `path` (under the root) as pages name it: `data/x/y.yaml`.
    pub fn relative(&self, path: &Path) -> Option<String> {
        let rel = path.strip_prefix(&self.root).ok()?;
        let parts: Vec<String> =
            rel.components().map(|c| c.as_os_str().to_str().map(String::from)).collect::<Option<_>>()?;
        Some(parts.join("/"))
    }

    /// The layout a data file at `data` names by `reference`, found as the
    /// pipeline finds it (`render::find_layout`: a path relative to the
    /// data file, or `layouts/NAME.yaml` in its folder or one above) but
    /// never outside the project.
    pub fn layout_for(&self, data: &Path, reference: &str) -> Result<PathBuf, Refusal> {
        let dir = data.parent().ok_or(Refusal::BadPath)?;
        let is_path = crate::render::names_a_path(reference);
        let candidate = if is_path {
            if reference.starts_with('/') || reference.contains('\\') {
                return Err(Refusal::BadPath);
            }
            Some(dir.join(reference))
        } else {
            if reference.contains(['\\', ':']) || reference.starts_with('.') {
                return Err(Refusal::BadPath);
            }
            // render::layout_candidates, but never looking above the project.
            dir.ancestors()
                .take_while(|d| d.starts_with(&self.root))
                .map(|d| crate::render::layout_in(d, reference))
                .find(|p| p.is_file())
        };
        let path = candidate.ok_or(Refusal::NotFound)?;
        let real = std::fs::canonicalize(&path).map_err(|_| Refusal::NotFound)?;
        if !real.starts_with(&self.root) || !real.is_file() {
            return Err(Refusal::Outside);
        }
        Ok(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(host: &str, method: &str, headers: &[(&str, &str)]) -> Request {
        let mut all = vec![("host".to_string(), host.to_string())];
        all.extend(headers.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        Request { method: method.into(), path: "/".into(), query: Vec::new(), headers: all, body: Vec::new() }
    }

    #[test]
    fn hosts_and_tokens() {
        let g = Guard::new("127.0.0.1:8470".parse().unwrap(), Some("0123456789abcdef".into())).unwrap();
        assert!(g.check(&request("127.0.0.1:8470", "GET", &[])).is_ok());
        assert!(g.check(&request("localhost:8470", "GET", &[])).is_ok());
        assert_eq!(g.check(&request("evil.example", "GET", &[])).unwrap_err().status, 421);
        assert_eq!(g.check(&request("evil.example:8470", "GET", &[])).unwrap_err().status, 421);
        assert_eq!(g.check(&request("127.0.0.1:8470", "POST", &[])).unwrap_err().status, 403);
        let token = [("x-yoshiki-token", "0123456789abcdef")];
        assert!(g.check(&request("127.0.0.1:8470", "POST", &token)).is_ok());
        let wrong = [("x-yoshiki-token", "0123456789abcdeX")];
        assert_eq!(g.check(&request("127.0.0.1:8470", "POST", &wrong)).unwrap_err().status, 403);
        let other_site = [("x-yoshiki-token", "0123456789abcdef"), ("origin", "http://evil.example")];
        assert_eq!(g.check(&request("127.0.0.1:8470", "POST", &other_site)).unwrap_err().status, 403);
    }

    #[test]
    fn beyond_loopback_a_token_is_needed_for_everything() {
        assert!(Guard::new("0.0.0.0:8470".parse().unwrap(), None).is_err());
        let g = Guard::new("0.0.0.0:8470".parse().unwrap(), Some("a-long-shared-secret".into())).unwrap();
        assert_eq!(g.check(&request("192.168.1.5:8470", "GET", &[])).unwrap_err().status, 403);
        let mut r = request("192.168.1.5:8470", "GET", &[]);
        r.query = vec![("token".into(), "a-long-shared-secret".into())];
        assert!(g.check(&r).is_ok());
        assert!(g.cookie(&r).is_some());
        assert!(g
            .check(&request("192.168.1.5:8470", "GET", &[("cookie", "yoshiki_token=a-long-shared-secret")]))
            .is_ok());
    }

    #[test]
    fn paths_stay_inside() {
        for bad in ["../x", "data/../../x", "/etc/passwd", "data//x", ".git/config", "data/.hidden", "a\\b", "c:x", ""]
        {
            assert_eq!(Project::parts(bad), Err(Refusal::BadPath), "{bad}");
        }
        assert_eq!(Project::parts("data/shinko-kanri/r07.yaml").unwrap().len(), 3);
    }

    #[test]
    fn tokens_are_random() {
        let (a, b) = (random_token(), random_token());
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
    }
}
