//! Writing output files safely: never a half-written file, and nothing on
//! disk harmed but the output itself.
//!
//! Before anything is written, [`check_target`] decides whether the path
//! may be replaced at all:
//!
//! - a path that does not exist, or an empty file: yes;
//! - anything that is not a regular file — a device (`/dev/null`,
//!   `/dev/full`: as root a rename would replace the device node), a FIFO,
//!   a folder, a **symbolic link** (neither followed nor replaced): never;
//! - a file this process has read ([`crate::input::was_read`]: data,
//!   layout, fonts) or one of the `inputs` the caller names: never;
//! - any other existing file only if yoshiki made it — a PDF whose Info
//!   dictionary says `Creator yoshiki`, a PNG with a `Software: yoshiki`
//!   text chunk ([`made_by_yoshiki`]) — unless `force` is set.
//!
//! Then the bytes go to a temporary file `.NAME.PID.tmp` beside the target
//! (created with `create_new`, so an existing file or link of that name is
//! never written through), and a rename puts it in place. While a thread
//! has a temporary file, it holds back the termination signals (SIGINT,
//! SIGTERM, SIGHUP; [`HeldSignals`]): one that arrives meanwhile takes
//! effect once the file is renamed into place or removed, so a
//! single-threaded command dies of it, as if unhandled, without a signal
//! handler or a thread of its own and without leaving a temporary file.
//! Where other threads can take the signal (`batch`, `serve`), the
//! temporary files are also registered while they exist, and
//! [`remove_temp_files`] (called by the command's signal thread) deletes
//! them. [`sweep_stale_temp_files`] removes those an earlier, killed run
//! left behind.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, OnceLock};

use crate::error::{Error, Result};
use crate::source::io_reason;

/// How to write.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Wait for the disk (`sync_all`) before the rename. The rename alone
    /// already guarantees that no half-written file is ever seen; waiting
    /// only matters if the machine loses power, and costs a batch of
    /// thousands of files most of its time.
    pub sync: bool,
    /// Replace an existing file that yoshiki did not make (`--force`).
    /// Never allows writing over a device, a link, a folder or an input.
    pub force: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options { sync: true, force: false }
    }
}

/// Write `bytes` to `path` through a temporary file in the same folder and
/// a rename, so that readers see the old file or the whole new one. Refuses
/// any target [`check_target`] refuses.
pub fn write_atomic(path: &Path, bytes: &[u8], inputs: &[&Path]) -> Result<()> {
    write_atomic_with(path, bytes, inputs, Options::default())
}

/// [`write_atomic`] with [`Options`].
pub fn write_atomic_with(path: &Path, bytes: &[u8], inputs: &[&Path], options: Options) -> Result<()> {
    // A target that is not there when it is checked must still not be
    // there when the output is put in place.
    let absent = vet_target(path, inputs, options.force)?;
    let target = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let dir = target.parent().unwrap_or(Path::new(".")).to_path_buf();
    let fail = |what: &str, e: std::io::Error| write_error(path, &target, &dir, what, e);
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temp = dir.join(temp_name(&name));
    let mut file = TempFile::create(&temp).map_err(|e| fail("cannot create a file there", e))?;
    file.write_all(bytes).map_err(|e| fail("writing failed", e))?;
    if options.sync {
        file.sync().map_err(|e| fail("writing failed", e))?;
    }
    file.persist(&target, absent).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            Error::input(format!(
                "refusing to write `{}`: the file appeared while yoshiki was writing it",
                path.display()
            ))
            .with_help(
                "another program created it in the meantime; run again to check it, or choose another path with -o",
            )
        } else {
            fail("cannot move the finished file into place", e)
        }
    })
}

/// Whether `path` may be written: see the module documentation.
pub fn check_target(path: &Path, inputs: &[&Path], force: bool) -> Result<()> {
    vet_target(path, inputs, force).map(|_| ())
}

/// [`check_target`], telling whether the target is absent (the one look
/// at it serves both).
fn vet_target(path: &Path, inputs: &[&Path], force: bool) -> Result<bool> {
    let refuse = |why: String, help: &str| {
        Err(Error::input(format!("refusing to write `{}`: {why}", path.display())).with_help(help.to_string()))
    };
    let meta = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(true),
        // An unreadable folder and the like: the write reports it.
        Err(_) => return Ok(false),
    };
    if meta.file_type().is_symlink() {
        return refuse(
            "it is a symbolic link".into(),
            "yoshiki neither writes through nor replaces a link; name the file itself or another path with -o",
        );
    }
    if let Some(what) = crate::input::not_a_file(&meta.file_type()) {
        return refuse(format!("it is {what}, not a file"), "choose a file path with -o");
    }
    let is_input = crate::input::was_read(path) || inputs.iter().any(|input| same_file(input, path));
    if is_input {
        return Err(Error::input(format!("refusing to overwrite the input file `{}`", path.display()))
            .with_help("choose another output path with -o"));
    }
    if !force && meta.len() > 0 && !made_by_yoshiki(path) {
        return refuse(
            "the file exists and was not made by yoshiki".into(),
            "yoshiki replaces only PDF and PNG files it made; choose another path with -o, \
             or add --force to replace it",
        );
    }
    Ok(false)
}

