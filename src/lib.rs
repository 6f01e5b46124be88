//! yoshiki (様式): official Japanese A4 forms from YAML layouts and YAML data.
//!
//! The pipeline, one module per step:
//!
//! 1. [`source`], [`model`]: read YAML into the layout language and data;
//! 2. [`validate`]: check cells and values, with located errors;
//! 3. [`text`]: Japanese composition (禁則, 均等割り, 和暦, numerals);
//! 4. [`layout`]: cells → rows → pages of [`draw`] items;
//! 5. [`pdf`]: the only module that knows printpdf.
//!
//! [`render::Form`] runs them in order; [`output`] writes files safely.

pub mod batch;
pub mod calendar;
pub mod draw;
pub mod error;
pub mod eval;
pub mod expr;
pub mod font;
pub mod input;
pub mod layout;
pub mod layouts;
pub mod model;
pub mod outline;
pub mod output;
pub mod path;
pub mod pdf;
pub mod preview;
pub mod render;
pub mod schema;
pub mod serve;
pub mod source;
pub mod template;
pub mod text;
pub mod units;
pub mod validate;

pub use error::{Error, Result};
pub use render::{Form, Rendered};
