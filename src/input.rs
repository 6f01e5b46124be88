//! The reading policy: which files yoshiki reads, and how much of them.
//!
//! Every file a render reads — data, layout, font — comes through
//! [`read`], which
//!
//! - reads only **regular files**: a FIFO would hang the process, a device
//!   (`/dev/zero`) never ends, a folder is no file. The type is checked on
//!   the opened handle, and the file is opened non-blocking, so a FIFO put
//!   in place after a check cannot hang us either;
//! - checks the **size before reading** against a limit per [`Kind`]
//!   (YAML a few MB, fonts 64 MB; `--max-input-mb` changes both), and never
//!   reads more than the limit even if the file grows meanwhile (a 2 GB
//!   sparse file is refused at once, not read for 19 s);
//! - **records** what it read, so that [`crate::output`] can refuse to
//!   write over any file the process has read ([`was_read`]) — an input is
//!   never replaced by an output, whatever the caller remembered to list.
//!
//! Font files get one more check, [`check_font`]: their table directory
//! must lie inside the file, so a damaged font is an error located at the
//! layout's `fonts:` entry, not a failure deep in the PDF writer.

use std::collections::HashSet;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

/// What a file is read as; decides its size limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A data or layout file (YAML).
    Yaml,
    /// A TrueType font named under a layout's `fonts:`.
    Font,
}

const MB: u64 = 1024 * 1024;

/// Default limits: a form's data is a few KB and its layout a few tens of
/// KB; the bundled fonts are 6 MB.
pub const DEFAULT_YAML_LIMIT: u64 = 4 * MB;
pub const DEFAULT_FONT_LIMIT: u64 = 64 * MB;

/// 0: the defaults; otherwise the limit for every kind, in bytes.
static LIMIT_OVERRIDE: AtomicU64 = AtomicU64::new(0);

/// Set the limit for every kind of input (`--max-input-mb`).
pub fn set_limit_mb(mb: u64) {
    LIMIT_OVERRIDE.store(mb.saturating_mul(MB).max(1), Ordering::Relaxed);
}

/// The size limit for `kind`, in bytes.
pub fn limit(kind: Kind) -> u64 {
    match (LIMIT_OVERRIDE.load(Ordering::Relaxed), kind) {
        (0, Kind::Yaml) => DEFAULT_YAML_LIMIT,
        (0, Kind::Font) => DEFAULT_FONT_LIMIT,
        (n, _) => n,
    }
}

/// Why a file was not read: a plain reason, and advice where there is one.
#[derive(Debug, Clone)]
pub struct Refusal {
    pub reason: String,
    pub help: Option<String>,
    /// The file does not exist (the caller may say where it looked).
    pub not_found: bool,
}

impl Refusal {
    fn new(reason: impl Into<String>, help: Option<String>) -> Refusal {
        Refusal { reason: reason.into(), help, not_found: false }
    }
}

/// Read the whole of `path` as `kind`, under the policy above.
pub fn read(path: &Path, kind: Kind) -> Result<Vec<u8>, Refusal> {
    let file = open(path)?;
    let meta = file.metadata().map_err(|e| io_refusal(&e))?;
    if let Some(what) = not_a_file(&meta.file_type()) {
        let help = match kind {
            _ if meta.is_dir() => "name a file in it; `yoshiki batch FOLDER -o OUT` renders every file of a folder",
            Kind::Yaml => "yoshiki reads only ordinary files; save the input to a file and name that",
            Kind::Font => "name a TrueType font file (.ttf)",
        };
        return Err(Refusal::new(format!("it is {what}, not a file"), Some(help.into())));
    }
    let limit = limit(kind);
    if meta.len() > limit {
        return Err(too_large(meta.len(), limit, kind));
    }
    // Files in /proc report a size of 0 and can still be long: read one
    // byte past the limit to notice.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1).read_to_end(&mut bytes).map_err(|e| io_refusal(&e))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64, limit, kind));
    }
    record(path, &meta);
    Ok(bytes)
}

/// Open for reading without blocking on a FIFO (which would wait for a
/// writer that never comes); reads of a regular file are unaffected.
fn open(path: &Path) -> Result<File, Refusal> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path).map_err(|e| io_refusal(&e))
}

fn io_refusal(e: &std::io::Error) -> Refusal {
    Refusal { reason: crate::source::io_reason(e), help: None, not_found: e.kind() == std::io::ErrorKind::NotFound }
}

/// What a non-regular file is, in plain words (`None` for a regular file).
pub fn not_a_file(t: &std::fs::FileType) -> Option<&'static str> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a named pipe (FIFO)");
        }
        if t.is_char_device() || t.is_block_device() {
            return Some("a device");
        }
        if t.is_socket() {
            return Some("a socket");
        }
    }
    if t.is_dir() {
        return Some("a folder");
    }
    if t.is_symlink() {
        return Some("a symbolic link");
    }
    (!t.is_file()).then_some("not an ordinary file")
}

fn too_large(size: u64, limit: u64, kind: Kind) -> Refusal {
    let what = match kind {
        Kind::Yaml => "YAML files",
        Kind::Font => "font files",
    };
    let typical = match kind {
        Kind::Yaml => "a form's data or layout is a few KB: check that this is the right file",
        Kind::Font => "check that this is the right file",
    };
    Refusal::new(
        format!("it is {}; yoshiki reads {what} of up to {}", human_size(size), human_size(limit)),
        Some(format!("{typical}, or raise the limit with --max-input-mb")),
    )
}