/// Are `a` and `b` the same existing file?
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return x.dev() == y.dev() && x.ino() == y.ino();
        }
    }
    std::fs::canonicalize(a).ok().zip(std::fs::canonicalize(b).ok()).is_some_and(|(a, b)| a == b)
}

// ---------------------------------------------------------------- made by yoshiki

/// The text chunk keyword and value that mark a PNG as yoshiki's.
pub const PNG_MARK: (&str, &str) = ("Software", "yoshiki");

/// Largest existing PDF read to find out who made it; yoshiki's own are
/// far smaller, and a larger file is simply not recognised (`--force`).
const MAX_PDF_PROBE: u64 = 64 * 1024 * 1024;

/// Was the regular file at `path` made by yoshiki? A PDF whose Info
/// dictionary has `/Creator (yoshiki)`, or a PNG whose first chunk after
/// the header is our `tEXt` mark. Anything unreadable or unrecognised is
/// not.
///
/// A PDF is read from its end ([`crate::pdf::probe`]): the cross-reference
/// stream and the one object stream holding the Info dictionary, some
/// 0.1 M instructions for one of our sheets, where lopdf's parse of the
/// whole file cost 32 M. A PDF laid out otherwise (not written by our
/// writer) is parsed whole with lopdf, as before.
pub fn made_by_yoshiki(path: &Path) -> bool {
    let Ok(mut file) = std::fs::File::open(path) else { return false };
    let Ok(meta) = file.metadata() else { return false };
    if !meta.is_file() || meta.len() > MAX_PDF_PROBE {
        return false;
    }
    // The signature first: a PDF is read from its end.
    let mut head = Vec::new();
    if (&mut file).take(PNG_SIGNATURE.len() as u64).read_to_end(&mut head).is_err() {
        return false;
    }
    if head.starts_with(b"%PDF-") {
        if let Some(made) = crate::pdf::probe::creator_is(&mut file, meta.len(), "yoshiki") {
            return made;
        }
        let mut whole = Vec::new();
        let read = std::fs::File::open(path).and_then(|f| f.take(MAX_PDF_PROBE).read_to_end(&mut whole));
        return read.is_ok()
            && lopdf::Document::load_metadata_mem(&whole).is_ok_and(|m| m.creator.as_deref() == Some("yoshiki"));
    }
    head.starts_with(PNG_SIGNATURE) && (&mut file).take(PNG_HEAD).read_to_end(&mut head).is_ok() && png_has_mark(&head)
}

/// How much of a PNG is read for its mark: the mark comes right after the
/// header chunk.
const PNG_HEAD: u64 = 64 * 1024;

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// Does the PNG carry [`PNG_MARK`] in a `tEXt` chunk before its image data?
fn png_has_mark(png: &[u8]) -> bool {
    let mark = [PNG_MARK.0.as_bytes(), b"\0", PNG_MARK.1.as_bytes()].concat();
    let mut at = PNG_SIGNATURE.len();
    while let Some(header) = png.get(at..at + 8) {
        let len = u32::from_be_bytes([header[0], header[1], header[2], header[3]]) as usize;
        let kind = &header[4..8];
        let Some(data) = png.get(at + 8..at + 8 + len) else { return false };
        match kind {
            b"tEXt" if data == mark.as_slice() => return true,
            b"IDAT" | b"IEND" => return false,
            _ => at += 12 + len,
        }
    }
    false
}

/// `png` with [`PNG_MARK`] as a `tEXt` chunk right after its header
/// (`IHDR`, which the PNG format requires first).
pub fn mark_png(png: &[u8]) -> Vec<u8> {
    const IHDR_END: usize = 8 + 12 + 13;
    if png.len() < IHDR_END || !png.starts_with(PNG_SIGNATURE) || &png[12..16] != b"IHDR" {
        return png.to_vec();
    }
    let data = [PNG_MARK.0.as_bytes(), b"\0", PNG_MARK.1.as_bytes()].concat();
    let mut chunk = (data.len() as u32).to_be_bytes().to_vec();
    chunk.extend_from_slice(b"tEXt");
    chunk.extend_from_slice(&data);
    chunk.extend_from_slice(&crc32fast::hash(&chunk[4..]).to_be_bytes());
    [&png[..IHDR_END], &chunk, &png[IHDR_END..]].concat()
}

