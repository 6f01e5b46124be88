//! yoshiki (様式): official Japanese A4 forms from YAML layouts and YAML data.

pub mod error;
pub mod font;
pub mod model;
pub mod source;
pub mod text;
