//! Saving a data file from the browser: atomically (`output::write_atomic`),
//! keeping the previous version as `NAME.yaml.bak`, and never over a file
//! that changed on disk since the page opened it (the page then shows
//! both versions and the person chooses).

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::Result;
use crate::output::write_atomic;

/// What a page knows of the file it opened: the hash of its bytes then,
/// or [`ABSENT`] for a new sheet.
pub const ABSENT: &str = "absent";

/// The outcome of a save.
#[derive(Debug, PartialEq)]
pub enum Saved {
    /// Written; the new version to compare against next time.
    Done { version: String },
    /// The file changed on disk: nothing written.
    Conflict { disk: String, version: String },
}

/// The version of a file's bytes (FNV-1a, 64 bits: this tells edits
/// apart, it is no protection against someone forging a file).
pub fn version(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= *b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// The version of the file at `path` now ([`ABSENT`] if there is none).
pub fn version_on_disk(path: &Path) -> std::io::Result<(String, Option<Vec<u8>>)> {
    match std::fs::read(path) {
        Ok(bytes) => Ok((version(&bytes), Some(bytes))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok((ABSENT.to_string(), None)),
        Err(e) => Err(e),
    }
}

/// `x.yaml` → `x.yaml.bak`.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".bak");
    path.with_file_name(name)
}

/// Write `text` to `path` if the file is still at version `expected`,
/// keeping the previous version as `.bak`. One save at a time (`lock`).
pub fn save(lock: &Mutex<()>, path: &Path, text: &str, expected: &str) -> Result<Saved> {
    let _one_at_a_time = lock.lock().unwrap_or_else(|e| e.into_inner());
    let (now, bytes) = version_on_disk(path).map_err(|e| {
        crate::Error::input(format!("cannot read `{}`: {}", path.display(), crate::source::io_reason(&e)))
    })?;
    if now != expected {
        let disk = bytes.map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default();
        return Ok(Saved::Conflict { disk, version: now });
    }
    if let Some(previous) = bytes {
        if previous == text.as_bytes() {
            return Ok(Saved::Done { version: now });
        }
        write_atomic(&backup_path(path), &previous, &[])?;
    }
    write_atomic(path, text.as_bytes(), &[])?;
    Ok(Saved::Done { version: version(text.as_bytes()) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saves_keep_a_backup_and_refuse_a_changed_file() {
        let dir = std::env::temp_dir().join(format!("yoshiki-save-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("a.yaml");
        let lock = Mutex::new(());
        // New file.
        let Saved::Done { version: v1 } = save(&lock, &path, "one\n", ABSENT).unwrap() else { panic!() };
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "one\n");
        assert!(!backup_path(&path).exists());
        // A second page that thought the file absent is refused.
        assert!(matches!(save(&lock, &path, "other\n", ABSENT).unwrap(), Saved::Conflict { .. }));
        // Saved again: the previous version is the backup.
        let Saved::Done { version: v2 } = save(&lock, &path, "two\n", &v1).unwrap() else { panic!() };
        assert_eq!(std::fs::read_to_string(backup_path(&path)).unwrap(), "one\n");
        // Changed on disk meanwhile: nothing written, both shown.
        std::fs::write(&path, "edited elsewhere\n").unwrap();
        let got = save(&lock, &path, "three\n", &v2).unwrap();
        assert_eq!(got, Saved::Conflict { disk: "edited elsewhere\n".into(), version: version(b"edited elsewhere\n") });
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "edited elsewhere\n");
        assert_eq!(std::fs::read_to_string(backup_path(&path)).unwrap(), "one\n");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
