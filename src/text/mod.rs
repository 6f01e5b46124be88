//! Japanese composition: the rules that turn a string into set lines.
//!
//! - [`kinsoku`]: where a line may break (禁則 and our tailorings);
//! - [`linebreak`]: greedy breaking with push-out and the emergency ladder;
//! - [`spread`]: 均等割り for labels;
//! - [`setter`]: glyphs, widths, bullets, justification, stacking;
//! - [`numerals`] and [`era`]: full-width digits, amounts, 和暦;
//! - [`format`]: values as forms print them (amounts, 和暦 dates, years).

pub mod era;
pub mod format;
pub mod kinsoku;
pub mod linebreak;
pub mod numerals;
pub mod setter;
pub mod spread;
