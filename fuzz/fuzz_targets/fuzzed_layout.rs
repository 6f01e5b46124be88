//! The set-up the layout targets share (`yaml_layout`, `geometry`): the
//! fuzzed bytes read as a layout file and checked.

use std::path::{Path, PathBuf};

use yoshiki::model::layout::Layout;
use yoshiki::source::Source;
use yoshiki::validate::{self, CheckedLayout};

/// The checked layout in `data`, if it is text that parses and checks and
/// names no font file.
pub fn checked(data: &[u8]) -> Option<CheckedLayout> {
    let text = std::str::from_utf8(data).ok()?;
    let src = Source { path: PathBuf::from("fuzz.yaml"), text: text.to_string() };
    let layout = src.parse::<Layout>().ok()?;
    // Font files are read from disk: a fuzzed path could name /dev/zero.
    if !layout.fonts.is_empty() {
        return None;
    }
    validate::layout(&layout, Path::new("")).ok()
}
