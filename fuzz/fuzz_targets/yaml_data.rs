//! Any data file text for the bundled 進行管理表 layout: parsing,
//! validation and layout must answer with a value or an error, never panic.
#![no_main]

use std::path::PathBuf;

use libfuzzer_sys::fuzz_target;
use yoshiki::layout::cell::Report;
use yoshiki::layout::page::lay_out;
use yoshiki::model::data::DataFile;
use yoshiki::model::layout::Layout;
use yoshiki::source::Source;
use yoshiki::validate::{layout_schema, read_values};

const LAYOUT: &str = include_str!("../../layouts/shinko-kanri.yaml");

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let layout_src = Source { path: PathBuf::from("layouts/shinko-kanri.yaml"), text: LAYOUT.to_string() };
    let layout: Layout = layout_src.parse().expect("the bundled layout parses");
    let schema = layout_schema(&layout, &layout_src).expect("the bundled layout is valid");
    let src = Source { path: PathBuf::from("fuzz.yaml"), text: text.to_string() };
    let Ok(file) = src.parse::<DataFile>() else { return };
    let Ok(values) = read_values(&file.fields, &schema, &src, "fields", &file.layout) else { return };
    let mut warnings = Vec::new();
    let _ = lay_out(&layout, &layout_src, Some(&src), &values, Report::default(), &mut warnings);
});
