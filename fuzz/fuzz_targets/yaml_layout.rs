//! Any layout file text: parsing, validation and laying out a blank form
//! must answer with a document or an error, never panic.
#![no_main]

use std::path::PathBuf;

use libfuzzer_sys::fuzz_target;
use yoshiki::layout::cell::Report;
use yoshiki::layout::page::lay_out;
use yoshiki::model::layout::Layout;
use yoshiki::source::Source;
use yoshiki::validate::{layout_schema, Values};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let src = Source { path: PathBuf::from("fuzz.yaml"), text: text.to_string() };
    let Ok(layout) = src.parse::<Layout>() else { return };
    if layout_schema(&layout, &src).is_err() {
        return;
    }
    let mut warnings = Vec::new();
    let _ = lay_out(&layout, &src, None, &Values::new(), Report::default(), &mut warnings);
});
