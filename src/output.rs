//! Writing output files safely: never a half-written file, never over an
//! input.

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};
use crate::source::io_reason;

/// Write `bytes` to `path` through a temporary file in the same folder and
/// a rename, so that readers see the old file or the whole new one. Refuses
/// to overwrite any of `inputs`.
pub fn write_atomic(path: &Path, bytes: &[u8], inputs: &[&Path]) -> Result<()> {
    write_atomic_with(path, bytes, inputs, true)
}

/// [`write_atomic`], choosing whether to wait for the disk (`sync`). The
/// rename alone already guarantees that no half-written file is ever seen;
/// waiting for the disk only matters if the machine loses power, and costs
/// a batch of thousands of files most of its time.
pub fn write_atomic_with(path: &Path, bytes: &[u8], inputs: &[&Path], sync: bool) -> Result<()> {
    let target = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    for input in inputs {
        let same = std::fs::canonicalize(input).ok().zip(std::fs::canonicalize(path).ok()).is_some_and(|(a, b)| a == b);
        if same {
            return Err(Error::input(format!("refusing to overwrite the input file `{}`", path.display()))
                .with_help("choose another output path with -o"));
        }
    }
    let dir = target.parent().unwrap_or(Path::new("."));
    let fail = |what: &str, e: std::io::Error| {
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
                let shown =
                    path.ancestors().skip(1).find(|a| a.is_file()).map(|a| a.display().to_string()).unwrap_or(name);
                err.with_help(format!("`{shown}` is a file, not a folder; choose another output path"))
            }
            _ => err,
        }
    };
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&temp).map_err(|e| fail("cannot create a file there", e))?;
        file.write_all(bytes).map_err(|e| fail("writing failed", e))?;
        if sync {
            file.sync_all().map_err(|e| fail("writing failed", e))?;
        }
        std::fs::rename(&temp, &target).map_err(|e| fail("cannot move the finished file into place", e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}