// ---------------------------------------------------------------- temp files

/// `.NAME.PID.tmp`: hidden, and naming the process that wrote it.
fn temp_name(name: &str) -> String {
    format!(".{name}.{}.tmp", std::process::id())
}

/// Is `name` one of our temporary files, and of which process?
fn temp_pid(name: &str) -> Option<u32> {
    let inner = name.strip_prefix('.')?.strip_suffix(".tmp")?;
    let (stem, pid) = inner.rsplit_once('.')?;
    let pid: u32 = pid.parse().ok()?;
    let is_ours = [".pdf", ".png"].iter().any(|ext| stem.ends_with(ext));
    is_ours.then_some(pid)
}

/// The temporary files that exist right now, and whether the process is
/// shutting down (then no new one may be created).
struct Temps {
    live: BTreeSet<PathBuf>,
    closing: bool,
}

fn temps() -> MutexGuard<'static, Temps> {
    static TEMPS: OnceLock<Mutex<Temps>> = OnceLock::new();
    let temps = TEMPS.get_or_init(|| Mutex::new(Temps { live: BTreeSet::new(), closing: false }));
    temps.lock().unwrap_or_else(|e| e.into_inner())
}

/// A registered temporary file: removed on drop unless persisted, and by
/// [`remove_temp_files`] if the process is interrupted. The termination
/// signals are held back in this thread while it exists.
struct TempFile {
    path: PathBuf,
    file: std::fs::File,
    /// Declared last: released after the file is closed and gone (or
    /// renamed into place).
    _signals: HeldSignals,
}

impl TempFile {
    fn create(path: &Path) -> std::io::Result<TempFile> {
        let signals = HeldSignals::hold();
        let mut temps = temps();
        if temps.closing {
            return Err(std::io::Error::new(std::io::ErrorKind::Interrupted, "interrupted"));
        }
        let create = || std::fs::OpenOptions::new().write(true).create_new(true).open(path);
        let file = match create() {
            // Left by an earlier process of the same id (ours by name):
            // remove it, link or file, without following it.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                std::fs::remove_file(path)?;
                create()?
            }
            other => other?,
        };
        temps.live.insert(path.to_path_buf());
        Ok(TempFile { path: path.to_path_buf(), file, _signals: signals })
    }

    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.file.write_all(bytes)
    }

    fn sync(&mut self) -> std::io::Result<()> {
        self.file.sync_all()
    }

    /// Rename into place. Under the registry's lock, so an interrupt
    /// either finds the temporary file (and removes it) or the finished
    /// output.
    ///
    /// `absent`: the target was not there when it was checked. Then it must
    /// not be replaced now either — a file another program created since
    /// was never checked (a device, a link, someone's document).
    fn persist(self, target: &Path, absent: bool) -> std::io::Result<()> {
        let mut temps = temps();
        if temps.closing {
            return Err(std::io::Error::new(std::io::ErrorKind::Interrupted, "interrupted"));
        }
        if absent {
            rename_no_replace(&self.path, target)?;
        } else {
            std::fs::rename(&self.path, target)?;
        }
        temps.live.remove(&self.path);
        Ok(())
    }
}

