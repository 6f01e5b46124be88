//! Every bundled output, byte for byte: the batch of `data/` (every sheet,
//! every plan year) and a blank form of every layout in `layouts/`, hashed
//! (SHA-256) and compared with the hashes committed in
//! `tests/bundled.sha256`.
//!
//! A refactoring must leave them all unchanged. A change that is *meant*
//! to alter what prints (a fix, a new default) refreshes the file:
//!
//! ```text
//! YOSHIKI_BLESS=1 cargo test --release --test bundled
//! ```
//!
//! and the diff of `tests/bundled.sha256` then shows which outputs moved.

mod common;

use common::*;
use sha2::{Digest, Sha256};
use std::path::Path;

const HASHES: &str = "tests/bundled.sha256";

/// `<sha256>  <path>` lines, sorted by path, for every PDF under `dir`.
fn hash_lines(dir: &Path) -> Vec<String> {
    let mut lines: Vec<String> = files_under(dir)
        .into_iter()
        .filter(|f| f.ends_with(".pdf"))
        .map(|f| {
            let bytes = std::fs::read(dir.join(&f)).unwrap_or_else(|e| panic!("cannot read {f}: {e}"));
            let hash: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
            format!("{hash}  {f}")
        })
        .collect();
    lines.sort_by(|a, b| a[66..].cmp(&b[66..]));
    lines
}

/// Render what yoshiki ships: `batch data` and `blank` of each layout.
fn render_bundled(out: &TempDir) {
    let root = manifest_dir();
    let batch = out.join("batch").display().to_string();
    let run = yoshiki_in(&root, ["-q", "batch", "data", "-o", &batch]);
    assert_eq!(run.code, Some(0), "batch data failed:\n{}", run.describe());
    let layouts: Vec<String> =
        files_under(&root.join("layouts")).into_iter().filter(|f| f.ends_with(".yaml")).collect();
    assert!(!layouts.is_empty(), "no layouts in layouts/");
    for layout in layouts {
        let pdf = out.join("blank").join(layout.replace(".yaml", ".pdf")).display().to_string();
        let run = yoshiki_in(&root, ["-q", "blank", &format!("layouts/{layout}"), "-o", &pdf]);
        assert_eq!(run.code, Some(0), "blank layouts/{layout} failed:\n{}", run.describe());
    }
}

#[test]
fn bundled_outputs_are_byte_identical() {
    let out = TempDir::new("bundled");
    std::fs::create_dir_all(out.join("blank")).expect("mkdir");
    render_bundled(&out);
    let now = hash_lines(&out.path);
    let file = manifest_dir().join(HASHES);
    if std::env::var_os("YOSHIKI_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(&file, now.join("\n") + "\n").unwrap_or_else(|e| panic!("cannot write {HASHES}: {e}"));
        eprintln!("wrote {HASHES} ({} outputs)", now.len());
        return;
    }
    let committed: Vec<String> = read_to_string(&file).lines().map(str::to_string).collect();
    if now != committed {
        let gone: Vec<&String> = committed.iter().filter(|l| !now.contains(l)).collect();
        let new: Vec<&String> = now.iter().filter(|l| !committed.contains(l)).collect();
        panic!(
            "the bundled outputs differ from {HASHES}:\n  committed, not produced now:\n    {}\n  produced now, not committed:\n    {}\n\
             If this change is meant to alter the output, look at the new PDFs (kept in {}), then refresh the \
             hashes with\n    YOSHIKI_BLESS=1 cargo test --release --test bundled\nand commit {HASHES}.",
            gone.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n    "),
            new.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n    "),
            out.path.display(),
        );
    }
}
