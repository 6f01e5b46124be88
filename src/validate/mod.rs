//! Validation: a layout's cells are well-formed, and a data file's values
//! fit the fields those cells define. Everything a user can get wrong is
//! found here, with the path of the mistake; nothing after validation
//! sees raw YAML.
//!
//! - [`layout`]: the layout on its own (geometry, ratios, defaults);
//! - [`fields`]: the fields its cells define, by `for_each` scope;
//! - [`data`]: a data file's values, checked against those fields and
//!   converted once into typed [`crate::eval::Value`]s.

pub mod checked;
pub mod data;
pub mod fields;
pub mod layout;

pub use checked::{CellKind, FieldKind};
pub use data::read_values;
pub use fields::{FieldDef, Fields};
pub use layout::cells;

use crate::error::Result;
use crate::model::layout::Layout;

/// Check a layout and collect the fields it defines.
pub fn layout_fields(layout: &Layout) -> Result<Fields> {
    layout::check_defaults(layout)?;
    layout::check_geometry(layout)?;
    fields::collect(layout)
}
