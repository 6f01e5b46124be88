//! Dates without any layout knowledge: months and day counts ([`days`]),
//! Japanese public holidays ([`holidays`]), and dates as people write them
//! ([`parse`]). Used by the expression functions (`src/expr/`) and by the
//! reading of date and month fields.

pub mod days;
pub mod holidays;
pub mod parse;

pub use days::{add_days, days_between, is_weekend, working_days, Month};
pub use holidays::{holiday, is_holiday, Holiday, HolidayKind, OutOfRange};
pub use parse::{parse_date, parse_month, DateError};
