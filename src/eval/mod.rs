//! Evaluation: what a form shows, given its values.
//!
//! Validation turns a data file into typed [`Value`]s once; evaluation
//! answers layout's questions about them: the value of a field in the
//! scope of the `for_each` element being laid out, the elements of a
//! list, a text with its `{placeholders}` filled in. Layout asks; it never
//! looks into the values itself.

pub mod scope;
pub mod template;
pub mod value;

pub use scope::{Element, Report, Scope};
pub use value::{SeriesItem, Value, Values};