/// Rename `from` to `to` unless `to` exists (`AlreadyExists` then).
///
/// `check_target` then `rename` leaves a window in which another program
/// can create `to`, and `rename` would replace it unchecked. On Linux,
/// `renameat2(RENAME_NOREPLACE)` makes "only if absent" part of the rename
/// itself. Where the call or the file system does not support it (older
/// kernels, some network file systems: `EINVAL`, `ENOSYS`), and on other
/// systems, a plain rename: the window stays, as small as before.
fn rename_no_replace(from: &Path, to: &Path) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::ffi::OsStrExt;
        let c = |p: &Path| std::ffi::CString::new(p.as_os_str().as_bytes()).map_err(std::io::Error::other);
        let (old, new) = (c(from)?, c(to)?);
        // SAFETY: two valid NUL-terminated paths, resolved against the
        // current directory (AT_FDCWD); no memory is shared with the call.
        let done = unsafe {
            libc::renameat2(libc::AT_FDCWD, old.as_ptr(), libc::AT_FDCWD, new.as_ptr(), libc::RENAME_NOREPLACE)
        };
        if done == 0 {
            return Ok(());
        }
        let e = std::io::Error::last_os_error();
        if !matches!(e.raw_os_error(), Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP)) {
            return Err(e);
        }
    }
    std::fs::rename(from, to)
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let mut temps = temps();
        if temps.live.remove(&self.path) {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// The termination signals (SIGINT, SIGTERM, SIGHUP) blocked in this
/// thread until dropped, when the thread's previous mask comes back and a
/// signal that arrived meanwhile is delivered.
///
/// This is what keeps a temporary file from outliving a `render` that is
/// interrupted: the signal waits (a write and a sync: milliseconds) and
/// then kills the process with its default action, after the rename or
/// the removal. No handler is needed, so a single-threaded command
/// installs none and starts no signal thread (which cost a cold render
/// 0.3 ms of CPU: `docs/performance.md`, "Round 3"). In a process with
/// other threads, the kernel gives the signal to a thread that does not
/// hold it back: `batch` and `serve` keep their signal thread and
/// [`remove_temp_files`]; a thread that only helps the writer is started
/// with them held back, for good ([`start_without_termination_signals`]).
struct HeldSignals {
    #[cfg(unix)]
    previous: libc::sigset_t,
}

impl HeldSignals {
    #[cfg(unix)]
    fn hold() -> HeldSignals {
        // SAFETY: libc calls on two sigset_t values owned here (zeroed
        // plain data, then set up by sigemptyset/sigaddset); pthread_sigmask
        // changes only the calling thread's mask and writes the previous
        // one into `previous`.
        unsafe {
            let mut set: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
                libc::sigaddset(&mut set, signal);
            }
            let mut previous: libc::sigset_t = std::mem::zeroed();
            libc::pthread_sigmask(libc::SIG_BLOCK, &set, &mut previous);
            HeldSignals { previous }
        }
    }

    #[cfg(not(unix))]
    fn hold() -> HeldSignals {
        HeldSignals {}
    }
}

impl Drop for HeldSignals {
    fn drop(&mut self) {
        // SAFETY: restores this thread's mask from the value
        // pthread_sigmask wrote in `hold`; no memory is shared.
        #[cfg(unix)]
        unsafe {
            libc::pthread_sigmask(libc::SIG_SETMASK, &self.previous, std::ptr::null_mut());
        }
    }
}

/// Run `start`, which starts a thread, with the termination signals held
/// back: a new thread starts with its parent's signal mask, so a helper
/// thread that writes nothing (`pdf::background`) holds them back from its
/// first instruction, and a signal goes to the thread writing the output,
/// which holds it back only while its temporary file exists.
pub(crate) fn start_without_termination_signals<R>(start: impl FnOnce() -> R) -> R {
    let _held = HeldSignals::hold();
    start()
}

/// Remove every temporary file of this process and refuse new ones: for a
/// signal handler, before the process exits.
pub fn remove_temp_files() {
    let mut temps = temps();
    temps.closing = true;
    for path in std::mem::take(&mut temps.live) {
        let _ = std::fs::remove_file(path);
    }
}

/// Remove temporary files that a killed earlier run left under `dir`
/// (recursively): names of our pattern (`.NAME.pdf.PID.tmp`,
/// `.NAME.png.PID.tmp`) whose process is gone. Returns how many.
pub fn sweep_stale_temp_files(dir: &Path) -> usize {
    // Whether a process is alive is read from /proc; without it, nothing
    // is known to be stale.
    if !Path::new("/proc/self").exists() {
        return 0;
    }
    let mut removed = 0;
    let mut seen = BTreeSet::new();
    sweep(dir, &mut seen, &mut removed);
    removed
}

fn sweep(dir: &Path, seen: &mut BTreeSet<PathBuf>, removed: &mut usize) {
    let Ok(canonical) = std::fs::canonicalize(dir) else { return };
    if !seen.insert(canonical) {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let Ok(kind) = entry.file_type() else { continue };
        let path = entry.path();
        if kind.is_dir() {
            sweep(&path, seen, removed);
            continue;
        }
        let name = entry.file_name();
        let Some(pid) = temp_pid(&name.to_string_lossy()) else { continue };
        let alive = pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists();
        if (kind.is_file() || kind.is_symlink()) && !alive && std::fs::remove_file(&path).is_ok() {
            *removed += 1;
        }
    }
}

// ---------------------------------------------------------------- errors