/// `2.0 GB`, `64 MB`, `12 KB`.
pub fn human_size(bytes: u64) -> String {
    const KB: u64 = 1024;
    const GB: u64 = 1024 * MB;
    match bytes {
        b if b >= GB => format!("{:.1} GB", b as f64 / GB as f64),
        b if b >= MB => format!("{} MB", b.div_ceil(MB)),
        b => format!("{} KB", b.div_ceil(KB).max(1)),
    }
}

// ---------------------------------------------------------------- inputs read

/// Identity of a file: its device and inode where there are such, and its
/// canonical path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum FileId {
    Inode(u64, u64),
    Path(PathBuf),
}

fn registry() -> &'static Mutex<HashSet<FileId>> {
    static READ: OnceLock<Mutex<HashSet<FileId>>> = OnceLock::new();
    READ.get_or_init(Default::default)
}

fn ids(path: &Path, meta: &std::fs::Metadata) -> Vec<FileId> {
    let mut ids = Vec::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        ids.push(FileId::Inode(meta.dev(), meta.ino()));
    }
    #[cfg(not(unix))]
    let _ = meta;
    if let Ok(canonical) = std::fs::canonicalize(path) {
        ids.push(FileId::Path(canonical));
    }
    ids
}

fn record(path: &Path, meta: &std::fs::Metadata) {
    let mut read = registry().lock().unwrap_or_else(|e| e.into_inner());
    read.extend(ids(path, meta));
}

/// Has this process read the file at `path` (the same file, by inode or by
/// canonical path)? A path that does not exist was not read.
pub fn was_read(path: &Path) -> bool {
    let Ok(meta) = std::fs::metadata(path) else { return false };
    let read = registry().lock().unwrap_or_else(|e| e.into_inner());
    ids(path, &meta).iter().any(|id| read.contains(id))
}

// ---------------------------------------------------------------- fonts

/// Tables a TrueType font must have for yoshiki to measure and embed it.
const REQUIRED_TABLES: [&[u8; 4]; 7] = [b"cmap", b"glyf", b"head", b"hhea", b"hmtx", b"loca", b"maxp"];

/// Check that `data` is a whole TrueType file: an sfnt header, every table
/// of its directory inside the file, and the tables yoshiki needs. A file
/// cut short or overwritten fails here, where the layout can be named.
pub fn check_font(data: &[u8]) -> Result<(), String> {
    const DAMAGED: &str = "this is not a font file, or it is damaged";
    let u16_at = |at: usize| data.get(at..at + 2).map(|b| u16::from_be_bytes([b[0], b[1]]) as usize);
    let u32_at = |at: usize| data.get(at..at + 4).map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize);
    match data.get(0..4) {
        Some([0, 1, 0, 0] | b"true") => {}
        Some(b"OTTO") => return Ok(()), // CFF outlines: refused, with its own message, by the font parser
        Some(b"ttcf") => return Err("this is a font collection (.ttc); name a single TrueType font (.ttf)".into()),
        _ => return Err(DAMAGED.to_string()),
    }
    let tables = u16_at(4).ok_or(DAMAGED)?;
    let mut present = Vec::new();
    for i in 0..tables {
        let record = 12 + 16 * i;
        let tag = data.get(record..record + 4).ok_or_else(|| format!("{DAMAGED}: the file is cut short"))?;
        let (offset, len) = (u32_at(record + 8), u32_at(record + 12));
        let (Some(offset), Some(len)) = (offset, len) else {
            return Err(format!("{DAMAGED}: the file is cut short"));
        };
        if offset.checked_add(len).is_none_or(|end| end > data.len()) {
            let tag = String::from_utf8_lossy(tag);
            return Err(format!("{DAMAGED}: its `{tag}` table lies outside the file (the file is cut short?)"));
        }
        present.push(tag);
    }
    match REQUIRED_TABLES.iter().find(|t| !present.contains(&t.as_slice())) {
        Some(missing) => Err(format!("{DAMAGED}: it has no `{}` table", String::from_utf8_lossy(*missing))),
        None => Ok(()),
    }
}

/// Read a font file under the policy, and check its structure.
pub fn read_font(path: &Path) -> Result<Vec<u8>, String> {
    let data = read(path, Kind::Font).map_err(|r| {
        // The caller locates the message at the layout's `fonts:` entry and
        // adds its own advice; only the size limit needs its flag named.
        let mut msg = format!("cannot read font file {}: {}", path.display(), r.reason);
        if r.reason.contains("reads font files of up to") {
            msg.push_str(" (raise the limit with --max-input-mb)");
        }
        msg
    })?;
    check_font(&data)?;
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_plainly() {
        assert_eq!(human_size(500), "1 KB");
        assert_eq!(human_size(4 * MB), "4 MB");
        assert_eq!(human_size(2 * 1024 * MB), "2.0 GB");
    }

    #[test]
    fn the_bundled_fonts_pass_and_a_cut_one_does_not() {
        let font = include_bytes!("../fonts/BIZUDGothic-Regular.ttf");
        assert_eq!(check_font(font), Ok(()));
        let cut = check_font(&font[..300_000]).unwrap_err();
        assert!(cut.contains("lies outside the file"), "{cut}");
        assert!(check_font(b"hello world").is_err());
        assert!(check_font(&font[..20]).is_err());
    }
}
