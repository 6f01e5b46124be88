//! Any layout file text, laid out as a blank form without the geometry
//! check, then held against it: the check (`yoshiki::layout::check`)
//! passes exactly when an independent reading of the drawn pages (glyph
//! outlines through ab_glyph, `tests/oracle/geometry.rs`) finds nothing
//! outside its box — every glyph's ink inside its cell's content box,
//! every cell inside the printable area. And the checked `lay_out` writes
//! a document exactly when the check passes: nothing that would print
//! outside its box ever reaches the PDF writer.
//!
//! Seeds: `fuzz/seeds/yaml_layout/` (the bundled layouts and the inputs
//! that once broke yoshiki).
#![no_main]

mod fuzzed_layout;

use libfuzzer_sys::fuzz_target;
use yoshiki::eval::{Report, Values};
use yoshiki::layout::check::{self, TOLERANCE};
use yoshiki::layout::page::{lay_out, lay_out_unchecked};

#[path = "../../tests/oracle/geometry.rs"]
mod oracle;

/// Float noise between the two readings of the same outline.
const SLACK: f32 = 0.01;

fuzz_target!(|data: &[u8]| {
    let Some(checked) = fuzzed_layout::checked(data) else { return };
    let values = Values::new();
    let Ok(doc) = lay_out_unchecked(&checked, &values, true, Report::default(), &mut Vec::new()) else { return };
    let passed = check::document(&doc).is_ok();
    let worst = oracle::worst_reach(&doc);
    if passed {
        assert!(worst <= TOLERANCE + SLACK, "the check passed, but something reaches out by {worst} pt");
    } else {
        assert!(worst > TOLERANCE - SLACK, "the check failed, but nothing reaches out ({worst} pt)");
    }
    let written = lay_out(&checked, &values, true, Report::default(), &mut Vec::new()).is_ok();
    assert_eq!(written, passed, "lay_out and the check disagree");
});
