//! Japanese composition: the rules that turn a string into set lines.
//!
//! - [`kinsoku`]: where a line may break (禁則 and our tailorings);
//! - [`classes`]: which punctuation carries white, and where;
//! - [`justify`]: the spacing model — standard widths of consecutive
//!   punctuation, what a line may squeeze or stretch and in which order,
//!   line-start brackets (`docs/typesetting.md`);
//! - [`phrase`]: phrase (文節) boundaries, preferred in narrow cells;
//! - [`linebreak`]: one line at a time, push-in before push-out, and the
//!   emergency ladder;
//! - [`hang`]: bullets and item numbers that hang their paragraphs;
//! - [`spread`]: 均等割り for labels;
//! - [`setter`]: glyphs, widths, bullets, justification, stacking;
//! - [`numerals`] and [`era`]: full-width digits, amounts, 和暦;
//! - [`format`]: values as forms print them (amounts, 和暦 dates, years).

pub mod classes;
pub mod era;
pub mod format;
pub mod hang;
pub mod justify;
pub mod kinsoku;
pub mod linebreak;
pub mod numerals;
pub mod phrase;
pub mod setter;
pub mod spread;

pub use justify::{Composition, LineStartBracket};
