//! Saving a data file from the browser: atomically (`output::write_atomic`),
//! keeping the previous version as `NAME.yaml.bak`, and never over a file
//! that changed on disk since the page opened it (the page then shows
//! both versions and the person chooses).
//!
//! Both writes go through `output`'s policy (never a link, a device, a
//! folder or a file this process read). Its rule that only files yoshiki
//! made are replaced is lifted for one file: the data file the page
//! opened, and only after [`save`] has found it still at the version the
//! page knows. The `.bak` starts with [`BACKUP_MARK`], and an existing
//! `.bak` is replaced only if it has it: a `NAME.yaml.bak` someone else
//! made is refused, and nothing is written.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::Result;
use crate::output::{write_atomic_with, Options};

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

/// The version of a file's bytes (FNV-1a, 64 bits, the PDF writer's
/// hash: this tells edits apart, it is no protection against someone
/// forging a file).
pub fn version(bytes: &[u8]) -> String {
    let mut h = crate::pdf::Fnv::new(0);
    h.feed(bytes);
    format!("{:016x}", h.0)
}

/// The version of the file at `path` now ([`ABSENT`] if there is none),
/// read as every project file is (a regular file, within the YAML size
/// limit: [`super::routes::read_yaml`]).
pub fn version_on_disk(path: &Path) -> std::result::Result<(String, Option<Vec<u8>>), String> {
    if std::fs::symlink_metadata(path).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound) {
        return Ok((ABSENT.to_string(), None));
    }
    let bytes = super::routes::read_yaml(path)?;
    Ok((version(&bytes), Some(bytes)))
}

/// The first line of a `.bak`: it tells a backup a save made (which the
/// next save may replace) from a file of that name someone else made.
/// A YAML comment, so the `.bak` is still the data file it was.
pub const BACKUP_MARK: &str = "# yoshiki serve: the previous version, kept by a save (rename to .yaml to restore)\n";

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
    let (now, bytes) =
        version_on_disk(path).map_err(|e| crate::Error::input(format!("cannot read `{}`: {e}", path.display())))?;
    if now != expected {
        let disk = bytes.map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default();
        return Ok(Saved::Conflict { disk, version: now });
    }
    if let Some(previous) = bytes {
        if previous == text.as_bytes() {
            return Ok(Saved::Done { version: now });
        }
        let backup = backup_path(path);
        let ours = Options { sync: true, force: is_backup(&backup) };
        // (A restored backup has its mark already.)
        let previous = previous.strip_prefix(BACKUP_MARK.as_bytes()).unwrap_or(&previous);
        write_atomic_with(&backup, &[BACKUP_MARK.as_bytes(), previous].concat(), &[], ours).map_err(|e| {
            // The policy's own help names `--force`, which serve has not.
            let why = e.to_string().lines().next().unwrap_or_default().trim_start_matches("error: ").to_string();
            crate::Error::input(format!("the previous version cannot be kept: {why}"))
                .with_help(format!("`{}` was not made by a save: move or rename it, then save again", backup.display()))
        })?;
    }
    // The data file the page opened, at the version it knows (above).
    write_atomic_with(path, text.as_bytes(), &[], Options { sync: true, force: true })?;
    Ok(Saved::Done { version: version(text.as_bytes()) })
}

/// Does the file at `path` start with [`BACKUP_MARK`]?
fn is_backup(path: &Path) -> bool {
    use std::io::Read;
    let mut head = Vec::new();
    let Ok(file) = std::fs::File::open(path) else { return false };
    file.take(BACKUP_MARK.len() as u64).read_to_end(&mut head).is_ok() && head == BACKUP_MARK.as_bytes()
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
        let backup = |text: &str| format!("{BACKUP_MARK}{text}");
        assert_eq!(std::fs::read_to_string(backup_path(&path)).unwrap(), backup("one\n"));
        // Saved again: the backup a save made is replaced.
        let Saved::Done { version: v2 } = save(&lock, &path, "two, again\n", &v2).unwrap() else { panic!() };
        assert_eq!(std::fs::read_to_string(backup_path(&path)).unwrap(), backup("two\n"));
        // Changed on disk meanwhile: nothing written, both shown.
        std::fs::write(&path, "edited elsewhere\n").unwrap();
        let got = save(&lock, &path, "three\n", &v2).unwrap();
        assert_eq!(got, Saved::Conflict { disk: "edited elsewhere\n".into(), version: version(b"edited elsewhere\n") });
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "edited elsewhere\n");
        assert_eq!(std::fs::read_to_string(backup_path(&path)).unwrap(), backup("two\n"));
        // A `.bak` someone else made is not replaced, and nothing is saved.
        std::fs::write(backup_path(&path), "my own notes\n").unwrap();
        let v3 = version(b"edited elsewhere\n");
        let err = save(&lock, &path, "four\n", &v3).unwrap_err();
        assert!(err.to_string().contains("not made by yoshiki"), "{err}");
        assert!(err.to_string().contains("was not made by a save: move or rename it"), "{err}");
        assert!(!err.to_string().contains("--force"), "serve has no --force: {err}");
        assert_eq!(std::fs::read_to_string(backup_path(&path)).unwrap(), "my own notes\n");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "edited elsewhere\n");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn versions_are_fnv1a() {
        // The published FNV-1a 64 test vectors.
        assert_eq!(version(b""), "cbf29ce484222325");
        assert_eq!(version(b"a"), "af63dc4c8601ec8c");
        assert_eq!(version(b"foobar"), "85944171f73967e8");
    }

    #[test]
    fn the_version_on_disk_is_read_within_the_yaml_limit() {
        let dir = std::env::temp_dir().join(format!("yoshiki-save-limit-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("big.yaml");
        assert_eq!(version_on_disk(&path).unwrap(), (ABSENT.to_string(), None));
        let limit = crate::input::limit(crate::input::Kind::Yaml) as usize;
        std::fs::write(&path, vec![b'#'; limit + 1]).unwrap();
        let err = version_on_disk(&path).unwrap_err();
        assert!(err.contains("larger than the limit"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