/// A located, plain error for a failed write.
fn write_error(path: &Path, target: &Path, dir: &Path, what: &str, e: std::io::Error) -> Error {
    use std::io::ErrorKind::*;
    let message = format!("cannot write `{}`: {what}: {}", path.display(), io_reason(&e));
    // A wrong path is the user's to fix; a full disk or a failing device is not.
    let err = match e.kind() {
        NotFound | PermissionDenied | NotADirectory | IsADirectory | ReadOnlyFilesystem | AlreadyExists => {
            Error::input(message)
        }
        _ => Error::internal(message),
    };
    match e.kind() {
        NotFound => err.with_help(format!("the folder `{}` does not exist", dir.display())),
        NotADirectory => {
            let file = target.ancestors().skip(1).find(|a| a.is_file()).map(|a| a.display().to_string());
            let name = file.unwrap_or_else(|| dir.display().to_string());
            let shown = path.ancestors().skip(1).find(|a| a.is_file()).map(|a| a.display().to_string()).unwrap_or(name);
            err.with_help(format!("`{shown}` is a file, not a folder; choose another output path"))
        }
        _ => err,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_that_appeared_since_the_check_is_not_replaced() {
        let dir = std::env::temp_dir().join(format!("yoshiki-noreplace-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (temp, target) = (dir.join(".out.pdf.tmp"), dir.join("out.pdf"));
        std::fs::write(&temp, "new").unwrap();
        std::fs::write(&target, "someone else's").unwrap();
        // Where renameat2 works (Linux, local file systems), the rename is
        // refused; elsewhere it falls back to a plain rename.
        match rename_no_replace(&temp, &target) {
            Err(e) => {
                assert_eq!(e.kind(), std::io::ErrorKind::AlreadyExists);
                assert_eq!(std::fs::read_to_string(&target).unwrap(), "someone else's");
                assert!(temp.exists());
            }
            Ok(()) => {
                #[cfg(target_os = "linux")]
                panic!("renameat2 replaced the file");
            }
        }
        std::fs::remove_file(&target).unwrap();
        std::fs::write(&temp, "new").unwrap();
        rename_no_replace(&temp, &target).unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        assert!(!temp.exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_thread_holds_the_termination_signals_back_while_it_has_a_temp_file() {
        fn held() -> [bool; 3] {
            // SAFETY: reads this thread's signal mask into a local sigset_t.
            unsafe {
                let mut mask: libc::sigset_t = std::mem::zeroed();
                libc::pthread_sigmask(libc::SIG_BLOCK, std::ptr::null(), &mut mask);
                [libc::SIGINT, libc::SIGTERM, libc::SIGHUP].map(|s| libc::sigismember(&mask, s) == 1)
            }
        }
        let dir = std::env::temp_dir().join(format!("yoshiki-held-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (temp, target) = (dir.join(temp_name("out.pdf")), dir.join("out.pdf"));
        std::thread::scope(|s| {
            s.spawn(|| {
                assert_eq!(held(), [false; 3]);
                let file = TempFile::create(&temp).unwrap();
                assert_eq!(held(), [true; 3], "while the temporary file exists");
                drop(file);
                assert_eq!(held(), [false; 3], "after it is removed");
                assert!(!temp.exists());
                let mut file = TempFile::create(&temp).unwrap();
                file.write_all(b"x").unwrap();
                file.persist(&target, true).unwrap();
                assert_eq!(held(), [false; 3], "after it is renamed into place");
            });
        });
        assert_eq!(std::fs::read(&target).unwrap(), b"x");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn temp_names_are_recognised() {
        assert_eq!(temp_pid(&temp_name("r07-no06.pdf")), Some(std::process::id()));
        assert_eq!(temp_pid(".x-1.png.42.tmp"), Some(42));
        assert_eq!(temp_pid(".x.yaml.42.tmp"), None, "only our outputs' temp files");
        assert_eq!(temp_pid("x.pdf.42.tmp"), None);
        assert_eq!(temp_pid(".x.pdf.tmp"), None);
    }

    #[test]
    fn a_marked_png_is_recognised() {
        // A 1×1 PNG: signature, IHDR, IDAT, IEND (CRCs are not checked here).
        let mut png = PNG_SIGNATURE.to_vec();
        png.extend_from_slice(&[0, 0, 0, 13]);
        png.extend_from_slice(b"IHDR");
        png.extend_from_slice(&[0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0, 0, 0, 0]);
        png.extend_from_slice(&[0, 0, 0, 0]);
        png.extend_from_slice(b"IEND");
        png.extend_from_slice(&[0, 0, 0, 0]);
        assert!(!png_has_mark(&png));
        let marked = mark_png(&png);
        assert!(png_has_mark(&marked));
        assert_eq!(marked.len(), png.len() + 12 + "Software\0yoshiki".len());
    }
}
