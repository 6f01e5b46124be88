//! Checked layouts, read once.
//!
//! A batch renders hundreds of data files that name the same few layouts;
//! parsing and checking a layout costs about as much as laying out a whole
//! sheet (`docs/performance.md`). [`Layouts`] keeps each checked layout by
//! the path it was read from, and hands it out again only while the file
//! still holds the same text: the file is read every time (a few
//! microseconds), so an edited layout is never served stale, and a
//! long-running `serve` may keep one.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::error::Result;
use crate::model::layout::Layout;
use crate::source::{Locate, Source};
use crate::validate::{self, CheckedLayout};

/// A layout file and what checking it gave.
#[derive(Clone)]
pub struct Loaded {
    pub layout: Arc<CheckedLayout>,
    pub src: Arc<Source>,
}

/// Checked layouts by path (as given: it is the path messages show).
#[derive(Default)]
pub struct Layouts {
    loaded: Mutex<HashMap<PathBuf, Loaded>>,
}

impl Layouts {
    /// The checked layout in the file at `path`: from earlier when the file
    /// still holds the same text, otherwise read and checked now. A layout
    /// that fails its check is not kept (the error is returned each time).
    pub fn get(&self, path: &Path) -> Result<Loaded> {
        self.checked(Source::read(path)?)
    }

    /// The checked layout in `src` (a layout file already read): from
    /// earlier when its file held the same text, otherwise checked now.
    pub fn checked(&self, src: Source) -> Result<Loaded> {
        if let Some(hit) = self.lock().get(&src.path).filter(|hit| hit.src.text == src.text) {
            return Ok(hit.clone());
        }
        let path = src.path.clone();
        let loaded = Loaded { layout: Arc::new(check(&src)?), src: Arc::new(src) };
        self.lock().insert(path, loaded.clone());
        Ok(loaded)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, Loaded>> {
        // A panic elsewhere cannot leave the map half-updated: keep using it.
        self.loaded.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Parse and check the layout in `src`.
fn check(src: &Source) -> Result<CheckedLayout> {
    let layout: Layout = src.parse()?;
    let dir = src.path.parent().unwrap_or(Path::new("."));
    validate::layout(&layout, dir).located(Some(src), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LAYOUT: &str = "title: t\nbody:\n  - text: 氏名\n";

    #[test]
    fn a_layout_is_checked_once_while_its_text_stays_the_same() {
        let dir = std::env::temp_dir().join(format!("yoshiki-layouts-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("form.yaml");
        std::fs::write(&path, LAYOUT).unwrap();
        let layouts = Layouts::default();

        let first = layouts.get(&path).unwrap();
        let again = layouts.get(&path).unwrap();
        assert!(Arc::ptr_eq(&first.layout, &again.layout), "the same text was checked twice");

        std::fs::write(&path, LAYOUT.replace("氏名", "所属")).unwrap();
        let edited = layouts.get(&path).unwrap();
        assert!(!Arc::ptr_eq(&first.layout, &edited.layout), "an edited layout was served stale");
        assert!(edited.src.text.contains("所属"));

        std::fs::write(&path, "title: t\nbody: 3\n").unwrap();
        assert!(layouts.get(&path).is_err(), "a broken layout was served from before");
        // The folder stays: this process has read its files, and a new file
        // given a freed inode would count as an input of this process (the
        // output policy, `crate::input`) in the tests that run after.
    }
}
