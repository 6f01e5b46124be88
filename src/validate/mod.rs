//! Validation: everything a user can get wrong in a layout or a data file
//! is found here, once, with the path of the mistake; what comes out is
//! checked and typed, and nothing after validation sees raw YAML.
//!
//! - [`layout`] walks a layout once and gives a [`CheckedLayout`]
//!   ([`checked`]): kinds decided, styles resolved ([`style`]), geometry
//!   in points ([`geometry`]), families loaded ([`fonts`]);
//! - [`keys`]: no key is accepted and then ignored: a key that would have
//!   no effect where it is written is an error there;
//! - [`fields`]: the fields its cells define, by `for_each` scope;
//! - [`data`]: a data file's values, checked against those fields and
//!   converted once into typed [`crate::eval::Value`]s (with the checks
//!   that need both, such as a plan's period against its year columns).

pub mod checked;
pub mod data;
pub mod exprs;
pub mod fields;
pub mod fonts;
pub mod geometry;
pub mod keys;
pub mod layout;
pub mod style;

pub use checked::{CellKind, CheckedLayout, FieldKind};
pub use fields::{FieldDef, Fields};

use std::path::Path;

use crate::error::Result;
use crate::eval::Values;
use crate::model::data::Data;
use crate::model::layout::Layout;

/// Check a layout read from a file in `dir`.
pub fn layout(layout: &Layout, dir: &Path) -> Result<CheckedLayout> {
    layout::check(layout, dir)
}

/// Check a data file's values against its (checked) layout (what is
/// only worth a warning is left out).
pub fn data(layout: &CheckedLayout, data: Data) -> Result<Values> {
    data::values(layout, data.fields, &data.layout, &mut Vec::new())
}
