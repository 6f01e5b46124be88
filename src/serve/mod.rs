//! `yoshiki serve`: fill a form in the browser, with a live preview.
//!
//! A small local web server over a project folder (`layouts/`, `data/`):
//! a home page of forms and data files, an edit page per data file built
//! from the form's [outline](crate::outline), a preview rendered by the
//! same pipeline on every change, and saving as clean YAML.
//!
//! - [`http`]: HTTP/1.1 over `std::net`, with size limits and timeouts;
//! - [`safety`]: who may ask (Host, token, origin) and which files may be
//!   touched (under the project, no `..`, no symlinks out);
//! - [`routes`]: what each request does;
//! - [`pages`]: the HTML, with escaping; [`assets`]: the embedded script
//!   and style sheet;
//! - [`session`]: edit sessions, previews and page images;
//! - [`save`]: atomic saves with a `.bak` and a check for changes on disk.

pub mod assets;
pub mod http;
pub mod pages;
pub mod routes;
pub mod safety;
pub mod save;
pub mod session;

use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use crate::error::{Error, Result};

/// The default address: this computer only.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8470";

/// How to serve.
pub struct Options {
    /// The project folder (with `layouts/` and `data/`).
    pub dir: PathBuf,
    pub listen: SocketAddr,
    /// Required beyond loopback; random otherwise.
    pub token: Option<String>,
}

/// A bound server, ready to run.
pub struct Server {
    listener: TcpListener,
    state: Arc<routes::State>,
    url: String,
}

impl Server {
    /// Check the folder and the address, and bind.
    pub fn bind(options: Options) -> Result<Server> {
        let project = safety::Project::new(&options.dir).map_err(|e| {
            Error::input(format!("cannot serve `{}`: {}", options.dir.display(), crate::source::io_reason(&e)))
        })?;
        if !project.root().join("layouts").is_dir() && !project.root().join("data").is_dir() {
            return Err(Error::input(format!("`{}` has no layouts/ or data/ folder", options.dir.display()))
                .with_help("run yoshiki serve in a project folder, or name it: yoshiki serve path/to/project"));
        }
        let listener = TcpListener::bind(options.listen).map_err(|e| {
            let err = Error::input(format!("cannot listen on {}: {}", options.listen, crate::source::io_reason(&e)));
            match e.kind() {
                std::io::ErrorKind::AddrInUse => {
                    err.with_help("another program (or another yoshiki serve) uses it: try --listen 127.0.0.1:8471")
                }
                _ => err,
            }
        })?;
        let addr = listener.local_addr().map_err(|e| Error::internal(format!("no local address: {e}")))?;
        let guard = safety::Guard::new(addr, options.token).map_err(Error::input)?;
        let url = if addr.ip().is_loopback() {
            format!("http://{addr}/")
        } else {
            format!("http://{addr}/?token={}", guard.token())
        };
        let state = routes::State {
            project,
            guard,
            sessions: Mutex::new(session::Sessions::default()),
            save_lock: Mutex::new(()),
            layouts: Default::default(),
        };
        Ok(Server { listener, state: Arc::new(state), url })
    }

    /// The address to open.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The project folder served.
    pub fn root(&self) -> &std::path::Path {
        self.state.project.root()
    }

    /// Serve until the process ends.
    pub fn run(self) {
        let state = self.state;
        http::serve(self.listener, Arc::new(move |req: &http::Request| routes::handle(&state, req)));
    }
}

/// Open `url` in the default browser (best effort).
pub fn open_browser(url: &str) {
    let mut command = if cfg!(target_os = "windows") {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", "", url]);
        c
    } else if cfg!(target_os = "macos") {
        let mut c = std::process::Command::new("open");
        c.arg(url);
        c
    } else {
        let mut c = std::process::Command::new("xdg-open");
        c.arg(url);
        c
    };
    let _ = command.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).spawn();
}
