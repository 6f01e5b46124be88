//! A document's bytes do not depend on what else the process rendered, in
//! which order, on how many threads, or on which thread deflated its
//! streams: the PDF writer caches each font's
//! subset and compressed program by face and glyph use (a pure function of
//! that key), and this checks that the cache cannot leak one document into
//! another.

mod common;

use std::path::Path;
use std::process::Command;

use common::{copy_dir_all, files_under, manifest_dir, TempDir};

/// `yoshiki batch PATHS -o OUT` on `threads` threads, in `dir`.
fn batch(dir: &Path, threads: usize, paths: &[&str], out: &str) {
    let run = Command::new(env!("CARGO_BIN_EXE_yoshiki"))
        .arg("-q")
        .arg("batch")
        .args(paths)
        .args(["-o", out])
        .env("RAYON_NUM_THREADS", threads.to_string())
        .current_dir(dir)
        .output()
        .expect("run yoshiki batch");
    assert!(run.status.success(), "batch {paths:?} failed: {}", String::from_utf8_lossy(&run.stderr));
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

#[test]
fn bytes_do_not_depend_on_batch_order_threads_or_cache() {
    let dir = TempDir::new("batch_order");
    copy_dir_all(&manifest_dir().join("layouts"), &dir.join("layouts"));
    copy_dir_all(&manifest_dir().join("data"), &dir.join("data"));
    // Copies of the sheet: in one batch, all but one of them find their
    // fonts in the cache.
    for name in ["a-copy.yaml", "z-copy.yaml"] {
        std::fs::copy(dir.join("data/shinko-kanri/r07-no06.yaml"), dir.join("data/shinko-kanri").join(name)).unwrap();
    }

    // One thread, the plan's years first; two threads, the sheets first.
    batch(&dir.path, 1, &["data/jinzai-plan", "data/shinko-kanri"], "one");
    batch(&dir.path, 2, &["data/shinko-kanri", "data/jinzai-plan"], "two");
    let one = files_under(&dir.join("one"));
    assert!(one.len() >= 8, "{one:?}");
    assert_eq!(one, files_under(&dir.join("two")));
    for name in &one {
        assert!(read(&dir.join("one").join(name)) == read(&dir.join("two").join(name)), "{name} differs");
    }
    let sheet = read(&dir.join("one/r07-no06.pdf"));
    for copy in ["a-copy.pdf", "z-copy.pdf"] {
        assert!(read(&dir.join("one").join(copy)) == sheet, "{copy} differs from the sheet it copies");
    }

    // Each document alone in a fresh process: the same bytes again.
    for (data, name) in [
        ("data/shinko-kanri/r07-no06.yaml", "r07-no06.pdf"),
        ("data/shinko-kanri/example-filled.yaml", "example-filled.pdf"),
    ] {
        let out = dir.join(&format!("alone-{name}"));
        let run = common::yoshiki_in(&dir.path, ["-q", "render", data, "-o", out.to_str().unwrap()]);
        assert_eq!(run.code, Some(0), "{}", run.describe());
        assert!(read(&out) == read(&dir.join("one").join(name)), "{name} alone differs from the batch");
    }

    // Plan years of six and seven pages, alone: `render` deflates their
    // font program and pages on a second thread (`pdf::background`, for
    // documents of three pages or more), which `batch` never starts.
    for (year, name) in [("H30", "h30-r04-H30.pdf"), ("R4", "h30-r04-R4.pdf")] {
        let out = dir.join(&format!("alone-{name}"));
        let args = ["-q", "render", "data/jinzai-plan/h30-r04.yaml", "--year", year, "-o", out.to_str().unwrap()];
        let run = common::yoshiki_in(&dir.path, args);
        assert_eq!(run.code, Some(0), "{}", run.describe());
        assert!(read(&out) == read(&dir.join("one").join(name)), "{name} alone differs from the batch");
    }
}
