//! Any data file text for the bundled 進行管理表 layout: parsing,
//! validation and layout must answer with a value or an error, never panic.
//!
//! Seeds: `fuzz/seeds/yaml_data/` (the bundled sheets).
#![no_main]

use std::path::{Path, PathBuf};

use libfuzzer_sys::fuzz_target;
use yoshiki::eval::Report;
use yoshiki::layout::page::lay_out;
use yoshiki::model::layout::Layout;
use yoshiki::source::Source;
use yoshiki::validate;

const LAYOUT: &str = include_str!("../../layouts/shinko-kanri.yaml");

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let layout_src = Source { path: PathBuf::from("layouts/shinko-kanri.yaml"), text: LAYOUT.to_string() };
    let layout: Layout = layout_src.parse().expect("the bundled layout parses");
    let checked = validate::layout(&layout, Path::new("layouts")).expect("the bundled layout is valid");
    let src = Source { path: PathBuf::from("fuzz.yaml"), text: text.to_string() };
    let Ok(data) = src.read_data() else { return };
    let Ok(values) = validate::data(&checked, data) else { return };
    let mut warnings = Vec::new();
    let _ = lay_out(&checked, &values, false, Report::default(), &mut warnings);
});
