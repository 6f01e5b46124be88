//! Any layout file text: parsing, validation, laying out a blank form and
//! writing its PDF must answer with a document or an error, never panic;
//! and nothing laid out may hold a non-finite number.
//!
//! Seeds: `fuzz/seeds/yaml_layout/` (the bundled layouts, and lengths that
//! once panicked or wrote NaN: `.nan`, `±.inf`, negative, huge, a row
//! without cells).
#![no_main]

mod fuzzed_layout;

use libfuzzer_sys::fuzz_target;
use yoshiki::draw::{Document, Item};
use yoshiki::eval::{Report, Values};
use yoshiki::layout::page::lay_out;

fuzz_target!(|data: &[u8]| {
    let Some(checked) = fuzzed_layout::checked(data) else { return };
    let mut warnings = Vec::new();
    let Ok(doc) = lay_out(&checked, &Values::new(), true, Report::default(), &mut warnings) else { return };
    assert!(all_finite(&doc), "a number drawn is not finite");
    let _ = yoshiki::pdf::write(&doc);
});

/// Every number drawn is finite.
fn all_finite(doc: &Document) -> bool {
    let finite = |numbers: &[f32]| numbers.iter().all(|n| n.is_finite());
    doc.pages.iter().flat_map(|p| &p.items).all(|item| match item {
        Item::Line { from, to, width } => finite(&[from.0, from.1, to.0, to.1, *width]),
        Item::Fill { x, y, w, h, gray } => finite(&[*x, *y, *w, *h, *gray]),
        Item::Ellipse { center, rx, ry, width } => finite(&[center.0, center.1, *rx, *ry, *width]),
        Item::Text(run) => finite(&[run.size, run.baseline]) && run.glyphs.iter().all(|g| finite(&[g.x, g.advance])),
    })
}
